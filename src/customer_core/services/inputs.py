"""Turn what callers pass (text, mappings or parsed values) into value objects, once."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from customer_core.domain.model.customer import Contact, clean_name
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.ids import check_id
from customer_core.domain.values.language import Language
from customer_core.domain.values.online import (
    ExternalId,
    MessengerApp,
    MessengerId,
    SocialProfile,
    Website,
)
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cnpj, Cpf, parse_tax_id
from customer_core.domain.values.text import clean_text
from customer_core.errors import (
    Code,
    InvalidAddress,
    InvalidExternalId,
    InvalidLanguage,
    InvalidMessengerId,
    InvalidPhone,
    InvalidSocialProfile,
    InvalidTaxId,
    InvalidValue,
)

__all__ = [
    "AddressInput",
    "EmailInput",
    "PhoneInput",
    "as_address",
    "as_contact",
    "as_email",
    "as_external_id",
    "as_language",
    "as_messenger_id",
    "as_phone",
    "as_social_profile",
    "as_tax_id",
    "as_website",
    "parse_scalar_fields",
]

PhoneInput = Phone | str | Mapping[str, Any]
EmailInput = Email | str
AddressInput = Address | Mapping[str, Any]
SocialInput = SocialProfile | str | tuple[str, str]
MessengerInput = MessengerId | tuple[str, str]
ExternalInput = ExternalId | tuple[str, str]


#: The keys of a phone given as a mapping.
PHONE_KEYS = frozenset({"number", "country_code", "area_code", "type", "extension"})


def as_phone(value: PhoneInput, *, region: str = "BR", field: str = "phones") -> Phone:
    """A phone from text, a :class:`Phone`, or form parts (``country_code``, ``area_code``...).

    A mapping with another key is refused (a typo such as ``tipo`` would
    lose the value it holds), as is a ``number`` that is neither text nor an
    integer.
    """
    if isinstance(value, Phone):
        return value
    if isinstance(value, str):
        return Phone.parse(value, default_region=region, field=field)
    if isinstance(value, Mapping):
        _refuse_unknown(value, PHONE_KEYS, "phone", field)
        number = value.get("number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, (str, int))):
            raise InvalidPhone(
                "the number is text or an integer",
                code=Code.INVALID_PHONE,
                field=field,
                reason="characters",
            )
        if "number" in value and "country_code" in value:
            return Phone.from_parts(
                value["country_code"],
                value.get("area_code"),
                value["number"],
                type=value.get("type"),
                extension=value.get("extension"),
                field=field,
            )
        if "number" in value:
            return Phone.parse(
                str(value["number"]),
                default_region=region,
                type=value.get("type"),
                extension=value.get("extension"),
                field=field,
            )
    raise InvalidValue("expected a phone number", code=Code.INVALID_VALUE, field=field)


def as_email(value: EmailInput, *, field: str = "emails") -> Email:
    return value if isinstance(value, Email) else Email.parse(value, field=field)


def as_tax_id(value: Cpf | Cnpj | str | None) -> Cpf | Cnpj | None:
    if value is None or isinstance(value, Cpf | Cnpj):
        return value
    if not isinstance(value, str):
        raise InvalidTaxId("a CPF or CNPJ is text", code=Code.INVALID_TAX_ID, field="tax_id")
    return parse_tax_id(value) if value.strip() else None


#: The error of an unknown key in each kind of mapping.
_UNKNOWN_KEY: dict[str, tuple[type[InvalidValue], Code, dict[str, str]]] = {
    "phone": (InvalidPhone, Code.INVALID_PHONE, {"reason": "unknown_field"}),
    "address": (InvalidAddress, Code.INVALID_ADDRESS, {}),
    "contact": (InvalidValue, Code.INVALID_VALUE, {}),
}


def _refuse_unknown(value: Mapping[Any, Any], known: frozenset[str], what: str, field: str) -> None:
    """Refuse keys that are not ``known``: a typo must not drop the value it holds."""
    unknown = sorted(map(str, set(value) - known))
    if unknown:
        error, code, details = _UNKNOWN_KEY[what]
        message = f"unknown {what} fields {unknown} (known: {', '.join(sorted(known))})"
        raise error(message, code=code, field=field, **details)


_ADDRESS_KEYS = frozenset(
    {
        "type",
        "street",
        "number",
        "complement",
        "neighborhood",
        "city",
        "uf",
        "cep",
        "country",
        "active",
    }
)


def as_address(value: AddressInput) -> Address:
    if isinstance(value, Address):
        return value
    if isinstance(value, Mapping):
        _refuse_unknown(value, _ADDRESS_KEYS, "address", "addresses")
        return Address.create(**value)
    raise InvalidValue("expected an address", code=Code.INVALID_VALUE, field="addresses")


def as_social_profile(value: SocialInput) -> SocialProfile:
    if isinstance(value, SocialProfile):
        return value
    if isinstance(value, tuple):
        network, handle = _pair(value, "social_profiles", Code.INVALID_SOCIAL_PROFILE)
        return SocialProfile.parse(handle, network=network)
    return SocialProfile.parse(value)


def _pair(value: Any, field: str, code: Code) -> tuple[str, str]:
    """An ``(app or system, id)`` pair, or the field's error (not a ``TypeError``)."""
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(part, (str, int)) and not isinstance(part, bool) for part in value)
    ):
        return str(value[0]), str(value[1])
    error = {
        Code.INVALID_MESSENGER_ID: InvalidMessengerId,
        Code.INVALID_EXTERNAL_ID: InvalidExternalId,
    }.get(code, InvalidSocialProfile)
    raise error("expected a pair of text: (app or system, id)", code=code, field=field)


