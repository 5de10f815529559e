"""What the shared contract cannot check: real concurrency, migrations, error translation.

Also the ports the contract does not cover yet (batches, lists, merges,
hints), run on the memory adapter as well so that both adapters agree.
"""

from __future__ import annotations

import importlib
import io
import sqlite3
import sys
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, insert, select, text
from tenants import new_tenant

from customer_core import Actor, connect
from customer_core.adapters.shared import duplicate_identity
from customer_core.adapters.sqlalchemy import (
    SqlStorage,
    create_engine,
    metadata,
    upgrade,
    visible_customer_ids,
)
from customer_core.adapters.sqlalchemy.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    SQLITE_CACHE_KIB,
    SQLITE_WAL_CHECKPOINT_PAGES,
    SQLITE_WAL_SIZE_LIMIT,
    alembic_config,
)
from customer_core.adapters.sqlalchemy.errors import guarded_write
from customer_core.adapters.sqlalchemy.tables import VERSION_TABLE, customer_identities, customers
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import (
    Conflict,
    DuplicateIdentity,
    MissingDependency,
    NotFound,
    VersionConflict,
)
from customer_core.ports import DuplicateHint, MergeRecord, UnitOfWorkFactory

NOW = datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=timezone.utc)
PHONE = Phone.parse("+55 11 98765-4321")
CPF = Cpf.parse("529.982.247-25")


def _customer(tenant: str, **fields: Any) -> Customer:
    return Customer.create(id=uuid.uuid4().hex, tenant_id=tenant, name="Ana", now=NOW, **fields)


@pytest.fixture(
    params=[
        pytest.param("postgresql", marks=pytest.mark.postgresql),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def server_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


# -- migrations --------------------------------------------------------------


def test_upgrade_is_idempotent_and_the_schema_matches_metadata(sql_engine: Engine) -> None:
    upgrade(sql_engine)  # the session fixture ran it once already
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    with sql_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        assert context.get_current_heads() == tuple(heads)
        assert compare_metadata(context, metadata) == []


def test_upgrade_and_storage_accept_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    storage = SqlStorage(url)
    try:
        with storage() as uow:
            assert uow.customers.count("acme") == 0
    finally:
        storage.engine.dispose()


def _stat_rows(storage: SqlStorage) -> int:
    with storage.engine.connect() as connection:
        stat = connection.exec_driver_sql(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'customers' LIMIT 1"
        ).scalar()
    return int(str(stat).split()[0])


def test_sqlite_statistics_are_gathered_when_missing_or_outgrown(tmp_path: Path) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path / 'stats.db'}")
    storage.upgrade()
    tenant = new_tenant()

    def add(n: int) -> None:
        with storage() as uow:
            uow.customers.add_many([_customer(tenant) for _ in range(n)])
            uow.commit()

    try:
        assert storage.refresh_statistics() is False  # an empty table needs none
        add(50)
        assert storage.refresh_statistics() is True
        assert _stat_rows(storage) == 50
        add(40)
        assert storage.refresh_statistics() is False  # not yet doubled
        add(10)
        assert storage.refresh_statistics() is True
        assert _stat_rows(storage) == 100
    finally:
        storage.engine.dispose()


def test_an_import_and_connect_leave_sqlite_with_statistics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imported.db'}"
    core = connect(url)
    admin = Actor(tenant_id="acme", user_id="u", role="admin")
    rows = "".join(f"Cliente {n};c{n}@x.com\n" for n in range(30))
    core.importer.run("acme", admin, io.BytesIO(f"Nome;E-mail\n{rows}".encode()))
    assert isinstance(core.storage, SqlStorage)
    assert _stat_rows(core.storage) == 30
    core.close()
    with SqlStorage(url).engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    reopened = connect(url)
    assert isinstance(reopened.storage, SqlStorage)
    assert _stat_rows(reopened.storage) == 30
    reopened.close()


def test_statistics_do_not_wait_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    storage = SqlStorage(f"sqlite:///{path}")
    storage.upgrade()
    with storage() as uow:
        uow.customers.add_many([_customer("acme") for _ in range(5)])
        uow.commit()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        started = time.monotonic()
        assert storage.refresh_statistics() is False  # tried once, left for next time
        # Not a speed check: waiting for the lock would take the whole busy timeout.
        assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_MS / 1000 / 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with storage.engine.connect() as connection:  # the pooled connection waits again
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert timeout == SQLITE_BUSY_TIMEOUT_MS
    assert storage.refresh_statistics() is True
    storage.engine.dispose()


def test_sqlite_file_connections_have_the_write_settings(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    with engine.connect() as connection:
        settings = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "cache_size", "wal_autocheckpoint", "journal_size_limit")
        }
    engine.dispose()
    assert settings == {
        "journal_mode": "wal",
        "cache_size": -SQLITE_CACHE_KIB,
        "wal_autocheckpoint": SQLITE_WAL_CHECKPOINT_PAGES,
        "journal_size_limit": SQLITE_WAL_SIZE_LIMIT,
    }


