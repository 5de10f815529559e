"""CPF (*Cadastro de Pessoas Físicas*, individual taxpayer id) and CNPJ
(*Cadastro Nacional da Pessoa Jurídica*, company id).

Check digits come from python-stdnum; this module adds what it lacks: CPFs and
CNPJs made of one repeated character are rejected, letters are upper-cased, and
errors are ours.

>>> from customer_core import Cpf, Cnpj, parse_tax_id
>>> cpf = Cpf.parse(" 529.982.247-25 ")
>>> str(cpf), cpf.digits
('529.982.247-25', '52998224725')
>>> cpf
Cpf('***.***.247-25')
>>> Cnpj.parse("12.abc.345/01de-35").formatted
'12.ABC.345/01DE-35'
>>> parse_tax_id("11.222.333/0001-81").root
'11222333'
>>> Cpf.parse("111.111.111-11")
Traceback (most recent call last):
...
customer_core.errors.InvalidTaxId: invalid_cpf [tax_id]: CPF made of one repeated digit

``parse`` is the way in for what people type. The constructor takes the
compact form only (what ``parse`` returns and storage holds) and checks it
cheaply, as stored records are loaded through it (the same check digits,
computed from tables rather than by stdnum):

>>> Cpf("52998224725") == cpf
True
>>> Cpf("123")
Traceback (most recent call last):
...
customer_core.errors.InvalidTaxId: invalid_cpf [tax_id]: not a CPF in compact form (11 digits)
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from operator import getitem
from typing import ClassVar, TypeVar

import attrs
from stdnum.br import cnpj as _stdnum_cnpj
from stdnum.br import cpf as _stdnum_cpf
from stdnum.exceptions import ValidationError as _StdnumError

from customer_core.errors import Code, InvalidTaxId

__all__ = [
    "CNPJ_ROOT_LENGTH",
    "Cnpj",
    "Cpf",
    "TaxId",
    "cnpj_root",
    "cpf_check_digits",
    "parse_tax_id",
    "tax_id_kind",
]

#: How many characters a CNPJ's root has (see :func:`cnpj_root`).
CNPJ_ROOT_LENGTH = 8

_SEPARATORS = re.compile(r"[\s./\-]")
#: A label typed before the number (``CPF 529.982.247-25``, ``CNPJ: 11.222...``):
#: followed by a space or a colon, so the letters of an alphanumeric CNPJ
#: (``CPF12345678901``, ``CNPJ1234567801``) are never taken for one.
_LABEL = re.compile(r"(?:CPF|CNPJ)\s*:\s*|(?:CPF|CNPJ)\s+", re.IGNORECASE)


def _compact(text: object, field: str, code: Code) -> str:
    """Label and separators removed, upper case, every Unicode digit or full-width letter in ASCII.

    A full-width ``５２９…`` (typed on a phone keyboard, pasted from a PDF) is the
    same CPF as ``529…``: it must give the same key, or it would slip past the
    identity index's uniqueness as a second, different CPF. A ``CPF``/``CNPJ``
    label is dropped and never decides the kind: the length does (a CPF
    labelled ``CNPJ`` by mistake is still read as the CPF it is).
    """
    if not isinstance(text, str):
        raise InvalidTaxId("expected text", code=code, field=field)
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in folded)
    folded = folded.strip()
    label = _LABEL.match(folded)
    if label is not None:
        folded = folded[label.end() :]
    return _SEPARATORS.sub("", folded).upper()


def _check(compact: str, *, kind: str, length: int, alphanumeric: bool, field: str) -> None:
    code = {"cpf": Code.INVALID_CPF, "cnpj": Code.INVALID_CNPJ}[kind.lower()]
    if len(compact) != length:
        raise InvalidTaxId(f"{kind} must have {length} characters", code=code, field=field)
    body_ok = compact.isalnum() and compact.isascii() if alphanumeric else compact.isdigit()
    if not body_ok or not compact[-2:].isdigit():
        raise InvalidTaxId(f"{kind} has invalid characters", code=code, field=field)
    if len(set(compact)) == 1:
        raise InvalidTaxId(f"{kind} made of one repeated digit", code=code, field=field)
    validator = _stdnum_cnpj if kind == "CNPJ" else _stdnum_cpf
    try:
        validator.validate(compact)
    except _StdnumError as exc:
        raise InvalidTaxId(f"{kind} check digits do not match", code=code, field=field) from exc


#: Per position, each character allowed there with its part of the two
#: weighted sums that give the check digits, packed as ``first + (second << 16)``.
_SumTables = tuple[dict[str, int], ...]
_DIGITS = "0123456789"


def _sum_tables(first: Sequence[int], second: Sequence[int], body: str) -> _SumTables:
    """The tables of a number: ``len(first)`` characters of ``body``, then two check
    digits; a character's value is its ASCII code minus 48 (letters included)."""
    tables = []
    for i in range(len(first) + 2):
        w1 = first[i] if i < len(first) else 0
        w2 = second[i] if i < len(second) else 0
        chars = body if i < len(first) else _DIGITS
        tables.append({c: w1 * (ord(c) - 48) + (w2 * (ord(c) - 48) << 16) for c in chars})
    return tuple(tables)


