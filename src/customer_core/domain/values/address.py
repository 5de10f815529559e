"""Postal addresses (*endereços*).

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
from customer_core.errors import InvalidAddress

__all__ = ["UFS", "Address", "AddressType"]

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
        raise InvalidAddress("expected text", code="invalid_address", field=field)
    cleaned = " ".join(check_printable(value, field).split())
    if len(cleaned) > _MAX_TEXT:
        raise InvalidAddress("too long", code="invalid_address", field=field)
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
                f"unknown address type {type!r}", code="invalid_address", field=f"{field}.type"
            ) from exc
        country_code = (country or "BR").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country_code):
            raise InvalidAddress(
                "country must be an ISO 3166 alpha-2 code",
                code="invalid_address",
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
                code="invalid_address",
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
        raise InvalidAddress(f"unknown UF {state!r}", code="invalid_uf", field=f"{field}.uf")
    return state.upper()


def _brazilian_cep(cep: str | None, field: str) -> str | None:
    if cep is None:
        return None
    digits = re.sub(r"[\s.\-]", "", cep)
    if not re.fullmatch(r"\d{8}", digits) or digits == "00000000":
        raise InvalidAddress("a CEP has 8 digits", code="invalid_cep", field=f"{field}.cep")
    return f"{digits[:5]}-{digits[5:]}"
