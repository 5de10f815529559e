"""Postal addresses (*endereços*) and languages.

For Brazilian addresses the UF (*unidade federativa*) must be one of the 27
units and the CEP (*código de endereçamento postal*) 8 digits:

>>> from customer_core import Address
>>> a = Address.create(street="Av. Paulista", number="1000", neighborhood="Bela Vista",
...                    city="São Paulo", uf="sp", cep="01310100")
>>> a.uf, a.cep, a.type.value
('SP', '01310-100', 'default')
>>> Address.create(street="Rua A", city="Recife", uf="XX")
Traceback (most recent call last):
...
customer_core.errors.InvalidAddress: invalid_uf [addresses.uf]: unknown UF 'XX'
"""

from __future__ import annotations

import enum
import re

import attrs

from customer_core.domain.values.text import check_printable
from customer_core.errors import Code, InvalidAddress, InvalidLanguage

__all__ = ["UFS", "Address", "AddressType", "Language"]

UFS = frozenset(
    [
        "AC",
        "AL",
        "AP",
        "AM",
        "BA",
        "CE",
        "DF",
        "ES",
        "GO",
        "MA",
        "MT",
        "MS",
        "MG",
        "PA",
        "PB",
        "PR",
        "PE",
        "PI",
        "RJ",
        "RN",
        "RS",
        "RO",
        "RR",
        "SC",
        "SP",
        "SE",
        "TO",
    ]
)
_MAX_TEXT = 200


class AddressType(enum.Enum):
    """What an address is for (shops use ``default`` and ``delivery``)."""

    DEFAULT = "default"
    DELIVERY = "delivery"
    BILLING = "billing"
    HOME = "home"
    WORK = "work"
    OTHER = "other"


def _text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidAddress("expected text", code=Code.INVALID_ADDRESS, field=field)
    cleaned = " ".join(check_printable(value, field).split())
    if len(cleaned) > _MAX_TEXT:
        raise InvalidAddress("too long", code=Code.INVALID_ADDRESS, field=field)
    return cleaned or None


@attrs.frozen
class Address:
    """A postal address; build it with :meth:`create`, which validates."""

    type: AddressType = AddressType.DEFAULT
    street: str | None = None
    number: str | None = None
    complement: str | None = None
    neighborhood: str | None = None
    city: str | None = None
    uf: str | None = None
    cep: str | None = None
    country: str = "BR"
    active: bool = True

    @classmethod
    def create(
        cls,
        *,
        type: AddressType | str = AddressType.DEFAULT,
        street: str | None = None,
        number: str | None = None,
        complement: str | None = None,
        neighborhood: str | None = None,
        city: str | None = None,
        uf: str | None = None,
        cep: str | None = None,
        country: str = "BR",
        active: bool = True,
        field: str = "addresses",
    ) -> Address:
        try:
            kind = type if isinstance(type, AddressType) else AddressType(type.strip().lower())
        except ValueError as exc:
            raise InvalidAddress(
                f"unknown address type {type!r}", code=Code.INVALID_ADDRESS, field=f"{field}.type"
            ) from exc
        country_code = (country or "BR").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country_code):
            raise InvalidAddress(
                "country must be an ISO 3166 alpha-2 code",
                code=Code.INVALID_ADDRESS,
                field=f"{field}.country",
            )
        state = _text(uf, f"{field}.uf")
        postal = _text(cep, f"{field}.cep")
        if country_code == "BR":
            state, postal = _brazilian_state(state, field), _brazilian_cep(postal, field)
        address = cls(
            type=kind,
            street=_text(street, f"{field}.street"),
            number=_text(number, f"{field}.number"),
            complement=_text(complement, f"{field}.complement"),
            neighborhood=_text(neighborhood, f"{field}.neighborhood"),
            city=_text(city, f"{field}.city"),
            uf=state,
            cep=postal,
            country=country_code,
            active=bool(active),
        )
        if not any((address.street, address.city, address.cep)):
            raise InvalidAddress(
                "an address needs at least a street, a city or a CEP",
                code=Code.INVALID_ADDRESS,
                field=field,
            )
        return address

    def __str__(self) -> str:
        first = ", ".join(p for p in (self.street, self.number, self.complement) if p)
        place = " - ".join(p for p in (self.neighborhood, self.city, self.uf) if p)
        return " | ".join(p for p in (first, place, self.cep or "", self.country) if p)


def _brazilian_state(state: str | None, field: str) -> str | None:
    if state is None:
        return None
    if state.upper() not in UFS:
        raise InvalidAddress(f"unknown UF {state!r}", code=Code.INVALID_UF, field=f"{field}.uf")
    return state.upper()


def _brazilian_cep(cep: str | None, field: str) -> str | None:
    if cep is None:
        return None
    digits = re.sub(r"[\s.\-]", "", cep)
    if not re.fullmatch(r"\d{8}", digits) or digits == "00000000":
        raise InvalidAddress("a CEP has 8 digits", code=Code.INVALID_CEP, field=f"{field}.cep")
    return f"{digits[:5]}-{digits[5:]}"


# ISO 639-1: the two-letter codes in use.
_ISO_639_1 = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)


@attrs.frozen
class Language:
    """An ISO 639-1 language code; a regional tag like ``pt-BR`` keeps its language.

    >>> Language.parse("pt-BR")
    Language(code='pt')
    """

    code: str

    @classmethod
    def parse(cls, text: str, /, *, field: str = "language") -> Language:
        code = str(text).strip().lower().replace("_", "-").split("-", 1)[0]
        if code not in _ISO_639_1:
            raise InvalidLanguage(
                f"{text!r} is not an ISO 639-1 code", code=Code.INVALID_LANGUAGE, field=field
            )
        return cls(code)

    def __str__(self) -> str:
        return self.code
