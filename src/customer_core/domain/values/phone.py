"""Phone numbers (*telefones*): E.164, a type, an optional extension (*ramal*).

Brazilians type numbers in many ways that all denote the same line: with or
without ``+55``, with ``0055`` or a carrier-selection prefix (``0 21 11 ...``),
with the trunk ``0`` before the area code (*DDD*), with the old 8-digit mobile
format that WhatsApp ids of old accounts still carry. :class:`Phone` parses them
all, validates with phonenumbers, keeps what was typed for display, and gives a
:attr:`~Phone.match_key` that is equal for the same line.

>>> from customer_core import Phone
>>> p = Phone.parse("(11) 98765-4321")
>>> str(p), p.national, p.type.value
('+55 11 98765-4321', '(11) 98765-4321', 'mobile')
>>> Phone.parse("0055 11 8765-4321").match_key == p.match_key
True
>>> Phone.parse("Cel: (11) 98765-4321") == Phone.parse("11 98765-4321 (whats)") == p
True
>>> Phone.parse("98765-4321")
Traceback (most recent call last):
...
customer_core.errors.InvalidPhone: invalid_phone [phone]: the number has no area code (DDD)

``parse`` (and :meth:`~Phone.from_parts`) is the way in for what people type.
The constructor takes the canonical form only (E.164, a :class:`PhoneType`, a
digits-only extension) and checks its shape cheaply, as stored records are
loaded through it; only ``parse`` asks phonenumbers whether the line exists:

>>> Phone("+5511987654321", PhoneType.MOBILE) == p
True
>>> Phone("(11) 98765-4321")
Traceback (most recent call last):
...
customer_core.errors.InvalidPhone: invalid_phone [phone]: not an E.164 number ('+' and 6 to 17 digits)
"""

from __future__ import annotations

import enum
import re
import unicodedata
from functools import lru_cache

import attrs
import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from customer_core.domain.values.phone_spelling import (
    BR_CANONICAL,
    BR_PATTERNS,
    FAX,
    MAX_DIGITS,
    RECADO,
    TWO_NUMBERS,
    clean,
    fail,
    modernize_br,
    to_number,
    trailing_notes,
)
from customer_core.errors import InvalidPhone

__all__ = [
    "Phone",
    "PhoneType",
    "line_key",
    "parse_phones",
    "phone_match_key",
    "phones_from_parts",
]

#: Parses of raw text kept per process (phones and e-mails each), most recent first.
PARSE_CACHE_SIZE = 4096


class PhoneType(enum.Enum):
    """The kind of line; ``mobile`` and ``landline`` are inferred when not given."""

    MOBILE = "mobile"
    LANDLINE = "landline"
    HOME = "home"
    WORK = "work"
    FAX = "fax"
    OTHER = "other"


def _canonical_br(text: str) -> Phone | None:
    """The phone of a Brazilian number already written as E.164, or ``None``.

    Gateways (WhatsApp, SMS, telephony) send ``+55`` and the national number,
    and for those the whole of ``parse`` (clean-up, ``phonenumbers.parse``
    and ``number_type``'s walk over every number description) comes down to
    the same metadata's patterns, matched here directly. Anything else, a
    legacy 8-digit mobile that gains its ninth digit included, takes the full path.
    """
    found = BR_CANONICAL.fullmatch(text)
    if found is None:
        return None
    national = found.group(1)
    if len(national) == 10 and national[2] in "6789":
        return None  # a legacy mobile: modernized by the full path
    (general, fixed, mobile), special = BR_PATTERNS[len(national)]
    if general is None or not general.fullmatch(national):
        return None
    if special is not None and special.fullmatch(national):
        return None
    is_mobile = mobile is not None and mobile.fullmatch(national) is not None
    if fixed is not None and fixed.fullmatch(national):
        # number_type's "fixed line or mobile" (patterns that overlap) is a mobile.
        kind = PhoneType.MOBILE if is_mobile else PhoneType.LANDLINE
    elif is_mobile:
        kind = PhoneType.MOBILE
    else:
        return None
    return Phone(e164=text, type=kind, typed=text)


_TYPE_FROM_LIBRARY = {
    PhoneNumberType.MOBILE: PhoneType.MOBILE,
    PhoneNumberType.FIXED_LINE: PhoneType.LANDLINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneType.MOBILE,
}


