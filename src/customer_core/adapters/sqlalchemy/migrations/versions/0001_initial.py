"""The initial schema: customers, identity index, portfolios, outbox, lists, merges, hints.

Revision ID: 0001
Revises:
Create Date: 2026-05-04

Hand-written: types and constraint names are spelled out here rather than
imported from tables.py, so that this revision never changes when the tables
do. Every key and index starts with tenant_id (tenant sharding).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID, KEY, NAME, SEARCH_NAME = 64, 255, 200, 512
MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def _id() -> sa.String:
    return sa.String(ID)


def _sortable(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


def _datetime() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("id", _sortable(ID), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("search_name", _sortable(SEARCH_NAME), nullable=False),
        sa.Column("trade_name", sa.String(NAME)),
        sa.Column("tax_id", sa.String(14)),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("relationship_type", sa.String(16), nullable=False),
        sa.Column("portfolio_id", _id()),
        sa.Column("responsible_id", _id()),
        sa.Column("is_spammer", sa.Boolean(), nullable=False),
        sa.Column("is_vip", sa.Boolean(), nullable=False),
        sa.Column("first_purchase_at", _datetime()),
        sa.Column("last_contacted_at", _datetime()),
        sa.Column("created_at", _datetime(), nullable=False),
        sa.Column("updated_at", _datetime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", _json(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_customers"),
        **MYSQL,
    )
    for column in ("search_name", "portfolio_id", "responsible_id", "status", "relationship_type"):
        op.create_index(f"ix_customers_tenant_id_{column}", "customers", ["tenant_id", column])

    op.create_table(
        "customer_identities",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(KEY), nullable=False),
        sa.Column("customer_id", _id(), nullable=False),
        # One customer per identity key and tenant: the uniqueness guarantee.
        sa.PrimaryKeyConstraint("tenant_id", "kind", "key", name="pk_customer_identities"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name="fk_customer_identities_tenant_id_customer_id_customers",
        ),
        **MYSQL,
    )
    # MariaDB indexes the foreign key on its own until this index exists,
    # then drops its implicit one: the schema ends up with this index only.
    op.create_index(
        "ix_customer_identities_tenant_id_customer_id",
        "customer_identities",
        ["tenant_id", "customer_id"],
    )

    op.create_table(
        "portfolios",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("owner_id", _id()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_portfolios"),
        **MYSQL,
    )
    op.create_table(
        "portfolio_members",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("portfolio_id", _id(), nullable=False),
        sa.Column("user_id", _id(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "portfolio_id", "user_id", name="pk_portfolio_members"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "portfolio_id"],
            ["portfolios.tenant_id", "portfolios.id"],
            name="fk_portfolio_members_tenant_id_portfolio_id_portfolios",
        ),
        **MYSQL,
    )
    op.create_index(
        "ix_portfolio_members_tenant_id_user_id", "portfolio_members", ["tenant_id", "user_id"]
    )

    op.create_table(
        "outbox",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("customer_id", _id()),
        sa.Column("actor_id", _id()),
        sa.Column("occurred_at", _datetime(), nullable=False),
        sa.Column("data", _json(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_outbox"),
        **MYSQL,
    )

    op.create_table(
        "identity_lists",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(KEY), nullable=False),
        sa.Column("customer_id", _id()),
        sa.PrimaryKeyConstraint("tenant_id", "list_name", "kind", "key", name="pk_identity_lists"),
        **MYSQL,
    )
    op.create_table(
        "merges",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("id", _id(), nullable=False),
        sa.Column("survivor_id", _id(), nullable=False),
        sa.Column("absorbed_id", _id(), nullable=False),
        sa.Column("survivor_before", _json(), nullable=False),
        sa.Column("absorbed_before", _json(), nullable=False),
        sa.Column("merged_version", sa.Integer(), nullable=False),
        sa.Column("actor_id", _id(), nullable=False),
        sa.Column("merged_at", _datetime(), nullable=False),
        sa.Column("undone_at", _datetime()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_merges"),
        **MYSQL,
    )
    op.create_table(
        "duplicate_hints",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("lower_id", _id(), nullable=False),
        sa.Column("upper_id", _id(), nullable=False),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("customer_id", _id(), nullable=False),
        sa.Column("other_id", _id(), nullable=False),
        sa.Column("noted_at", _datetime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "lower_id", "upper_id", "reason", name="pk_duplicate_hints"
        ),
        **MYSQL,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; dropping them first would fail on
    # MariaDB, which needs the index of a foreign key while the key exists.
    for table in (
        "duplicate_hints",
        "merges",
        "identity_lists",
        "outbox",
        "portfolio_members",
        "portfolios",
        "customer_identities",
        "customers",
    ):
        op.drop_table(table)
