"""The SQL adapter's own guard on ids: text only, compared without padding (issue 15).

The services check every id first (tests in ``customer_core.testing.contract_ids``);
these tests call the repositories directly, as a host's code could, and show
that no dialect coerces a number into an id comparison or pads a trailing
space -- and that migration 0006 converts a populated MariaDB database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from migration_helpers import migrate
from sqlalchemy import Engine, func, select, text

from customer_core.adapters.sqlalchemy import SqlStorage, SqlUnitOfWork
from customer_core.adapters.sqlalchemy.tables import customers
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.values.phone import Phone
from customer_core.errors import InvalidValue, NotFound

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
NUMBERS: tuple[object, ...] = (1, 0, 1.0, True, b"c-1")


def _seed(storage: SqlStorage, tenant: str, count: int = 3) -> list[str]:
    ids = [f"{i}" for i in range(1, count + 1)]  # ids that read as numbers: the worst case
    with storage() as uow:
        uow.portfolios.add(Portfolio(id="1", tenant_id=tenant, name="Sul"))
        for number, customer_id in enumerate(ids):
            uow.customers.add(
                Customer.create(
                    id=customer_id,
                    tenant_id=tenant,
                    name=f"Cliente {customer_id}",
                    now=NOW,
                    phones=(Phone.parse(f"11 98765-{4320 + number}"),),
                )
            )
        uow.commit()
    return ids


def _count(engine: Engine, tenant: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count()).select_from(customers).where(customers.c.tenant_id == tenant)
            )
            or 0
        )


@pytest.mark.parametrize("bad", NUMBERS)
def test_a_number_as_an_id_is_refused_by_every_repository_and_deletes_nothing(
    sql_engine: Engine, bad: Any
) -> None:
    storage = SqlStorage(sql_engine)
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    _seed(storage, tenant)
    calls: list[Callable[[SqlUnitOfWork], object]] = [
        lambda uow: uow.customers.get(tenant, bad),
        lambda uow: uow.customers.delete(tenant, bad),
        lambda uow: uow.customers.count(bad),
        lambda uow: uow.customers.holders(tenant, [IdentityKey(IdentityKind.PHONE, bad)]),
        lambda uow: uow.portfolios.get(tenant, bad),
        lambda uow: uow.portfolios.delete(tenant, bad),
        lambda uow: uow.merges.get(tenant, bad),
    ]
    for call in calls:
        with pytest.raises(InvalidValue) as caught, storage() as uow:
            call(uow)
            uow.commit()
        assert caught.value.code == "invalid_value"
    assert _count(sql_engine, tenant) == 3
    with storage() as uow:
        assert uow.portfolios.get(tenant, "1").name == "Sul"


def test_a_trailing_space_is_another_id_on_every_dialect(sql_engine: Engine) -> None:
    storage = SqlStorage(sql_engine)
    tenant = f"loja-{uuid.uuid4().hex[:12]}"
    first = _seed(storage, tenant)[0]
    with storage() as uow:
        assert uow.customers.count(tenant + " ") == 0
        assert uow.customers.count(tenant) == 3
        with pytest.raises(NotFound):
            uow.customers.get(tenant + " ", first)
        with pytest.raises(NotFound):
            uow.customers.get(tenant, first + " ")
        phone = Phone.parse("11 98765-4320").match_key
        assert uow.customers.holders(tenant, [IdentityKey(IdentityKind.PHONE, phone + " ")]) == {}


def _collations(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(
            connection.scalars(
                text(
                    "SELECT DISTINCT collation_name FROM information_schema.columns"
                    " WHERE table_schema = DATABASE() AND collation_name IS NOT NULL"
                    " AND table_name <> 'customer_core_version'"
                )
            )
        )


@pytest.mark.mariadb
def test_migration_0006_converts_a_populated_mariadb_database(
    mariadb_at_0005: Engine, write_old_rows: Any
) -> None:
    engine = mariadb_at_0005
    storage = SqlStorage(engine)
    tenant = "loja"
    ids = [str(n) for n in range(1, 51)]
    people = [
        Customer.create(
            id=cid,
            tenant_id=tenant,
            name=f"Cliente {cid}",
            now=NOW,
            phones=(Phone.parse(f"11 98765-{4320 + n}"),),
        )
        for n, cid in enumerate(ids)
    ]
    write_old_rows(
        engine,
        people,
        [(tenant, "phone", c.phones[0].match_key, c.id) for c in people],
    )
    assert _collations(engine) == {"utf8mb4_bin"}
    with storage() as uow:  # the trap: PAD SPACE finds 'loja ' equal to 'loja'
        assert uow.customers.count("loja ") == 50

    migrate(engine, "head")

    assert _collations(engine) == {"utf8mb4_nopad_bin"}
    with storage() as uow:
        assert uow.customers.count("loja ") == 0
        assert uow.customers.count(tenant) == 50
        assert sorted(c.id for c in uow.customers.get_many(tenant, ids).values()) == sorted(ids)
        assert uow.customers.holders(
            tenant, [IdentityKey(IdentityKind.PHONE, Phone.parse("11 98765-4320").match_key)]
        ) == {IdentityKey(IdentityKind.PHONE, Phone.parse("11 98765-4320").match_key): (ids[0],)}
    with engine.connect() as connection:  # the foreign keys are back
        foreign_keys = set(
            connection.scalars(
                text(
                    "SELECT constraint_name FROM information_schema.referential_constraints"
                    " WHERE constraint_schema = DATABASE()"
                )
            )
        )
    assert foreign_keys >= {  # (later migrations add their own)
        "fk_customer_identities_tenant_id_customer_id_customers",
        "fk_portfolio_members_tenant_id_portfolio_id_portfolios",
    }
    migrate(engine, "0005", down=True)  # and the way back
    assert _collations(engine) == {"utf8mb4_bin"}
    migrate(engine, "head")
    assert _collations(engine) == {"utf8mb4_nopad_bin"}
