"""MariaDB: ids and keys compare without padding (``utf8mb4_nopad_bin``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

MariaDB's ``utf8mb4_bin`` is a ``PAD SPACE`` collation: trailing spaces are
ignored when comparing, so ``'loja' = 'loja '`` is true, and a tenant or id
with a trailing space read another's rows (and a key with one collided with
its neighbour in a unique index). ``utf8mb4_nopad_bin`` compares every
character, as PostgreSQL, SQLite and Python do. Every table of the library is
converted, with its text columns; other dialects are untouched.

The table and foreign key lists are frozen here (a migration never follows
the live schema). MariaDB refuses to change the collation of a column that a
foreign key uses (error 1833, even with foreign key checks off), so the two
foreign keys are dropped, the tables converted, and the keys created again.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "customers",
    "customer_identities",
    "portfolios",
    "portfolio_members",
    "outbox",
    "identity_lists",
    "merges",
    "duplicate_hints",
)


#: (name, table, columns, referred table, referred columns)
FOREIGN_KEYS = (
    (
        "fk_customer_identities_tenant_id_customer_id_customers",
        "customer_identities",
        ["tenant_id", "customer_id"],
        "customers",
        ["tenant_id", "id"],
    ),
    (
        "fk_portfolio_members_tenant_id_portfolio_id_portfolios",
        "portfolio_members",
        ["tenant_id", "portfolio_id"],
        "portfolios",
        ["tenant_id", "id"],
    ),
)


def _convert(collation: str) -> None:
    if op.get_bind().dialect.name not in ("mysql", "mariadb"):
        return
    for name, table, _, _, _ in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_="foreignkey")
    for table in TABLES:
        op.execute(f"ALTER TABLE `{table}` CONVERT TO CHARACTER SET utf8mb4 COLLATE {collation}")
    for name, table, columns, referred, referred_columns in FOREIGN_KEYS:
        op.create_foreign_key(name, table, referred, columns, referred_columns)


def upgrade() -> None:
    _convert("utf8mb4_nopad_bin")


def downgrade() -> None:
    _convert("utf8mb4_bin")
