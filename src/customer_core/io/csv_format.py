"""The customer spreadsheet format: reading any CSV people actually have, and its columns.

Encodings: UTF-8, UTF-8 with BOM, Latin-1/CP1252 (detected from the first
bytes, or given). Delimiters ``,`` or ``;`` (detected from the header, or
given). Quoted fields may hold newlines. Headers match case- and
accent-insensitively (``E-mail``, ``EMAIL``, ``email`` are one column); two
headers of one column (``Telefone`` and ``Celular``) keep every phone and
e-mail, and the first non-empty value of other columns.

>>> import io
>>> data = "Nome;E-mail;DDD;Telefone\\nJoão;joao@x.com;11;98765-4321\\n".encode("cp1252")
>>> reader = CsvSource(io.BytesIO(data))
>>> reader.encoding, reader.delimiter, reader.columns
('cp1252', ';', ('name', 'email', 'area_code', 'phone'))
>>> [(line, row["name"]) for line, row in reader.rows()]
[(2, 'João')]
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from typing import IO, Any, cast

from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, InvalidValue

__all__ = [
    "COLUMNS",
    "TEMPLATE_HEADER",
    "CsvSource",
    "neutralize",
    "unneutralize",
]

# csv refuses fields over 128 KiB by default; a 10 MB note must be reported, not crash.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

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
TEMPLATE_HEADER = tuple(COLUMNS.values())

# Other spellings people use for each column (folded: lower-case, no accents).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("nome", "nome completo", "cliente", "razao social", "name"),
    "email": ("e mail", "email", "e mail principal", "correio eletronico"),
    "country_code": ("ddi", "codigo do pais", "pais"),
    "area_code": ("ddd", "codigo de area"),
    "phone": ("telefone", "celular", "fone", "whatsapp", "telefone celular", "phone"),
    "tax_id": ("cpf cnpj", "cpf", "cnpj", "documento", "cpf ou cnpj"),
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

#: Where a second phone or e-mail column's values go (see CsvSource._merge_repeated).
_MORE_OF = {
    "phone": "other_phones",
    "other_phones": "other_phones",
    "email": "other_emails",
    "other_emails": "other_emails",
}

_SNIFF_BYTES = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    # Files glued from several exports mix UTF-8 and Windows-1252: read each byte as it was meant.
    if isinstance(error, UnicodeDecodeError):
        bad = error.object[error.start : error.end]
        return bytes(bad).decode("cp1252", errors="replace"), error.end
    raise error


codecs.register_error("customer_core.cp1252", _cp1252_fallback)


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column_for(header: str) -> str | None:
    return _HEADER_INDEX.get(" ".join(fold_tokens(header)))


def _formula_after_quotes(value: str) -> bool:
    """Whether ``value``, past any leading quotes, is what a spreadsheet runs as a formula.

    Looked at as a spreadsheet reads it: after Unicode normalization (a
    full-width ``＝`` is ``=``) and without invisible format characters (a
    zero-width space before ``=`` hides nothing).
    """
    shown = unicodedata.normalize("NFKC", value)
    shown = "".join(c for c in shown if unicodedata.category(c) != "Cf")
    return shown.lstrip("'").startswith(_FORMULA_START)


def neutralize(value: str) -> str:
    """Defuse spreadsheet formulas (CSV injection): such a value gets a leading ``'``.

    A value already starting with ``'`` before a formula gets one more, so
    that :func:`unneutralize` gives it back exactly.

    >>> [neutralize(v) for v in ("=1+1", "\uff1d1+1", "\u200b=1+1", "'=1+1", "Ana")]
    ["'=1+1", "'＝1+1", "'\u200b=1+1", "''=1+1", 'Ana']
    """
    return "'" + value if _formula_after_quotes(value) else value


def unneutralize(value: str) -> str:
    """Undo :func:`neutralize` on import, so an export re-imports to the same data."""
    if value.startswith("'") and _formula_after_quotes(value[1:]):
        return value[1:]
    return value


class CsvSource:
    """A streaming reader of one CSV file of customers.

    ``mapping`` maps header texts to our column names (see :data:`COLUMNS`)
    for headers the defaults do not know; unknown headers are ignored.
    """

    def __init__(
        self,
        stream: IO[bytes],
        /,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        mapping: Mapping[str, str] | None = None,
    ) -> None:
        buffered = (
            stream
            if isinstance(stream, io.BufferedReader)
            else io.BufferedReader(cast(Any, stream))
        )
        head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        if not head.strip():
            raise InvalidValue("the file is empty", code=Code.EMPTY_FILE, field="file")
        if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
            raise InvalidValue(
                f"the delimiter is one character (not a quote or a line break), got {delimiter!r}",
                code=Code.INVALID_VALUE,
                field="delimiter",
            )
        self.encoding = encoding or _detect_encoding(head)
        errors = "customer_core.cp1252" if self.encoding.startswith("utf") else "strict"
        try:
            self._text = io.TextIOWrapper(
                buffered, encoding=self.encoding, errors=errors, newline=""
            )
        except LookupError as exc:  # unknown, or not a text encoding (base64)
            raise InvalidValue(
                f"not a text encoding: {self.encoding!r}", code=Code.INVALID_VALUE, field="encoding"
            ) from exc
        try:
            first_line = head.decode(self.encoding, errors="ignore").splitlines()[0]
        except IndexError:
            first_line = ""
        self.delimiter = delimiter or _detect_delimiter(first_line)
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=False)
        try:
            header = next(self._reader)
        except StopIteration:
            raise InvalidValue("the file is empty", code=Code.EMPTY_FILE, field="file") from None
        custom = {" ".join(fold_tokens(k)): v for k, v in (mapping or {}).items()}
        unknown_targets = set(custom.values()) - set(COLUMNS)
        if unknown_targets:
            raise InvalidValue(
                f"unknown columns in the mapping: {sorted(unknown_targets)}",
                code=Code.INVALID_MAPPING,
                field="mapping",
            )
        self.headers = tuple(header)
        self.columns = tuple(
            custom.get(" ".join(fold_tokens(h))) or _column_for(h) or "" for h in header
        )
        if "name" not in self.columns:
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
        self._values: list[str] = []

    def header_for(self, column: str | None, value: str | None = None) -> str | None:
        """The user's header of ``column`` (one of :data:`COLUMNS`) in the row last read.

        Where several headers feed one column (``Telefone 1``, ``Telefone 2``),
        the one whose cell holds ``value``; ``None`` for what no header feeds.
        """
        found = self._feeds.get(column or "", ())
        if len(found) > 1 and value:
            for index in found:
                if index < len(self._values) and value in self._values[index]:
                    return self.headers[index]
        return self.headers[found[0]] if found else None

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line number, {column: text})`` for each data row; blank rows are skipped.

        The line number is where the row starts in the file (1 is the header).
        A row that cannot be decoded yields ``{"__error__": message}``.
        """
        while True:
            line = self._reader.line_num + 1
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                yield line, {"__error__": f"unreadable row: {exc}"}
                continue
            if not any(v.strip() for v in values):
                continue
            self._values = values
            if self._repeated:
                row = self._merge_repeated(values)
            else:
                row = {
                    c: unneutralize(v.strip())
                    for c, v in zip(self.columns, values, strict=False)
                    if c
                }
            if len(values) > len(self.columns) and any(
                v.strip() for v in values[len(self.columns) :]
            ):
                row["__extra__"] = "more fields than the header"
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
            value = unneutralize(raw.strip())
            if not row.get(column):
                row[column] = value
            elif value and column in _MORE_OF:
                more = _MORE_OF[column]
                row[more] = f"{row[more]} | {value}" if row.get(more) else value
        return row