def _mask(e164: str) -> str:
    return e164[:3] + "*" * (len(e164) - 7) + e164[-4:]


#: The E.164 form of every number ``parse`` accepts: "+", a country code, and
#: 6 to 17 digits in all (phonenumbers calls a few numbers valid that are
#: shorter or longer than the 7 to 15 digits of E.164 proper: "+43 1110",
#: 17-digit German fixed lines; ``parse`` takes up to 17 digits).
_E164 = re.compile(rf"\+[1-9][0-9]{{5,{MAX_DIGITS - 1}}}")


@attrs.frozen(repr=False)
class Phone:
    """A valid phone line. Equality ignores how it was typed.

    Build it with :meth:`parse` or :meth:`from_parts`; the constructor takes
    the canonical form only and checks its shape, not whether the line exists.
    """

    e164: str
    type: PhoneType = PhoneType.OTHER
    extension: str | None = None
    typed: str = attrs.field(default="", eq=False)
    #: A number to leave messages with (*recado*): someone else's line, typed
    #: with the note ``recado``. It is kept to call, never used as evidence
    #: of who the customer is (:attr:`is_identity`).
    message_number: bool = attrs.field(default=False)

    @message_number.validator
    def _check_canonical(self, _: attrs.Attribute[bool], message_number: object) -> None:
        """The canonical form, cheaply (stored phones are loaded through here); attrs
        runs validators once every field is set, so one checks them all."""
        if not isinstance(self.e164, str) or not _E164.fullmatch(self.e164):
            raise fail(
                f"not an E.164 number ('+' and 6 to {MAX_DIGITS} digits)", "phone", reason="e164"
            )
        if not isinstance(self.type, PhoneType):
            raise fail(f"unknown phone type {self.type!r}", "phone", reason="type")
        extension = self.extension  # parse's test (str.isdigit is False for "")
        if extension is not None and not (isinstance(extension, str) and extension.isdigit()):
            raise fail("the extension must be digits", "phone", reason="extension")
        if not isinstance(self.typed, str):
            raise fail("what was typed is text", "phone", reason="characters")
        if not isinstance(message_number, bool):
            raise fail("message_number is true or false", "phone", reason="type")

    @classmethod
    def parse(
        cls,
        text: str,
        /,
        *,
        default_region: str = "BR",
        type: PhoneType | str | None = None,
        extension: str | int | None = None,
        field: str = "phone",
    ) -> Phone:
        """Parse what a user typed; ``type`` is inferred when not given.

        ``extension`` is text of digits or a non-negative integer (a JSON
        form sends numbers): ``25`` is ``"25"``. Anything else, and a
        ``type`` that is not a :class:`PhoneType` or its text, is refused
        with ``details["reason"]`` ``extension`` or ``type``.
        """
        if cls is Phone and type is None and extension is None and isinstance(text, str):
            return _canonical_br(text) or _parse_text(text, default_region, field)
        return cls._parse(text, default_region, type, extension, field)

    @classmethod
    def _parse(
        cls,
        text: str,
        default_region: str,
        type: PhoneType | str | None,
        extension: str | int | None,
        field: str,
    ) -> Phone:
        cleaned, typed_extension, note = clean(text, field)
        number, kind = to_number(cleaned, default_region.upper(), field)
        ext = _extension(extension, field) or typed_extension
        recado = note == RECADO
        # A type given apart wins over the note typed with the number.
        noted = {RECADO: PhoneType.OTHER, FAX: PhoneType.FAX}.get(note or "")
        return cls(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            type=_phone_type(noted if type is None else type, kind, field),
            extension=ext,
            typed=text.strip(),
            message_number=recado,
        )

    @classmethod
    def from_parts(
        cls,
        country_code: str | int,
        area_code: str | int | None,
        number: str | int,
        /,
        *,
        type: PhoneType | str | None = None,
        extension: str | int | None = None,
        field: str = "phone",
    ) -> Phone:
        """Build from the separate DDI / DDD / number fields of a form.

        People fill these in their own ways: the DDI as ``0055`` or ``+55``,
        and in Brazil the DDD again at the start of the number, or only
        there:

        >>> Phone.from_parts("0055", "", "11 98765-4321").e164
        '+5511987654321'
        >>> Phone.from_parts("55", "11", "(11) 98765-4321").e164
        '+5511987654321'

        An extension (*ramal*) or a ``recado``/``fax`` note after the number is kept:

        >>> Phone.from_parts("55", "11", "3333-4444 ramal 25 recado").extension
        '25'
        """
        cc = re.sub(r"\D", "", str(country_code)).lstrip("0")
        area = re.sub(r"\D", "", str(area_code or "")).lstrip("0")
        number_part, typed_extension, note = trailing_notes(str(number))
        local = re.sub(r"\D", "", number_part)
        if not cc:
            raise fail("the country code (DDI) is missing", field, reason="no_country_code")
        if cc == "55":
            with_area = local.lstrip("0")  # a trunk 0 before the DDD
            starts_with_area = "0" not in with_area[:2]  # DDDs are 11 to 99, no 0 digit
            if (
                len(with_area) in (10, 11)
                and starts_with_area
                and (not area or with_area.startswith(area))
            ):
                # A Brazilian number without its DDD has 8 or 9 digits.
                area, local = with_area[:2], with_area[2:]
            if len(area) != 2:
                raise fail("the number has no area code (DDD)", field, reason="no_area_code")
        if not local:
            raise fail("the number is empty", field, reason="empty")
        return cls.parse(
            f"+{cc} {area} {local} {note or ''}".rstrip(),
            type=type,
            extension=extension or typed_extension,
            field=field,
        )

    @classmethod
    def is_valid(cls, text: str, /, *, default_region: str = "BR") -> bool:
        try:
            cls.parse(text, default_region=default_region)
        except InvalidPhone:
            return False
        return True

    @property
    def _number(self) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(self.e164, None)

    @property
    def national(self) -> str:
        """National display form, e.g. ``(11) 98765-4321``."""
        return phonenumbers.format_number(self._number, PhoneNumberFormat.NATIONAL)

    @property
    def international(self) -> str:
        return phonenumbers.format_number(self._number, PhoneNumberFormat.INTERNATIONAL)

    @property
    def country_code(self) -> int:
        return int(self._number.country_code or 0)

    @property
    def is_identity(self) -> bool:
        """Whether the number is evidence of who holds it: not a *recado* number.

        A message number (someone else's phone) gives no identity key, and
        inbound, import grouping and duplicate matching never match on it.

        >>> Phone.parse("11 98765-4321 (recado)").is_identity
        False
        """
        return not self.message_number

    @property
    def match_key(self) -> str:
        """Digits of the E.164 form with the ninth digit of a Brazilian mobile: the line key.

        Equal for every spelling of the same line, and for an 8-digit number
        kept as typed and its 9-digit form:

        >>> old = Phone.parse("+55 31 7123-4567")
        >>> old.e164, old.match_key == Phone.parse("(31) 97123-4567").match_key
        ('+553171234567', True)
        """
        return line_key(self.e164)

    def __str__(self) -> str:
        text = self.international
        return f"{text} ramal {self.extension}" if self.extension else text

    def __repr__(self) -> str:
        note = ", recado" if self.message_number else ""
        return f"Phone('{_mask(self.e164)}', {self.type.value}{note})"