def test_servers_keep_their_own_statistics(server_engine: Engine) -> None:
    assert SqlStorage(server_engine).refresh_statistics() is False


def test_a_sqlite_engine_without_the_adapter_settings_is_refused() -> None:
    engine = sqlalchemy.create_engine("sqlite://")
    with pytest.raises(ValueError, match="create_engine"):
        SqlStorage(engine)
    engine.dispose()


def test_missing_dependency_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "alembic", None)
    monkeypatch.delitem(sys.modules, "customer_core.adapters.sqlalchemy")
    with pytest.raises(MissingDependency) as info:
        importlib.import_module("customer_core.adapters.sqlalchemy")
    assert info.value.code == "missing_dependency"
    assert "pip install 'customer-core[sql]'" in str(info.value)


# -- concurrency ---------------------------------------------------------------


def test_two_connections_saving_one_version_one_wins(sql_engine: Engine) -> None:
    storage, tenant = SqlStorage(sql_engine), new_tenant()
    customer = _customer(tenant)
    with storage() as uow:
        uow.customers.add(customer)
        uow.commit()
    both_read = threading.Barrier(2)

    def save(note: str) -> str:
        with storage() as uow:
            current = uow.customers.get(tenant, customer.id)
            both_read.wait(timeout=60)
            try:
                uow.customers.save(attrs.evolve(current, note=note), expected_version=1)
                uow.commit()
            except VersionConflict:
                return "conflict"
        return "saved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(save, ["a", "b"])) == ["conflict", "saved"]
    with storage() as uow:
        stored = uow.customers.get(tenant, customer.id)
    assert (stored.version, stored.note in ("a", "b")) == (2, True)


def _wait_until_a_writer_waits(engine: Engine, writer: Future[None]) -> None:
    """Poll the server until a transaction waits for a lock: the race is on."""
    if engine.dialect.name == "postgresql":
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    else:
        waiting = "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"
    deadline = time.monotonic() + 60
    with engine.connect() as connection:
        while not connection.scalar(text(waiting)):
            if writer.done():
                writer.result()  # it did not wait: show why
                pytest.fail("the second writer finished without waiting for the first one")
            if time.monotonic() > deadline:
                pytest.fail("the second writer never waited for the first one")
            # Not faster: InnoDB refreshes INNODB_TRX only after 0.1 s unread.
            time.sleep(0.2)
            connection.rollback()


def test_an_identity_race_is_settled_by_the_unique_key(server_engine: Engine) -> None:
    storage, tenant = SqlStorage(server_engine), new_tenant()
    first, second = _customer(tenant, tax_id=CPF), _customer(tenant, tax_id=CPF)

    def add_second() -> None:
        with storage() as uow:
            uow.customers.add(second)  # its check cannot see the uncommitted first
            uow.commit()

    with storage() as winner, ThreadPoolExecutor(max_workers=1) as pool:
        winner.customers.add(first)
        loser = pool.submit(add_second)
        _wait_until_a_writer_waits(server_engine, loser)
        winner.commit()
        with pytest.raises(DuplicateIdentity) as info:
            loser.result(timeout=60)
    assert (info.value.field, info.value.details["holder_id"]) == ("tax_id", first.id)


# -- error translation -------------------------------------------------------


