"""The ``customer_blocks`` rows: the query copy of the documents' ``blocked_at``.

A customer's document says whether it is blocked (LGPD Art. 18 IV); the
row lets lists and searches leave blocked customers out with a primary-key
probe (:func:`.queries.unblocked`). The repository keeps the two in step
when it saves (:func:`sync_blocks`, told by :func:`blocked_among` which
customers had a row, read with the versions it locks anyway) and deletes
the row with the customer (:func:`forget_blocks`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert

from customer_core.adapters.sqlalchemy.errors import Writes
from customer_core.adapters.sqlalchemy.queries import chunks
from customer_core.adapters.sqlalchemy.tables import customer_blocks, customers
from customer_core.domain.model.customer import Customer

__all__ = ["blocked_among", "forget_blocks", "sync_blocks"]

b = customer_blocks.c


def blocked_among() -> ColumnElement[bool]:
    """Whether the ``customers`` row of the statement has a block row (a selectable column)."""
    return (
        exists()
        .where(b.tenant_id == customers.c.tenant_id, b.customer_id == customers.c.id)
        .label("blocked")
    )


def sync_blocks(
    writes: Writes, tenant_id: str, saved: Sequence[Customer], had_row: Collection[str]
) -> None:
    """Make the block rows of ``saved`` follow their documents; ``had_row``: ids that had one."""
    gone = sorted(c.id for c in saved if c.blocked_at is None and c.id in had_row)
    came: dict[str, dict[str, Any]] = {
        c.id: {"tenant_id": tenant_id, "customer_id": c.id, "blocked_at": c.blocked_at}
        for c in saved
        if c.blocked_at is not None and c.id not in had_row
    }
    forget_blocks(writes, tenant_id, gone)
    if came:
        writes.execute(insert(customer_blocks), list(came.values()))


def forget_blocks(writes: Writes, tenant_id: str, customer_ids: Sequence[str]) -> None:
    """Delete the block rows of ``customer_ids`` (saved unblocked, or deleted)."""
    for chunk in chunks(list(customer_ids)):
        writes.execute(
            delete(customer_blocks).where(b.tenant_id == tenant_id, b.customer_id.in_(chunk))
        )
