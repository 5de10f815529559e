"""The steps every privacy use case shares: permission, visibility, refusals (audited), holds, list keys.

:class:`PrivacySteps` is the helper :class:`~customer_core.services.PrivacyService`
and its consent records (:mod:`customer_core.services.privacy_consents`) are
composed around. Like every use-case object it checks no id: only the
service's public methods call it, once their ids were checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor, Permission
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.domain.model.privacy import AuditEntry, blocked_key
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.errors import Code, InvalidOperation, InvalidValue, NotFound, PermissionDenied
from customer_core.ports import UnitOfWork
from customer_core.services.base import Dependencies
from customer_core.services.inbound import SPAM, VIP
from customer_core.services.privacy_export import company_contacts

__all__ = [
    "KeyRequired",
    "PrivacySteps",
    "RetentionHold",
    "check_hold_function",
    "customer_not_found",
    "erased_visibility",
    "saw_erased",
]

#: Says why a customer's data must be kept (a fiscal record of a purchase,
#: a lawsuit), or ``None``: ``hold(tenant_id, customer_id)``.
RetentionHold = Callable[[str, str], "str | None"]


class KeyRequired(Exception):
    """A blocklisted key would be erased and there is no privacy key to hash it with."""


#: The fields of an erasure's audit entry that decide who may still read the
#: erased customer's trail: what visibility reads of a customer.
_SEEN_BY = ("portfolio_id", "responsible_id")


def erased_visibility(customer: Customer) -> dict[str, str | None]:
    """What an erasure keeps (ids) to decide, once the record is gone, who saw it."""
    return {"portfolio_id": customer.portfolio_id, "responsible_id": customer.responsible_id}


def saw_erased(scope: VisibilityScope, erasure: AuditEntry) -> bool:
    """Whether ``scope`` would have seen the customer an erasure's entry is about.

    Decided from the portfolio and responsible user the entry kept
    (:func:`erased_visibility`). An entry without them (an erasure recorded
    before they were kept) says nothing of who saw the customer: only a scope
    that sees every customer may read it.
    """
    details = erasure.details
    if not all(field in details for field in _SEEN_BY):
        return scope.everything
    portfolio_id, responsible_id = (details[field] for field in _SEEN_BY)
    return scope.allows(
        portfolio_id=portfolio_id if isinstance(portfolio_id, str) else None,
        responsible_id=responsible_id if isinstance(responsible_id, str) else None,
    )


def customer_not_found() -> NotFound:
    """What a customer the actor cannot see, or that does not exist, answers."""
    return NotFound("customer not found", code=Code.NOT_FOUND, field="id")


def check_hold_function(value: object) -> RetentionHold | None:
    if value is not None and not callable(value):
        raise InvalidValue(
            "retention_hold is a function (tenant_id, customer_id) -> reason or None",
            code=Code.INVALID_VALUE,
            field="retention_hold",
        )
    return value


class PrivacySteps:
    """What the privacy use cases share, over one service's dependencies."""

    __slots__ = ("deps", "hold", "key")

    def __init__(self, deps: Dependencies, key: bytes | None, hold: RetentionHold | None) -> None:
        self.deps = deps
        self.key = key
        self.hold = hold

    @staticmethod
    def check_permission(actor: Actor) -> None:
        if isinstance(actor, Actor) and not actor.has(Permission.PRIVACY):
            raise PermissionDenied(
                "the privacy permission is needed", code=Code.PERMISSION_DENIED, field="actor"
            )

    def visible(self, uow: UnitOfWork, tenant_id: str, actor: Actor, customer_id: str) -> Customer:
        return uow.customers.get_visible(self.deps.scope(uow, tenant_id, actor), customer_id)

    def refuse(
        self, tenant_id: str, actor: Actor, customer_id: str, action: str, code: Code, message: str
    ) -> InvalidOperation:
        """The refusal, audited in a unit of work of its own (the refused one wrote nothing)."""
        with self.deps.uow_factory() as uow:
            self.deps.audit(
                uow, actor, tenant_id, customer_id, f"{action}_refused", code=code.value
            )
            self.deps.commit(uow)
        return InvalidOperation(message, code=code, field="customer_id")

    def refuse_without_key(
        self, tenant_id: str, actor: Actor, customer_id: str, action: str
    ) -> InvalidOperation:
        return self.refuse(
            tenant_id,
            actor,
            customer_id,
            action,
            Code.PRIVACY_KEY_REQUIRED,
            "this customer is blocklisted: removing its identifiers needs the privacy key "
            "(connect(..., privacy_key=...)) to keep them blocked",
        )

    def check_hold(self, tenant_id: str, actor: Actor, customer_id: str, action: str) -> None:
        """Refuse, audited and with the host's reason, data under a legal retention hold."""
        reason = self.hold(tenant_id, customer_id) if self.hold is not None else None
        if reason:
            raise self.refuse(
                tenant_id,
                actor,
                customer_id,
                action,
                Code.RETENTION_HOLD,
                f"kept under a legal retention hold: {reason}",
            )

    def forget_contacts(
        self, uow: UnitOfWork, scope: VisibilityScope, customer: Customer
    ) -> tuple[int, int]:
        """Take the person's entries off the contacts of the companies ``scope`` sees.

        The entries are those the subject export lists
        (:func:`~customer_core.services.privacy_export.company_contacts`: same
        phone or e-mail, compatible name): the whole entry goes, name and
        channels. A value another customer holds (a household landline) is
        that customer's own and stays with them. A blocked company is changed
        too: the person's right to erasure is not the company's to suspend.

        Returns (entries that went, entries left in companies ``scope`` does
        not see). Those are not touched, visibility is not bypassed, but
        counted, so that the caller knows the person is still there and who
        sees every customer (an administrator) must finish the job.
        """
        doomed: dict[str, set[str]] = {}
        seen = company_contacts(uow, scope, customer)
        for entry in seen:
            doomed.setdefault(entry["company_id"], set()).add(entry["contact_id"])
        now = self.deps.clock.now()
        for company_id, contact_ids in doomed.items():
            company = uow.customers.get(customer.tenant_id, company_id)
            kept = tuple(c for c in company.contacts if c.id not in contact_ids)
            uow.customers.save(
                attrs.evolve(company, contacts=kept, updated_at=now),
                expected_version=company.version,
            )
        return sum(len(ids) for ids in doomed.values()), self._unseen(uow, scope, customer, seen)

    @staticmethod
    def _unseen(
        uow: UnitOfWork, scope: VisibilityScope, customer: Customer, seen: list[dict[str, Any]]
    ) -> int:
        """How many of the person's contact entries are in companies ``scope`` does not see."""
        if scope.everything:
            return 0
        whole_tenant = VisibilityScope(tenant_id=scope.tenant_id, everything=True)
        everywhere = company_contacts(uow, whole_tenant, customer)

        def entries(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
            return {(e["company_id"], e["contact_id"]) for e in found}

        return len(entries(everywhere) - entries(seen))

    def forget_keys(
        self, uow: UnitOfWork, customer: Customer, keys: Iterable[IdentityKey]
    ) -> tuple[int, int]:
        """Take the customer's list entries off its keys; blocklisted ones stay as keyed hashes.

        Returns (keys another customer still holds, keys blocklisted by hash).
        A key someone else holds keeps its plain entries, re-pointed to nobody:
        its value is still in the database, as that other customer's. Raises
        :class:`KeyRequired`, before writing anything, when a blocklisted key
        would go and there is no key to hash it with.
        """
        tenant_id = customer.tenant_id
        keys = tuple(keys)
        holders = uow.customers.holders(tenant_id, keys)
        shared = {k for k in keys if set(holders.get(k, ())) - {customer.id}}
        listed = uow.lists.listed_in(tenant_id, (SPAM, VIP), keys)
        for name, entries in uow.lists.entries_of(tenant_id, customer.id).items():
            listed.setdefault(name, set()).update(entries)
        spam = listed.get(SPAM, set()) - shared
        if spam and self.key is None:
            raise KeyRequired
        for name, entries in listed.items():
            uow.lists.remove(tenant_id, name, entries - shared)
            uow.lists.add(tenant_id, name, entries & shared, customer_id=None)
        blocked = {blocked_key(k, self.key) for k in spam} if self.key else set()
        uow.lists.add(tenant_id, SPAM, blocked, customer_id=None)
        return len(shared), len(blocked)
