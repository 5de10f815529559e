"""What an import did: counts for progress bars, and the final report."""

from __future__ import annotations

import attrs

from customer_core.io.rows import RowError

__all__ = ["Counts", "ImportReport", "Progress"]


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

    @property
    def ok(self) -> bool:
        return self.failed == 0


@attrs.define
class Counts:
    """What a run has done so far; copied before a batch, restored if it fails."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged_rows: int = 0
    errors: list[RowError] = attrs.Factory(list)
    #: What happened to each stored customer the file named (``skipped``,
    #: ``unchanged``, ``updated``), so one named in several batches counts once.
    outcomes: dict[str, str] = attrs.Factory(dict)
    #: The customers this run created (more rows of theirs merge, not update).
    created_ids: set[str] = attrs.Factory(set)

    def count_existing(self, customer_id: str, outcome: str, rows: int) -> None:
        """Count rows of a customer stored before this import; once per customer."""
        before = self.outcomes.get(customer_id)
        self.merged_rows += rows if before is not None else rows - 1
        if before == "updated" or before == outcome:
            return
        if before is not None:
            setattr(self, before, getattr(self, before) - 1)
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.outcomes[customer_id] = outcome

    def copy(self) -> Counts:
        return attrs.evolve(
            self,
            errors=list(self.errors),
            outcomes=dict(self.outcomes),
            created_ids=set(self.created_ids),
        )

    def restore(self, saved: Counts) -> None:
        for field in attrs.fields(Counts):
            setattr(self, field.name, getattr(saved, field.name))

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
