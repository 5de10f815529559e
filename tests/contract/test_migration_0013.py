"""Migration 0013 (merges keep the survivor as merged) from a populated 0012 database,
up, down and up again, on SQLite, PostgreSQL and MariaDB: every row is kept, and a merge
recorded before it unmerges by the older rule."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import attrs
from migration_helpers import migrate
from sqlalchemy import Engine, insert, inspect, select, text

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.mapping import merge_row
from customer_core.adapters.sqlalchemy.tables import merges
from customer_core.domain.matching.merge import merge_customers
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.records import MergeRecord
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone

NOW = datetime(2026, 12, 7, tzinfo=timezone.utc)
TENANT = "loja"
ADMIN = Actor(tenant_id=TENANT, user_id="admin", role="admin")
# The columns merges had at 0012, in order.
OLD_COLUMNS = [c for c in merges.c if c.name != "survivor_after"]


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


def _old_merge(engine: Engine, write_old_rows: Any) -> None:
    """A merge of b into a made at 0012, then a's note cleared: rows as 0012 wrote them."""
    ana = Customer.create(
        id="a",
        tenant_id=TENANT,
        name="Ana Lima",
        now=NOW,
        note="prefere WhatsApp",
        phones=(Phone.parse("11 98765-4321"),),
    )
    ana2 = Customer.create(
        id="b", tenant_id=TENANT, name="Ana Lima", now=NOW, emails=(Email.parse("ana@x.com"),)
    )
    merged = merge_customers(ana, ana2, policy=presets.OMNICHANNEL.contact)
    survivor = attrs.evolve(merged, note=None, version=3)  # version 2 merged, 3 cleared the note
    people = [*_people(40), survivor]
    write_old_rows(
        engine,
        people,
        [(TENANT, k.kind.value, k.key, c.id) for c in people for k in c.identity_keys()],
    )
    record = MergeRecord(
        id="m1",
        tenant_id=TENANT,
        survivor_id="a",
        absorbed_id="b",
        survivor_before=ana,
        absorbed_before=ana2,
        merged_version=2,
        actor_id="admin",
        merged_at=NOW,
    )
    row = merge_row(record)
    del row["survivor_after"]  # not a column yet
    with engine.begin() as connection:
        connection.execute(insert(merges), row)


def _old_contents(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(select(*OLD_COLUMNS).order_by(merges.c.id))
        return [tuple(row) for row in rows]


def _survivors_after(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.scalars(select(merges.c.survivor_after).order_by(merges.c.id)).all())


def _columns(engine: Engine) -> dict[str, bool]:
    return {c["name"]: c["nullable"] for c in inspect(engine).get_columns("merges")}


def test_0013_keeps_every_merge_and_an_old_merge_unmerges_by_the_old_rule(
    database_at_0012: Engine, write_old_rows: Any
) -> None:
    engine = database_at_0012
    _old_merge(engine, write_old_rows)
    before = _old_contents(engine)
    assert "survivor_after" not in _columns(engine)

    migrate(engine, "head")

    assert _columns(engine)["survivor_after"] is True  # nullable
    if engine.dialect.name == "mariadb":  # compared without padding, as every column
        with engine.connect() as connection:
            collation = connection.scalar(
                text(
                    "SELECT collation_name FROM information_schema.columns WHERE"
                    " table_schema = DATABASE() AND table_name = 'merges'"
                    " AND column_name = 'survivor_after'"
                )
            )
        assert collation == "utf8mb4_nopad_bin"
    assert _old_contents(engine) == before
    assert _survivors_after(engine) == [None]
    storage = SqlStorage(engine)
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    with storage() as uow:
        assert uow.merges.get(TENANT, "m1").survivor_after is None
    survivor, restored = core.identity.unmerge(TENANT, ADMIN, "m1")
    # The older rule: a field the absorbed record lacked, cleared after the merge, comes back.
    assert (survivor.note, restored.note) == ("prefere WhatsApp", None)
    assert ([str(e) for e in survivor.emails], [str(e) for e in restored.emails]) == (
        [],
        ["ana@x.com"],
    )
    # A merge made now keeps the survivor as merged, and its unmerge knows what it dropped.
    merge = core.identity.merge(TENANT, ADMIN, "a", "b", drop=["11 98765-4321"])
    with storage() as uow:
        assert uow.merges.get(TENANT, merge.id).survivor_after == core.customers.get(
            TENANT, ADMIN, "a"
        )
    merged_rows = _old_contents(engine)
    assert len(merged_rows) == 2

    migrate(engine, "0012_clustered_identities", down=True)

    assert "survivor_after" not in _columns(engine)
    assert _old_contents(engine) == merged_rows
    migrate(engine, "head")
    assert _old_contents(engine) == merged_rows
    assert _survivors_after(engine) == [None, None]
    # What the downgrade dropped is gone: this merge now unmerges by the older rule too.
    survivor, restored = core.identity.unmerge(TENANT, ADMIN, merge.id)
    assert [p.national for p in survivor.phones] == []
    assert [str(e) for e in restored.emails] == ["ana@x.com"]
    storage.engine.dispose()
