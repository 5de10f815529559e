"""The SQLite inbound look-up on the driver's cursor gives what ``Connection.execute`` gives."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import CompoundSelect, Engine, Select

from customer_core import Cpf, Email, Phone
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine, upgrade
from customer_core.adapters.sqlalchemy.driver_reads import prepared, read_rows
from customer_core.adapters.sqlalchemy.lookups import look_up_query
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.errors import InvalidValue, StorageUnavailable

T = "t-driver"
NOW = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'driver.db'}")
    upgrade(engine)
    return engine


def _store(engine: Engine) -> tuple[Customer, Customer]:
    ana = Customer.create(
        id="c-ana",
        tenant_id=T,
        name="Ana Lima",
        now=NOW,
        tax_id=Cpf.parse("529.982.247-25"),
        emails=(Email.parse("ana@example.com"),),
        phones=(Phone.parse("+551133334444"), Phone.parse("+5511987654321")),
    )
    bruno = Customer.create(
        id="c-bruno",
        tenant_id=T,
        name="Bruno Lima",
        now=NOW,
        phones=(Phone.parse("+551133334444"),),
    )
    storage = SqlStorage(engine)
    with storage() as uow:
        uow.customers.add_many([ana, bruno])
        line = IdentityKey(IdentityKind.PHONE, Phone.parse("+551133334444").match_key)
        uow.customers.mark_seen(T, "c-bruno", [line], NOW)
        spam = [IdentityKey(IdentityKind.EMAIL, "ana@example.com")]
        uow.lists.add(T, "spam", spam, customer_id="c-ana")
        uow.commit()
    return ana, bruno


def _query(
    keys: list[IdentityKey], lists: tuple[str, ...]
) -> tuple[Select[Any] | CompoundSelect[Any], dict[str, Any]]:
    query = look_up_query(T, keys, lists)
    assert query is not None
    statement, parameters = query
    assert isinstance(statement, Select | CompoundSelect)
    return statement, parameters


def _keys(customer: Customer) -> list[IdentityKey]:
    return sorted(customer.identity_keys(), key=lambda k: (k.kind.value, k.key))


@pytest.mark.parametrize("lists", [(), ("spam",), ("spam", "vip")])
def test_every_column_comes_back_as_execute_gives_it(
    engine: Engine, lists: tuple[str, ...]
) -> None:
    ana, _ = _store(engine)
    for keys in (
        _keys(ana),
        _keys(ana)[:1],
        _keys(ana)[1:],
        [IdentityKey(IdentityKind.TAX_ID, "0")],
    ):
        statement, parameters = _query(keys, lists)
        assert prepared(statement, engine.dialect) is not None
        with engine.connect() as connection:
            fast = [dict(r) for r in read_rows(connection, statement, parameters)]
            ordinary = [dict(r) for r in connection.execute(statement, parameters).mappings()]
        assert fast == ordinary
        assert [type(v) for row in fast for v in row.values()] == [
            type(v) for row in ordinary for v in row.values()
        ]
    with engine.connect() as connection:
        statement, parameters = _query(_keys(ana), lists)
        rows = list(read_rows(connection, statement, parameters))
    assert any(row["last_seen_at"] is not None for row in rows)  # a datetime, as read
    assert {row["customer_id"] for row in rows if row["list_name"] is None} == {"c-ana", "c-bruno"}


def test_the_look_up_reads_in_the_unit_of_works_transaction(engine: Engine) -> None:
    ana, _ = _store(engine)
    storage = SqlStorage(engine)
    with storage() as uow:
        found = uow.customers.look_up(T, _keys(ana), lists=("spam",))
        assert uow.customers._connection.in_transaction()
    assert {h.id for holders in found.holding.values() for h in holders} == {"c-ana", "c-bruno"}
    assert found.listed["spam"] == {IdentityKey(IdentityKind.EMAIL, "ana@example.com")}


def test_a_bad_key_and_a_driver_failure_are_our_errors(engine: Engine, tmp_path: Path) -> None:
    statement, parameters = _query([IdentityKey(IdentityKind.TAX_ID, "1")], ())
    with engine.connect() as connection, pytest.raises(InvalidValue):
        list(read_rows(connection, statement, {**parameters, "tenant_id": 7}))
    bare = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no schema
    with pytest.raises(StorageUnavailable), SqlStorage(bare)() as uow:
        uow.customers.look_up(T, [IdentityKey(IdentityKind.TAX_ID, "1")])


def test_other_dialects_keep_the_ordinary_path() -> None:
    from sqlalchemy.dialects import mysql, postgresql

    statement, _ = _query([IdentityKey(IdentityKind.TAX_ID, "1")], ())
    assert prepared(statement, postgresql.dialect()) is None  # type: ignore[no-untyped-call]
    assert prepared(statement, mysql.dialect()) is None
