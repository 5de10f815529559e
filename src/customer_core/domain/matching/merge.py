"""Merging two customers without losing anything.

Every identifier of both records is kept (union by match key; a phone line
both hold keeps the richer phone, its extension and chosen type, see
:mod:`~customer_core.domain.values.phone_lines`), addresses and contacts
move to the survivor, and each scalar field is taken from the
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

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.model.identity import IdentityKey, identity_keys_from
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.phone_lines import union_phones
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.domain.values.text import masked
from customer_core.errors import Code, CustomerCoreError, InvalidOperation, InvalidValue

__all__ = [
    "MERGEABLE_FIELDS",
    "check_drop",
    "dropped_by_merge",
    "dropped_exclusive_keys",
    "held_keys",
    "kept_off",
    "merge_customers",
    "split_merged",
]

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


def _union(
    name: str, first: tuple[Any, ...], second: tuple[Any, ...], policy: ContactPolicy
) -> tuple[Any, ...]:
    if name == "phones":  # a line both hold keeps the richer phone (its extension, its type)
        return union_phones(first, second, allowed_types=policy.allowed_phone_types)[0]
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

    When the union adds to a list beyond the preset (a fourth phone under a
    3-phone policy), the merge is refused with the cardinality error (a
    survivor stored over a limit is merged with a record that adds nothing
    to that list); the caller
    resolves it explicitly by naming the match keys to leave out in ``drop``
    (those identifiers stay with nobody). Nothing is ever dropped silently,
    and a key in ``drop`` that neither record holds is refused
    (:func:`check_drop`). A person and a company are merged only when
    ``choices`` says which kind the survivor is (``conflicting_evidence``
    otherwise): the record would hold the company's CNPJ as a person.
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
    if survivor.kind is not absorbed.kind and "kind" not in picked:
        # The conflicting-evidence rule (a person is the company's contact, not
        # the company): a person holding the company's CNPJ would be neither.
        raise InvalidOperation(
            "a person and a company are not one customer: choose the kind to merge them",
            code=Code.CONFLICTING_EVIDENCE,
            field="kind",
        )
    if survivor.tax_id and absorbed.tax_id and survivor.tax_id != absorbed.tax_id:
        raise InvalidOperation(
            "the two records have different CPF/CNPJ: they are not the same customer",
            code=Code.CONFLICTING_TAX_ID,
            field="tax_id",
        )
    kind = absorbed.kind if picked.get("kind") == "absorbed" else survivor.kind
    kept = survivor.tax_id or absorbed.tax_id
    if survivor.kind is not absorbed.kind and (
        (kind is CustomerKind.PERSON and isinstance(kept, Cnpj))
        or (kind is CustomerKind.COMPANY and isinstance(kept, Cpf))
    ):
        raise InvalidOperation(
            "the kind chosen does not fit the CPF/CNPJ kept: a CNPJ is a company's, a CPF a person's",
            code=Code.CONFLICTING_EVIDENCE,
            field="kind",
        )
    dropped = set(drop)
    check_drop({key: repr(masked(key)) for key in dropped}, (survivor, absorbed))
    changes: dict[str, Any] = {
        name: tuple(
            i
            for i in _union(name, getattr(survivor, name), getattr(absorbed, name), policy)
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
    # Only what the merge adds to the survivor is checked: a survivor stored
    # over a limit (under another preset) is merged with a record that adds
    # nothing to that list.
    policy.check_phones(merged.phones, before=survivor.phones)
    policy.check_emails(merged.emails, before=survivor.emails)
    policy.check_social_profiles(merged.social_profiles, before=survivor.social_profiles)
    policy.check_addresses(
        [a.type for a in merged.addresses], before=[a.type for a in survivor.addresses]
    )
    policy.check_contacts(merged.contacts, before=survivor.contacts)
    return merged._with_default_primaries()


def dropped_by_merge(
    survivor_before: Customer, survivor_after: Customer, /
) -> dict[str, tuple[Any, ...]]:
    """The survivor's own identifiers the merge left out (its ``drop``), by collection."""
    dropped = {}
    for name in _COLLECTIONS:
        kept = {item.match_key for item in getattr(survivor_after, name)}
        items = tuple(i for i in getattr(survivor_before, name) if i.match_key not in kept)
        if items:
            dropped[name] = items
    return dropped


def dropped_exclusive_keys(
    survivor_before: Customer, survivor_after: Customer, /
) -> dict[IdentityKey, str]:
    """The exclusive keys of what :func:`dropped_by_merge` finds, each with its identifier's match key.

    Unmerge gives those identifiers back to the survivor, but another customer
    may have taken an exclusive one since (a social profile, an external id,
    a Telegram id, the login e-mail): the caller asks the storage who holds these.
    """
    login = survivor_before.primary_email_key if survivor_before.password_hash is not None else None
    found: dict[IdentityKey, str] = {}
    for name, items in dropped_by_merge(survivor_before, survivor_after).items():
        for item in items:
            keys = identity_keys_from(
                messenger_ids=(item,) if name == "messenger_ids" else (),
                social_profiles=(item,) if name == "social_profiles" else (),
                external_ids=(item,) if name == "external_ids" else (),
                login_email_key=item.match_key
                if name == "emails" and item.match_key == login
                else None,
            )
            found.update((key, item.match_key) for key in keys if not key.kind.shareable)
    return found


