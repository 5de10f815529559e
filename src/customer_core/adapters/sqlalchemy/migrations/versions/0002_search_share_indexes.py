"""Portfolio and responsible-seller indexes carry the search key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

A seller's search reads the customers of a few portfolios through
``(tenant_id, portfolio_id)`` and ``(tenant_id, responsible_id)``. With the
search key in those indexes, the name conditions are checked on the index
entries and only the matching customers' rows are read (SQLite defers the
row lookup until the index columns have passed). The new indexes start with
the old ones' columns, so they also serve every query and foreign key the
old ones served; the old ones are dropped after the new ones exist (MariaDB
refuses to drop the index a foreign key uses while it is the only one).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARES = ("portfolio_id", "responsible_id")


def upgrade() -> None:
    for column in SHARES:
        op.create_index(
            f"ix_customers_tenant_id_{column}_search_name",
            "customers",
            ["tenant_id", column, "search_name"],
        )
        op.drop_index(f"ix_customers_tenant_id_{column}", table_name="customers")


def downgrade() -> None:
    for column in SHARES:
        op.create_index(f"ix_customers_tenant_id_{column}", "customers", ["tenant_id", column])
        op.drop_index(f"ix_customers_tenant_id_{column}_search_name", table_name="customers")
