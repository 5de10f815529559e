"""LGPD: the audit log and consents.

Revision ID: 0009_privacy
Revises: 0008_dismissals
Create Date: 2026-12-06

- ``audit_log`` ``(tenant_id, id)``: who (actor id) did what (action) to
  which customer (id) and when, with details that are counts, ids and field
  names, never personal data; indexed by ``(tenant_id, customer_id, at)``
  for a data subject's export.
- ``consents`` ``(tenant_id, id)``: one row per grant of consent for a
  purpose, with its legal basis, source and evidence, and its revocation;
  indexed by ``(tenant_id, customer_id, purpose)``.

The tables are written out here, not imported from the live schema. On
MariaDB every text column is ``utf8mb4_nopad_bin``, as since 0006.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision: str = "0009_privacy"
down_revision: str | None = "0008_dismissals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}


def _time() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _document() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64)),
        sa.Column("details", _document(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_audit_log"),
        **_MYSQL,
    )
    op.create_index(
        "ix_audit_log_tenant_id_customer_id_at", "audit_log", ["tenant_id", "customer_id", "at"]
    )
    op.create_table(
        "consents",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("legal_basis", sa.String(32), nullable=False),
        sa.Column("granted_at", _time(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("revoked_at", _time()),
        sa.Column("revocation_source", sa.String(200)),
        sa.Column("revocation_evidence", sa.Text()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_consents"),
        **_MYSQL,
    )
    op.create_index(
        "ix_consents_tenant_id_customer_id_purpose",
        "consents",
        ["tenant_id", "customer_id", "purpose"],
    )
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        # MariaDB gives a JSON column utf8mb4_bin (PAD SPACE) whatever the
        # table says; converting the table brings it to no-pad, as 0006 did.
        op.execute(
            "ALTER TABLE `audit_log` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
        )


def downgrade() -> None:
    op.drop_index("ix_consents_tenant_id_customer_id_purpose", table_name="consents")
    op.drop_table("consents")
    op.drop_index("ix_audit_log_tenant_id_customer_id_at", table_name="audit_log")
    op.drop_table("audit_log")
