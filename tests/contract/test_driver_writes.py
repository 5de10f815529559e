"""The SQLite INSERTs on the driver's ``executemany`` store what ``Connection.execute`` stores."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Insert, Table, insert
from sqlalchemy.exc import IntegrityError

from customer_core import Cpf, Email, Phone
from customer_core.adapters.shared import plan_identities
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine, upgrade
from customer_core.adapters.sqlalchemy.driver_writes import insert_many, prepared_insert
from customer_core.adapters.sqlalchemy.mapping import audit_row, customer_row, event_rows
from customer_core.adapters.sqlalchemy.queries import upsert
from customer_core.adapters.sqlalchemy.tables import (
    audit_log,
    customer_identities,
    customers,
    identity_claims,
    outbox,
)
from customer_core.domain.model.audit import audit_entries
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.values.address import Address, AddressType
from customer_core.errors import Conflict, InvalidValue

T = "t-driver"
NOW = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def _customers() -> list[Customer]:
    return [
        Customer.create(
            id="c-ana",
            tenant_id=T,
            name="Ana Lima",
            now=NOW,
            tax_id=Cpf.parse("529.982.247-25"),
            emails=(Email.parse("ana@example.com"),),
            phones=(Phone.parse("+551133334444"), Phone.parse("+5511987654321")),
            addresses=(
                Address.create(
                    type=AddressType.DELIVERY, city="São Paulo", uf="SP", cep="01001000"
                ),
            ),
            note="prefere\ncontato à tarde",
        ),
        Customer.create(
            id="c-bruno",
            tenant_id=T,
            name="Bruno Lima",
            now=NOW,
            phones=(Phone.parse("+551133334444"),),
        ),
    ]


def _rows() -> list[tuple[Insert, list[dict[str, Any]]]]:
    """Every INSERT an import runs, with the rows it writes."""
    batch = _customers()
    plan = plan_identities([(c.id, (), c.identity_keys()) for c in batch], {})
    events = [
        DomainEvent(
            name="customer.registered",
            tenant_id=T,
            customer_id=c.id,
            occurred_at=NOW,
            actor_id="u1",
            data={"source": "import"},
        )
        for c in batch
    ]
    claims = [{"tenant_id": T, "kind": k.kind.value, "key": k.key} for k in plan.claimed]
    identities = [
        {"tenant_id": T, "kind": k.kind.value, "key": k.key, "customer_id": cid}
        for cid, k in sorted(plan.added, key=lambda a: (a[1].kind.value, a[1].key, a[0]))
    ]
    return [
        (insert(customers), [customer_row(c) for c in batch]),
        (insert(customer_identities), identities),
        (insert(identity_claims), claims[:1]),
        (upsert("sqlite", identity_claims, update=[]), claims),  # the first one skipped
        (insert(outbox), event_rows(events)),
        (insert(audit_log), [audit_row(e) for e in audit_entries(events, lambda: "a-1")][:1]),
    ]


def _stored(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    """The rows as SQLite holds them (no type processing on the way out)."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        cursor = driver.execute(f"SELECT * FROM {table.name} ORDER BY 1, 2, 3")  # type: ignore[union-attr]
        return [(*row, *(type(v).__name__ for v in row)) for row in cursor.fetchall()]


def test_every_table_the_import_writes_holds_what_execute_stores(tmp_path: Path) -> None:
    fast, ordinary = _engine(tmp_path / "fast.db"), _engine(tmp_path / "ordinary.db")
    for statement, rows in _rows():
        assert prepared_insert(statement, fast.dialect, tuple(rows[0])) is not None
        with fast.connect() as connection:
            insert_many(connection, statement, rows)
            connection.commit()
        with ordinary.connect() as connection:
            connection.execute(statement, rows)
            connection.commit()
    for table in (customers, customer_identities, identity_claims, outbox, audit_log):
        assert _stored(fast, table) == _stored(ordinary, table)
    with SqlStorage(fast)() as uow:  # and it reads back as the customer written
        assert uow.customers.get(T, "c-ana") == _customers()[0]


def test_refusals_are_sqlalchemys_and_so_ours(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "driver.db")
    rows = [customer_row(c) for c in _customers()]
    with engine.connect() as connection:
        insert_many(connection, insert(customers), rows)
        connection.commit()
        with pytest.raises(IntegrityError):  # what guarded_write reads the constraint from
            insert_many(connection, insert(customers), rows)
        connection.rollback()
        with pytest.raises(InvalidValue):  # the column type's own guard, as with execute()
            insert_many(connection, insert(customers), [{**rows[0], "id": 7}])
    with pytest.raises(Conflict), SqlStorage(engine)() as uow:
        uow.customers.add_many(_customers()[:1])


def test_other_dialects_and_other_shapes_keep_the_ordinary_path() -> None:
    from sqlalchemy.dialects import mysql, postgresql, sqlite

    columns = tuple(customer_row(_customers()[0]))
    assert prepared_insert(insert(customers), postgresql.dialect(), columns) is None  # type: ignore[no-untyped-call]
    assert prepared_insert(insert(customers), mysql.dialect(), columns) is None
    with_values = insert(customers).values(status="active")
    assert prepared_insert(with_values, sqlite.dialect(), columns) is None
