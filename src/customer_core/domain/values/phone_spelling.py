"""How people type a phone number, down to a valid ``phonenumbers`` number.

The clean-up of :meth:`~customer_core.domain.values.phone.Phone.parse`: the
schemes, notes, extensions and prefixes around a number, the Brazilian national
forms (trunk 0, carrier codes, ``0055``, the missing ninth digit), and the
patterns that type a canonical Brazilian number without ``phonenumbers.parse``.
:mod:`customer_core.domain.values.phone` builds the value from what is found here.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberType

from customer_core.errors import Code, InvalidPhone

#: An extension after the number: ``ramal 25``, ``ramal: 25``, ``r. 25``, ``R: 25``,
#: ``ext=25``, ``x25``, ``#25``.
_EXTENSION = re.compile(
    r"\s*(?:(?:ramal|ram|r|extens[aã]o)\.?\s*:?|;?\s*ext\s*[.=:]?|x|#)\s*(\d{1,7})\s*$",
    re.IGNORECASE,
)
#: What people write before a number that is still just the number.
_SCHEME = re.compile(r"^(?:tel:|whatsapp:|(?:https?://)?(?:api\.)?wa\.me/)\s*", re.IGNORECASE)
#: The words of a note beside the number in the same cell: what the line is, not part of it.
_NOTE_WORDS = (
    r"whats(?:app)?|zap|wpp|cel(?:ular)?|comercial|com\.|res|residencial|fixo"
    r"|tel(?:efone)?|fone|(?P<recado>recados?)|(?P<fax>fax)"
)
#: A note after the number (``11 98765-4321 (whats)``).
_NOTE = re.compile(rf"[\s\-:]*\(?\s*(?:{_NOTE_WORDS})\.?\s*\)?\s*$", re.IGNORECASE)
#: A note before it (``Cel: 11 98765-4321``, ``(whats) 11 ...``): only when the
#: number starts right after it, so a number is never picked out of a sentence.
_LEADING_NOTE = re.compile(rf"^\(?\s*(?:{_NOTE_WORDS})\.?\s*\)?[\s\-:]*(?=[\d(+])", re.IGNORECASE)
#: The trunk prefix written as "0xx" (0 + carrier placeholder) before the area code.
_ZERO_XX = re.compile(r"0\s*x\s*x\s*", re.IGNORECASE)
#: "11/98765-4321": a two-digit left side of a slash is the area code.
_AREA_SLASH = re.compile(r"^\(?(\d{2})\)?\s*/\s*(?=\d)")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
#: Numbers valid in every area without a DDD: the capitals-wide 3003/4003/4004 lines.
_BR_NO_AREA = ("3003", "4003", "4004")
TWO_NUMBERS = re.compile(r"[/;,|]|\s(?:ou|e|or|and)\s", re.IGNORECASE)
_ALLOWED = re.compile(r"[\d\s().+\-]*")
_BR_SPECIAL_PREFIXES = ("0300", "0500", "0800", "0900")
MAX_DIGITS = 17  # 15 of E.164 plus an international access and carrier prefix
_MAX_NATIONAL = 17  # the longest national number phonenumbers.parse accepts
#: What parse strips from the start of a Brazilian national number: the trunk
#: 0 or the collect-call prefix 90, each with a carrier code. No area code
#: (DDD) starts with 0 or is 90, so any other number is kept whole.
_BR_PARSING_PREFIXES = ("0", "90")


def fail(message: str, field: str, **details: str) -> InvalidPhone:
    return InvalidPhone(message, code=Code.INVALID_PHONE, field=field, **details)


#: What a note says about the line, when it says more than what the number tells.
RECADO, FAX = "recado", "fax"


def _note_kind(found: re.Match[str]) -> str | None:
    if found.group("recado") is not None:
        return RECADO
    return FAX if found.group("fax") is not None else None


def clean(text: object, field: str) -> tuple[str, str | None, str | None]:
    """Return ``(number part, extension, note)`` after Unicode, prefix, note and
    extension clean-up; ``note`` is :data:`RECADO` or :data:`FAX` when the note
    was ``recado`` (someone else's line) or ``fax`` (the line's type), else ``None``.

    Only the real spellings of one number are accepted: ``tel:``/``whatsapp:``/
    ``wa.me/`` before it, ``0xx`` for the trunk prefix, ``11/`` for the area
    code, ``++55``, dashes of any kind, invisible spaces, full-width digits,
    and a note before or after it, one of a few words (``(whats)``, ``cel``,
    ``fone``, ``comercial``, ``res.``, ``recado``, ``fax``...; ``Cel: 11 98765-4321``,
    ``11 98765-4321 (whats)``), and an extension after it (``ramal: 25``,
    ``R: 25``). Other letters are refused: a number is never picked out of other text.
    """
    if not isinstance(text, str):
        raise fail("expected text", field)
    # NFKC turns full-width digits into ASCII and non-breaking spaces into spaces.
    cleaned = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    cleaned = _SCHEME.sub("", cleaned.strip())
    note: str | None = None
    leading = _LEADING_NOTE.match(cleaned)
    if leading is not None:
        note = _note_kind(leading)
        cleaned = cleaned[leading.end() :]
    trailing = _NOTE.search(cleaned)
    if trailing is not None:
        # A recado is someone else's line whatever the other note says.
        note = RECADO if RECADO in (note, _note_kind(trailing)) else note or _note_kind(trailing)
        cleaned = cleaned[: trailing.start()].strip()
    cleaned = _AREA_SLASH.sub(r"\1 ", _ZERO_XX.sub("0", cleaned))
    if cleaned.startswith("++"):
        cleaned = "+" + cleaned.lstrip("+")
    if not cleaned:
        raise fail("the number is empty", field, reason="empty")
    extension = None
    found = _EXTENSION.search(cleaned)
    if found and found.start() > 0:
        extension = found.group(1)
        cleaned = cleaned[: found.start()]
    if TWO_NUMBERS.search(cleaned):
        raise fail("one field holds more than one number", field, reason="two_numbers")
    if not _ALLOWED.fullmatch(cleaned):
        raise fail("the number has letters or symbols", field, reason="characters")
    if "+" in cleaned.lstrip("+ ") or cleaned.count("+") > 1:
        raise fail("misplaced '+'", field, reason="characters")
    return cleaned, extension, note


def trailing_notes(text: str) -> tuple[str, str | None, str | None]:
    """``(number part, extension, note)``: what :func:`clean` takes off the end of a number.

    For the number column of a form (DDI / DDD / number), where the rest of
    the text is read as digits: ``3333-4444 ramal 25``, ``2222-3333 recado``,
    ``3333-4445 fax`` (``note`` as :func:`clean` gives it).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    note: str | None = None
    trailing = _NOTE.search(cleaned)
    if trailing is not None and trailing.start() > 0:
        note = _note_kind(trailing)
        cleaned = cleaned[: trailing.start()].strip()
    extension = None
    found = _EXTENSION.search(cleaned)
    if found and found.start() > 0:
        extension = found.group(1)
        cleaned = cleaned[: found.start()]
    return cleaned, extension, note


