"""Inbound messages: their identifiers, the lookup priority, and what a resolution returns.

:class:`~customer_core.services.identity.IdentityService` uses these to
resolve a message to a customer (:mod:`customer_core.services.resolver`);
they are pure (no storage).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import ExternalId, MessengerId, SocialProfile
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.errors import Code, CustomerCoreError, InvalidValue
from customer_core.services import inputs

__all__ = ["SPAM", "VIP", "Inbound", "Outcome", "Resolution", "attach_new_identifiers"]

#: ``"blocked"``: the message resolved to a blocked customer (LGPD Art. 18 IV),
#: which is returned as it is: nothing attached, noted or created.
Outcome = Literal["matched", "created", "attached", "conflict", "ambiguous", "blocked"]
#: The identity lists a message's identifiers are looked up in: blocked, allowed.
SPAM, VIP = "spam", "vip"


_IDENTIFIER_NAMES = frozenset({"email", "phone", "messenger", "social", "external"})


def _many(identifiers: Mapping[str, Any], name: str) -> list[Any] | tuple[Any, ...]:
    """The values under ``name``: one value, a list of them, or none."""
    value = identifiers.get(name)
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


def _with_whatsapp_lines(
    phones: tuple[Phone, ...], messenger_ids: tuple[MessengerId, ...]
) -> tuple[Phone, ...]:
    """``phones`` and the line of each WhatsApp id: the number a customer is reached on.

    A customer created from a WhatsApp message gets the line among its phones
    (agents call it, exports list it); it adds no key, the id's key is the line's.
    """
    lines = {p.match_key: p for p in phones}
    for messenger in messenger_ids:
        line = messenger.phone
        if line is not None and line.match_key not in lines:
            lines[line.match_key] = line
    return tuple(lines.values())


@attrs.frozen(kw_only=True)
class Inbound:
    """The parsed identifiers of one inbound message."""

    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    messenger_ids: tuple[MessengerId, ...] = ()
    social_profiles: tuple[SocialProfile, ...] = ()
    external_ids: tuple[ExternalId, ...] = ()

    @classmethod
    def parse(cls, identifiers: Mapping[str, Any], /, *, region: str = "BR") -> Inbound:
        """From ``{"email": ..., "phone": ..., "messenger": (app, id), "social": url,
        "external": (system, id)}``; each value may also be a list of them."""
        if not isinstance(identifiers, Mapping):
            raise InvalidValue(
                "identifiers are a mapping such as {'phone': ...}",
                code=Code.INVALID_VALUE,
                field="identifiers",
            )
        unknown = identifiers.keys() - _IDENTIFIER_NAMES
        if unknown:
            raise InvalidValue(
                f"unknown identifiers {sorted(map(str, unknown))}",
                code=Code.INVALID_VALUE,
                field="identifiers",
            )
        phones = tuple(inputs.as_phone(p, region=region) for p in _many(identifiers, "phone"))
        messenger_ids = tuple(inputs.as_messenger_id(m) for m in _many(identifiers, "messenger"))
        inbound = cls(
            phones=_with_whatsapp_lines(phones, messenger_ids),
            emails=tuple(inputs.as_email(e) for e in _many(identifiers, "email")),
            messenger_ids=messenger_ids,
            social_profiles=tuple(
                inputs.as_social_profile(s) for s in _many(identifiers, "social")
            ),
            external_ids=tuple(inputs.as_external_id(x) for x in _many(identifiers, "external")),
        )
        # Every identifier gives at least one lookup key: none given, no key
        # (a recado number is not the sender's: it identifies nobody).
        if not any(
            (
                any(p.is_identity for p in inbound.phones),
                inbound.emails,
                inbound.messenger_ids,
                inbound.social_profiles,
                inbound.external_ids,
            )
        ):
            raise InvalidValue(
                "an inbound message needs at least one identifier",
                code=Code.INVALID_VALUE,
                field="identifiers",
            )
        return inbound

    def lookup_keys(self) -> dict[IdentityKey, int]:
        """Every key to look up, with its priority (lower wins).

        Exclusive keys first (external id 0, messenger id and social profile 1),
        then shareable ones: a WhatsApp id's line and a mobile 2, an e-mail 3,
        a landline 4. A WhatsApp id is looked up as its phone line, which is
        how it is stored (:mod:`customer_core.domain.model.identity`).
        """
        keys: dict[IdentityKey, int] = {}

        def put(kind: IdentityKind, key: str, priority: int) -> None:
            k = IdentityKey(kind, key)
            keys[k] = min(priority, keys.get(k, priority))

        for x in self.external_ids:
            put(IdentityKind.EXTERNAL, x.match_key, 0)
        for m in self.messenger_ids:
            if m.phone_key is None:
                put(IdentityKind.MESSENGER, m.match_key, 1)
            else:
                put(IdentityKind.PHONE, m.phone_key, 2)
        for s in self.social_profiles:
            put(IdentityKind.SOCIAL, s.match_key, 1)
        for p in self.phones:
            if not p.is_identity:  # a recado number finds nobody
                continue
            mobile = p.type is PhoneType.MOBILE
            put(IdentityKind.PHONE, p.match_key, 2 if mobile else 4)
        for e in self.emails:
            put(IdentityKind.EMAIL, e.match_key, 3)
        return keys


@attrs.frozen(kw_only=True)
class Resolution:
    """What an inbound message resolved to."""

    customer: Customer
    outcome: Outcome
    attached: tuple[str, ...] = ()
    #: Customers holding an identifier of the message that ``customer`` does
    #: not hold (a likely duplicate: each pair is noted for the duplicate report).
    conflicts: tuple[str, ...] = ()
    #: The other holders of the shared line or e-mail the message was matched
    #: by (a household, an owner and their company): ``customer`` was chosen
    #: among them by the documented order; they are not duplicates. When there
    #: are any, nothing was attached (``attached`` is empty): the choice is a guess.
    ambiguous: tuple[str, ...] = ()
    spam: bool = False
    vip: bool = False


def attach_new_identifiers(
    customer: Customer, inbound: Inbound, held: set[IdentityKey], policy: ContactPolicy
) -> tuple[Customer, list[str]]:
    """Add the identifiers nobody holds; ones the preset has no room for are left out."""
    attached: list[str] = []
    candidates: list[tuple[str, Any]] = [
        *(("phones", p) for p in inbound.phones),
        *(("emails", e) for e in inbound.emails),
        *(("messenger_ids", m) for m in inbound.messenger_ids),
        *(("social_profiles", s) for s in inbound.social_profiles),
        *(("external_ids", x) for x in inbound.external_ids),
    ]
    on_record = {
        field: {item.match_key for item in getattr(customer, field)}
        for field in ("phones", "emails", "messenger_ids", "social_profiles", "external_ids")
    }
    candidates = [(f, v) for f, v in candidates if v.match_key not in on_record[f]]
    if not candidates:  # the usual message: nothing new to attach
        return customer, attached
    own = set(customer.identity_keys())
    keys = own
    for field, value in candidates:
        try:
            if field == "phones":
                changed = customer.add_phone(value, policy=policy)
            elif field == "emails":
                changed = customer.add_email(value, policy=policy)
            elif field == "social_profiles":
                changed = customer.add_social_profile(value, policy=policy)
            elif field == "messenger_ids":
                changed = customer.add_messenger_id(value)
            else:
                changed = customer.add_external_id(value)
        except CustomerCoreError:
            continue  # no room under the preset
        after = set(changed.identity_keys())
        if (after - keys) & (held - own):
            continue  # another customer holds it: a conflict, not an attachment
        customer, keys = changed, after
        attached.append(field)
    return customer, attached