_CPF_SUMS = _sum_tables(range(10, 1, -1), range(11, 1, -1), _DIGITS)
_CNPJ_SUMS = _sum_tables(
    (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2),
    (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2),
    _DIGITS + string.ascii_uppercase,
)


def _mask(formatted: str, keep: int) -> str:
    head = formatted[:-keep]
    return re.sub(r"[0-9A-Z]", "*", head) + formatted[-keep:]


_T = TypeVar("_T", bound="_TaxIdentifier")


@attrs.frozen(repr=False)
class _TaxIdentifier:
    """What CPF and CNPJ share: parsing, validity check, display and masking."""

    digits: str = attrs.field()
    kind: ClassVar[str]
    _label: ClassVar[str]
    _length: ClassVar[int]
    _alphanumeric: ClassVar[bool]
    _visible: ClassVar[int]  # characters left unmasked at the end of repr
    _form: ClassVar[str]
    _sums: ClassVar[_SumTables]

    @digits.validator
    def _check_compact(self, _: attrs.Attribute[str], digits: str) -> None:
        """The compact form only, checked cheaply: stored ids are loaded through here.

        One pass over the characters checks each against its position and adds
        its part of the two weighted sums (the mod-11 rule stdnum applies).
        """
        sums, packed = self._sums, -1
        try:
            if isinstance(digits, str) and len(digits) == len(sums):
                packed = sum(map(getitem, sums, digits))
        except KeyError:  # a character not allowed at its position
            packed = -1
        if packed < 0:
            raise self._invalid(f"not a {self._label} in compact form ({self._form})")
        if digits.count(digits[0]) == len(digits):
            raise self._invalid(f"{self._label} made of one repeated digit")
        # (11 - sum) % 11 % 10 for each check digit, as stdnum computes them.
        if (
            -(packed & 0xFFFF) % 11 % 10 != ord(digits[-2]) - 48
            or -(packed >> 16) % 11 % 10 != ord(digits[-1]) - 48
        ):
            raise self._invalid(f"{self._label} check digits do not match")

    def _invalid(self, message: str) -> InvalidTaxId:
        code = Code.INVALID_CPF if self.kind == "cpf" else Code.INVALID_CNPJ
        return InvalidTaxId(message, code=code, field="tax_id")

    @classmethod
    def parse(cls: type[_T], text: str, /, *, field: str = "tax_id") -> _T:
        """Parse the number as typed (formatted or bare, surrounding spaces allowed)."""
        compact = _compact(
            text, field, {"cpf": Code.INVALID_CPF, "cnpj": Code.INVALID_CNPJ}[cls.kind]
        )
        _check(
            compact,
            kind=cls._label,
            length=cls._length,
            alphanumeric=cls._alphanumeric,
            field=field,
        )
        return cls(compact)

    @classmethod
    def is_valid(cls, text: str, /) -> bool:
        try:
            cls.parse(text)
        except InvalidTaxId:
            return False
        return True

    @property
    def formatted(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.formatted

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{_mask(self.formatted, self._visible)}')"


@attrs.frozen(repr=False)
class Cpf(_TaxIdentifier):
    """A valid CPF, stored in compact form (11 digits); build it with ``Cpf.parse``."""

    kind: ClassVar[str] = "cpf"
    _label: ClassVar[str] = "CPF"
    _length: ClassVar[int] = 11
    _alphanumeric: ClassVar[bool] = False
    _visible: ClassVar[int] = 6
    _form: ClassVar[str] = "11 digits"
    _sums: ClassVar[_SumTables] = _CPF_SUMS

    @property
    def formatted(self) -> str:
        d = self.digits
        return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


@attrs.frozen(repr=False)
class Cnpj(_TaxIdentifier):
    """A valid CNPJ (numeric or the alphanumeric format of 2026), compact form (letters
    upper-cased); build it with ``Cnpj.parse``, which takes them in lower case too."""

    kind: ClassVar[str] = "cnpj"
    _label: ClassVar[str] = "CNPJ"
    _length: ClassVar[int] = 14
    _alphanumeric: ClassVar[bool] = True
    _visible: ClassVar[int] = 7
    _form: ClassVar[str] = "12 digits or capital letters, then 2 digits"
    _sums: ClassVar[_SumTables] = _CNPJ_SUMS

    @property
    def formatted(self) -> str:
        d = self.digits
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"

    @property
    def root(self) -> str:
        """The first 8 characters: the same company across all its branches."""
        return cnpj_root(self.digits)

    @property
    def is_headquarters(self) -> bool:
        """``True`` for the head office (order number ``0001``)."""
        return self.digits[8:12] == "0001"


TaxId = Cpf | Cnpj


def cnpj_root(compact: str, /) -> str:
    """The root of a CNPJ in compact form: its first 8 characters, shared by the head
    office and every branch of one company.

    For a CNPJ held as text (a stored key, a match record); a :class:`Cnpj` has
    it as :attr:`Cnpj.root`.

    >>> cnpj_root("11222333000181")
    '11222333'
    """
    return compact[:CNPJ_ROOT_LENGTH]


def tax_id_kind(compact: str, /) -> str:
    """``"cpf"`` or ``"cnpj"``: the :attr:`~Cpf.kind` of a tax id in compact form, by its length.

    For a tax id held as text (a stored column): a CPF has 11 characters, a CNPJ 14.

    >>> tax_id_kind("52998224725"), tax_id_kind("11222333000181")
    ('cpf', 'cnpj')
    """
    return Cpf.kind if len(compact) == Cpf._length else Cnpj.kind


def cpf_check_digits(body: str, /) -> str:
    """The two check digits of a 9-digit CPF body (mod 11; stdnum keeps its helper private).

    >>> cpf_check_digits("529982247")
    '25'
    """
    first = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = (
        sum(int(d) * w for d, w in zip(body + str(first), range(11, 1, -1), strict=True))
        * 10
        % 11
        % 10
    )
    return f"{first}{second}"


def parse_tax_id(text: str, /, *, field: str = "tax_id") -> Cpf | Cnpj:
    """Parse either a CPF (11 characters) or a CNPJ (14 characters)."""
    compact = _compact(text, field, Code.INVALID_TAX_ID)
    if len(compact) == 11:
        return Cpf.parse(compact, field=field)
    if len(compact) == 14:
        return Cnpj.parse(compact, field=field)
    raise InvalidTaxId(
        "a CPF has 11 digits and a CNPJ 14 characters", code=Code.INVALID_TAX_ID, field=field
    )
