"""What an import did: counts for progress bars, and the final report."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from customer_core.errors import Code
from customer_core.io.rows import RowError

__all__ = ["KEPT_CODES", "Counts", "ImportReport", "Progress", "RowOutcome"]

#: Warnings about a value that was kept, put right: a CPF/CNPJ or CEP whose
#: leading zeros came back, a phone given its area code. Nothing was left out.
KEPT_CODES = frozenset({Code.REPAIRED.value, Code.AREA_CODE_ADDED.value})


@attrs.frozen
class Progress:
    """Counts so far, for progress bars.

    ``created``, ``updated``, ``unchanged`` and ``skipped`` count customers;
    ``rows_read`` and ``failed`` count rows; ``merged_rows`` counts rows that
    were folded into another row or customer of the same file.
    """

    rows_read: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    merged_rows: int = 0


@attrs.frozen(kw_only=True)
class ImportReport:
    """What the import did (or, in a dry run, would do)."""

    rows_read: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    merged_rows: int
    errors: tuple[RowError, ...]
    dry_run: bool
    #: Values left out of rows that were kept (a phone without its area code,
    #: a CEP that lost a digit), and values kept once put right (``repaired``,
    #: ``area_code_added``: see :attr:`left_out` and :attr:`completed`): the
    #: user's column, the value's code, why.
    warnings: tuple[RowError, ...] = ()
    #: The file's headers that no column reads (``Tel. Contato``), whose cells
    #: were not imported: map them (``mapping``) when they hold customer data.
    #: :func:`~customer_core.io.check_columns` refuses such a file before the run.
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def left_out(self) -> tuple[RowError, ...]:
        """The :attr:`warnings` of values actually left out of their rows."""
        return tuple(w for w in self.warnings if w.code not in KEPT_CODES)

    @property
    def completed(self) -> tuple[RowError, ...]:
        """The :attr:`warnings` of values kept once repaired or completed (:data:`KEPT_CODES`)."""
        return tuple(w for w in self.warnings if w.code in KEPT_CODES)


@attrs.frozen
class RowOutcome:
    """What the import did with one line of the file (``Importer.run``'s ``on_row``).

    ``outcome`` is ``created``, ``updated``, ``unchanged``, ``merged`` (into
    an earlier line of the same file: its customer), ``skipped`` (create
    mode: the customer exists) or ``failed`` (with the error's ``code``); a
    kept line with a value left out also gets a ``warning`` (with its code).
    ``customer_id`` is the customer the line went to; in a dry run only an
    existing customer's id (a customer the run would create has none yet).
    A failure where stored evidence contradicts the row (another person's
    CPF/CNPJ, a row fitting two customers) is a ``conflict``. A ``failed``,
    ``conflict`` or ``warning`` outcome names the cell: ``column`` is the
    user's own header (``None`` when the problem is not one cell's), ``value``
    the cell's text, ``message`` why.
    """

    line: int
    outcome: str
    customer_id: str | None = None
    code: str | None = None
    column: str | None = None
    value: str | None = None
    message: str | None = None


#: Failures where what is stored contradicts the row: the user decides, nothing changes.
_CONFLICT_CODES = frozenset({"conflicting_evidence", "duplicate_identity"})


#: The totals a batch changes (rows_read is counted as rows are read).
_BATCH_TOTALS = ("created", "updated", "unchanged", "skipped", "merged_rows")


@attrs.define
class Counts:
    """What a run has done so far; a batch's changes can be taken back (:meth:`undo`)."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged_rows: int = 0
    errors: list[RowError] = attrs.Factory(list)
    warnings: list[RowError] = attrs.Factory(list)
    #: What happened to each stored customer the file named (``skipped``,
    #: ``unchanged``, ``updated``), so one named in several batches counts once.
    outcomes: dict[str, str] = attrs.Factory(dict)
    # What the batch since mark() changed, to undo it without copying the
    # run's sets (a million ids at the end of a large import) for every batch.
    _marked_totals: tuple[int, ...] = attrs.field(default=(), init=False)
    _marked_errors: int = attrs.field(default=0, init=False)
    _marked_warnings: int = attrs.field(default=0, init=False)
    _replaced: dict[str, str | None] = attrs.field(factory=dict, init=False)
    # The line outcomes of the batch since mark(), handed out once it is stored.
    _lines: list[RowOutcome] = attrs.field(factory=list, init=False)
    _reported_errors: int = attrs.field(default=0, init=False)
    _reported_warnings: int = attrs.field(default=0, init=False)

    def lines(self, outcome: str, customer_id: str, lines: tuple[int, ...]) -> None:
        """Record what happened to ``lines`` (the first gets ``outcome``, the others merged)."""
        first, *rest = lines
        self._lines.append(RowOutcome(first, outcome, customer_id))
        self._lines += [RowOutcome(line, "merged", customer_id) for line in rest]

    def stored(
        self,
        *,
        dry_run: bool = False,
        header_for: Callable[[str | None], str | None] | None = None,
    ) -> list[RowOutcome]:
        """The line outcomes of the batch just stored, failures and warnings included;
        then forgets them. Each line's own outcome comes first, its problems after it.

        ``header_for`` names the user's header of a problem found after the
        row was read (its ``RowError.header`` is not set).
        """
        done = self._lines
        if dry_run:  # the ids of customers a dry run would create exist nowhere
            # A customer's lines are stored in one batch: its "created" line is here.
            new = {o.customer_id for o in done if o.outcome == "created"}
            done = [attrs.evolve(o, customer_id=None) if o.customer_id in new else o for o in done]
        went_to = {o.line: o.customer_id for o in done}

        def problem(error: RowError, outcome: str) -> RowOutcome:
            header = error.header
            if header is None and header_for is not None:
                header = header_for(error.column)
            return RowOutcome(
                error.line,
                outcome,
                error.customer_id or went_to.get(error.line),
                str(error.code),
                header,
                error.value,
                error.message,
            )

        done += [
            problem(e, "conflict" if e.code in _CONFLICT_CODES else "failed")
            for e in self.errors[self._reported_errors :]
        ]
        done += [problem(w, "warning") for w in self.warnings[self._reported_warnings :]]
        self._lines, self._reported_errors = [], len(self.errors)
        self._reported_warnings = len(self.warnings)
        return sorted(done, key=lambda o: o.line)

    def count_existing(self, customer_id: str, outcome: str, rows: int) -> None:
        """Count rows of a customer stored before this import; once per customer."""
        before = self.outcomes.get(customer_id)
        self.merged_rows += rows if before is not None else rows - 1
        if before == "updated" or before == outcome:
            return
        if before is not None:
            setattr(self, before, getattr(self, before) - 1)
        setattr(self, outcome, getattr(self, outcome) + 1)
        self._set_outcome(customer_id, outcome)

    def count_skipped(self, customer_id: str) -> None:
        """A stored customer the file names in create mode: left alone, counted once."""
        if customer_id not in self.outcomes:
            self.skipped += 1
            self._set_outcome(customer_id, "skipped")

    def count_created(self, customer_id: str, rows: int) -> None:
        self.created += 1
        self.merged_rows += rows - 1

    def _set_outcome(self, customer_id: str, outcome: str) -> None:
        self._replaced.setdefault(customer_id, self.outcomes.get(customer_id))
        self.outcomes[customer_id] = outcome

    def mark(self) -> None:
        """Remember the counts before a batch is written, for :meth:`undo`."""
        self._marked_totals = tuple(getattr(self, name) for name in _BATCH_TOTALS)
        self._marked_errors = len(self.errors)
        self._marked_warnings = len(self.warnings)
        self._replaced.clear()
        self._lines = []

    def undo(self) -> None:
        """Take back what was counted since :meth:`mark` (the batch was rolled back)."""
        for name, value in zip(_BATCH_TOTALS, self._marked_totals, strict=True):
            setattr(self, name, value)
        del self.errors[self._marked_errors :]
        del self.warnings[self._marked_warnings :]
        for customer_id, outcome in self._replaced.items():
            if outcome is None:
                del self.outcomes[customer_id]
            else:
                self.outcomes[customer_id] = outcome
        self.mark()

    def progress(self) -> Progress:
        failed_lines = len({e.line for e in self.errors})
        return Progress(
            self.rows_read,
            self.created,
            self.updated,
            self.unchanged,
            self.skipped,
            failed_lines,
            self.merged_rows,
        )
