"""Turn what callers pass (text, mappings or parsed values) into value objects, once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
from customer_core.domain.values.text import check_printable
from customer_core.errors import (
    Code,
    InvalidAddress,
    InvalidLanguage,
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


def as_phone(value: PhoneInput, *, region: str = "BR", field: str = "phones") -> Phone:
    """A phone from text, a :class:`Phone`, or form parts (``country_code``, ``area_code``...)."""
    if isinstance(value, Phone):
        return value
    if isinstance(value, str):
        return Phone.parse(value, default_region=region, field=field)
    if isinstance(value, Mapping):
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
        unknown = set(value) - _ADDRESS_KEYS
        if unknown:
            raise InvalidAddress(
                f"unknown address fields {sorted(unknown)}",
                code=Code.INVALID_ADDRESS,
                field="addresses",
            )
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
    raise InvalidSocialProfile(
        "expected a pair of text: (app or system, id)", code=code, field=field
    )


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


def as_contact(
    value: Contact | Mapping[str, Any], *, new_id: str, policy: ContactPolicy, region: str = "BR"
) -> Contact:
    """A contact from a mapping with ``name``, ``phones``, ``emails``, ``social_profiles``."""
    if isinstance(value, Contact):
        contact = value
        contact.check(policy)
        return contact
    if not isinstance(value, Mapping):
        raise InvalidValue("expected a contact", code=Code.INVALID_VALUE, field="contacts")
    return Contact.create(
        id=str(value.get("id") or new_id),
        name=value.get("name", ""),
        policy=policy,
        job_title=value.get("job_title"),
        phones=[
            as_phone(p, region=region, field="contacts.phones") for p in value.get("phones", ())
        ],
        emails=[as_email(e, field="contacts.emails") for e in value.get("emails", ())],
        social_profiles=[as_social_profile(s) for s in value.get("social_profiles", ())],
        note=value.get("note"),
    )


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
    return check_printable(value, field, multiline=True).strip() or None


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
        else:
            parsed[name] = _text(value, name)
    return parsed


def collect(values: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(values or ())
