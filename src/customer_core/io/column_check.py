"""Which header goes to which column, and the ignored headers that should not be.

An ignored column is dropped silently: a file whose phone column is headed
``Tel. Contato`` imports every customer without a phone. Before writing,
:func:`check_columns` says what is mapped and what is ignored, and refuses
an ignored header that looks like a phone, e-mail, tax id, CEP or name (by
its words, or by the values of its first rows) unless the user mapped it or
named it as ignored on purpose.

>>> import io
>>> from customer_core.io.csv_format import CsvSource
>>> data = "Nome;Tel. Contato;Documento\\nAna;(11) 98765-4321;12.345.678-9\\n".encode()
>>> plan = check_columns(CsvSource(io.BytesIO(data)))
>>> plan.ignored, plan.suspicious
(('Tel. Contato', 'Documento'), {'Tel. Contato': 'phone'})
>>> check_columns(CsvSource(io.BytesIO(data)), ignore=["tel contato"]).suspicious
{}
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from customer_core.domain.values.phone import parse_phones
from customer_core.domain.values.tax_id import parse_tax_id
from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, CustomerCoreError, InvalidValue
from customer_core.io.table import TableSource

__all__ = ["ColumnPlan", "check_columns"]

#: Words of a header that say what it holds (folded).
_HEADER_WORDS = {
    "phone": {"tel", "telefone", "telefones", "fone", "celular", "cel", "whatsapp", "whats"}
    | {"zap", "phone", "mobile", "contato"},
    "email": {"email", "mail", "emails"},
    "tax_id": {"cpf", "cnpj"},
    "cep": {"cep"},
    "name": {"nome", "name", "razao", "fantasia", "cliente"},
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CEP = re.compile(r"^\d{5}-?\d{3}$|^\d{2}\.\d{3}-\d{3}$")
#: Rows looked at for what an ignored column holds.
_SAMPLE = 100


def _looks_like(value: str) -> str | None:
    """What a cell holds, when it is an identifier (a CEP before a phone: 8 digits)."""
    if _EMAIL.match(value):
        return "email"
    if _CEP.match(value):
        return "cep"
    if sum(c.isdigit() for c in value) < 8:
        return None
    for kind, parse in (("tax_id", parse_tax_id), ("phone", parse_phones)):
        try:
            parse(value)
        except CustomerCoreError:
            continue
        return kind
    return None


def _by_values(values: list[str]) -> str | None:
    """What most of a column's sampled, non-empty cells hold, if they agree."""
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return None
    kinds = [_looks_like(v) for v in filled]
    best = max(set(kinds), key=kinds.count)
    return best if best is not None and kinds.count(best) * 2 > len(filled) else None


@attrs.frozen
class ColumnPlan:
    """How a file's headers are read: ``mapped`` (header, column) pairs, ``ignored``
    headers, and the ignored ones that look like an identifier or a name (header:
    what it looks like)."""

    mapped: tuple[tuple[str, str], ...]
    ignored: tuple[str, ...]
    suspicious: dict[str, str]

    def check(self) -> None:
        """Refuse the run when an ignored header looks like something the import needs."""
        if self.suspicious:
            found = ", ".join(f"{h!r} ({what})" for h, what in self.suspicious.items())
            raise InvalidValue(
                f"ignored columns look like customer data: {found}; map them "
                "(--mapping 'Header=column') or ignore them on purpose (--ignore 'Header')",
                code=Code.INVALID_MAPPING,
                field="mapping",
            )


def check_columns(source: TableSource, /, *, ignore: Iterable[str] = ()) -> ColumnPlan:
    """The plan of ``source``'s headers; ``ignore`` names headers to drop on purpose.

    Reads up to a hundred rows ahead (they are imported all the same).
    """
    meant = {" ".join(fold_tokens(h)) for h in ignore}
    mapped = tuple((h, c) for h, c in zip(source.headers, source.columns, strict=True) if c)
    ignored = tuple(h for h, c in zip(source.headers, source.columns, strict=True) if not c)
    suspicious: dict[str, str] = {}
    sample: list[list[str]] | None = None
    for header in ignored:
        words = set(fold_tokens(header))
        if not words or " ".join(fold_tokens(header)) in meant:
            continue
        what = next((kind for kind, known in _HEADER_WORDS.items() if words & known), None)
        if what is None:
            sample = source.sample(_SAMPLE) if sample is None else sample
            index = source.headers.index(header)
            what = _by_values([row[index] for row in sample if index < len(row)])
        if what is not None:
            suspicious[header] = what
    return ColumnPlan(mapped, ignored, suspicious)
