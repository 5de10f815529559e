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

``create`` (and :meth:`Language.parse`) is the way in for what people type.
The constructors take the canonical form only (``create`` returns it, storage
holds it) and check it cheaply, as stored records are loaded through them:

>>> Address(street="Rua A", cep="01310100")
Traceback (most recent call last):
...
customer_core.errors.InvalidAddress: invalid_cep [addresses.cep]: a CEP is 00000-000
"""

from __future__ import annotations

import enum
import re
import unicodedata

import attrs

from customer_core.domain.values._data.states import CEP_RANGES, STATE_NAMES
from customer_core.domain.values.text import clean_text
from customer_core.errors import Code, InvalidAddress

__all__ = ["UFS", "Address", "AddressType", "cep_with_dropped_zero"]

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
    cleaned = " ".join(clean_text(value, field).split())
    if len(cleaned) > _MAX_TEXT:
        raise InvalidAddress("too long", code=Code.INVALID_ADDRESS, field=field)
    return cleaned or None


def _invalid(message: str, part: str, code: Code = Code.INVALID_ADDRESS) -> InvalidAddress:
    return InvalidAddress(message, code=code, field=f"addresses.{part}" if part else "addresses")


_TEXT_PARTS = ("street", "number", "complement", "neighborhood", "city", "uf", "cep")
_CEP = re.compile(r"\d{5}-\d{3}")  # \d as _brazilian_cep reads it
_COUNTRY = re.compile(r"[A-Z]{2}")


def _check_texts(texts: tuple[object, ...]) -> None:
    """What :func:`_text` leaves: none, or 1 to 200 characters without control characters."""
    for part, text in zip(_TEXT_PARTS, texts, strict=True):
        if text is None:
            continue
        if not isinstance(text, str) or not 0 < len(text) <= _MAX_TEXT:
            raise _invalid(f"expected text of 1 to {_MAX_TEXT} characters", part)
        if not text.isprintable() and any(unicodedata.category(c) == "Cc" for c in text):
            raise _invalid("control characters are not allowed", part)


@attrs.frozen
class Address:
    """A postal address; build it with :meth:`create`, which validates and normalizes.

    The constructor takes the canonical form only: a Brazilian UF in capitals
    and CEP as ``00000-000``, at least a street, a city, a UF or a CEP.
    """

    type: AddressType = AddressType.DEFAULT
    street: str | None = None
    number: str | None = None
    complement: str | None = None
    neighborhood: str | None = None
    city: str | None = None
    uf: str | None = None
    cep: str | None = None
    country: str = "BR"
    active: bool = attrs.field(default=True)

    @active.validator
    def _check_canonical(self, _: attrs.Attribute[bool], active: object) -> None:
        """Cheap (stored addresses are loaded through here); attrs runs validators
        once every field is set, so one checks them all."""
        if not isinstance(self.type, AddressType):
            raise _invalid(f"unknown address type {self.type!r}", "type")
        texts = (
            self.street,
            self.number,
            self.complement,
            self.neighborhood,
            self.city,
            self.uf,
            self.cep,
        )
        for text in texts:  # the common case inline; _check_texts says what is wrong
            if text is not None and not (
                isinstance(text, str) and 0 < len(text) <= _MAX_TEXT and text.isprintable()
            ):
                _check_texts(texts)
        country = self.country
        if country == "BR":
            if self.uf is not None and self.uf not in UFS:
                raise _invalid(f"unknown UF {self.uf!r}", "uf", Code.INVALID_UF)
            cep = self.cep
            if cep is not None and (not _CEP.fullmatch(cep) or cep == "00000-000"):
                raise _invalid("a CEP is 00000-000", "cep", Code.INVALID_CEP)
        elif not isinstance(country, str) or not _COUNTRY.fullmatch(country):
            raise _invalid("country must be an ISO 3166 alpha-2 code", "country")
        if not isinstance(active, bool):
            raise _invalid("active is true or false", "active")
        if self.street is None and self.city is None and self.cep is None and self.uf is None:
            raise _invalid("an address needs at least a street, a city, a UF or a CEP", "")

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
        active: bool | str | int | None = True,
        field: str = "addresses",
    ) -> Address:
        """The address of what a form or a file gives, validated and normalized.

        ``active`` (the *situação*) is a bool, ``0``/``1``, or text as forms
        send it, in any case, with or without accents: ``true``/``false``,
        ``1``/``0``, ``sim``/``não``, ``s``/``n``, ``ativo``/``inativo``
        (``ativa``/``inativa``), ``yes``/``no``. ``None`` is not given: active.
        Anything else is refused, never read as true.

        >>> Address.create(city="Recife", active="Não").active
        False
        """
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
            state = _brazilian_state(state, field)
            postal = _brazilian_cep(postal, field, state)
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
            active=_active(active, field),
        )
        if not any((address.street, address.city, address.cep, address.uf)):
            raise InvalidAddress(
                "an address needs at least a street, a city, a UF or a CEP",
                code=Code.INVALID_ADDRESS,
                field=field,
            )
        return address

    def __repr__(self) -> str:
        # Where someone lives is personal: the street, number, complement,
        # neighbourhood and CEP never print; the city and state say enough.
        hidden = [
            n for n in ("street", "number", "complement", "neighborhood", "cep") if getattr(self, n)
        ]
        shown = f"{self.type.value}, city={self.city!r}, uf={self.uf!r}"
        return f"Address({shown}, hidden={hidden})" if hidden else f"Address({shown})"

    def __str__(self) -> str:
        first = ", ".join(p for p in (self.street, self.number, self.complement) if p)
        place = " - ".join(p for p in (self.neighborhood, self.city, self.uf) if p)
        return " | ".join(p for p in (first, place, self.cep or "", self.country) if p)


_ACTIVE = {
    **dict.fromkeys(("true", "1", "sim", "s", "ativo", "ativa", "yes", "y"), True),
    **dict.fromkeys(("false", "0", "nao", "n", "inativo", "inativa", "no"), False),
}


def _active(value: object, field: str) -> bool:
    """Whether the address is in use, from a bool, 0/1 or its usual spellings."""
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    found = _ACTIVE.get(_fold(value)) if isinstance(value, str) else None
    if found is None:
        raise InvalidAddress(
            "active is true or false (sim/não, ativo/inativo, 1/0)",
            code=Code.INVALID_ADDRESS,
            field=f"{field}.active",
            reason="active",
        )
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _brazilian_state(state: str | None, field: str) -> str | None:
    """The UF of ``state``: the code (any case) or the state's name, accents or not."""
    if state is None:
        return None
    if state.upper() in UFS:
        return state.upper()
    named = STATE_NAMES.get(_fold(state))
    if named is None:
        raise InvalidAddress(f"unknown UF {state!r}", code=Code.INVALID_UF, field=f"{field}.uf")
    return named


