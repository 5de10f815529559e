"""Whether a seller's own customers lie outside the seller's portfolios, in a few seeks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

``(tenant_id, responsible_id, search_name, id)`` becomes ``(tenant_id,
responsible_id, portfolio_id, search_name, id)``. A seller sees the customers
of its portfolios and those it is responsible for; when every one of the
latter is in one of those portfolios (the usual case), a search needs only
the portfolio part of the share. The new order answers "is any of my
customers outside my portfolios?" with one seek per gap between the
portfolio ids (:func:`.queries.responsible_outside`) instead of reading all of
them. The responsible part, when it is needed, still reads only index
entries. Created before the old index is dropped, as in 0002-0004.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "ix_customers_tenant_id_responsible_id_search_name_id"
NEW = "ix_customers_tenant_responsible_portfolio_name_id"


def upgrade() -> None:
    op.create_index(
        NEW, "customers", ["tenant_id", "responsible_id", "portfolio_id", "search_name", "id"]
    )
    op.drop_index(OLD, table_name="customers")


def downgrade() -> None:
    op.create_index(OLD, "customers", ["tenant_id", "responsible_id", "search_name", "id"])
    op.drop_index(NEW, table_name="customers")