def br_national(digits: str, field: str) -> str:
    """National significant number from digits typed without ``+``, Brazilian habits."""
    if digits.startswith(_BR_SPECIAL_PREFIXES):
        return digits[1:]
    if digits.startswith("0"):
        # 0 + DDD + number, or 0 + carrier (2 digits) + DDD + number.
        if len(digits) in (11, 12):
            digits = digits[1:]
        elif len(digits) in (13, 14):
            digits = digits[3:]
    elif digits.startswith("55") and len(digits) in (12, 13):
        digits = digits[2:]
    if len(digits) == 8 and digits.startswith(_BR_NO_AREA):
        return digits
    if len(digits) in (8, 9):
        raise fail("the number has no area code (DDD)", field, reason="no_area_code")
    if len(digits) < 8:
        raise fail("the number is too short", field, reason="too_short")
    if len(digits) > 11:
        raise fail("the number is too long", field, reason="too_long")
    return digits


def modernize_br(nsn: str) -> str:
    """Insert the ninth digit into an 8-digit mobile (DDD + [6-9]xxxxxxx): the line key."""
    if len(nsn) == 10 and nsn[2] in "6789":
        return nsn[:2] + "9" + nsn[2:]
    return nsn


def br_forms(digits: str) -> tuple[str, ...]:
    """The international digits to try for ``digits`` (55 + national), the one to keep first.

    An 8-digit mobile starting with 6, 8 or 9 is a legacy spelling that only
    the ninth digit makes valid; one starting with 7 may be valid as typed
    (``(31) 7123-4567``), and then it keeps its E.164 (the line key still
    links it with its 9-digit form, :attr:`Phone.match_key`). Trying the
    typed form only there keeps the usual parse to one validation.
    """
    if len(digits) != 12 or digits[4] not in "6789" or not digits.startswith("55"):
        return (digits,)
    modern = "55" + modernize_br(digits[2:])
    return (digits, modern) if digits[4] == "7" else (modern,)


