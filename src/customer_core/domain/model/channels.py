"""The aggregate's lists of channels: adding, removing by key, uniqueness, primaries.

Helpers of :class:`~customer_core.domain.model.customer.Customer`'s change
methods; the lists are tuples, so every change builds a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from customer_core.domain.model.policies import check_unique
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.errors import Code, NotFound

__all__ = [
    "check_unique_keys",
    "default_primaries",
    "email_match_key",
    "phone_match_key",
    "with_item",
    "without_key",
]

T = TypeVar("T")


def default_primaries(
    emails: Sequence[Email], phones: Sequence[Phone], email_key: str | None, phone_key: str | None
) -> tuple[str | None, str | None]:
    """The primary e-mail and phone keys: kept when still on the record, else the first one."""
    if email_key not in {e.match_key for e in emails}:
        email_key = emails[0].match_key if emails else None
    if phone_key not in {p.match_key for p in phones}:
        phone_key = phones[0].match_key if phones else None
    return email_key, phone_key


def with_item(items: tuple[T, ...], item: T) -> tuple[T, ...]:
    return (*items, item)


def without_key(items: tuple[T, ...], key: str, key_of: Any, field: str) -> tuple[T, ...]:
    kept = tuple(i for i in items if key_of(i) != key)
    if len(kept) == len(items):
        raise NotFound("no such item on the record", code=Code.NOT_FOUND, field=field)
    return kept


def phone_match_key(p: Phone) -> str:
    return p.match_key


def email_match_key(e: Email) -> str:
    return e.match_key


def check_unique_keys(items: tuple[Any, ...], field: str) -> None:
    check_unique(items, lambda i: str(i.match_key), field)
