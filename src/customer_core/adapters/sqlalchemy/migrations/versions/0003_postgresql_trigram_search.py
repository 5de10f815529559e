"""PostgreSQL: a trigram index on the search key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

"Every word of the text starts a word of the name" is ``LIKE '%word%'``,
which no B-tree can seek. On PostgreSQL a GIN index with ``pg_trgm``'s
operator class answers it, and the planner combines it with the portfolio
indexes, so a seller's search reads only the matching rows and an admin's
search for a rare surname does not read the whole tenant. ``btree_gin`` lets
the index start with ``tenant_id``, like every index here.

Both extensions ship with PostgreSQL and are *trusted* (PostgreSQL 13+): a
database owner may create them. When neither they exist nor may be
created, the index is left out and search works as on the other databases,
only slower; the revision says so in a warning. Other databases: nothing to
do (SQLite and MariaDB check the name words on the B-tree index entries).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_customers_tenant_id_search_name_trgm"
EXTENSIONS = ("pg_trgm", "btree_gin")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    if op.get_context().as_sql:  # a script for a DBA: create them, in public
        for name in EXTENSIONS:
            op.execute(f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public")
        op.execute(f"CREATE INDEX {INDEX} ON customers USING gin {_columns('public')}")
        return
    bind = op.get_bind()
    schemas = {name: _extension_schema(bind, name) for name in EXTENSIONS}
    if None in schemas.values():
        warnings.warn(
            "pg_trgm/btree_gin are not installed and may not be created here: "
            "search works without the trigram index, only slower",
            stacklevel=1,
        )
        return
    op.execute(f"CREATE INDEX {INDEX} ON customers USING gin {_columns(schemas['pg_trgm'] or '')}")


def _columns(trgm_schema: str) -> str:
    quoted = trgm_schema.replace('"', '""')
    return f'(tenant_id, search_name "{quoted}".gin_trgm_ops)'


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")


def _extension_schema(bind: sa.Connection, name: str) -> str | None:
    """The schema ``name`` lives in, creating it in ``public`` if it is missing.

    In ``public`` rather than the current schema: an extension is one per
    database, and dropping the schema it lives in drops every index that
    uses it, in every schema.
    """
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = :name"
    )
    found = bind.execute(query, {"name": name}).scalar()
    if found is None:
        try:
            with bind.begin_nested():
                bind.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public"))
        except sa.exc.DBAPIError:
            pass  # not allowed here, or created by someone else meanwhile: look again
        found = bind.execute(query, {"name": name}).scalar()
    return None if found is None else str(found)
