"""Duplicate hints found from either side: an index on ``(tenant_id, upper_id)``.

Revision ID: 0011_hint_sides
Revises: 0010_blocking
Create Date: 2026-12-06

A pair of customers an inbound message tied together is keyed
``(tenant_id, lower_id, upper_id, reason)``: its lower id is the key's
prefix, its upper id had no index, so a data subject's export (the hints
about one customer) and an erasure (forgetting them) read the tenant's whole
range of hints for that side. This index makes both sides a range probe.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_hint_sides"
down_revision: str | None = "0010_blocking"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_duplicate_hints_tenant_id_upper_id"


def upgrade() -> None:
    op.create_index(_INDEX, "duplicate_hints", ["tenant_id", "upper_id"])


def downgrade() -> None:
    # MariaDB commits DDL at once: a downgrade refused further down (0010 while a
    # customer is blocked) has dropped the index already and is tried again later.
    op.drop_index(_INDEX, table_name="duplicate_hints", if_exists=True)
