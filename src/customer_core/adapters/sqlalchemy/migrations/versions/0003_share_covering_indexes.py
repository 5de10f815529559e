"""A seller's share is searched on index entries alone; portfolios by owner.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

The portfolio and responsible-seller indexes of migration 0002 end with the
customer id: ``(tenant_id, portfolio_id | responsible_id, search_name, id)``.
A search over a seller's share first picks ids and search keys from these
entries (on PostgreSQL an index-only scan, on SQLite a covering index) and
reads only the page's rows; before, PostgreSQL read every row of the share,
each with its JSON document, to check the name words. InnoDB already keeps the
primary key in every secondary index, so on MariaDB the new ones hold the same
entries. Created before the old ones are dropped, as in 0002.

``(tenant_id, owner_id)`` on portfolios: the portfolios a user owns are looked
up for every request of a restricted actor (the visibility scope) and for the
"my portfolio" filter.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARES = ("portfolio_id", "responsible_id")


def upgrade() -> None:
    for column in SHARES:
        op.create_index(
            f"ix_customers_tenant_id_{column}_search_name_id",
            "customers",
            ["tenant_id", column, "search_name", "id"],
        )
        op.drop_index(f"ix_customers_tenant_id_{column}_search_name", table_name="customers")
    op.create_index("ix_portfolios_tenant_id_owner_id", "portfolios", ["tenant_id", "owner_id"])


def downgrade() -> None:
    op.drop_index("ix_portfolios_tenant_id_owner_id", table_name="portfolios")
    for column in SHARES:
        op.create_index(
            f"ix_customers_tenant_id_{column}_search_name",
            "customers",
            ["tenant_id", column, "search_name"],
        )
        op.drop_index(f"ix_customers_tenant_id_{column}_search_name_id", table_name="customers")
