"""Merging duplicate customers, and undoing a merge.

A merge keeps every identifier of both records, records what each record was
(so it can be undone) and never moves a customer into a portfolio or to a
seller the actor may not assign. :class:`CustomerMerging` is a part of
:class:`~customer_core.services.IdentityService`, which offers (and
documents) its methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

import attrs

from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.merge import (
    check_drop,
    held_keys,
    merge_customers,
    split_merged,
)
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.records import MergeRecord
from customer_core.domain.rules.assignment import Reassignment, check_reassignment
from customer_core.domain.rules.visibility import Action, check_action
from customer_core.domain.values.text import masked
from customer_core.errors import Code, InvalidOperation, InvalidValue, NotFound
from customer_core.ports import UnitOfWork
from customer_core.services import inputs
from customer_core.services.base import Dependencies

__all__ = ["CustomerMerging", "SuspectMerge"]


@attrs.frozen(kw_only=True)
class SuspectMerge:
    """A merge in force that the conflicting-evidence rule says joined two customers."""

    merge_id: str
    survivor_id: str
    absorbed_id: str
    #: Why the two records are different customers (a :class:`Conflict` value).
    reason: str
    message: str


def _portfolio_exists(uow: UnitOfWork, customer: Customer) -> bool:
    try:
        uow.portfolios.get(customer.tenant_id, str(customer.portfolio_id))
    except NotFound:
        return False
    return True


def _merge_not_found() -> NotFound:
    return NotFound("merge not found", code=Code.NOT_FOUND, field="merge_id")


def _latest_later_merge(uow: UnitOfWork, record: MergeRecord) -> MergeRecord | None:
    """The newest merge in force made after ``record`` into its survivor, or absorbing it.

    Undoing ``record`` first would be wrong: such a merge's snapshot of the
    survivor holds what ``record`` brought in (a CPF, a login), and undoing it
    afterwards would hand those back to the survivor while their owner is
    restored, or fail on them and leave its absorbed customer out for good.
    A merge absorbing the survivor comes after every merge into it (the
    survivor was gone since); the others are ordered by time, then by the
    survivor's version (the steps of one call share a time; each bumps it).
    """

    def made(other: MergeRecord) -> tuple[datetime, int]:
        return (other.merged_at, other.merged_version)

    later = [
        other
        for other in uow.merges.about(record.tenant_id, record.survivor_id)
        if other.undone_at is None
        and other.id != record.id
        and (other.absorbed_id == record.survivor_id or made(other) > made(record))
    ]
    absorbing = [other for other in later if other.absorbed_id == record.survivor_id]
    return absorbing[0] if absorbing else max(later, key=made, default=None)


def _undo_later_first(later: MergeRecord, named: bool) -> InvalidOperation:
    """The refusal of an unmerge while ``later`` stands; its id only when the actor may know it."""
    if not named:  # like a holder's id, not handed to an actor who cannot see its customer
        return InvalidOperation(
            "a later merge involving the same customer is in force: undo it first",
            code=Code.INVALID_OPERATION,
            field="merge_id",
        )
    return InvalidOperation(
        f"merge {later.id} was made after this one and involves the same customer: undo it first",
        code=Code.INVALID_OPERATION,
        field="merge_id",
        later_merge_id=later.id,
    )


class CustomerMerging:
    """Merge and unmerge; :class:`~customer_core.services.IdentityService` offers them."""

    __slots__ = ("_deps",)

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    def merge(
        self,
        tenant_id: str,
        actor: Actor,
        survivor_id: str,
        absorbed_ids: str | Sequence[str],
        *,
        choices: Mapping[str, Literal["survivor", "absorbed"]] | None = None,
        drop: Sequence[str] = (),
    ) -> MergeRecord:
        deps = self._deps
        check_action(actor, deps.preset.access, Action.MERGE)
        # The boundary checked each id; a lone id is one customer to absorb.
        absorbed = (
            [absorbed_ids] if isinstance(absorbed_ids, str) else list(dict.fromkeys(absorbed_ids))
        )
        if not absorbed or survivor_id in absorbed:
            raise InvalidOperation(
                "merge other customers into the survivor",
                code=Code.INVALID_OPERATION,
                field="absorbed_ids",
            )
        named = dict(self._drop_key(text) for text in drop)
        with deps.uow_factory() as uow:
            scope = deps.scope(uow, tenant_id, actor)
            survivor = uow.customers.get_visible(scope, survivor_id)
            survivor.check_processing()
            others = [uow.customers.get_visible(scope, absorbed_id) for absorbed_id in absorbed]
            for other in others:
                other.check_processing()
            # Before any step: a name in ``drop`` none of them holds is a mistake, not a no-op.
            check_drop(named, (survivor, *others))
            record: MergeRecord | None = None
            for other in others:
                absorbed_id = other.id
                # Each step drops what its two records hold; the rest is for the next steps.
                dropped = set(named) & held_keys(survivor, other)
                merged = merge_customers(
                    survivor, other, choices=choices, policy=deps.preset.contact, drop=dropped
                )
                self._check_assignment(actor, survivor, merged)
                uow.customers.delete(tenant_id, absorbed_id)
                saved = uow.customers.save(
                    attrs.evolve(merged, updated_at=deps.clock.now()),
                    expected_version=survivor.version,
                )
                record = MergeRecord(
                    id=deps.ids.new_id(),
                    tenant_id=tenant_id,
                    survivor_id=survivor_id,
                    absorbed_id=absorbed_id,
                    survivor_before=survivor,
                    absorbed_before=other,
                    merged_version=saved.version,
                    actor_id=actor.user_id,
                    merged_at=deps.clock.now(),
                )
                uow.merges.add(record)
                uow.record(
                    deps.new_event(
                        "customer.merged",
                        actor,
                        tenant_id,
                        survivor_id,
                        absorbed_id=absorbed_id,
                        merge_id=record.id,
                    )
                )
                survivor = saved
            deps.commit(uow)
        assert record is not None
        return record

    def _drop_key(self, text: str) -> tuple[str, str]:
        """The match key of an identifier named in ``drop`` (a phone or e-mail as typed),
        with how an error shows it (masked, as in every message)."""
        if not isinstance(text, str):
            raise InvalidValue(
                "name each identifier to drop as text", code=Code.INVALID_VALUE, field="drop"
            )
        if "@" in text:
            email = inputs.as_email(text, field="drop")
            return email.match_key, repr(email)
        if ":" in text:
            return text, repr(masked(text))  # already a key, e.g. "instagram:ana"
        phone = inputs.as_phone(text, region=self._deps.preset.default_region, field="drop")
        return phone.match_key, repr(phone)

    def _check_assignment(self, actor: Actor, before: Customer, after: Customer) -> None:
        # Taking the absorbed record's portfolio or seller is an assignment like any other.
        check_reassignment(actor, self._deps.preset.access, Reassignment.between(before, after))

    def suspect_merges(self, tenant_id: str, actor: Actor) -> tuple[SuspectMerge, ...]:
        deps = self._deps
        with deps.uow_factory() as uow:
            scope = deps.scope(uow, tenant_id, actor)
            records = uow.merges.in_force(tenant_id)
            survivors = uow.customers.get_many(tenant_id, {r.survivor_id for r in records})
        found = []
        for record in records:
            survivor = survivors.get(record.survivor_id)
            if survivor is None or not (
                scope.allows_customer(survivor) and scope.allows_customer(record.absorbed_before)
            ):
                continue
            conflict = conflicting_evidence(
                MatchRecord.of(record.survivor_before), MatchRecord.of(record.absorbed_before)
            )
            if conflict is not None:
                found.append(
                    SuspectMerge(
                        merge_id=record.id,
                        survivor_id=record.survivor_id,
                        absorbed_id=record.absorbed_id,
                        reason=conflict.value,
                        message=conflict.message,
                    )
                )
        return tuple(found)

    def unmerge(self, tenant_id: str, actor: Actor, merge_id: str) -> tuple[Customer, Customer]:
        deps = self._deps
        check_action(actor, deps.preset.access, Action.MERGE)
        with deps.naming_visible_holders_only(tenant_id, actor), deps.uow_factory() as uow:
            record = uow.merges.get(tenant_id, merge_id)
            scope = deps.scope(uow, tenant_id, actor)
            later = None if record.undone_at is not None else _latest_later_merge(uow, record)
            # A survivor merged into a third customer since lives on in that one.
            holder_id = (
                later.survivor_id
                if later is not None and later.absorbed_id == record.survivor_id
                else record.survivor_id
            )
            current = uow.customers.get_visible(scope, holder_id)
            current.check_processing()
            if not scope.allows_customer(record.absorbed_before):
                raise _merge_not_found()  # as if the record did not exist: it names an invisible customer
            if record.undone_at is not None:
                raise InvalidOperation(
                    "this merge was undone already", code=Code.ALREADY_UNDONE, field="merge_id"
                )
            if later is not None:
                raise _undo_later_first(later, scope.allows_customer(later.absorbed_before))
            restored = split_merged(current, record.survivor_before, record.absorbed_before)
            survivor = uow.customers.save(
                attrs.evolve(restored, updated_at=deps.clock.now()),
                expected_version=current.version,
            )
            back = record.absorbed_before
            if back.portfolio_id is not None and not _portfolio_exists(uow, back):
                back = attrs.evolve(back, portfolio_id=None)  # deleted since the merge
            absorbed = uow.customers.add(back)
            uow.merges.mark_undone(tenant_id, merge_id, deps.clock.now())
            uow.record(
                deps.new_event(
                    "customer.unmerged",
                    actor,
                    tenant_id,
                    survivor.id,
                    absorbed_id=absorbed.id,
                    merge_id=merge_id,
                )
            )
            deps.commit(uow)
        return survivor, absorbed
