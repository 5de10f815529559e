"""Migration 0010 (blocking) from a populated 0009 database, up and down, on SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from migration_helpers import migrate
from sqlalchemy import Engine, inspect, text

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.phone import Phone

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
TENANT = "loja"
DPO = Actor(tenant_id=TENANT, user_id="dpo", role="admin", permissions=["privacy"])


def _people() -> list[Customer]:
    return [
        Customer.create(
            id=f"c{n}",
            tenant_id=TENANT,
            name=f"Cliente {n}",
            now=NOW,
            phones=(Phone.parse(f"11 98765-{4320 + n}"),),
        )
        for n in range(3)
    ]


def test_0010_blocks_on_a_populated_database_and_goes_back(
    database_at_0009: Engine, write_old_rows: Any
) -> None:
    engine = database_at_0009
    people = _people()
    write_old_rows(engine, people, [(TENANT, "phone", c.phones[0].match_key, c.id) for c in people])

    migrate(engine, "head")

    schema = inspect(engine)
    assert schema.get_pk_constraint("customer_blocks")["constrained_columns"] == [
        "tenant_id",
        "customer_id",
    ]
    if engine.dialect.name in ("mysql", "mariadb"):
        with engine.connect() as connection:
            collations = set(
                connection.scalars(
                    text(
                        "SELECT DISTINCT collation_name FROM information_schema.columns"
                        " WHERE table_schema = DATABASE() AND table_name = 'customer_blocks'"
                        " AND collation_name IS NOT NULL"
                    )
                )
            )
        assert collations == {"utf8mb4_nopad_bin"}
    storage = SqlStorage(engine)
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    assert len(core.directory.list(TENANT, DPO).items) == 3  # written before: none blocked
    core.privacy.block(TENANT, DPO, "c1", reason="accuracy_contested")
    assert [c.id for c in core.directory.list(TENANT, DPO).items] == ["c0", "c2"]

    with pytest.raises(RuntimeError, match="blocked"):  # older code would process it
        migrate(engine, "0009_privacy", down=True)
    assert core.customers.get(TENANT, DPO, "c1").blocked

    core.privacy.unblock(TENANT, DPO, "c1")
    migrate(engine, "0009_privacy", down=True)
    assert "customer_blocks" not in inspect(engine).get_table_names()
    migrate(engine, "head")
    assert len(core.directory.list(TENANT, DPO).items) == 3
    storage.engine.dispose()
