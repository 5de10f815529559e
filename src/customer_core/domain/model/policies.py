"""Policies the aggregates enforce on every change: channels, required fields, statuses.

They are plain frozen values, passed to the methods of
:class:`~customer_core.domain.model.customer.Customer` and
:class:`~customer_core.domain.model.customer.Contact`, which refuse a change
that breaks them; :mod:`customer_core.presets` holds one set per product we
model. Who may see and do what is the other half of a preset:
:mod:`customer_core.domain.rules.policies`. Nothing here does I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from customer_core.domain.values.address import AddressType
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import SocialNetwork, SocialProfile
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.errors import CardinalityExceeded, Code, DuplicateIdentifier, InvalidOperation

__all__ = [
    "ContactPolicy",
    "RegistrationPolicy",
    "StatusDefinition",
    "check_unique",
    "gained_items",
]

T = TypeVar("T")


def _frozen(values: Iterable[Any] | None) -> frozenset[Any] | None:
    return None if values is None else frozenset(values)


def _limit(
    items: Sequence[object],
    before: Sequence[object] | None,
    limit: int | None,
    code: Code,
    field: str,
    what: str,
) -> None:
    """Refuse a list over ``limit`` that has grown since ``before`` (any list, when new).

    A list stored over its limit (under another preset) may keep its length
    or shrink; only adding to it breaks the limit.
    """
    grew = before is None or len(items) > len(before)
    if limit is not None and grew and len(items) > limit:
        raise CardinalityExceeded(
            f"at most {limit} {what} allowed", code=code, field=field, limit=limit
        )


H = TypeVar("H", bound=Hashable)


def gained_items(items: Sequence[H], before: Sequence[H] | None) -> list[H]:
    """The items of ``items`` that ``before`` lacks, counting repeats (all, when new).

    Per-item rules (an allowed type, network) apply to these: an item stored
    under another preset is not refused again on every later change.
    """
    if before is None:
        return list(items)
    spare = Counter(before)
    gained = []
    for item in items:
        if spare[item] > 0:
            spare[item] -= 1
        else:
            gained.append(item)
    return gained


#: A phone line is one phone of a record: its identity key (DESIGN §4) and what
#: the limits count. People reached at other extensions of it are contacts.
ONE_PHONE_PER_LINE = (
    "this line is already on the record: one phone per line "
    "(replace it to change its extension or type)"
)


def check_unique(
    items: Sequence[T],
    key: Callable[[T], str],
    field: str,
    message: str = "this identifier is already on the record",
) -> None:
    """Refuse the same identifier twice in one list (same customer or contact)."""
    seen: set[str] = set()
    for item in items:
        k = key(item)
        if k in seen:
            raise DuplicateIdentifier(message, code=Code.DUPLICATE_IDENTIFIER, field=field)
        seen.add(k)


@attrs.frozen(kw_only=True)
class ContactPolicy:
    """How many of each channel a customer (or a contact) may have, and which kinds.

    ``None`` means unlimited / any.
    """

    max_phones: int | None = None
    max_emails: int | None = None
    max_social_profiles: int | None = None
    one_profile_per_network: bool = False
    max_addresses: int | None = None
    max_contacts: int | None = None
    allowed_phone_types: frozenset[PhoneType] | None = attrs.field(default=None, converter=_frozen)
    allowed_networks: frozenset[SocialNetwork] | None = attrs.field(default=None, converter=_frozen)
    allowed_address_types: frozenset[AddressType] | None = attrs.field(
        default=None, converter=_frozen
    )

    def check_phones(
        self,
        phones: Sequence[Phone],
        field: str = "phones",
        *,
        before: Sequence[Phone] | None = None,
    ) -> None:
        """Refuse ``phones`` where they break the policy.

        ``before`` is the stored list they change: then the limit applies only
        when the list grows, and the allowed types to a line gained or given
        another type (an extension added to a stored fax line is no new
        fax), so a record stored under looser rules stays editable. Without
        it the whole list is checked, as for a new record.
        """
        check_unique(phones, lambda p: p.match_key, field, ONE_PHONE_PER_LINE)
        _limit(phones, before, self.max_phones, Code.TOO_MANY_PHONES, field, "phones")
        if self.allowed_phone_types is not None:
            stored = {(p.match_key, p.type) for p in before or ()}
            for phone in phones:
                if (phone.match_key, phone.type) in stored:
                    continue
                if phone.type not in self.allowed_phone_types:
                    raise CardinalityExceeded(
                        f"phone type {phone.type.value!r} is not allowed",
                        code=Code.PHONE_TYPE_NOT_ALLOWED,
                        field=field,
                    )

    def check_emails(
        self,
        emails: Sequence[Email],
        field: str = "emails",
        *,
        before: Sequence[Email] | None = None,
    ) -> None:
        """As :meth:`check_phones`: the limit applies when the list grows since ``before``."""
        check_unique(emails, lambda e: e.match_key, field)
        _limit(emails, before, self.max_emails, Code.TOO_MANY_EMAILS, field, "e-mails")

    def check_social_profiles(
        self,
        profiles: Sequence[SocialProfile],
        field: str = "social_profiles",
        *,
        before: Sequence[SocialProfile] | None = None,
    ) -> None:
        """As :meth:`check_phones`; one profile per network is refused for a profile gained."""
        check_unique(profiles, lambda p: p.match_key, field)
        _limit(
            profiles,
            before,
            self.max_social_profiles,
            Code.TOO_MANY_SOCIAL_PROFILES,
            field,
            "profiles",
        )
        gained = gained_items(profiles, before)
        if self.allowed_networks is not None:
            for profile in gained:
                if profile.network not in self.allowed_networks:
                    raise CardinalityExceeded(
                        f"network {profile.network.value!r} is not allowed",
                        code=Code.NETWORK_NOT_ALLOWED,
                        field=field,
                    )
        if self.one_profile_per_network:
            networks = Counter(p.network for p in profiles)
            if any(networks[p.network] > 1 for p in gained):
                raise CardinalityExceeded(
                    "only one profile per network", code=Code.ONE_PROFILE_PER_NETWORK, field=field
                )

    def check_addresses(
        self,
        types: Sequence[AddressType],
        field: str = "addresses",
        *,
        before: Sequence[AddressType] | None = None,
    ) -> None:
        """The addresses' types, as :meth:`check_phones` (``before``: the stored types)."""
        _limit(types, before, self.max_addresses, Code.TOO_MANY_ADDRESSES, field, "addresses")
        if self.allowed_address_types is not None:
            for kind in gained_items(types, before):
                if kind not in self.allowed_address_types:
                    raise CardinalityExceeded(
                        f"address type {kind.value!r} is not allowed",
                        code=Code.ADDRESS_TYPE_NOT_ALLOWED,
                        field=field,
                    )

    def check_contacts(
        self,
        contacts: Sequence[object],
        field: str = "contacts",
        *,
        before: Sequence[object] | None = None,
    ) -> None:
        """The number of contacts: refused over the limit when it grows since ``before``."""
        _limit(contacts, before, self.max_contacts, Code.TOO_MANY_CONTACTS, field, "contacts")


REQUIRABLE_FIELDS = frozenset(
    {"name", "phone", "email", "street", "neighborhood", "city", "status", "tax_id"}
)


def _required(values: Iterable[str]) -> frozenset[str]:
    fields = frozenset(values)
    unknown = fields - REQUIRABLE_FIELDS
    if unknown:
        raise InvalidOperation(
            f"cannot require {sorted(unknown)}",
            code=Code.INVALID_OPERATION,
            field="required_fields",
        )
    return fields


@attrs.frozen(kw_only=True)
class RegistrationPolicy:
    """Which fields a customer record needs, and how the tax id is treated.

    ``street``, ``neighborhood`` and ``city`` are satisfied by any address that
    has them. ``verify_tax_id`` asks the :class:`~customer_core.ports.TaxIdRegistry`
    (Receita/Sefaz) before saving.
    """

    required_fields: frozenset[str] = attrs.field(default=frozenset({"name"}), converter=_required)
    verify_tax_id: bool = False
    primary_email_is_login: bool = False


@attrs.frozen
class StatusDefinition:
    """A customer status. Only statuses that grant access let the customer log in."""

    name: str
    grants_access: bool
    label: str = ""
