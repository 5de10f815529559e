"""The invariants of the ``Customer`` aggregate under a preset's policies.

Each check is yielded as a call, so that
:meth:`~customer_core.domain.model.customer.Customer.check_invariants` stops
at the first refusal and
:meth:`~customer_core.domain.model.customer.Customer.invariant_violations`
collects them all, in the same order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from customer_core.domain.model.policies import (
    ContactPolicy,
    RegistrationPolicy,
    StatusDefinition,
)
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.errors import Code, InvalidOperation, MissingRequiredField

if TYPE_CHECKING:
    from customer_core.domain.model.customer import Customer

__all__ = [
    "channel_checks",
    "check_primary",
    "check_status",
    "gained",
    "invariant_checks",
    "require",
]


def invariant_checks(
    customer: Customer,
    contact: ContactPolicy,
    statuses: Iterable[StatusDefinition],
    registration: RegistrationPolicy | None,
    before: Customer | None,
) -> Iterator[Callable[[], None]]:
    """Each check of :meth:`~customer_core.domain.model.customer.Customer.check_invariants`, in order."""
    yield from channel_checks(customer, contact, before)
    if before is None or customer.status != before.status:
        yield functools.partial(check_status, customer.status, statuses)
    yield functools.partial(
        check_primary,
        customer.primary_email_key,
        customer.emails,
        before.primary_email_key if before else None,
        before.emails if before else (),
        "primary_email",
        "the primary e-mail must be one of the customer's e-mails",
    )
    yield functools.partial(
        check_primary,
        customer.primary_phone_key,
        customer.phones,
        before.primary_phone_key if before else None,
        before.phones if before else (),
        "primary_phone",
        "the primary phone must be one of the customer's phones",
    )
    if registration is not None:
        missing = customer.missing_required(registration)
        if missing and before is not None:
            lacked = set(before.missing_required(registration))
            missing = [name for name in missing if name not in lacked]
        for name in missing:
            yield functools.partial(require, name)


def channel_checks(
    customer: Customer, contact: ContactPolicy, before: Customer | None
) -> Iterator[Callable[[], None]]:
    """``contact``'s cardinality, for every list that changed since ``before``.

    Only what the change breaks is refused: a limit when its list grows, a
    per-item rule (a type, a network) for the items it gains; a list stored
    over its limit under another preset may keep its length, or lose items.
    """
    if gained(customer.phones, before.phones if before else None):
        yield functools.partial(
            contact.check_phones, customer.phones, before=before.phones if before else None
        )
    if gained(customer.emails, before.emails if before else None):
        yield functools.partial(
            contact.check_emails, customer.emails, before=before.emails if before else None
        )
    if gained(customer.social_profiles, before.social_profiles if before else None):
        yield functools.partial(
            contact.check_social_profiles,
            customer.social_profiles,
            before=before.social_profiles if before else None,
        )
    if gained(customer.addresses, before.addresses if before else None):
        yield functools.partial(
            contact.check_addresses,
            [a.type for a in customer.addresses],
            before=[a.type for a in before.addresses] if before else None,
        )
    old_contacts = before.contacts if before else None
    if gained(customer.contacts, old_contacts):
        yield functools.partial(contact.check_contacts, customer.contacts, before=old_contacts)
        stored = {c.id: c for c in old_contacts or ()}
        for each in customer.contacts:
            if old_contacts is None or each not in old_contacts:
                yield functools.partial(each.check, contact, before=stored.get(each.id))


def gained(items: tuple[Any, ...], before: tuple[Any, ...] | None) -> bool:
    """Whether ``items`` holds one that ``before`` lacks (always, for a new record)."""
    if before is None:
        return True
    return items is not before and any(item not in before for item in items)


def check_status(status: str, statuses: Iterable[StatusDefinition]) -> None:
    if all(s.name != status for s in statuses):
        raise InvalidOperation(
            f"unknown status {status!r}", code=Code.UNKNOWN_STATUS, field="status"
        )


def require(name: str) -> None:
    raise MissingRequiredField(f"{name} is required", code=Code.REQUIRED_FIELD, field=name)


def check_primary(
    key: str | None,
    items: Sequence[Phone | Email],
    key_before: str | None,
    items_before: Sequence[Phone | Email],
    field: str,
    message: str,
) -> None:
    """The primary is one of ``items``, or none, unless it pointed at nothing already."""
    if key is None or any(i.match_key == key for i in items):
        return
    if key == key_before and all(i.match_key != key for i in items_before):
        return  # stored so: not this change's doing
    raise InvalidOperation(message, code=Code.PRIMARY_MUST_EXIST, field=field)
