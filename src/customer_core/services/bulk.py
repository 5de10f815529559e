"""What a bulk action on customers returns, and the checks of its selection.

A bulk action (transfer, remove from a portfolio, delete, start conversations)
takes up to :data:`MAX_BULK` customer ids, acts on those the actor sees and
says which it did, which it could not see and which are blocked
(:class:`BulkResult`); a blocked customer is told only to whom sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import overload

import attrs

from customer_core.domain.model.records import Assignment
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.domain.values.ids import check_id
from customer_core.errors import Code, InvalidValue, NotFound, RuleViolation
from customer_core.ports import ConversationStarter, UnitOfWork

__all__ = [
    "MAX_BULK",
    "BulkResult",
    "bulk_ids",
    "check_conversation_request",
    "id_list",
    "optional_id",
    "sees",
    "visible_blocked",
]

MAX_BULK = 10_000


@attrs.frozen
class BulkResult(Sequence[Assignment]):
    """What a bulk action did to each requested customer.

    It is the sequence of :class:`~customer_core.domain.model.records.Assignment` (from, to)
    of the customers that changed; ``outcomes`` maps every requested id to
    ``"done"`` or ``"not_visible"`` (missing and invisible are the same, so
    existence is never confirmed), ``"blocked"`` (a visible customer whose
    processing is suspended, LGPD Art. 18 IV: left as it is), or for a bulk
    conversation ``"no_consent"``.
    """

    assignments: tuple[Assignment, ...]
    outcomes: Mapping[str, str]

    @classmethod
    def of(cls, requested: Iterable[str], done: Sequence[Assignment] | Sequence[str]) -> BulkResult:
        done_ids = {d if isinstance(d, str) else d.customer_id for d in done}
        assignments = tuple(d for d in done if isinstance(d, Assignment))
        outcomes = {cid: "done" if cid in done_ids else "not_visible" for cid in requested}
        return cls(assignments, outcomes)

    @property
    def done(self) -> list[str]:
        return [cid for cid, outcome in self.outcomes.items() if outcome == "done"]

    def with_blocked(self, blocked: Iterable[str]) -> BulkResult:
        """This result with ``blocked`` (requested, left alone) reported as such."""
        marked = {cid: "blocked" for cid in blocked if cid in self.outcomes}
        return attrs.evolve(self, outcomes={**self.outcomes, **marked})

    @property
    def not_visible(self) -> list[str]:
        return [cid for cid, outcome in self.outcomes.items() if outcome == "not_visible"]

    def __len__(self) -> int:
        return len(self.assignments)

    @overload
    def __getitem__(self, index: int) -> Assignment: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Assignment]: ...

    def __getitem__(self, index: int | slice) -> Assignment | Sequence[Assignment]:
        return self.assignments[index]


def sees(uow: UnitOfWork, scope: VisibilityScope, customer_id: str) -> bool:
    try:
        uow.customers.get_visible(scope, customer_id)
    except NotFound:
        return False
    return True


def visible_blocked(uow: UnitOfWork, scope: VisibilityScope, ids: list[str]) -> frozenset[str]:
    """The blocked ones among ``ids`` that ``scope`` sees: reported, never moved or deleted.

    An invisible one stays ``not_visible``: being blocked is not told to who cannot see it.
    """
    blocked = uow.customers.blocked_among(scope.tenant_id, ids)
    return frozenset(cid for cid in blocked if sees(uow, scope, cid))


def id_list(values: Iterable[str], field: str) -> list[str]:
    """Distinct ids from a list of text (a lone string is not a list of ids)."""
    try:
        ids = None if isinstance(values, str) else list(dict.fromkeys(values))
    except TypeError:  # not iterable, or unhashable items
        ids = None
    if ids is None or not all(isinstance(i, str) and i for i in ids):
        raise InvalidValue("expected a list of ids", code=Code.INVALID_VALUE, field=field)
    return [check_id(i, field) for i in ids]


def optional_id(value: str | None, field: str) -> str | None:
    return None if value is None else check_id(value, field)


def bulk_ids(customer_ids: Iterable[str]) -> list[str]:
    ids = id_list(customer_ids, "customer_ids")
    if not ids or len(ids) > MAX_BULK:
        raise InvalidValue(
            f"select 1 to {MAX_BULK} customers", code=Code.INVALID_VALUE, field="customer_ids"
        )
    return ids


def check_conversation_request(
    starter: ConversationStarter,
    template: str,
    customer_ids: Iterable[str],
    *,
    limit: int,
    require_consent: bool,
) -> list[str]:
    """The ids of a bulk conversation, once its starter, template and size are checked."""
    if not callable(getattr(starter, "start", None)):
        raise InvalidValue(
            "starter is a ConversationStarter (an object with start())",
            code=Code.INVALID_VALUE,
            field="starter",
        )
    if not isinstance(template, str) or not template.strip():
        raise InvalidValue(
            "the template is required text", code=Code.INVALID_VALUE, field="template"
        )
    ids = bulk_ids(customer_ids)
    if len(ids) > limit:
        raise RuleViolation(
            f"at most {limit} customers per bulk conversation",
            code=Code.RULE_VIOLATION,
            field="customer_ids",
            limit=limit,
        )
    if not isinstance(require_consent, bool):
        raise InvalidValue(
            "require_consent is True or False", code=Code.INVALID_VALUE, field="require_consent"
        )
    return ids
