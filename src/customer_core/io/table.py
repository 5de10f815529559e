"""A table of customers, whatever file it came from: its headers, mapped to our columns.

Headers match case- and accent-insensitively and by their usual Brazilian
spellings (``E-mail 2``, ``CNPJ/CPF``, ``Celular/WhatsApp``, ``Razão Social``);
two headers of one column (``Telefone 1`` and ``Telefone 2``) keep every
phone and e-mail, and the first non-empty value of other columns. A file
format (CSV, .xlsx) only says how to read its records: :class:`TableSource`
does the rest the same way for all of them.

>>> class Rows(TableSource):
...     def _records(self):
...         yield 2, ["Padaria Pão Quente", "Pão Quente", "11.222.333/0001-81", "PJ", "x"]
>>> table = Rows(["Razão Social", "Nome Fantasia", "CNPJ/CPF", "Tipo", "Documento"])
>>> table.columns
('name', 'trade_name', 'tax_id', 'kind', '')
>>> [row["trade_name"] for _line, row in table.rows()]
['Pão Quente']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, InvalidValue

__all__ = [
    "COLUMNS",
    "IMPORT_COLUMNS",
    "NO_SAVED_VALUE",
    "FormulaWithoutValue",
    "TableSource",
    "column_for",
]

#: Our column names and the header of the import template, in template order.
COLUMNS: dict[str, str] = {
    "name": "Nome",
    "email": "E-mail",
    "country_code": "DDI",
    "area_code": "DDD",
    "phone": "Telefone",
    "tax_id": "CPF/CNPJ",
    "street": "Rua",
    "number": "Número",
    "complement": "Complemento",
    "neighborhood": "Bairro",
    "city": "Cidade",
    "uf": "Estado",
    "cep": "CEP",
    "other_phones": "Outros telefones",
    "other_emails": "Outros e-mails",
    "note": "Observação",
    "external_id": "Código",
    "customer_id": "ID do cliente",
}

#: Every column an import reads: the template's, and those other systems' files have.
IMPORT_COLUMNS: dict[str, str] = {
    **COLUMNS,
    "trade_name": "Nome fantasia",
    "kind": "Tipo",
}

# Other spellings people use for each column (folded: lower-case, no accents,
# punctuation as spaces). "Documento" is not here on purpose: it often holds
# an RG, and reading it as a CPF/CNPJ would refuse or mismatch those rows.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("nome", "nome completo", "cliente", "razao social", "name", "nome razao social"),
    "trade_name": ("nome fantasia", "fantasia", "trade name"),
    "kind": ("tipo", "pessoa", "tipo de pessoa", "tipo pessoa", "pf pj", "pf ou pj"),
    "email": (
        *("e mail", "email", "e mail principal", "correio eletronico"),
        *(f"{e} {n}" for e in ("e mail", "email") for n in (1, 2, 3)),
    ),
    "country_code": ("ddi", "codigo do pais", "pais"),
    "area_code": ("ddd", "codigo de area"),
    "phone": (
        *("telefone", "celular", "fone", "whatsapp", "telefone celular", "phone"),
        *("celular whatsapp", "whatsapp celular", "telefone whatsapp", "tel", "telefone fixo"),
        *(f"{p} {n}" for p in ("telefone", "fone", "tel", "celular") for n in (1, 2, 3)),
    ),
    "tax_id": ("cpf cnpj", "cnpj cpf", "cpf", "cnpj", "cpf ou cnpj", "cnpj ou cpf"),
    "street": ("rua", "logradouro", "endereco", "rua endereco de entrega"),
    "number": ("numero", "n", "no"),
    "complement": ("complemento",),
    "neighborhood": ("bairro",),
    "city": ("cidade", "municipio"),
    "uf": ("estado", "uf"),
    "cep": ("cep", "codigo postal"),
    "other_phones": ("outros telefones", "telefones"),
    "other_emails": ("outros e mails", "e mails"),
    "note": ("observacao", "observacoes", "obs", "nota"),
    "external_id": ("codigo", "id", "codigo do cliente"),
    "customer_id": ("id do cliente", "customer id", "customer core id"),
}
_HEADER_INDEX = {" ".join(fold_tokens(s)): col for col, names in _SYNONYMS.items() for s in names}

#: Where a second phone or e-mail column's values go (see TableSource._merge_repeated).
_MORE_OF = {
    "phone": "other_phones",
    "other_phones": "other_phones",
    "email": "other_emails",
    "other_emails": "other_emails",
}


#: A row's key for a cell whose formula has no value saved: ``NO_SAVED_VALUE + column``.
NO_SAVED_VALUE = "__no_saved_value__:"


class FormulaWithoutValue(str):
    """An empty cell text that was a formula whose value the file does not hold.

    A workbook written by a program (openpyxl, a report generator) keeps its
    formulas uncomputed until a spreadsheet app opens and saves it: the cell
    reads as empty, and :meth:`TableSource.rows` says why, under
    ``NO_SAVED_VALUE + column``, with the formula's text.
    """

    __slots__ = ("formula",)

    def __new__(cls, formula: str) -> FormulaWithoutValue:
        made = super().__new__(cls, "")
        made.formula = formula
        return made

    formula: str


def _folded(header: str) -> str:
    return " ".join(fold_tokens(header))


def column_for(header: str) -> str | None:
    """Our column for a header (``"CNPJ/CPF"`` is ``"tax_id"``), ``None`` if unknown."""
    return _HEADER_INDEX.get(_folded(header))


class TableSource:
    """A streaming table of customers: headers mapped to our columns, rows as dicts.

    ``mapping`` maps header texts to our column names (see
    :data:`IMPORT_COLUMNS`) for headers the defaults do not know; unknown
    headers are ignored (:mod:`customer_core.io.column_check` says which).
    Subclasses read a format: they give the header and :meth:`_records`.
    """

    def __init__(self, header: Sequence[str], /, mapping: Mapping[str, str] | None = None) -> None:
        custom = {_folded(k): v for k, v in (mapping or {}).items()}
        unknown_targets = set(custom.values()) - set(IMPORT_COLUMNS)
        if unknown_targets:
            raise InvalidValue(
                f"unknown columns in the mapping: {sorted(unknown_targets)}",
                code=Code.INVALID_MAPPING,
                field="mapping",
            )
        self.headers = tuple(header)
        self.columns = tuple(custom.get(_folded(h)) or column_for(h) or "" for h in header)
        if "name" not in self.columns and "trade_name" not in self.columns:
            raise InvalidValue(
                "the header has no name column (Nome)", code=Code.INVALID_HEADER, field="file"
            )
        named = [c for c in self.columns if c]
        self._repeated = len(set(named)) != len(named)
        # Which headers feed each column (a second phone column feeds other_phones),
        # to name the user's own header in what the import reports.
        self._feeds: dict[str, list[int]] = {}
        for index, column in enumerate(self.columns):
            for fed in {column, _MORE_OF.get(column, column)} if column else ():
                self._feeds.setdefault(fed, []).append(index)
        #: About how many records the table holds, when the format says (a
        #: workbook's dimension), for a progress bar.
        self.rows_hint: int | None = None
        self._values: list[str] = []
        self._ahead: list[tuple[int, list[str] | str]] = []
        self._source: Iterator[tuple[int, list[str] | str]] | None = None

    def _records(self) -> Iterator[tuple[int, list[str] | str]]:
        """``(line, cell texts)`` of each record, or ``(line, why)`` for one that is unreadable."""
        raise NotImplementedError

    def _cell(self, text: str) -> str:
        """A cell's text as the import reads it."""
        return text.strip()

    def _next(self) -> tuple[int, list[str] | str] | None:
        if self._ahead:
            return self._ahead.pop(0)
        if self._source is None:
            self._source = self._records()
        return next(self._source, None)

    def sample(self, size: int = 100) -> list[list[str]]:
        """The cell texts of up to ``size`` first records; :meth:`rows` still yields them."""
        while len(self._ahead) < size:
            if self._source is None:
                self._source = self._records()
            record = next(self._source, None)
            if record is None:
                break
            self._ahead.append(record)
        return [values for _line, values in self._ahead[:size] if not isinstance(values, str)]

    def header_for(
        self,
        column: str | None,
        value: str | None = None,
        values: Sequence[str] | None = None,
    ) -> str | None:
        """The user's header of ``column`` (one of :data:`IMPORT_COLUMNS`) in the row last read,
        or in the row of cells ``values`` (:attr:`last_values` of an earlier row).

        Where several headers feed one column (``Telefone 1``, ``Telefone 2``),
        the one whose cell holds ``value``; ``None`` for what no header feeds.
        """
        found = self._feeds.get(column or "", ())
        cells = self._values if values is None else values
        if len(found) > 1 and value:
            for index in found:
                if index < len(cells) and value in cells[index]:
                    return self.headers[index]
        return self.headers[found[0]] if found else None

    @property
    def last_values(self) -> Sequence[str]:
        """The cells of the row last read, as :meth:`header_for` reads them."""
        return self._values

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line number, {column: text})`` for each data row; blank rows are skipped.

        The line number is where the row starts in the file (1 is the header).
        A row that cannot be read yields ``{"__error__": message}``; a cell
        that is a :class:`FormulaWithoutValue` adds ``NO_SAVED_VALUE + column``.
        """
        cell = self._cell
        while (record := self._next()) is not None:
            line, values = record
            if isinstance(values, str):
                yield line, {"__error__": values}
                continue
            if not any(v.strip() or isinstance(v, FormulaWithoutValue) for v in values):
                continue
            self._values = values
            if self._repeated:
                row = self._merge_repeated(values)
            else:
                row = {c: cell(v) for c, v in zip(self.columns, values, strict=False) if c}
            if len(values) > len(self.columns) and any(
                v.strip() for v in values[len(self.columns) :]
            ):
                row["__extra__"] = "more fields than the header"
            for column, value in zip(self.columns, values, strict=False):
                if column and isinstance(value, FormulaWithoutValue):
                    row[NO_SAVED_VALUE + column] = value.formula
            yield line, row

    def _merge_repeated(self, values: list[str]) -> dict[str, str]:
        """A row whose header names a column twice (``Telefone`` and ``Celular``).

        Every phone and e-mail is kept (the later ones as other phones or
        e-mails); any other column takes its first non-empty value.
        """
        row: dict[str, str] = {}
        for column, raw in zip(self.columns, values, strict=False):
            if not column:
                continue
            value = self._cell(raw)
            if not row.get(column):
                row[column] = value
            elif value and column in _MORE_OF:
                more = _MORE_OF[column]
                row[more] = f"{row[more]} | {value}" if row.get(more) else value
        return row