def _in_state(digits: str, uf: str | None) -> bool:
    prefix = int(digits[:5])
    return uf is not None and any(low <= prefix <= high for low, high in CEP_RANGES.get(uf, ()))


def cep_with_dropped_zero(text: str, /, *, uf: str | None = None) -> str | None:
    """The CEP a spreadsheet wrote as a number (``1310100``, its leading zero dropped), or ``None``.

    Only 7 digits, padded, and only when the padded CEP lies in the state
    ``uf`` (a UF code or name) or, without a known UF, in some state: São
    Paulo's ``0xxxx-xxx`` CEPs are the ones a spreadsheet shortens.

    >>> cep_with_dropped_zero("1310100"), cep_with_dropped_zero("1310100", uf="RJ")
    ('01310-100', None)
    >>> cep_with_dropped_zero("0000123"), cep_with_dropped_zero("01310-10")
    (None, None)
    """
    if not (len(text) == 7 and text.isascii() and text.isdigit()):
        return None
    digits = "0" + text
    try:
        state = _brazilian_state(uf.strip() or None if uf is not None else None, "address")
    except InvalidAddress:
        state = None  # an unknown UF is refused on its own; the CEP is judged without it
    states = (state,) if state is not None else tuple(CEP_RANGES)
    if not any(_in_state(digits, s) for s in states):
        return None
    return f"{digits[:5]}-{digits[5:]}"


def _brazilian_cep(cep: str | None, field: str, uf: str | None = None) -> str | None:
    """``01310-100`` from ``01310-100``, ``01310100`` or ``01.310-100``.

    A CEP that lost its leading zero in a spreadsheet (7 digits) is padded
    when the padded CEP lies in the address's state; without a state it
    cannot be told from a mistyped one, and is refused.
    """
    if cep is None:
        return None
    digits = re.sub(r"[\s.\-]", "", cep)
    if re.fullmatch(r"\d{7}", digits) and _in_state("0" + digits, uf):
        digits = "0" + digits
    if not re.fullmatch(r"\d{8}", digits):
        raise InvalidAddress("a CEP has 8 digits", code=Code.INVALID_CEP, field=f"{field}.cep")
    if digits == "00000000":  # a placeholder for "unknown", never a real CEP
        raise InvalidAddress("no CEP is all zeros", code=Code.INVALID_CEP, field=f"{field}.cep")
    return f"{digits[:5]}-{digits[5:]}"
