"""Decisions on the duplicate report: customers someone said are not duplicates.

A :class:`Dismissal` is a set of customers a person reviewed and kept apart,
with who decided, when and why. It covers every pair of its customers: the
duplicate report suggests none of those pairs again, and shows an exact
cluster only while some pair in it is not covered (a customer who joins the
cluster later brings it back). Undoing a dismissal keeps the record, marked
undone, so the decision and its reversal stay auditable.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
>>> d = Dismissal(id="d1", tenant_id="t", customer_ids=("b", "a"), reason="twins",
...               actor_id="u1", dismissed_at=at)
>>> d.customer_ids, d.kind.value
(('a', 'b'), 'not_duplicate')
>>> pairs = DismissedPairs([d])
>>> pairs.covers("b", "a"), pairs.covers("a", "c"), pairs.covers_all(("a", "b"))
(True, False, True)
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import combinations

import attrs

__all__ = [
    "MAX_DISMISSED",
    "MAX_REASON",
    "REASON_REMOVED",
    "Dismissal",
    "DismissalKind",
    "DismissedPairs",
]

#: The most customers one dismissal may name (a review is about a handful).
MAX_DISMISSED = 100
#: The longest reason kept, in characters.
MAX_REASON = 500
#: The reason a dismissal keeps once one of its customers is erased or
#: anonymized: the reviewer's words may have named that person.
REASON_REMOVED = "(reason removed: it may have named a customer erased or anonymized since)"


class DismissalKind(enum.Enum):
    """What the reviewer decided."""

    #: Different customers that merely look alike (twins, a father and son...).
    NOT_DUPLICATE = "not_duplicate"
    #: Different customers of one group: branches of one company (one CNPJ root).
    SAME_GROUP = "same_group"


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids)))


@attrs.frozen(kw_only=True)
class Dismissal:
    """Customers kept apart by a person's decision; ``undone_at`` once reversed."""

    id: str
    tenant_id: str
    #: Sorted and unique, so that a set given in any order is stored one way.
    customer_ids: tuple[str, ...] = attrs.field(converter=_sorted_ids)
    reason: str
    actor_id: str
    dismissed_at: datetime
    kind: DismissalKind = DismissalKind.NOT_DUPLICATE
    undone_at: datetime | None = None
    undone_by: str | None = None

    @property
    def in_force(self) -> bool:
        return self.undone_at is None

    def without(self, customer_id: str, /) -> Dismissal | None:
        """The decision once ``customer_id``'s data is gone (an erasure, an anonymization).

        The others stay kept apart: the decision about them still holds.
        Its reason goes (:data:`REASON_REMOVED`): it may name the person.
        ``None`` when fewer than two customers would be left (a decision
        about one customer decides nothing).

        >>> from datetime import timezone
        >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> d = Dismissal(id="d1", tenant_id="t", customer_ids=("a", "b", "c"),
        ...               reason="Ana, Bia and Carla are sisters", actor_id="u1", dismissed_at=at)
        >>> d.without("a").customer_ids, d.without("a").reason == REASON_REMOVED
        (('b', 'c'), True)
        >>> d.without("a").without("b") is None
        True
        """
        left = tuple(c for c in self.customer_ids if c != customer_id)
        if len(left) < 2:
            return None
        return attrs.evolve(self, customer_ids=left, reason=REASON_REMOVED)


class DismissedPairs:
    """Which pairs of customers the dismissals in force keep apart.

    Indexed by customer, so checking a pair costs the few dismissals of one
    of its customers, not a scan of all of them.
    """

    __slots__ = ("_of",)

    def __init__(self, dismissals: Iterable[Dismissal], /) -> None:
        self._of: dict[str, set[str]] = defaultdict(set)
        for dismissal in dismissals:
            if dismissal.in_force:
                for customer_id in dismissal.customer_ids:
                    self._of[customer_id].add(dismissal.id)

    def __bool__(self) -> bool:
        return bool(self._of)

    def covers(self, a: str, b: str, /) -> bool:
        """Whether one dismissal in force names both ``a`` and ``b``."""
        first, second = self._of.get(a), self._of.get(b)
        return first is not None and second is not None and not first.isdisjoint(second)

    def covers_all(self, ids: Sequence[str], /) -> bool:
        """Whether every pair of ``ids`` is covered: nothing left to review among them."""
        if not all(i in self._of for i in ids):
            return False
        return all(self.covers(a, b) for a, b in combinations(ids, 2))
