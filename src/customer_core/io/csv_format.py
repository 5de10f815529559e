"""The customer spreadsheet format: reading any CSV people actually have, and its columns.

Encodings: UTF-8, UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode
text"), Latin-1/CP1252 (detected from the first bytes, or given). Delimiters ``,`` or ``;`` (detected from the header, or
given); a first line ``sep=;`` (Excel's hint, which exports made for Excel
start with) names the delimiter and is skipped, the lines keeping their
numbers in the file. Quoted fields may hold newlines. Headers are read as
:class:`~customer_core.io.table.TableSource` says (``E-mail``, ``EMAIL``,
``email`` are one column).

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

from customer_core.errors import Code, InvalidValue
from customer_core.io.table import COLUMNS, TableSource

__all__ = [
    "COLUMNS",
    "TEMPLATE_HEADER",
    "CsvSource",
    "neutralize",
    "unneutralize",
]

# csv refuses fields over 128 KiB by default; a 10 MB note must be reported, not crash.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

TEMPLATE_HEADER = tuple(COLUMNS.values())

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
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"; the codec reads the BOM's byte order
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def _sep_directive(first_line: str) -> str | None:
    """The delimiter Excel's ``sep=;`` first line names, or ``None`` if it is no such line.

    >>> _sep_directive("sep=;"), _sep_directive('"sep=,"'), _sep_directive("Nome;sep=;")
    (';', ',', None)
    """
    text = first_line.strip()
    if len(text) == 7 and text[0] == text[-1] == '"':  # a spreadsheet quoted it
        text = text[1:-1]
    if len(text) == 5 and text[:4].lower() == "sep=" and text[4] not in '"\r\n':
        return text[4]
    return None


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


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


class CsvSource(TableSource):
    """A streaming reader of one CSV file of customers.

    ``mapping`` maps header texts to our column names (see
    :data:`~customer_core.io.table.IMPORT_COLUMNS`) for headers the defaults
    do not know; unknown headers are ignored.
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
        try:
            codec = codecs.lookup(self.encoding).name
        except LookupError:
            codec = ""  # TextIOWrapper says so below
        # UTF-8 files glued with CP1252 ones are read byte by byte as meant; a
        # broken UTF-16 pair cannot be, and is replaced rather than stop the file.
        errors = {"utf-8": "customer_core.cp1252", "utf-8-sig": "customer_core.cp1252"}.get(
            codec, "replace" if codec.startswith("utf-") else "strict"
        )
        try:
            self._text = io.TextIOWrapper(
                buffered, encoding=self.encoding, errors=errors, newline=""
            )
        except LookupError as exc:  # unknown, or not a text encoding (base64)
            raise InvalidValue(
                f"not a text encoding: {self.encoding!r}", code=Code.INVALID_VALUE, field="encoding"
            ) from exc
        first_lines = head.decode(self.encoding, errors="ignore").splitlines()[:2] or [""]
        hinted = _sep_directive(first_lines[0])
        #: Lines read before the csv reader's first (``sep=;``): rows keep their line numbers.
        self._lines_before = 0
        if hinted is not None:
            self._text.readline()
            self._lines_before = 1
            first_lines = first_lines[1:] or [""]
        self.delimiter = delimiter or hinted or _detect_delimiter(first_lines[0])
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=False)
        try:
            header = next(self._reader)
        except StopIteration:
            raise InvalidValue("the file is empty", code=Code.EMPTY_FILE, field="file") from None
        super().__init__(header, mapping)

    def _records(self) -> Iterator[tuple[int, list[str] | str]]:
        while True:
            line = self._lines_before + self._reader.line_num + 1
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                yield line, f"unreadable row: {exc}"
                continue
            yield line, values

    def _cell(self, text: str) -> str:
        return unneutralize(text.strip())
