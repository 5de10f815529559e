"""CSV import that never half-fails, and whose result never depends on its batches.

The file is read twice over. First every row is parsed and the rows of one
customer are grouped, for the whole file, under the conflicting-evidence
rule (:class:`~customer_core.io.grouping.FileGroups`, streamed, with its
state in temporary files); the customers that already held the file's keys
are noted on the way. Then each group is written once its last row is
read back, in batches: each batch is one unit of work with set-based reads
and writes; bad rows are reported (line, column, code, message) and never
touch the good ones; a batch is written entirely or not at all, so a crash
or kill leaves a state from which re-running the same file gives the right
result (identity keys are unique, so nothing doubles). A group is matched
against the customers stored before the run only: the file's other groups
are already decided apart, so batch size 1 and 5,000 store the same.

Modes:

- ``create``: new customers only; rows of customers that already exist are
  reported as ``skipped`` and left alone;
- ``upsert``: "replace existing customers with the same e-mail or phone"
  (or CPF/CNPJ) when nothing says they are another person: scalars from the
  row where it has them, identifiers added (never removed); a shared phone
  or e-mail of someone else leaves a new customer sharing it.

``dry_run`` reports exactly what a real run would do and writes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from functools import partial
from pathlib import Path, PurePath
from typing import IO

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.domain.model.privacy import Origin
from customer_core.domain.rules.assignment import Reassignment, check_reassignment
from customer_core.domain.rules.visibility import sees_unassigned
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import (
    Code,
    CustomerCoreError,
    DuplicateIdentity,
    InvalidStoredValue,
    InvalidValue,
)
from customer_core.io.collector import fewer_collections
from customer_core.io.first_pass import ReadOptions, parsed_chunks
from customer_core.io.grouping import FileGroups
from customer_core.io.limits import within_limits
from customer_core.io.report import Counts, ImportReport, Progress, RowOutcome
from customer_core.io.rows import Draft, RowError
from customer_core.io.sources import open_table
from customer_core.io.table import TableSource
from customer_core.io.upsert import Group, check_repaired, owner, phones_not_kept, updated
from customer_core.ports import StatisticsRefresh, UnitOfWork
from customer_core.services.base import ServiceBase
from customer_core.services.validation import check_registered

__all__ = ["DEFAULT_BATCH_SIZE", "ImportMode", "ImportReport", "Importer", "Progress"]

#: Rows per batch (one transaction each). Larger batches share the index pages
#: they write: 5,000 rows per batch imported 300,000 rows into SQLite about
#: 1.5x as fast as 1,000, for some 50 MB more memory at the peak.
DEFAULT_BATCH_SIZE = 5000
#: Rows parsed and grouped at a time in the first pass (whatever the batch size:
#: the grouping never depends on it); each chunk's stored holders are one read.
_READ_CHUNK = 5000


class ImportMode(enum.Enum):
    """``create`` adds new customers only; ``upsert`` also overwrites matching ones."""

    CREATE = "create"
    UPSERT = "upsert"


@attrs.frozen
class _Run:
    """One import run: who imports into which tenant, how, and what it has done."""

    tenant_id: str
    actor: Actor
    mode: ImportMode
    assign: bool
    counts: Counts
    #: The imported file's base name, recorded as each new customer's origin.
    file: str | None = None


def _file_name(source: object) -> str | None:
    """The base name of the imported file: a path's, or an opened file's ``name``.

    Only the base name: the directories of the importing machine say nothing
    about where the data came from, and may say who imported it.
    """
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    if not isinstance(name, str | Path):
        return None
    return PurePath(name).name or None


class Importer(ServiceBase):
    """Imports customer spreadsheets for one tenant under the tenant's preset."""

    def _tax_id_check(self) -> Callable[[Cpf | Cnpj], None] | None:
        """The registry's check of a CPF/CNPJ, when the preset asks for it (as register does)."""
        if not self.preset.registration.verify_tax_id:
            return None
        return partial(check_registered, self.tax_registry)

    def run(
        self,
        tenant_id: str,
        actor: Actor,
        source: str | Path | IO[bytes] | TableSource,
        /,
        *,
        mode: ImportMode | str = ImportMode.CREATE,
        dry_run: bool = False,
        encoding: str | None = None,
        delimiter: str | None = None,
        mapping: dict[str, str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        assign_to_importer: bool | None = None,
        progress: Callable[[Progress], None] | None = None,
        on_row: Callable[[RowOutcome], None] | None = None,
        strict: bool = False,
        tune_gc: bool = False,
    ) -> ImportReport:
        """Import ``source`` (a path, a binary stream, or a table already opened with
        :func:`~customer_core.io.sources.open_table`, whose own encoding, delimiter
        and mapping then apply); see the module docs for the modes.

        ``on_row`` receives what happened to each line (:class:`RowOutcome`),
        batch by batch once the batch is stored, so a million lines never sit
        in memory: the customer each line went to, or why it failed. The
        lines of one customer are reported together, with the batch that
        holds the customer's last line.

        A value that is not valid (a phone without its area code, a CEP that
        lost a digit) is left out and reported in ``ImportReport.warnings``;
        the row is kept with its valid values. With ``strict`` such a row is
        refused instead.

        ``assign_to_importer`` makes the importing user the responsible of the
        customers it creates. By default it follows the preset
        (``import_assigns_importer``), and is on for a user who could not
        see a customer without portfolio or responsible: what they import
        stays theirs to find, and a re-run of the file finds it again
        rather than creating it twice.

        ``tune_gc``: have the garbage collector run less often meanwhile
        (:func:`~customer_core.io.collector.fewer_collections`), which takes a
        fifth off a large import's time. It is a setting of the whole process,
        so the library leaves it alone unless asked; the command line asks.
        """
        import_mode = ImportMode(mode)
        if not dry_run:  # a dry run writes nothing: it may read in the host's transaction
            self._deps.refuse_host_transaction("an import", "commits in batches")
        if not 1 <= batch_size <= 50_000:
            raise InvalidValue(
                "batch_size must be 1 to 50000", code=Code.INVALID_VALUE, field="batch_size"
            )
        assign = (
            self.preset.access.import_assigns_importer
            or not sees_unassigned(actor, self.preset.access)
            if assign_to_importer is None
            else assign_to_importer
        )
        if assign:  # new records only, to the importer: the domain's rule says who may
            check_reassignment(
                actor,
                self.preset.access,
                Reassignment(responsible=True, responsible_id=actor.user_id, new_record=True),
            )
        with ExitStack() as stack:
            stack.enter_context(fewer_collections(tune_gc))
            if isinstance(source, TableSource):
                reader = source
            else:
                stream: IO[bytes] = (
                    stack.enter_context(open(source, "rb"))
                    if isinstance(source, str | Path)
                    else source
                )
                reader = open_table(stream, encoding=encoding, delimiter=delimiter, mapping=mapping)
            counts = Counts()
            ignored = tuple(h for h, c in zip(reader.headers, reader.columns, strict=True) if not c)
            run = _Run(tenant_id, actor, import_mode, assign, counts, _file_name(source))
            groups = stack.enter_context(FileGroups())
            dry_uow = stack.enter_context(self.uow_factory()) if dry_run else None
            # First pass: the whole file grouped (and the stored holders of its
            # keys noted) before anything is written, so batches change nothing.
            options = ReadOptions(
                self.preset.default_region, strict, _READ_CHUNK, self._tax_id_check()
            )
            for chunk in parsed_chunks(reader, options):
                counts.rows_read += chunk.rows_read
                counts.errors.extend(chunk.errors)
                counts.warnings.extend(chunk.warnings)
                if not chunk.drafts:
                    continue
                keyed = [(draft, draft.identity_keys()) for draft in chunk.drafts]
                groups.add(keyed)
                self._note_holders(dry_uow, tenant_id, groups, keyed)
                if progress is not None:  # rows read, nothing written yet
                    progress(counts.progress())
            counts.errors.extend(groups.decide())
            # Second pass: each group written once its last row is read back.
            pending: list[Group] = []
            complete = groups.groups()
            while True:
                rows = next(complete, None)
                if rows is not None:
                    pending.append(Group.of(rows))
                    counts.warnings.extend(pending[-1].warnings)
                if pending and (rows is None or len(pending) >= batch_size):
                    writing, pending = pending, []
                    if dry_uow is not None:
                        counts.mark()  # nothing to undo here; keeps the undo record to one batch
                        self._write(dry_uow, run, groups, writing)
                    else:
                        self._write_alone(run, groups, writing)
                    for outcome in counts.stored(dry_run=dry_run, header_for=reader.header_for):
                        if on_row is not None:
                            on_row(outcome)
                    if progress is not None:
                        progress(counts.progress())
                if rows is None:
                    break
            if on_row is not None:  # rows that never made it into a group
                for outcome in counts.stored(dry_run=dry_run, header_for=reader.header_for):
                    on_row(outcome)
        final = counts.progress()
        if not dry_run:
            self._audit_run(run, final)
            if counts.created or counts.updated:
                self._refresh_statistics()
        return ImportReport(
            rows_read=final.rows_read,
            created=final.created,
            updated=final.updated,
            unchanged=final.unchanged,
            skipped=final.skipped,
            failed=final.failed,
            merged_rows=final.merged_rows,
            errors=tuple(sorted(counts.errors, key=lambda e: (e.line, e.column or ""))),
            dry_run=dry_run,
            warnings=tuple(counts.warnings),
            ignored_columns=ignored,
        )

    def _audit_run(self, run: _Run, final: Progress) -> None:
        """One audit entry for the run, with its counts by outcome.

        Each customer it created or updated has its own entry already, from
        its event, written with the customer's batch.
        """
        counts = attrs.asdict(final)
        with self.uow_factory() as uow:
            self._deps.audit(
                uow, run.actor, run.tenant_id, None, "import.run", mode=run.mode.value, **counts
            )
            self._commit(uow)

    def _refresh_statistics(self) -> None:
        # A large import changes the tables' sizes by orders of magnitude;
        # SQLite plans from statistics only ANALYZE gathers.
        if isinstance(self.uow_factory, StatisticsRefresh):
            self.uow_factory.refresh_statistics()

    def _note_holders(
        self,
        dry_uow: UnitOfWork | None,
        tenant_id: str,
        groups: FileGroups,
        keyed: list[tuple[Draft, set[IdentityKey]]],
    ) -> None:
        """Note which stored customers hold the keys of these rows (before anything is written)."""
        keys = set().union(*(keys for _, keys in keyed)) if keyed else set()
        if not keys:
            return
        if dry_uow is not None:
            groups.remember_holders(dry_uow.customers.holders(tenant_id, keys))
            return
        with self.uow_factory() as uow:
            groups.remember_holders(uow.customers.holders(tenant_id, keys))

    def _build(self, run: _Run, draft: Draft) -> Customer:
        customer = draft.new_customer(
            id=self.ids.new_id(),
            tenant_id=run.tenant_id,
            now=self.clock.now(),
            responsible_id=run.actor.user_id if run.assign else None,
            # The first row of the group: the line a person finds the record by.
            origin=Origin(file=run.file, line=min(draft.lines, default=None)),
            version=1,  # as stored: the repository need not copy the record to stamp it
        )
        customer.check(self.preset.contact, self.preset.registration)
        return customer

    def _write_alone(self, run: _Run, groups: FileGroups, drafts: list[Group]) -> None:
        """Write ``drafts`` in one transaction; rows the database refuses fail alone.

        Validation catches what the domain knows, but a database may still
        refuse a value (a column's size, a character), or an identifier the
        batch adds to a customer may be another's. Then the transaction
        is rolled back and its rows written again in halves, down to the
        refused rows, which are reported: they never take the good rows of
        their batch, or the rest of the file, with them.
        """
        run.counts.mark()
        try:
            with self.uow_factory() as uow:
                self._write(uow, run, groups, drafts)
                self._commit(uow)
        except (InvalidStoredValue, DuplicateIdentity) as error:
            # DuplicateIdentity: an identifier an update adds is held by a
            # customer the batch did not read (an id column gone astray).
            run.counts.undo()
            if len(drafts) == 1:
                for line in drafts[0].draft.lines:
                    run.counts.errors.append(RowError(line, error.field, error.code, error.message))
                return
            half = len(drafts) // 2
            for part in (drafts[:half], drafts[half:]):
                self._write_alone(run, groups, part)

    def _write(
        self,
        uow: UnitOfWork,
        run: _Run,
        groups: FileGroups,
        drafts: list[Group],
    ) -> None:
        """Write one batch of groups: each matched against the customers stored before
        the run (the file's own groups are already decided apart), as they are now."""
        tenant_id, actor, counts = run.tenant_id, run.actor, run.counts
        scope = self._scope(uow, tenant_id, actor)
        all_keys = set().union(*(g.keys for g in drafts)) if drafts else set()
        holders = groups.stored_holders(all_keys)
        wanted = {h for ids in holders.values() for h in ids}
        wanted |= {g.draft.customer_id for g in drafts if g.draft.customer_id is not None}
        existing = uow.customers.get_many(tenant_id, wanted)
        # What earlier groups of this batch made of a customer, as a later batch
        # would read it back: a batch's groups see each other's updates.
        current = dict(existing)
        new: list[tuple[Draft, Customer]] = []
        updates: dict[str, tuple[list[Draft], Customer, int]] = {}

        def fail(draft: Draft, error: CustomerCoreError, column: str | None = None) -> None:
            # A conflict names the stored customer it is about (one the actor sees).
            holders = (error.details or {}).get("holder_ids") or [None]
            for line in draft.lines:
                counts.errors.append(
                    RowError(
                        line,
                        column or error.field,
                        error.code,
                        error.message,
                        customer_id=holders[0],
                    )
                )

        for group in drafts:
            draft = group.draft
            try:
                if draft.tax_id_repaired and draft.customer_id is None:
                    check_repaired(group, holders, current)
                found = owner(group, holders, current, scope, self.preset)
                if found is None:
                    fitting, left_out = within_limits(draft, self.preset.contact)
                    new.append((fitting, self._build(run, fitting)))
                    counts.warnings += left_out
                    continue
                if run.mode is ImportMode.CREATE:
                    counts.count_skipped(found)
                    counts.lines("skipped", found, draft.lines)
                    continue
                base = current[found]
                base.check_processing()  # a blocked customer is reported, not updated
                lines, _, version = updates.get(found, ([], base, base.version))
                fitting, left_out = within_limits(draft, self.preset.contact, base)
                current[found] = updated(base, attrs.evolve(group, draft=fitting), self.preset)
                counts.warnings += left_out
                counts.warnings += phones_not_kept(group, current[found])
                updates[found] = ([*lines, draft], current[found], version)
            except CustomerCoreError as error:
                fail(draft, error)
        for customer_id, (owner_drafts, merged, _) in updates.items():
            rows = sum(len(d.lines) for d in owner_drafts)
            named = tuple(line for d in owner_drafts for line in d.lines)
            outcome = "unchanged" if merged == existing[customer_id] else "updated"
            counts.count_existing(customer_id, outcome, rows)
            counts.lines(outcome, customer_id, named)
        self._store_new(uow, actor, new, counts, fail)
        changed = [(c, v) for cid, (_, c, v) in updates.items() if c != existing[cid]]
        stamped = [(attrs.evolve(c, updated_at=self.clock.now()), v) for c, v in changed]
        if stamped:
            uow.customers.save_many(stamped)
        for customer, _ in stamped:
            uow.record(
                self._new_event("customer.updated", actor, tenant_id, customer.id, source="import")
            )

    def _store_new(
        self,
        uow: UnitOfWork,
        actor: Actor,
        new: list[tuple[Draft, Customer]],
        counts: Counts,
        fail: Callable[[Draft, CustomerCoreError], None],
    ) -> None:
        if not new:
            return
        try:
            stored: Iterable[tuple[Draft, Customer]] = zip(
                (d for d, _ in new), uow.customers.add_many([c for _, c in new]), strict=True
            )
        except DuplicateIdentity:
            # Someone else wrote one of these keys meanwhile: fall back to one at a time.
            kept: list[tuple[Draft, Customer]] = []
            for draft, customer in new:
                try:
                    kept.append((draft, uow.customers.add(customer)))
                except CustomerCoreError as error:
                    fail(draft, error)
            stored = kept
        for draft, customer in stored:
            counts.count_created(customer.id, len(draft.lines))
            counts.lines("created", customer.id, draft.lines)
            uow.record(
                self._new_event(
                    "customer.registered", actor, customer.tenant_id, customer.id, source="import"
                )
            )
