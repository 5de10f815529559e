"""Merges keep the survivor as merged: a nullable ``survivor_after`` document.

Revision ID: 0013_merge_survivor_after
Revises: 0012_clustered_identities
Create Date: 2026-12-07

A merge record held both records as they were before the merge
(``survivor_before``, ``absorbed_before``), not the result, so unmerge could
not tell a value the merge put on the survivor from one set after it: a note
the survivor cleared after the merge came back, and an identifier the merge
dropped from the survivor (``drop``) did not. ``survivor_after`` holds the
survivor as the merge saved it (JSON, ``jsonb`` on PostgreSQL, like the other
two; on MariaDB the table is converted to the no-pad collation again, as
0009 did for ``audit_log``). Rows written before this revision keep ``NULL`` and unmerge by the
older rule. It holds the absorbed person's data too, and goes with its row
when either customer is erased or anonymized, like the other snapshots.

The downgrade drops the column, and with it what it held: merges recorded
meanwhile unmerge by the older rule afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_merge_survivor_after"
down_revision: str | None = "0012_clustered_identities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE, _COLUMN = "merges", "survivor_after"


def _document() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _has_column() -> bool:
    return any(c["name"] == _COLUMN for c in sa.inspect(op.get_bind()).get_columns(_TABLE))


def upgrade() -> None:
    op.add_column(_TABLE, sa.Column(_COLUMN, _document(), nullable=True))
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        # MariaDB gives a JSON column utf8mb4_bin (PAD SPACE) whatever the table
        # says; converting the table brings it to no-pad, as 0006 and 0009 did.
        op.execute(
            f"ALTER TABLE `{_TABLE}` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
        )


def downgrade() -> None:
    # MariaDB commits DDL at once: a downgrade refused further down (0010 while a
    # customer is blocked) has dropped the column already and is tried again later.
    if _has_column():
        with op.batch_alter_table(_TABLE) as batch:
            batch.drop_column(_COLUMN)
