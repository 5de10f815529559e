"""Excel workbooks (``.xlsx``): the first sheet, streamed row by row.

Needs the ``xlsx`` extra (``pip install 'customer-core[xlsx]'``, openpyxl).
A row's line is its sheet row (1 is the header). A number cell is read as
its digits (a CPF typed as a number, ``1234567890``, loses its leading zero
in the sheet already: the import repairs it as it does a CSV's), a date as
``YYYY-MM-DD``; a formula as the value Excel last computed. A formula
with no value saved (a workbook a program wrote and no spreadsheet app
has saved since) reads as empty, and the import says so on that cell: its
value is not in the file, and its formula text is not what the user sees
(a CSV has no formulas: there ``=SUM(1,2)`` is text, kept as typed). A cell's
text is read as a CSV's is: a leading ``'`` that neutralized a formula on
export (:func:`~customer_core.io.csv_format.unneutralize`) is removed.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from typing import IO, Any
from zipfile import BadZipFile, ZipFile

from customer_core.errors import Code, InvalidValue, MissingDependency
from customer_core.io.csv_format import unneutralize
from customer_core.io.table import FormulaWithoutValue, TableSource

__all__ = ["XlsxSource"]

#: The first bytes of a ZIP archive, which an .xlsx file is.
ZIP_MAGIC = b"PK\x03\x04"


def _text(value: object) -> str:
    """A cell's value as the text a user sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


#: What reading a damaged workbook raises (openpyxl's own, and a part that
#: does not inflate, in _holds_formulas).
_UNREADABLE: tuple[type[Exception], ...] = (
    BadZipFile,
    KeyError,
    OSError,
    ValueError,
    EOFError,
    zlib.error,
)

#: A formula element in a worksheet's XML (``<f>``, ``<x:f t="shared" …>``, ``<f/>``).
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _holds_formulas(stream: IO[bytes]) -> bool:
    """Whether a worksheet of the workbook has a formula: a scan of the inflated XML,
    so that a workbook without any (most) is parsed once, not twice."""
    with ZipFile(stream) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA_ELEMENT.search(tail + chunk):
                        return True
                    tail = chunk[-64:]
    return False


class XlsxSource(TableSource):
    """The customers on the first sheet of an .xlsx workbook (a seekable binary stream)."""

    def __init__(self, stream: IO[bytes], /, *, mapping: Mapping[str, str] | None = None) -> None:
        try:
            import openpyxl
            from openpyxl.utils.exceptions import InvalidFileException
        except ImportError as exc:
            raise MissingDependency(
                "reading .xlsx needs openpyxl: pip install 'customer-core[xlsx]'",
                code=Code.MISSING_DEPENDENCY,
            ) from exc
        seekable = stream if stream.seekable() else io.BytesIO(stream.read())
        try:
            # The values Excel saved and, when a sheet holds formulas, the formulas
            # beside them, to tell a formula without a saved value from an empty
            # cell (openpyxl reads one or the other): both stream the sheet by row.
            self._book: Any = openpyxl.load_workbook(seekable, read_only=True, data_only=True)
            self._formulas: Any = (
                openpyxl.load_workbook(seekable, read_only=True)
                if _holds_formulas(seekable)
                else None
            )
        except (*_UNREADABLE, InvalidFileException) as exc:
            if hasattr(self, "_book"):
                self._book.close()
            raise InvalidValue(
                f"not a readable .xlsx workbook: {exc}", code=Code.INVALID_VALUE, field="file"
            ) from exc
        sheet = self._book.worksheets[0] if self._book.worksheets else None
        self._sheet_rows: Iterator[tuple[object, ...]] = (
            iter(sheet.iter_rows(values_only=True)) if sheet is not None else iter(())
        )
        formulas = (
            self._formulas.worksheets[0]
            if self._formulas is not None and self._formulas.worksheets
            else None
        )
        self._formula_rows: Iterator[tuple[Any, ...]] = (
            iter(formulas.iter_rows()) if formulas is not None else iter(())
        )
        next(self._formula_rows, None)  # the header's
        header = [_text(v).strip() for v in next(self._sheet_rows, ())]
        if not any(header):
            self._close()
            raise InvalidValue("the file is empty", code=Code.EMPTY_FILE, field="file")
        while header and not header[-1]:  # a sheet's used range runs past the last header
            header.pop()
        super().__init__(header, mapping)
        rows = getattr(sheet, "max_row", None)
        self.rows_hint = rows - 1 if isinstance(rows, int) and rows > 1 else None

    def _close(self) -> None:
        self._book.close()
        if self._formulas is not None:
            self._formulas.close()

    def _records(self) -> Iterator[tuple[int, list[str] | str]]:
        try:
            for line, values in enumerate(self._sheet_rows, start=2):
                cells = next(self._formula_rows, ())
                yield (
                    line,
                    [
                        _cell_text(v, cells[i] if i < len(cells) else None)
                        for i, v in enumerate(values)
                    ],
                )
        finally:
            self._close()

    def _cell(self, text: str) -> str:
        return unneutralize(text.strip())


def _cell_text(value: object, cell: Any) -> str:
    """The text of a cell's saved ``value``; for a formula without one, what says so."""
    if value is None and getattr(cell, "data_type", None) == "f":
        formula = cell.value
        return FormulaWithoutValue(
            formula if isinstance(formula, str) else str(getattr(formula, "text", "") or "=")
        )
    return _text(value)