def test_violations_are_named_and_leave_the_transaction_usable(sql_engine: Engine) -> None:
    storage, tenant = SqlStorage(sql_engine), new_tenant()
    customer = _customer(tenant, tax_id=Cpf.parse("529.982.247-25"))
    with storage() as uow:
        uow.customers.add(customer)
        uow.commit()
    key = customer.identity_keys()[0]
    row = {"tenant_id": tenant, "kind": key.kind.value, "key": key.key, "customer_id": customer.id}
    handlers = {"pk_customer_identities": lambda: duplicate_identity(key, customer.id)}
    count = select(func.count()).select_from(customer_identities)
    with sql_engine.connect() as connection, connection.begin():
        with pytest.raises(DuplicateIdentity), guarded_write(connection, handlers) as writes:
            writes.execute(insert(customer_identities), row)
        with pytest.raises(Conflict) as unmapped, guarded_write(connection, {}) as writes:
            writes.execute(insert(customer_identities), row)
        assert unmapped.value.details["constraint"] == "pk_customer_identities"
        assert connection.scalar(count.where(customer_identities.c.tenant_id == tenant)) == 1


def test_adding_an_existing_id_is_a_conflict_on_the_id(storage: UnitOfWorkFactory) -> None:
    customer = _customer(new_tenant())
    with storage() as uow:
        uow.customers.add(customer)
        with pytest.raises(Conflict) as info:
            uow.customers.add(attrs.evolve(customer, emails=(Email.parse("new@x.com"),)))
    assert (type(info.value), info.value.field) == (Conflict, "id")


# -- batches -----------------------------------------------------------------