def as_messenger_id(value: MessengerInput, *, line_required: bool = True) -> MessengerId:
    """``value`` parsed; ``line_required`` as :meth:`MessengerId.parse` takes it."""
    if isinstance(value, MessengerId):
        # Built directly, a WhatsApp id is checked for shape only: one that is
        # no valid number is refused as parse refuses it.
        if line_required and value.app is MessengerApp.WHATSAPP and value.phone_key is None:
            return MessengerId.parse(value.app, value.id)
        return value
    app, id = _pair(value, "messenger_ids", Code.INVALID_MESSENGER_ID)
    return MessengerId.parse(app, id, line_required=line_required)


def as_external_id(value: ExternalInput) -> ExternalId:
    if isinstance(value, ExternalId):
        return value
    return ExternalId.parse(*_pair(value, "external_ids", Code.INVALID_EXTERNAL_ID))


def as_website(value: Website | str) -> Website:
    return value if isinstance(value, Website) else Website.parse(value)


def as_language(value: Language | str | None) -> Language | None:
    if value is None or isinstance(value, Language):
        return value
    if not isinstance(value, str):
        raise InvalidLanguage(
            "a language is an ISO 639-1 code", code=Code.INVALID_LANGUAGE, field="language"
        )
    return Language.parse(value) if value.strip() else None


#: The keys of a contact given as a mapping.
CONTACT_KEYS = frozenset({"id", "name", "job_title", "phones", "emails", "social_profiles", "note"})


def as_contact(
    value: Contact | Mapping[str, Any],
    *,
    new_id: str,
    policy: ContactPolicy | None,
    region: str = "BR",
) -> Contact:
    """A contact from a mapping with ``name``, ``phones``, ``emails``, ``social_profiles``.

    Any other key is refused (``telefone`` for ``phones`` would lose the numbers).
    ``policy`` is checked on the whole contact; ``None`` leaves that to the
    caller (an edit of a stored contact is checked against it).
    """
    if isinstance(value, Contact):
        contact = value
        if policy is not None:
            contact.check(policy)
        return contact
    if not isinstance(value, Mapping):
        raise InvalidValue("expected a contact", code=Code.INVALID_VALUE, field="contacts")
    fields = contact_fields(value, region=region)
    return Contact.create(
        id=str(value.get("id") or new_id),
        name=fields.get("name", ""),
        policy=policy,
        job_title=fields.get("job_title"),
        phones=fields.get("phones", ()),
        emails=fields.get("emails", ()),
        social_profiles=fields.get("social_profiles", ()),
        note=fields.get("note"),
    )


