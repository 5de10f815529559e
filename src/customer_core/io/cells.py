"""One cell of a spreadsheet row into a value, its problems reported by column.

:func:`~customer_core.io.rows.parse_row` reads a row with these: the kind
(``Tipo``), the CPF/CNPJ (with the zeros a spreadsheet dropped put back), the
address parts (a bad CEP leaves the city; a CEP's dropped zero is put back),
and the values repeated in a report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from customer_core.domain.model.customer import CustomerKind
from customer_core.domain.values.address import Address, AddressType, cep_with_dropped_zero
from customer_core.domain.values.phone import Phone, parse_phones
from customer_core.domain.values.tax_id import Cnpj, Cpf, parse_tax_id
from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, CustomerCoreError, InvalidPhone, InvalidValue

__all__ = [
    "ADDRESS_COLUMNS",
    "RowError",
    "parse_address",
    "parse_kind",
    "parse_phone_cell",
    "parse_tax_id_cell",
    "shown",
    "split_many",
    "without_float_zeros",
]

ADDRESS_COLUMNS = ("street", "number", "complement", "neighborhood", "city", "uf", "cep")


@attrs.frozen
class RowError:
    """A problem with one row: where (line, column), what (code) and why (message)."""

    line: int
    column: str | None
    code: str
    message: str
    #: The text of the cell that was refused or left out, as the file had it.
    value: str | None = None
    #: The user's own header of that cell (``column`` is this library's name for it).
    header: str | None = None
    #: For a conflict: the stored customer the row was taken for, when the importer sees it.
    customer_id: str | None = None


#: What a ``Tipo``/``Pessoa`` column says, folded.
_KINDS = {
    **dict.fromkeys(("pf", "f", "fisica", "pessoa fisica", "cpf"), CustomerKind.PERSON),
    **dict.fromkeys(("pj", "j", "juridica", "pessoa juridica", "cnpj"), CustomerKind.COMPANY),
}


def parse_kind(text: str) -> CustomerKind:
    found = _KINDS.get(" ".join(fold_tokens(text)))
    if found is None:
        raise InvalidValue(
            "the kind is PF (Física) or PJ (Jurídica)", code=Code.INVALID_VALUE, field="kind"
        )
    return found


#: A number as a spreadsheet shows a long one: ``1,23E+10``, ``5.29982E+10``.
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
#: A whole number as a float column writes it (pandas, Excel): ``52998224725.0``.
_WHOLE_FLOAT = re.compile(r"(\d+)\.0+")


def without_float_zeros(text: str) -> str:
    """``text`` without the ``.0`` a float column gave a cell of digits, else unchanged.

    Only digits, then a dot and zeros: ``11987654321.0`` is ``11987654321``;
    ``11 98765-4321.0`` or ``1.5`` are left as they are (and refused later).

    >>> without_float_zeros("52998224725.0"), without_float_zeros(" 11987654321.00 ")
    ('52998224725', '11987654321')
    >>> without_float_zeros("3333-4444.0")
    '3333-4444.0'
    """
    found = _WHOLE_FLOAT.fullmatch(text.strip())
    return found.group(1) if found is not None else text


def parse_phone_cell(text: str, *, region: str) -> list[Phone]:
    """The phones of a phone cell (:func:`~customer_core.domain.values.phone.parse_phones`).

    A float column's ``.0`` is dropped; a number in scientific notation
    (``5,51199E+12``) lost its digits in the spreadsheet, and the error says so.
    """
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise InvalidPhone(
            "a spreadsheet wrote this phone as a number in scientific notation, "
            "which loses its digits: format the column as text and export the file again",
            code=Code.INVALID_PHONE,
            field="phone",
            reason="scientific_notation",
        )
    return parse_phones(without_float_zeros(text), default_region=region)


#: How many digits a CPF (11) or CNPJ (14) keeps once a spreadsheet drops up to two zeros.
_PADDED_LENGTH = {9: 11, 10: 11, 12: 14, 13: 14}


def parse_tax_id_cell(
    line: int, text: str, problems: list[RowError]
) -> tuple[Cpf | Cnpj | None, bool]:
    """The CPF/CNPJ column's value, and whether it was repaired.

    A spreadsheet that read the column as numbers dropped the leading zeros
    (``01234567890`` became ``1234567890``): a value of only digits that is
    short by one or two is padded when the padded value is valid, and
    reported ``repaired``. In scientific notation the digits are gone: an
    error that says so. A float column's ``.0`` (``52998224725.0``) is dropped.
    """
    text = without_float_zeros(text)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        problems.append(
            RowError(
                line,
                "tax_id",
                Code.INVALID_TAX_ID,
                "a spreadsheet wrote this CPF/CNPJ as a number in scientific notation, "
                "which loses its digits: format the column as text and export the file again",
                text,
            )
        )
        return None, False
    try:
        return parse_tax_id(text), False
    except CustomerCoreError as exc:
        length = _PADDED_LENGTH.get(len(text)) if text.isascii() and text.isdigit() else None
        if length is not None:
            try:
                found = parse_tax_id(text.zfill(length))
            except CustomerCoreError:
                pass
            else:
                problems.append(
                    RowError(
                        line,
                        "tax_id",
                        Code.REPAIRED,
                        f"the leading zeros a spreadsheet dropped were put back: {found.formatted}",
                        text,
                    )
                )
                return found, True
        problems.append(RowError(line, "tax_id", exc.code, exc.message, text))
        return None, False


#: How much of a refused value a report repeats (a 10 MB note is not copied into it).
_MAX_SHOWN = 200


def shown(value: str | None) -> str | None:
    if value is None or len(value) <= _MAX_SHOWN:
        return value
    return value[:_MAX_SHOWN] + "…"


def split_many(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


#: What people put between two e-mails in one cell (words like "e" or "ou" too,
#: left out below with every part that holds no @); none is valid in an address.
_EMAIL_SEPARATORS = re.compile(r"[,;|/\s]+")


def split_emails(value: str) -> list[str]:
    """The e-mails of a cell that holds several (``a@x.com.br, b@y.com.br``), each checked
    on its own: one mistyped address never costs the other.

    >>> split_emails("ana@x.com.br; bia@y.com.br"), split_emails(" Ana@X.com ")
    (['ana@x.com.br', 'bia@y.com.br'], [' Ana@X.com '])
    >>> split_emails("ana@x.com.br e <bia@y.com.br> / cia@z.com.br")
    ['ana@x.com.br', 'bia@y.com.br', 'cia@z.com.br']
    """
    if value.count("@") < 2:
        return [value]
    return [part.strip("<>") for part in _EMAIL_SEPARATORS.split(value) if "@" in part]


def parse_address(
    line: int,
    row: Mapping[str, str],
    errors: list[RowError],
    strict: bool,
    repairs: list[RowError],
) -> Address | None:
    """The row's address; a part that is not valid (a CEP, a UF) is left out, with an error.

    Without ``strict`` the other parts are kept: a city with a wrong CEP is
    still the customer's city. A CEP that a spreadsheet read as a number lost
    its leading zero (``1310100``): it is padded when the padded CEP is valid
    (:func:`~customer_core.domain.values.address.cep_with_dropped_zero`), and
    reported ``repaired`` in ``repairs``, which cost no row even with ``strict``.
    """
    parts: dict[str, str | None] = {c: row.get(c) or None for c in ADDRESS_COLUMNS}
    typed_cep = parts["cep"]
    padded = cep_with_dropped_zero(typed_cep, uf=parts["uf"]) if typed_cep else None
    if padded is not None:
        parts["cep"] = padded
        # The tax id repair's words, so a report (and its translation) says it once.
        message = f"the leading zeros a spreadsheet dropped were put back: {padded}"
        repaired = RowError(line, "cep", Code.REPAIRED, message, typed_cep)
        repairs.append(repaired)
    while any(parts.values()):
        try:
            return Address.create(
                type=AddressType.DELIVERY,
                street=parts["street"],
                number=parts["number"],
                complement=parts["complement"],
                neighborhood=parts["neighborhood"],
                city=parts["city"],
                uf=parts["uf"],
                cep=parts["cep"],
                field="address",
            )
        except CustomerCoreError as exc:
            part = exc.field.rsplit(".", 1)[-1] if exc.field else None
            value = parts.get(part or "")
            errors.append(RowError(line, part or "address", exc.code, exc.message, value))
            if strict or part not in parts or parts[part] is None:
                return None
            parts[part] = None
    return None
