"""Audit records the services write and the storage keeps: moves, merges, conflicts."""

from __future__ import annotations

from datetime import datetime

import attrs

from customer_core.domain.model.customer import Customer
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.phone_lines import details_not_kept

__all__ = ["Assignment", "DuplicateHint", "MergeRecord"]


@attrs.frozen
class Assignment:
    """One customer moved by a bulk transfer or removal: from where, to where."""

    customer_id: str
    from_portfolio_id: str | None
    to_portfolio_id: str | None
    from_responsible_id: str | None
    to_responsible_id: str | None


@attrs.frozen(kw_only=True)
class MergeRecord:
    """The audit entry of a merge: both records as they were, so it can be undone.

    ``survivor_after`` is the survivor as the merge saved it, so unmerge can
    tell what the merge put in (or left out) from what changed since. Merges
    recorded before it was kept (migration 0013) have ``None``.
    """

    id: str
    tenant_id: str
    survivor_id: str
    absorbed_id: str
    survivor_before: Customer
    absorbed_before: Customer
    merged_version: int
    actor_id: str
    merged_at: datetime
    undone_at: datetime | None = None
    survivor_after: Customer | None = None

    @property
    def phones_not_kept(self) -> tuple[Phone, ...]:
        """The absorbed record's phones whose line the survivor kept without their
        extension or type: two extensions of one line (the survivor's stays), or
        a type the preset does not allow. Reported, since the merge keeps one
        phone per line; the record keeps them (an unmerge gives them back).
        """
        after = self.survivor_after
        if after is None:  # merges recorded before migration 0013: not known
            return ()
        kept = {p.match_key: p for p in after.phones}
        return tuple(
            p
            for p in self.absorbed_before.phones
            if p.match_key in kept and details_not_kept(kept[p.match_key], p)
        )


@attrs.frozen(kw_only=True)
class DuplicateHint:
    """Two customers that an inbound message tied together (a conflict to review)."""

    tenant_id: str
    customer_id: str
    other_id: str
    reason: str
    noted_at: datetime
