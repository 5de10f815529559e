"""SQLite: a thread keeps its connection between its units of work (adapters/sqlalchemy/idle).

Kept only idle (no transaction, so no lock and no snapshot of the log), one per
thread, within the pool's size; given back when the thread ends, closed by
the storage's ``close``.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from customer_core.adapters.sqlalchemy import SqlStorage, create_engine
from customer_core.adapters.sqlalchemy.engine import truncate_wal
from customer_core.errors import NotFound


def _driver(storage: SqlStorage) -> sqlite3.Connection:
    """The DBAPI connection a new unit of work runs on (the unit of work is left)."""
    with storage() as uow:
        uow.customers.count("acme")
        driver: sqlite3.Connection = uow._open().connection.driver_connection  # type: ignore[assignment]
        return driver


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SqlStorage]:
    storage = SqlStorage(f"sqlite:///{tmp_path / 'idle.db'}")
    storage.upgrade()
    yield storage
    storage.close()


def test_the_next_unit_of_work_of_a_thread_reuses_its_connection(storage: SqlStorage) -> None:
    first = _driver(storage)
    assert _driver(storage) is first
    assert storage.engine.pool.checkedout() == 1  # type: ignore[attr-defined]


def test_a_kept_connection_holds_no_transaction(storage: SqlStorage) -> None:
    _driver(storage)
    with storage() as uow:
        uow.customers.count("acme")  # a read transaction, ended with the block
    # A reader holding a snapshot would keep the checkpoint from finishing.
    assert truncate_wal(storage.engine, attempts=1)
    with storage() as uow:
        assert not uow._open().in_transaction()


def test_an_unexpected_failure_closes_the_connection(storage: SqlStorage) -> None:
    with pytest.raises(RuntimeError), storage() as uow:
        connection = uow._open()
        uow.customers.count("acme")
        raise RuntimeError("the caller's failure")
    assert connection.closed


def test_a_refusal_of_the_library_keeps_the_connection(storage: SqlStorage) -> None:
    first = _driver(storage)
    with pytest.raises(NotFound), storage() as uow:
        uow.customers.get("acme", "nobody")
    assert _driver(storage) is first


def test_an_uncommitted_write_is_rolled_back_before_the_connection_is_kept(
    storage: SqlStorage,
) -> None:
    from datetime import datetime, timezone

    from customer_core.domain.model.customer import Customer

    customer = Customer.create(
        id="c1", tenant_id="acme", name="Ana Lima", now=datetime(2026, 1, 1, tzinfo=timezone.utc)
    )
    with storage() as uow:
        uow.customers.add(customer)  # not committed
    with storage() as uow:
        assert uow.customers.count("acme") == 0
        uow.customers.add(customer)
        uow.commit()
    with storage() as uow:
        assert uow.customers.count("acme") == 1


def test_a_thread_that_ends_gives_its_connection_back(storage: SqlStorage) -> None:
    _driver(storage)
    worker = threading.Thread(target=_driver, args=(storage,))
    worker.start()
    worker.join()
    gc.collect()
    assert storage.engine.pool.checkedout() == 1  # type: ignore[attr-defined]  # this thread's


def test_kept_connections_stay_within_the_pool_size(tmp_path: Path) -> None:
    storage = SqlStorage(create_engine(f"sqlite:///{tmp_path / 'small.db'}", pool_size=1))
    storage.upgrade()
    try:
        _driver(storage)
        kept_elsewhere = threading.Event()
        done = threading.Event()

        def other_thread() -> None:
            _driver(storage)  # the pool's one place is this thread's: not kept
            kept_elsewhere.set()
            done.wait(5)

        worker = threading.Thread(target=other_thread)
        worker.start()
        assert kept_elsewhere.wait(5)
        assert storage.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        done.set()
        worker.join()
    finally:
        storage.close()


def test_close_closes_every_kept_connection(storage: SqlStorage) -> None:
    done = threading.Event()
    kept = threading.Event()

    def other_thread() -> None:
        _driver(storage)
        kept.set()
        done.wait(5)

    worker = threading.Thread(target=other_thread)
    worker.start()
    assert kept.wait(5)
    _driver(storage)
    assert storage.engine.pool.checkedout() == 2  # type: ignore[attr-defined]
    storage.close()
    assert storage.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    done.set()
    worker.join()
    assert _driver(storage) is not None  # usable again: a new connection


def test_an_engine_made_not_to_pool_keeps_nothing(tmp_path: Path) -> None:
    from sqlalchemy.pool import NullPool

    storage = SqlStorage(create_engine(f"sqlite:///{tmp_path / 'null.db'}", poolclass=NullPool))
    storage.upgrade()
    try:
        with storage() as uow:
            connection = uow._open()
            uow.customers.count("acme")
        assert connection.closed
    finally:
        storage.close()


def test_a_connection_in_use_while_the_storage_closes_is_closed_after_use(
    storage: SqlStorage,
) -> None:
    with storage() as uow:
        connection = uow._open()
        uow.customers.count("acme")
        storage.close()  # another thread's shutdown, say
    assert connection.closed
