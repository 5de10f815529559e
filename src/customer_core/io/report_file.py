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
from collections import Counter
from collections.abc import Callable
from typing import IO

from customer_core.errors import Code, FieldError
from customer_core.io.csv_format import neutralize
from customer_core.io.report import KEPT_CODES, ImportReport, RowOutcome
from customer_core.messages import localize

__all__ = ["REPORT_HEADER", "OutcomeTally", "ReportFileWriter"]

#: The report file's columns.
REPORT_HEADER = ("line", "outcome", "customer_id", "column", "value", "code", "message")


class ReportFileWriter:
    """An ``on_row`` callback of :meth:`Importer.run <customer_core.io.Importer.run>`
    that writes each line's outcome to a text stream (opened with ``newline=""``).

    Nothing is held: a million-line import writes a million-line report in
    the memory of one row. Messages are in ``lang`` (``"pt-BR"``; default:
    the locale, as :func:`customer_core.messages.localize`); codes and
    columns are the same in every language.
    """

    def __init__(self, stream: IO[str], /, *, lang: str | None = None) -> None:
        self._lang = lang
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
            self._message(outcome),
        )
        self._writer.writerow([neutralize(cell) for cell in cells])
        self.rows += 1

    def _message(self, outcome: RowOutcome) -> str:
        if not (outcome.message and outcome.code):
            return outcome.message or ""
        try:
            problem = FieldError(outcome.column, None, Code(outcome.code), outcome.message)
        except ValueError:  # a code of a newer library than its catalog: as raised
            return outcome.message
        return localize(problem, lang=self._lang)


#: The outcomes of a line, in the order a summary lists them.
OUTCOMES = ("created", "updated", "unchanged", "merged", "skipped", "conflict", "failed")


class OutcomeTally:
    """An ``on_row`` callback that counts the lines of each outcome, the values left
    out and the values kept once repaired or completed (``repaired``,
    ``area_code_added``); ``then`` receives every outcome too (a
    :class:`ReportFileWriter`).

    A line's own outcome comes first, so a line counts once however many
    problems follow it.

    >>> tally = OutcomeTally()
    >>> for outcome in (RowOutcome(2, "created", "c1"), RowOutcome(2, "warning", "c1"),
    ...                 RowOutcome(2, "warning", "c1", "repaired"),
    ...                 RowOutcome(3, "failed"), RowOutcome(3, "failed")):
    ...     tally(outcome)
    >>> tally.lines["created"], tally.lines["failed"], tally.values_left_out, tally.values_completed
    (1, 1, 1, 1)
    """

    def __init__(self, then: Callable[[RowOutcome], None] | None = None) -> None:
        self.lines: Counter[str] = Counter()
        self.values_left_out = 0
        self.values_completed = 0
        self._then = then
        self._last_line: int | None = None

    def __call__(self, outcome: RowOutcome, /) -> None:
        if outcome.outcome == "warning" and outcome.code in KEPT_CODES:
            self.values_completed += 1
        elif outcome.outcome == "warning":
            self.values_left_out += 1
        elif outcome.line != self._last_line:
            self.lines[outcome.outcome] += 1
        self._last_line = outcome.line
        if self._then is not None:
            self._then(outcome)

    def table(self, report: ImportReport) -> list[str]:
        """The summary as text lines: lines and customers of each outcome."""
        customers = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        }
        rows = [("outcome", "lines", "customers")]
        rows += [(o, str(self.lines[o]), str(customers.get(o, "-"))) for o in OUTCOMES]
        rows += [("total", str(sum(self.lines.values())), "")]
        text = [f"{a:<10} {b:>9} {c:>9}".rstrip() for a, b, c in rows]
        text.append(f"values left out: {self.values_left_out}")
        if self.values_completed:
            text.append(f"values repaired or completed: {self.values_completed}")
        return text