def parse_international(digits: str) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse("+" + digits)`` for a string of digits, without its text scanning.

    Parsing is most of the cost of a phone, and a Brazilian number in
    canonical form (55, then the national number) needs none of its scanning:
    the number is built directly, unless ``parse`` could build another one (a
    national prefix it would strip, a length it refuses); those cases, and
    other countries, go through ``parse`` itself. Validation is unchanged.
    """
    national = digits[2:]
    if (
        digits.startswith("55")
        and 2 <= len(national) <= _MAX_NATIONAL
        and not national.startswith(_BR_PARSING_PREFIXES)
    ):
        return phonenumbers.PhoneNumber(country_code=55, national_number=int(national))
    return phonenumbers.parse("+" + digits, None)


def to_number(
    cleaned: str, default_region: str, field: str
) -> tuple[phonenumbers.PhoneNumber, int]:
    """The valid number and its phonenumbers type."""
    digits = re.sub(r"\D", "", cleaned)
    if len(digits) > MAX_DIGITS:
        raise fail("the number is too long", field, reason="too_long")
    candidates: list[str]
    if cleaned.startswith("+"):
        candidates = [digits]
    elif digits.startswith("00"):
        rest = digits[2:]
        candidates = [rest, rest[2:]]  # 00 + country, or 00 + carrier + country
    elif default_region == "BR":
        candidates = ["55" + br_national(digits, field)]
    else:
        try:
            number = phonenumbers.parse(digits, default_region)
        except phonenumbers.NumberParseException as exc:
            raise fail("not a phone number", field, reason="unparseable") from exc
        candidates = [f"{number.country_code}{number.national_number}"]
    for candidate in candidates:
        for form in br_forms(candidate):
            try:
                number = parse_international(form)
            except phonenumbers.NumberParseException:
                continue
            # is_valid_number is "number_type is not UNKNOWN" (the same pattern
            # match on the same metadata), so one match validates and types it.
            kind = phonenumbers.number_type(number)
            if kind != PhoneNumberType.UNKNOWN:
                return number, kind
    raise fail("not a valid phone number", field, reason="invalid_number")


#: The descriptions ``phonenumbers.number_type`` tries, in its order after the
#: general one: the special services, then fixed line and mobile.
_SPECIAL_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
_Patterns = tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]


def _patterns_by_length(region: str) -> dict[int, tuple[_Patterns, re.Pattern[str] | None]]:
    """For each national length: (general, fixed, mobile) patterns and the special services'.

    A description matches a number of a length it lists (or of any length when
    it lists none) whose digits its pattern matches; a description without a
    pattern matches nothing (as in phonenumbers). Special services of one
    length are joined into one pattern: any match steps aside.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)

    def pattern(name: str, length: int) -> str | None:
        desc = getattr(metadata, name)
        if desc is None or not desc.national_number_pattern:
            return None
        lengths = desc.possible_length or ()
        return desc.national_number_pattern if not lengths or length in lengths else None

    out: dict[int, tuple[_Patterns, re.Pattern[str] | None]] = {}
    for length in range(2, _MAX_NATIONAL + 1):
        general, fixed, mobile = (
            re.compile(p) if (p := pattern(n, length)) else None
            for n in ("general_desc", "fixed_line", "mobile")
        )
        special = [p for p in (pattern(n, length) for n in _SPECIAL_DESCS) if p]
        out[length] = (
            (general, fixed, mobile),
            re.compile("|".join(f"(?:{p})" for p in special)) if special else None,
        )
    return out


BR_PATTERNS = _patterns_by_length("BR")
BR_CANONICAL = re.compile(r"\+55([1-9]\d{9,10})")