def _extension(extension: object, field: str) -> str | None:
    """The extension given apart from the number: digits, as text or a non-negative int."""
    if extension is None:
        return None
    if isinstance(extension, int) and not isinstance(extension, bool) and extension >= 0:
        return str(extension)
    if isinstance(extension, str):
        text = extension.strip()
        if not text:
            return None  # an empty form field: the extension typed with the number, if any
        if text.isdecimal():  # full-width or other Unicode digits as ASCII ones
            return "".join(str(unicodedata.decimal(c)) for c in text)
    raise fail("the extension must be digits", field, reason="extension")


def _phone_type(requested: object, library_type: int, field: str) -> PhoneType:
    if requested is None:
        return _TYPE_FROM_LIBRARY.get(library_type, PhoneType.OTHER)
    if isinstance(requested, PhoneType):
        return requested
    if not isinstance(requested, str):
        raise fail(f"unknown phone type {requested!r}", field, reason="type")
    try:
        return PhoneType(requested.strip().lower())
    except ValueError as exc:
        raise fail(f"unknown phone type {requested!r}", field, reason="type") from exc


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_text(text: str, default_region: str, field: str) -> Phone:
    # The same senders and customers come back: a phone is immutable, so the
    # parse of the same text is shared (failures are not cached, they raise).
    return Phone._parse(text, default_region, None, None, field)


