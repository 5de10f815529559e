"""Merging two customers without losing anything.

Every identifier of both records is kept (union by match key), addresses and
contacts move to the survivor, and each scalar field is taken from the
survivor unless the caller chooses the absorbed record's value. A merge that
would exceed the preset's limits is refused, never trimmed: the user removes
what they do not want first.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Phone, presets
>>> now = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> a = Customer.create(id="a", tenant_id="t", name="Ana", now=now,
...                     phones=(Phone.parse("11 98765-4321"),))
>>> b = Customer.create(id="b", tenant_id="t", name="Ana Lima", now=now,
...                     phones=(Phone.parse("11 8765-4321"), Phone.parse("11 3333-4444")))
>>> merged = merge_customers(a, b, choices={"name": "absorbed"}, policy=presets.DEFAULT.contact)
>>> merged.name, [p.national for p in merged.phones]
('Ana Lima', ['(11) 98765-4321', '(11) 3333-4444'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from customer_core.domain.model.customer import Customer
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.text import masked
from customer_core.errors import Code, InvalidOperation, InvalidValue

__all__ = ["MERGEABLE_FIELDS", "check_drop", "held_keys", "merge_customers", "split_merged"]

#: Scalar fields a caller may take from the absorbed record (``choices``).
MERGEABLE_FIELDS = frozenset(
    {
        "name",
        "trade_name",
        "kind",
        "tax_id",
        "avatar_url",
        "language",
        "organization_id",
        "job_title",
        "note",
        "portfolio_id",
        "responsible_id",
        "customer_profile",
        "payment_method",
        "payment_term",
        "status",
    }
)
# Scalars the merge fills from the absorbed record when the survivor has none, and
# takes back on unmerge, but that nobody chooses: a password hash is a secret, not
# a preference, and the primary keys follow the identifiers kept (set them after).
_DERIVED_FIELDS = frozenset({"primary_email_key", "primary_phone_key", "password_hash"})
_SCALAR_FIELDS = MERGEABLE_FIELDS | _DERIVED_FIELDS
_COLLECTIONS = ("phones", "emails", "social_profiles", "messenger_ids", "external_ids", "websites")

Choice = Literal["survivor", "absorbed"]


def _union(first: tuple[Any, ...], second: tuple[Any, ...]) -> tuple[Any, ...]:
    seen = {item.match_key for item in first}
    return first + tuple(item for item in second if item.match_key not in seen)


def held_keys(*customers: Customer) -> frozenset[str]:
    """The match keys of every identifier the customers hold: all that ``drop`` may name."""
    return frozenset(
        item.match_key
        for customer in customers
        for name in _COLLECTIONS
        for item in getattr(customer, name)
    )


def check_drop(named: Mapping[str, str], holders: Iterable[Customer], /) -> None:
    """Refuse a ``drop`` naming an identifier none of ``holders`` has.

    ``named`` maps each match key to drop to how the error may show it
    (masked: error text ends up in logs). Such a name is a typo or a stale
    list, and ignoring it would merge without leaving out what was meant.
    """
    stray = sorted(set(named) - held_keys(*holders))
    if stray:
        raise InvalidValue(
            f"{named[stray[0]]} is on none of the customers merged: drop only what one of them holds",
            code=Code.INVALID_VALUE,
            field="drop",
        )


def merge_customers(
    survivor: Customer,
    absorbed: Customer,
    /,
    *,
    choices: Mapping[str, Choice] | None = None,
    policy: ContactPolicy,
    drop: Iterable[str] = (),
) -> Customer:
    """The survivor with everything of ``absorbed`` added; pure, validates the result.

    When the union exceeds the preset (a fourth phone under a 3-phone
    policy), the merge is refused with the cardinality error; the caller
    resolves it explicitly by naming the match keys to leave out in ``drop``
    (those identifiers stay with nobody). Nothing is ever dropped silently,
    and a key in ``drop`` that neither record holds is refused
    (:func:`check_drop`).
    """
    if survivor.tenant_id != absorbed.tenant_id or survivor.id == absorbed.id:
        raise InvalidOperation(
            "merge two different customers of one tenant", code=Code.INVALID_OPERATION, field="ids"
        )
    picked = dict(choices or {})
    unknown = set(picked) - MERGEABLE_FIELDS
    if unknown or any(v not in ("survivor", "absorbed") for v in picked.values()):
        raise InvalidOperation(
            f"cannot choose {sorted(unknown) or 'that value'}",
            code=Code.INVALID_OPERATION,
            field="choices",
        )
    if survivor.tax_id and absorbed.tax_id and survivor.tax_id != absorbed.tax_id:
        raise InvalidOperation(
            "the two records have different CPF/CNPJ: they are not the same customer",
            code=Code.CONFLICTING_TAX_ID,
            field="tax_id",
        )
    dropped = set(drop)
    check_drop({key: repr(masked(key)) for key in dropped}, (survivor, absorbed))
    changes: dict[str, Any] = {
        name: tuple(
            i
            for i in _union(getattr(survivor, name), getattr(absorbed, name))
            if i.match_key not in dropped
        )
        for name in _COLLECTIONS
    }
    changes["addresses"] = survivor.addresses + tuple(
        a for a in absorbed.addresses if a not in survivor.addresses
    )
    changes["contacts"] = survivor.contacts + tuple(
        c for c in absorbed.contacts if c.id not in {s.id for s in survivor.contacts}
    )
    for name in _SCALAR_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(absorbed, name)
        # An empty survivor field is filled from the absorbed record unless told otherwise.
        if picked.get(name) == "absorbed" or (name not in picked and mine is None):
            changes[name] = theirs
    changes["is_spammer"] = survivor.is_spammer or absorbed.is_spammer
    changes["is_vip"] = survivor.is_vip or absorbed.is_vip
    changes["first_purchase_at"] = min(
        (t for t in (survivor.first_purchase_at, absorbed.first_purchase_at) if t is not None),
        default=None,
    )
    changes["last_contacted_at"] = max(
        (t for t in (survivor.last_contacted_at, absorbed.last_contacted_at) if t is not None),
        default=None,
    )
    changes["created_at"] = min(survivor.created_at, absorbed.created_at)
    merged = attrs.evolve(survivor, **changes)
    policy.check_phones(merged.phones)
    policy.check_emails(merged.emails)
    policy.check_social_profiles(merged.social_profiles)
    policy.check_addresses([a.type for a in merged.addresses])
    policy.check_contacts(merged.contacts)
    return merged._with_default_primaries()


def split_merged(
    current: Customer, survivor_before: Customer, absorbed_before: Customer, /
) -> Customer:
    """The survivor of a merge with what came from the absorbed record taken back out.

    What happened to the survivor after the merge stays: identifiers,
    addresses and contacts it gained, and every scalar field changed since (a
    new name, status, password, portfolio). A scalar the merge took from the
    absorbed record, and still holding that value, returns to the survivor's
    own. Which scalars the merge took is not recorded, so a field holding
    the absorbed record's value counts as taken: one the absorbed record had
    empty and the survivor cleared after the merge gets its old value back.
    """
    changes: dict[str, Any] = {}
    for name in _COLLECTIONS:
        before = {item.match_key for item in getattr(survivor_before, name)}
        brought = {item.match_key for item in getattr(absorbed_before, name)} - before
        changes[name] = tuple(i for i in getattr(current, name) if i.match_key not in brought)
    brought_addresses = [a for a in absorbed_before.addresses if a not in survivor_before.addresses]
    changes["addresses"] = tuple(a for a in current.addresses if a not in brought_addresses)
    brought_contacts = {c.id for c in absorbed_before.contacts} - {
        c.id for c in survivor_before.contacts
    }
    changes["contacts"] = tuple(c for c in current.contacts if c.id not in brought_contacts)
    for name in (*_SCALAR_FIELDS, "is_spammer", "is_vip", "first_purchase_at"):
        now, mine, brought_in = (
            getattr(current, name),
            getattr(survivor_before, name),
            getattr(absorbed_before, name),
        )
        if now == brought_in and now != mine:
            changes[name] = mine
    changes["created_at"] = survivor_before.created_at
    return attrs.evolve(current, **changes)._with_default_primaries()
