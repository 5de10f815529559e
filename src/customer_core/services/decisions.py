"""Decisions on the duplicate report: dismiss customers as not duplicates, undo, list.

A reviewer who looked at a suggestion or a cluster and found different
customers (twins, a father and son, two branches of one company) records a
:class:`~customer_core.domain.model.dismissals.Dismissal`; the report then
stops showing them together. :class:`DuplicateDecisions` is a part of
:class:`~customer_core.services.IdentityService`, which offers (and
documents) its methods; :func:`without_dismissed` is the filter the report
applies.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from customer_core.domain.matching.records import Cluster, Suggestion
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.model.dismissals import (
    MAX_DISMISSED,
    MAX_REASON,
    Dismissal,
    DismissalKind,
    DismissedPairs,
)
from customer_core.domain.rules.visibility import Action, check_action
from customer_core.domain.values.tax_id import Cnpj
from customer_core.errors import Code, InvalidOperation, InvalidValue, NotFound
from customer_core.services.base import Dependencies

__all__ = ["DuplicateDecisions", "without_dismissed"]


def without_dismissed(
    pairs: DismissedPairs, clusters: Sequence[Cluster], suggestions: Sequence[Suggestion]
) -> tuple[tuple[Cluster, ...], tuple[Suggestion, ...]]:
    """The clusters with a pair left to review, and the suggestions not dismissed."""
    if not pairs:
        return tuple(clusters), tuple(suggestions)
    return (
        tuple(c for c in clusters if not pairs.covers_all(c.ids)),
        tuple(s for s in suggestions if not pairs.covers(*s.ids)),
    )


def _kind(kind: DismissalKind | str) -> DismissalKind:
    try:
        return DismissalKind(kind)
    except ValueError:
        raise InvalidValue(
            f"the kind is one of {', '.join(k.value for k in DismissalKind)}, got {kind!r}",
            code=Code.INVALID_VALUE,
            field="kind",
        ) from None


def _reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidValue(
            "say why these customers are not duplicates", code=Code.INVALID_VALUE, field="reason"
        )
    text = " ".join(reason.split())
    if len(text) > MAX_REASON:
        raise InvalidValue(
            f"the reason is at most {MAX_REASON} characters",
            code=Code.INVALID_VALUE,
            field="reason",
        )
    return text


def _check_group(customers: Sequence[Customer]) -> None:
    """Branches of one company: companies whose CNPJs share a root."""
    if any(c.kind is not CustomerKind.COMPANY for c in customers):
        raise InvalidOperation(
            "a group is made of companies", code=Code.NOT_A_COMPANY, field="customer_ids"
        )
    roots = {c.tax_id.root if isinstance(c.tax_id, Cnpj) else None for c in customers}
    if len(roots) != 1 or None in roots:
        raise InvalidOperation(
            "a group is companies whose CNPJs share a root (branches of one company)",
            code=Code.INVALID_OPERATION,
            field="customer_ids",
        )


def _dismissal_not_found() -> NotFound:
    return NotFound("dismissal not found", code=Code.NOT_FOUND, field="dismissal_id")


class DuplicateDecisions:
    """Dismiss, undo and list; :class:`~customer_core.services.IdentityService` offers them."""

    __slots__ = ("_deps",)

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    def dismiss(
        self,
        tenant_id: str,
        actor: Actor,
        customer_ids: Sequence[str],
        reason: str,
        kind: DismissalKind | str,
    ) -> Dismissal:
        deps = self._deps
        check_action(actor, deps.preset.access, Action.MERGE)
        decided = _kind(kind)
        why = _reason(reason)
        # The boundary checked each id; a lone id is no pair to keep apart.
        ids = [customer_ids] if isinstance(customer_ids, str) else list(dict.fromkeys(customer_ids))
        if not 2 <= len(ids) <= MAX_DISMISSED:
            raise InvalidValue(
                f"name 2 to {MAX_DISMISSED} different customers",
                code=Code.INVALID_VALUE,
                field="customer_ids",
            )
        with deps.uow_factory() as uow:
            scope = deps.scope(uow, tenant_id, actor)
            customers = [uow.customers.get_visible(scope, i) for i in ids]
            for customer in customers:  # a decision about a blocked record is processing it
                customer.check_processing()
            if decided is DismissalKind.SAME_GROUP:
                _check_group(customers)
            dismissal = Dismissal(
                id=deps.ids.new_id(),
                tenant_id=tenant_id,
                customer_ids=tuple(ids),
                kind=decided,
                reason=why,
                actor_id=actor.user_id,
                dismissed_at=deps.clock.now(),
            )
            uow.dismissals.add(dismissal)
            uow.record(
                deps.new_event(
                    "customer.duplicate_dismissed",
                    actor,
                    tenant_id,
                    dismissal.customer_ids[0],
                    dismissal_id=dismissal.id,
                    customer_ids=list(dismissal.customer_ids),
                    kind=decided.value,
                )
            )
            deps.commit(uow)
        return dismissal

    def undo(self, tenant_id: str, actor: Actor, dismissal_id: str) -> Dismissal:
        deps = self._deps
        check_action(actor, deps.preset.access, Action.MERGE)
        with deps.uow_factory() as uow:
            scope = deps.scope(uow, tenant_id, actor)
            try:
                dismissal = uow.dismissals.get(tenant_id, dismissal_id)
            except NotFound:
                raise _dismissal_not_found() from None
            seen = uow.customers.get_many(tenant_id, dismissal.customer_ids)
            if not all(
                i in seen and scope.allows_customer(seen[i]) for i in dismissal.customer_ids
            ):
                raise _dismissal_not_found()  # it names a customer the actor cannot see
            if not dismissal.in_force:
                raise InvalidOperation(
                    "this dismissal was undone already",
                    code=Code.ALREADY_UNDONE,
                    field="dismissal_id",
                )
            now = deps.clock.now()
            uow.dismissals.mark_undone(tenant_id, dismissal_id, now, actor.user_id)
            uow.record(
                deps.new_event(
                    "customer.dismissal_undone",
                    actor,
                    tenant_id,
                    dismissal.customer_ids[0],
                    dismissal_id=dismissal.id,
                    customer_ids=list(dismissal.customer_ids),
                )
            )
            deps.commit(uow)
        return attrs.evolve(dismissal, undone_at=now, undone_by=actor.user_id)

    def list(self, tenant_id: str, actor: Actor, undone: bool) -> tuple[Dismissal, ...]:
        if not isinstance(undone, bool):
            raise InvalidValue("undone is true or false", code=Code.INVALID_VALUE, field="undone")
        deps = self._deps
        with deps.uow_factory() as uow:
            return tuple(
                uow.dismissals.list_visible(deps.scope(uow, tenant_id, actor), undone=undone)
            )
