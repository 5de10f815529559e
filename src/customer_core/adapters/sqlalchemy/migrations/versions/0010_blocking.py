"""LGPD blocking (Art. 18 IV): the blocked customers, for querying.

Revision ID: 0010_blocking
Revises: 0009_privacy
Create Date: 2026-12-06

- ``customer_blocks`` ``(tenant_id, customer_id)``: one row per blocked
  customer, with when it was blocked. The customer's document says so too
  (``blocked_at``, ``blocked_reason``); this table lets lists, searches,
  exports and the duplicate report leave blocked customers out with a
  primary-key probe (``NOT EXISTS``), so the name indexes' pages stay
  index-only; ``customer_id`` has the collation of ``customers.id``
  (``"C"`` on PostgreSQL), or the probe could not use the key. No customer
  is blocked before this revision: nothing to copy.

Downgrading drops the table; it is refused while a customer is blocked (the
older code would process a record whose processing is suspended): unblock,
anonymize or erase it first.

The table is written out here, not imported from the live schema. On
MariaDB every text column is ``utf8mb4_nopad_bin``, as since 0006.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision: str = "0010_blocking"
down_revision: str | None = "0009_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}


def _time() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _code_point(length: int) -> sa.types.TypeEngine[str]:
    """As ``customers.id``: ``COLLATE "C"`` on PostgreSQL. The NOT EXISTS compares the
    two, and a column of another collation could not be probed by its index."""
    return sa.String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "customer_blocks",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", _code_point(64), nullable=False),
        sa.Column("blocked_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "customer_id", name="pk_customer_blocks"),
        **_MYSQL,
    )


def downgrade() -> None:
    blocked = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM customer_blocks")).scalar()
    if blocked:
        raise RuntimeError(
            f"{blocked} customer(s) are blocked: unblock, anonymize or erase them "
            "before downgrading below 0010_blocking"
        )
    op.drop_table("customer_blocks")