def parse_phones(text: str, /, *, default_region: str = "BR", field: str = "phone") -> list[Phone]:
    """The phones of a cell that may hold more than one (``11 3333-4444 / 11 98765-4321``).

    Split on ``/``, ``;``, ``,``, ``|``, `` e `` or `` ou `` only when every
    side is a complete number, or a Brazilian number without its area code
    beside others of one area code (it takes theirs); otherwise the error of
    the cell as a whole.

    >>> [p.e164 for p in parse_phones("11 3333-4444 / 11 98765-4321")]
    ['+551133334444', '+5511987654321']
    >>> [p.e164 for p in parse_phones("(11) 98765-5234 / 3333-5555")]
    ['+5511987655234', '+551133335555']
    """
    try:
        return [Phone.parse(text, default_region=default_region, field=field)]
    except InvalidPhone as error:
        if (error.details or {}).get("reason") != "two_numbers":
            raise
        parts = _sides(text)
        if parts is None:
            raise
        found: list[Phone | None] = []
        for part in parts:
            try:
                found.append(Phone.parse(part, default_region=default_region, field=field))
            except InvalidPhone as lost:
                if (lost.details or {}).get("reason") != "no_area_code":
                    raise error from None
                found.append(None)
        # A number written without its area code after one with it shares it
        # (``11 98765-4321 / 3333-4444``): one cell, one place.
        codes = {p.e164[3:5] for p in found if p is not None and p.e164.startswith("+55")}
        if None not in found:
            return [p for p in found if p is not None]
        if len(codes) != 1:
            raise error
        (code,) = codes
        try:
            return [
                p if p is not None else Phone.parse(f"({code}) {part}", field=field)
                for p, part in zip(found, parts, strict=True)
            ]
        except InvalidPhone:
            raise error from None


def phones_from_parts(
    country_code: str, area_code: str, text: str, /, *, field: str = "phone"
) -> list[Phone]:
    """:meth:`Phone.from_parts` for a number cell beside DDI and DDD columns that may
    hold several numbers: each side of ``98765-5234 / 3333-5555`` under the row's
    DDI and DDD, tried only when the cell is no one number (a note with a comma
    stays the number's); otherwise the error of the cell as a whole.

    >>> [p.e164 for p in phones_from_parts("55", "11", "98765-5234 / 3333-5555")]
    ['+5511987655234', '+551133335555']
    """
    try:
        return [Phone.from_parts(country_code, area_code, text, field=field)]
    except InvalidPhone as error:
        parts = _sides(text) if TWO_NUMBERS.search(text) else None
        if parts is None:
            raise
        try:
            return [Phone.from_parts(country_code, area_code, p, field=field) for p in parts]
        except InvalidPhone:
            raise error from None


def _sides(text: str) -> list[str] | None:
    """The numbers of a cell split on its separators, or ``None`` when it has one side
    or an empty one."""
    parts = [p.strip() for p in TWO_NUMBERS.split(unicodedata.normalize("NFKC", text))]
    return parts if len(parts) >= 2 and all(parts) else None


def line_key(e164: str, /) -> str:
    """:attr:`Phone.match_key` of a stored E.164 form, without building the phone.

    The duplicate report reads a million stored phones: the key is all it needs.

    >>> line_key("+553171234567"), line_key("+12125550123")
    ('5531971234567', '12125550123')
    """
    if len(e164) == 13 and e164[5] in "6789" and e164.startswith("+55"):
        return "55" + modernize_br(e164[3:])
    return e164[1:]


def phone_match_key(text: str, /, *, default_region: str = "BR") -> str | None:
    """The match key of ``text`` when it is a valid phone, else ``None`` (for search)."""
    try:
        return Phone.parse(text, default_region=default_region).match_key
    except InvalidPhone:
        return None
