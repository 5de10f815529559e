"""When the SQL unit of work opens transactions: reads in autocommit on PostgreSQL.

Under READ COMMITTED a transaction adds nothing to plain reads, so a unit of
work that only reads sends no ``BEGIN``/``ROLLBACK``; these tests pin down that
its writes are still one transaction, however many reads come before them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import psycopg
import pytest
from sqlalchemy import Engine

from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from customer_core.domain.model.customer import Customer
from customer_core.errors import NotFound

pytestmark = pytest.mark.postgresql

NOW = datetime(2026, 5, 4, tzinfo=timezone.utc)
IDLE = psycopg.pq.TransactionStatus.IDLE


def _customer(tenant: str) -> Customer:
    return Customer.create(id=uuid.uuid4().hex, tenant_id=tenant, name="Ana", now=NOW)


def _status(uow: SqlUnitOfWork) -> psycopg.pq.TransactionStatus:
    """The server-side transaction state of the unit of work's connection."""
    driver = uow._open().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    return driver.info.transaction_status


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def test_reads_open_no_transaction(postgresql_engine: Engine, tenant: str) -> None:
    storage = SqlStorage(postgresql_engine)
    with storage() as uow:
        assert uow.customers.count(tenant) == 0
        uow.portfolios.ids_for_user(tenant, "u1")
        assert _status(uow) is IDLE


def test_reads_then_writes_are_rolled_back_together(postgresql_engine: Engine, tenant: str) -> None:
    storage = SqlStorage(postgresql_engine)
    first, second = _customer(tenant), _customer(tenant)
    with storage() as uow:
        assert uow.customers.count(tenant) == 0
        uow.customers.add(first)
        assert _status(uow) is not IDLE  # the write began a transaction
        uow.customers.add(second)
        assert uow.customers.count(tenant) == 2  # its own writes, not yet committed
    with storage() as uow:
        assert uow.customers.count(tenant) == 0


def test_a_write_after_a_commit_is_a_transaction_again(
    postgresql_engine: Engine, tenant: str
) -> None:
    storage = SqlStorage(postgresql_engine)
    kept, dropped = _customer(tenant), _customer(tenant)
    with storage() as uow:
        uow.customers.add(kept)
        uow.commit()
        assert uow.customers.get(tenant, kept.id).id == kept.id
        assert _status(uow) is IDLE
        uow.customers.add(dropped)
    with storage() as uow:
        assert uow.customers.get(tenant, kept.id).version == 1
        with pytest.raises(NotFound):
            uow.customers.get(tenant, dropped.id)


def test_connections_go_back_to_the_pool_transactional(postgresql_engine: Engine) -> None:
    storage = SqlStorage(postgresql_engine)
    with storage() as uow:
        uow.customers.count("any")
    with postgresql_engine.connect() as connection:
        assert connection.connection.driver_connection.autocommit is False  # type: ignore[union-attr]


@pytest.mark.parametrize("level", ["REPEATABLE READ", "SERIALIZABLE"])
def test_a_stricter_isolation_level_keeps_transactions_for_reads(
    postgresql_engine: Engine, level: str
) -> None:
    # One snapshot for every read of the unit of work is what the caller asked for.
    engine = postgresql_engine.execution_options(isolation_level=level)
    with SqlStorage(engine)() as uow:
        uow.portfolios.ids_for_user("t", "u1")
        assert _status(uow) is not IDLE