def _fits(policy: ContactPolicy | None, name: str, items: tuple[Any, ...]) -> bool:
    """Whether ``policy`` allows ``items`` in the collection ``name`` (limits, one per network)."""
    if policy is None:
        return True
    checks: dict[str, Callable[[Sequence[Any]], None]] = {
        "phones": policy.check_phones,
        "emails": policy.check_emails,
        "social_profiles": policy.check_social_profiles,
    }
    check = checks.get(name)
    try:
        if check is not None:
            check(items)
    except CustomerCoreError:
        return False
    return True


def split_merged(
    current: Customer,
    survivor_before: Customer,
    absorbed_before: Customer,
    /,
    *,
    survivor_after: Customer | None = None,
    held_elsewhere: Collection[str] = (),
    policy: ContactPolicy | None = None,
) -> Customer:
    """The survivor of a merge with what the merge changed taken back out.

    What happened to the survivor after the merge stays: identifiers,
    addresses and contacts it gained or lost, and every scalar field changed
    since (a new name, status, password, portfolio, a note cleared). With
    ``survivor_after``, the survivor as the merge saved it:

    - a scalar returns to the survivor's own value when the merge changed it
      and it still holds the merge's value;
    - what the merge brought in (in ``survivor_after``, not in
      ``survivor_before``) goes; what it dropped from the survivor
      (:func:`dropped_by_merge`) comes back, after the identifiers it holds
      now, except one whose match key is in ``held_elsewhere`` (an exclusive
      key another customer holds now) or that ``policy`` has no room for (a
      phone added since took the last place). Those stay off: the caller
      says so (:func:`kept_off`), and ``survivor_before`` keeps them.

    Without it (merges recorded before migration 0013), which scalars the
    merge took is guessed: a field holding the absorbed record's value, and
    not the survivor's, counts as taken, so one the absorbed record had empty
    and the survivor cleared after the merge gets its old value back; what
    the absorbed record held goes, and nothing dropped comes back.
    """
    merged = survivor_after
    # The side the merge took values from: the absorbed record, unless we know the result.
    source = absorbed_before if merged is None else merged
    changes: dict[str, Any] = {}
    dropped = {} if merged is None else dropped_by_merge(survivor_before, merged)
    for name in _COLLECTIONS:
        before = {item.match_key for item in getattr(survivor_before, name)}
        brought = {item.match_key for item in getattr(source, name)} - before
        kept = tuple(i for i in getattr(current, name) if i.match_key not in brought)
        if name == "phones" and merged is not None:
            kept = _own_phones_back(kept, survivor_before, merged)
        for item in dropped.get(name, ()):
            if (
                item.match_key not in {i.match_key for i in kept}
                and item.match_key not in held_elsewhere
                and _fits(policy, name, (*kept, item))
            ):
                kept += (item,)
        changes[name] = kept
    brought_addresses = [a for a in source.addresses if a not in survivor_before.addresses]
    changes["addresses"] = tuple(a for a in current.addresses if a not in brought_addresses)
    brought_contacts = {c.id for c in source.contacts} - {c.id for c in survivor_before.contacts}
    changes["contacts"] = tuple(c for c in current.contacts if c.id not in brought_contacts)
    for name in (*_SCALAR_FIELDS, "is_spammer", "is_vip", "first_purchase_at"):
        now, mine, put = (
            getattr(current, name),
            getattr(survivor_before, name),
            getattr(source, name),
        )
        if now == put and now != mine:
            changes[name] = mine
    changes["created_at"] = survivor_before.created_at
    return attrs.evolve(current, **changes)._with_default_primaries()


def _own_phones_back(
    phones: tuple[Any, ...], survivor_before: Customer, merged: Customer
) -> tuple[Any, ...]:
    """``phones`` with each line the merge enriched (an extension, a type from the
    absorbed record) as the survivor had it, unless it was edited since."""
    mine = {p.match_key: p for p in survivor_before.phones}
    put = {p.match_key: p for p in merged.phones}
    return tuple(
        mine[p.match_key]
        if p.match_key in mine and p == put.get(p.match_key) and p != mine[p.match_key]
        else p
        for p in phones
    )


def kept_off(
    restored: Customer, survivor_before: Customer, survivor_after: Customer, /
) -> tuple[str, ...]:
    """The collections (``"social_profiles"``...) of dropped identifiers :func:`split_merged` kept off."""
    return tuple(
        name
        for name, items in dropped_by_merge(survivor_before, survivor_after).items()
        if {i.match_key for i in items} - {i.match_key for i in getattr(restored, name)}
    )