def contact_fields(value: Mapping[str, Any], *, region: str = "BR") -> dict[str, Any]:
    """The fields a contact mapping gives, parsed; ``id`` and absent keys left out.

    :meth:`~customer_core.services.CustomerService.update_contact` changes
    these and keeps the stored value of every other field.
    """
    _refuse_unknown(value, CONTACT_KEYS, "contact", "contacts")
    parsed: dict[str, Any] = {}
    if "name" in value:
        parsed["name"] = clean_name(value["name"], "contacts.name")
    if "job_title" in value:
        parsed["job_title"] = clean_name(value["job_title"], "contacts.job_title", required=False)
    if "phones" in value:
        phones = _items(value["phones"], "contacts.phones")
        parsed["phones"] = tuple(
            as_phone(p, region=region, field="contacts.phones") for p in phones
        )
    if "emails" in value:
        emails = _items(value["emails"], "contacts.emails")
        parsed["emails"] = tuple(as_email(e, field="contacts.emails") for e in emails)
    if "social_profiles" in value:
        profiles = _items(value["social_profiles"], "contacts.social_profiles")
        parsed["social_profiles"] = tuple(as_social_profile(s) for s in profiles)
    if "note" in value:
        parsed["note"] = _text(value["note"], "contacts.note")
    return parsed


def _items(value: object, field: str) -> Iterable[Any]:
    """A list field: ``None`` is none; one text is not a list of its characters."""
    if value is None:
        return ()
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValue("expected a list", code=Code.INVALID_VALUE, field=field)
    return value


_TEXT_FIELDS = frozenset(
    {
        "avatar_url",
        "organization_id",
        "job_title",
        "note",
        "portfolio_id",
        "responsible_id",
        "customer_profile",
        "payment_method",
        "payment_term",
    }
)
_BOOL_FIELDS = frozenset({"is_spammer", "is_vip"})
SCALAR_FIELDS = _TEXT_FIELDS | _BOOL_FIELDS | {"name", "trade_name", "tax_id", "language"}


_MAX_TEXT = 4000


def _text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise InvalidValue(
            f"expected text up to {_MAX_TEXT} characters", code=Code.INVALID_VALUE, field=field
        )
    return clean_text(value, field, multiline=True).strip() or None


AVATAR_NOT_A_LINK = "an avatar is an http(s) address of an image"


def as_avatar_url(value: object) -> str | None:
    """An avatar's address: an ``http://`` or ``https://`` link with a host, or ``None``.

    Host applications put it in an ``<img src>`` or a link; a ``javascript:``
    or ``data:`` address there runs in the agent's browser, so anything but
    an http(s) link is refused.

    >>> as_avatar_url(" https://cdn.example.com/a.jpg ")
    'https://cdn.example.com/a.jpg'
    >>> as_avatar_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    customer_core.errors.InvalidValue: invalid_value [avatar_url]: an avatar is an http(s) address of an image
    """
    text = _text(value, "avatar_url")
    if text is None:
        return None
    try:
        parts = urlsplit(text)
        linked = (
            parts.scheme.lower() in ("http", "https")
            and bool(parts.hostname)
            and parts.username is None  # no credentials in a link an agent's browser opens
            and (parts.port is None or parts.port > 0)  # .port raises for one out of range
        )
    except ValueError:  # a broken IPv6 host, a port out of range
        linked = False
    if not linked or any(_unsafe_in_link(c) for c in text):
        raise InvalidValue(AVATAR_NOT_A_LINK, code=Code.INVALID_VALUE, field="avatar_url")
    return text


def _unsafe_in_link(character: str) -> bool:
    """Spaces, quotes, angle brackets, backslashes and invisible characters (a
    right-to-left override): never in a link, and what breaks out of an HTML attribute."""
    return (
        character.isspace()
        or character in "\"'<>\\`"
        or unicodedata.category(character) in ("Cc", "Cf")
    )


def parse_scalar_fields(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the scalar fields a caller may set directly (not channels, not status)."""
    unknown = set(changes) - SCALAR_FIELDS
    if unknown:
        raise InvalidValue(
            f"unknown or not directly settable fields: {sorted(unknown)}",
            code=Code.INVALID_VALUE,
            field=sorted(unknown)[0],
        )
    parsed: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "tax_id":
            parsed[name] = as_tax_id(value)
        elif name == "language":
            parsed[name] = as_language(value)
        elif name in _BOOL_FIELDS:
            if not isinstance(value, bool):
                raise InvalidValue("expected true or false", code=Code.INVALID_VALUE, field=name)
            parsed[name] = value
        elif name in ("portfolio_id", "responsible_id"):
            text = _text(value, name)  # empty clears it
            parsed[name] = check_id(text, name) if text is not None else None
        elif name in ("name", "trade_name", "job_title"):
            parsed[name] = clean_name(value, name, required=name == "name")
        elif name == "avatar_url":
            parsed[name] = as_avatar_url(value)
        else:
            parsed[name] = _text(value, name)
    return parsed


def collect(values: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(values or ())