def test_add_many_is_all_or_nothing(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    a, b = _customer(tenant, tax_id=CPF), _customer(tenant)
    c = _customer(tenant, tax_id=CPF)
    with storage() as uow:
        with pytest.raises(DuplicateIdentity) as info:
            uow.customers.add_many([a, b, c])
        assert info.value.details["holder_id"] == a.id
        assert uow.customers.count(tenant) == 0
        assert [s.version for s in uow.customers.add_many([a, b])] == [1, 1]
        uow.commit()
    with storage() as uow:
        assert set(uow.customers.get_many(tenant, [a.id, b.id, "missing"])) == {a.id, b.id}


def test_save_many_applies_changes_in_order(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    with storage() as uow:
        a, b = uow.customers.add_many([_customer(tenant, tax_id=CPF), _customer(tenant)])
        uow.commit()
    key = IdentityKey(IdentityKind.TAX_ID, CPF.digits)
    with storage() as uow:
        # b may take the CPF a gives up earlier in the same batch.
        a, b = uow.customers.save_many(
            [(attrs.evolve(a, tax_id=None), 1), (attrs.evolve(b, tax_id=CPF), 1)]
        )
        assert (a.version, b.version) == (2, 2)
        with pytest.raises(VersionConflict):  # b is stale: a's change is not kept either
            uow.customers.save_many([(attrs.evolve(a, note="x"), 2), (b, 1)])
        assert uow.customers.get(tenant, a.id).note is None
        uow.commit()
    with storage() as uow:
        assert uow.customers.holders(tenant, [key]) == {key: (b.id,)}


# -- lists, merges, hints ----------------------------------------------------


def test_identity_lists(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    spam, other = (
        IdentityKey(IdentityKind.PHONE, "5511987654321"),
        IdentityKey(IdentityKind.EMAIL, "x@y.com"),
    )
    with storage() as uow:
        uow.lists.add(tenant, "spam", [spam], customer_id=None)
        uow.lists.add(tenant, "spam", [spam], customer_id="c1")  # listed again: no error
        uow.commit()
    with storage() as uow:
        assert uow.lists.listed(tenant, "spam", [spam, other]) == {spam}
        assert uow.lists.listed(tenant, "vip", [spam]) == set()
        assert uow.lists.listed(tenant + "x", "spam", [spam]) == set()
        uow.lists.remove(tenant, "spam", [spam, other])
        assert uow.lists.listed(tenant, "spam", [spam]) == set()


def test_merge_records_round_trip(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    survivor, absorbed = _customer(tenant, phones=(PHONE,)), _customer(tenant, note="old")
    record = MergeRecord(
        id=uuid.uuid4().hex,
        tenant_id=tenant,
        survivor_id=survivor.id,
        absorbed_id=absorbed.id,
        survivor_before=survivor,
        absorbed_before=absorbed,
        merged_version=3,
        actor_id="u1",
        merged_at=NOW,
    )
    with storage() as uow:
        uow.merges.add(record)
        uow.commit()
    with storage() as uow:
        assert uow.merges.get(tenant, record.id) == record
        assert uow.merges.in_force(tenant) == [record]
        assert uow.merges.in_force(tenant + "-other") == []
        uow.merges.mark_undone(tenant, record.id, NOW + timedelta(hours=1))
        assert uow.merges.in_force(tenant) == []
        assert uow.merges.get(tenant, record.id).undone_at == NOW + timedelta(hours=1)
        with pytest.raises(NotFound):
            uow.merges.get(tenant, "missing")
        with pytest.raises(NotFound):
            uow.merges.mark_undone(tenant, "missing", NOW)
    # The survivor as merged (0013) round-trips too; None above is an older row's.
    merged = attrs.evolve(survivor, note="old", version=3)
    later = attrs.evolve(record, id=uuid.uuid4().hex, survivor_after=merged, undone_at=None)
    with storage() as uow:
        uow.merges.add(later)
        uow.commit()
    with storage() as uow:
        assert uow.merges.get(tenant, later.id) == later
        assert uow.merges.get(tenant, later.id).survivor_after == merged


def test_duplicate_hints_are_stored_once_per_pair_and_reason(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    hint = DuplicateHint(
        tenant_id=tenant, customer_id="a", other_id="b", reason="inbound:whatsapp", noted_at=NOW
    )
    with storage() as uow:
        uow.hints.add(hint)
        uow.hints.add(
            attrs.evolve(hint, customer_id="b", other_id="a", noted_at=NOW + timedelta(1))
        )
        uow.hints.add(attrs.evolve(hint, reason="inbound:email", noted_at=NOW + timedelta(2)))
        uow.commit()
    with storage() as uow:
        assert [(h.customer_id, h.reason) for h in uow.hints.list_all(tenant)] == [
            ("a", "inbound:whatsapp"),
            ("a", "inbound:email"),
        ]
        assert uow.hints.list_all(tenant + "x") == []


# -- the visibility filter for host applications -----------------------------


def test_visible_customer_ids_filters_host_queries(sql_engine: Engine) -> None:
    storage, tenant = SqlStorage(sql_engine), new_tenant()
    mine, theirs = _customer(tenant, portfolio_id="p1"), _customer(tenant, portfolio_id="p2")
    with storage() as uow:
        uow.customers.add_many([mine, theirs])
        uow.commit()
    scope = VisibilityScope(tenant_id=tenant, portfolio_ids=frozenset({"p1"}))
    with sql_engine.connect() as connection:
        ids = connection.scalars(
            select(customers.c.id).where(customers.c.id.in_(visible_customer_ids(scope)))
        )
        assert list(ids) == [mine.id]


def test_datetimes_come_back_aware_in_utc(sql_engine: Engine) -> None:
    storage, tenant = SqlStorage(sql_engine), new_tenant()
    brasilia = timezone(timedelta(hours=-3))
    customer = attrs.evolve(_customer(tenant), updated_at=NOW.astimezone(brasilia))
    with storage() as uow:
        uow.customers.add(customer)
        uow.commit()
    with sql_engine.connect() as connection:
        stored = connection.execute(
            select(customers.c.updated_at).where(customers.c.id == customer.id)
        ).scalar_one()
    assert (stored, stored.tzinfo) == (NOW, timezone.utc)
    with storage() as uow:
        assert uow.customers.get(tenant, customer.id) == attrs.evolve(customer, version=1)


def test_create_engine_keeps_the_callers_arguments() -> None:
    engine = create_engine("sqlite://", echo=False, connect_args={"timeout": 1})
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


# -- tenant co-location ------------------------------------------------------


def test_every_key_and_index_starts_with_thenew_tenant() -> None:
    """Primary keys, unique constraints, foreign keys and indexes lead with ``tenant_id``:
    the co-location rule of tenant-sharded PostgreSQL (Citus distribution column)."""
    from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint

    from customer_core.adapters.sqlalchemy.tables import metadata

    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
                columns = [c.name for c in constraint.columns]
            elif isinstance(constraint, ForeignKeyConstraint):
                columns = list(constraint.column_keys)
                assert next(e.column.name for e in constraint.elements) == "tenant_id", table.name
            else:
                continue
            assert columns[0] == "tenant_id", f"{table.name}.{constraint.name}: {columns}"
        for index in table.indexes:
            first = next(iter(index.expressions))
            assert getattr(first, "name", None) == "tenant_id", f"{table.name}.{index.name}"
