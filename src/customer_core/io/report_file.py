"""The per-line report of an import as a CSV file, written as the lines are decided.

One row per line of the imported file (``line`` is the physical line where
the record starts), then one row per further problem of that line: a value
left out (``warning``) or another reason it failed. ``column`` is the
user's own header. Cells are defused like the export's (a value ``=1+1`` is
written ``'=1+1``), so opening the report in a spreadsheet runs nothing.

>>> import io
>>> out = io.StringIO()
>>> write = ReportFileWriter(out)
>>> write(RowOutcome(2, "created", "c1"))
>>> write(RowOutcome(2, "warning", "c1", "invalid_email", "E-mail", "=HYPERLINK()", "no @"))
>>> print(out.getvalue().replace("\\r", ""), end="")
line,outcome,customer_id,column,value,code,message
2,created,c1,,,,
2,warning,c1,E-mail,'=HYPERLINK(),invalid_email,no @
"""

from __future__ import annotations

import csv
from typing import IO

from customer_core.io.csv_format import neutralize
from customer_core.io.report import RowOutcome

__all__ = ["REPORT_HEADER", "ReportFileWriter"]

#: The report file's columns.
REPORT_HEADER = ("line", "outcome", "customer_id", "column", "value", "code", "message")


class ReportFileWriter:
    """An ``on_row`` callback of :meth:`Importer.run <customer_core.io.Importer.run>`
    that writes each line's outcome to a text stream (opened with ``newline=""``).

    Nothing is held: a million-line import writes a million-line report in
    the memory of one row.
    """

    def __init__(self, stream: IO[str], /) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow(REPORT_HEADER)
        #: Rows written so far (the header aside).
        self.rows = 0

    def __call__(self, outcome: RowOutcome, /) -> None:
        cells = (
            str(outcome.line),
            outcome.outcome,
            outcome.customer_id or "",
            outcome.column or "",
            outcome.value or "",
            outcome.code or "",
            outcome.message or "",
        )
        self._writer.writerow([neutralize(cell) for cell in cells])
        self.rows += 1
