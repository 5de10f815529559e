"""A row's phones and e-mails beyond what the preset allows a customer: left out, not the row.

A preset limits a customer's phones and e-mails (the omnichannel card holds
three phones) and may allow only some phone types. An import keeps the row
and the values that fit, in the row's order (the main phone first), beside
what the customer already holds; the rest is left out with a warning, as an
invalid value is. Refusing the row would lose its name, note and address for
one phone too many.
"""

from __future__ import annotations

import attrs

from customer_core.domain.model.customer import Customer
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.errors import Code
from customer_core.io.cells import RowError, shown
from customer_core.io.rows import Draft

__all__ = ["within_limits"]

TOO_MANY_PHONES = "the customer holds the most phones the preset allows: this one was left out"
TOO_MANY_EMAILS = "the customer holds the most e-mails the preset allows: this one was left out"
TYPE_NOT_ALLOWED = "the preset allows no phone of this type: it was left out"


def within_limits(
    draft: Draft, policy: ContactPolicy, stored: Customer | None = None
) -> tuple[Draft, list[RowError]]:
    """``draft`` with the phones and e-mails that fit beside ``stored``'s, and warnings
    for the others (a line or mailbox the customer holds always fits)."""
    line = min(draft.lines, default=0)
    warnings: list[RowError] = []
    held_phones = {p.match_key for p in stored.phones} if stored is not None else set()
    held_emails = {e.match_key for e in stored.emails} if stored is not None else set()
    phones: list[Phone] = []
    count = len(held_phones)
    allowed = policy.allowed_phone_types
    for phone in draft.phones:
        if phone.match_key in held_phones:
            phones.append(phone)
            continue
        if allowed is not None and phone.type not in allowed:
            warnings.append(
                _left_out(line, "phone", Code.PHONE_TYPE_NOT_ALLOWED, TYPE_NOT_ALLOWED, phone)
            )
            continue
        if policy.max_phones is not None and count >= policy.max_phones:
            warnings.append(_left_out(line, "phone", Code.TOO_MANY_PHONES, TOO_MANY_PHONES, phone))
            continue
        phones.append(phone)
        count += 1
    emails: list[Email] = []
    count = len(held_emails)
    for email in draft.emails:
        if email.match_key not in held_emails:
            if policy.max_emails is not None and count >= policy.max_emails:
                warnings.append(
                    _left_out(line, "email", Code.TOO_MANY_EMAILS, TOO_MANY_EMAILS, email)
                )
                continue
            count += 1
        emails.append(email)
    if not warnings:
        return draft, []
    return attrs.evolve(draft, phones=tuple(phones), emails=tuple(emails)), warnings


def _left_out(line: int, column: str, code: Code, message: str, value: Phone | Email) -> RowError:
    text = (value.typed or str(value)) if isinstance(value, Phone) else value.address
    return RowError(line, column, code, message, shown(text))
