"""Migration 0012 (SQLite's identity index and claims kept in their keys' order) from a
populated 0011 database, up and down, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from migration_helpers import migrate
from sqlalchemy import Engine, column, insert, inspect, select, table, text

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.phone import Phone

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
TENANT = "loja"
ADMIN = Actor(tenant_id=TENANT, user_id="admin", role="admin")
TABLES = ("customer_identities", "identity_claims")


def _people(n: int) -> list[Customer]:
    return [
        Customer.create(
            id=f"c{k:04}",
            tenant_id=TENANT,
            name=f"Cliente {k}",
            now=NOW,
            phones=(Phone.parse(f"11 9{8765_0000 + k}"),),
        )
        for k in range(n)
    ]


def _contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            name: sorted(tuple(row) for row in connection.execute(text(f"SELECT * FROM {name}")))
            for name in TABLES
        }


def _without_rowid(engine: Engine) -> dict[str, bool]:
    with engine.connect() as connection:
        return {
            name: "WITHOUT ROWID"
            in connection.scalar(
                text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                {"t": name},
            ).upper()
            for name in TABLES
        }


def test_0012_keeps_every_row_key_and_index_up_and_down(
    database_at_0011: Engine, write_old_rows: Any
) -> None:
    engine = database_at_0011
    people = _people(300)
    write_old_rows(engine, people, [(TENANT, "phone", c.phones[0].match_key, c.id) for c in people])
    held = table("customer_identities", column("tenant_id"), column("kind"), column("key"))
    claims = table("identity_claims", column("tenant_id"), column("kind"), column("key"))
    with engine.begin() as connection:
        connection.execute(
            insert(claims).from_select(["tenant_id", "kind", "key"], select(*held.c).distinct())
        )
    before = _contents(engine)
    assert len(before["customer_identities"]) == 300

    migrate(engine, "head")

    assert _contents(engine) == before
    schema = inspect(engine)
    assert schema.get_pk_constraint("customer_identities")["constrained_columns"] == [
        "tenant_id",
        "kind",
        "key",
        "customer_id",
    ]
    assert [ix["column_names"] for ix in schema.get_indexes("customer_identities")] == [
        ["tenant_id", "customer_id"]
    ]
    assert [fk["referred_table"] for fk in schema.get_foreign_keys("customer_identities")] == [
        "customers"
    ]
    if engine.dialect.name == "sqlite":
        assert _without_rowid(engine) == dict.fromkeys(TABLES, True)
    storage = SqlStorage(engine)
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    found = core.identity.resolve_inbound(TENANT, "whatsapp", {"phone": people[7].phones[0].e164})
    assert (found.outcome, found.customer.id) == ("matched", "c0007")
    created = core.identity.resolve_inbound(TENANT, "whatsapp", {"phone": "+5511912345678"})
    assert created.outcome == "created"

    migrate(engine, "0011_hint_sides", down=True)

    if engine.dialect.name == "sqlite":
        assert _without_rowid(engine) == dict.fromkeys(TABLES, False)
    after_down = _contents(engine)
    assert len(after_down["customer_identities"]) == 301
    migrate(engine, "head")
    assert _contents(engine) == after_down
    storage.engine.dispose()
