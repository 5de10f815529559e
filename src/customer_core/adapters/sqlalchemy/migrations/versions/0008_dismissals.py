"""Dismissals: the duplicate report remembers customers kept apart.

Revision ID: 0008_dismissals
Revises: 0007
Create Date: 2026-12-06

``dismissals`` holds each decision (who, when, why, and when it was undone);
``dismissal_members`` its customers, one row each, indexed by customer for
the visibility check. Both keys start with ``tenant_id``. Nothing existing is
rewritten, so downgrading drops the two tables (and the decisions in them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0008_dismissals"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 64
MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}


def _id() -> sa.String:
    return sa.String(ID)


def _datetime() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "dismissals",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("id", _id(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("actor_id", _id(), nullable=False),
        sa.Column("dismissed_at", _datetime(), nullable=False),
        sa.Column("undone_at", _datetime()),
        sa.Column("undone_by", _id()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dismissals"),
        **MYSQL,
    )
    op.create_table(
        "dismissal_members",
        sa.Column("tenant_id", _id(), nullable=False),
        sa.Column("dismissal_id", _id(), nullable=False),
        sa.Column("customer_id", _id(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "dismissal_id", "customer_id", name="pk_dismissal_members"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "dismissal_id"],
            ["dismissals.tenant_id", "dismissals.id"],
            name="fk_dismissal_members_tenant_id_dismissal_id_dismissals",
        ),
        **MYSQL,
    )
    op.create_index(
        "ix_dismissal_members_tenant_id_customer_id",
        "dismissal_members",
        ["tenant_id", "customer_id"],
    )


def downgrade() -> None:
    # Dropping a table drops its indexes (MariaDB needs the foreign key's until then).
    op.drop_table("dismissal_members")
    op.drop_table("dismissals")
