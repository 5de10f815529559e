"""The ``import`` command of ``customer-core``: a CSV or workbook of customers.

It prints which header goes to which column before anything is written,
shows a progress bar on a terminal, and reports what happened to the rows
(``--report-file``: to each line). :mod:`customer_core.cli` registers it
(:func:`add_command`) and gives it the storage and the acting user.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

from customer_core.cli_duplicates import Command, ErrorAbout
from customer_core.domain.model.actor import Actor
from customer_core.errors import Code, CustomerCoreError, InvalidValue
from customer_core.facade import CustomerCore
from customer_core.io.column_check import ColumnPlan, check_columns
from customer_core.io.importer import DEFAULT_BATCH_SIZE, Importer, Progress
from customer_core.io.report import ImportReport
from customer_core.io.report_file import OutcomeTally, ReportFileWriter
from customer_core.io.sources import open_table
from customer_core.messages import localize
from customer_core.services.arguments import check_file

__all__ = ["add_command"]


@contextlib.contextmanager
def _bar(total: int | None, unit: str, enabled: bool) -> Iterator[Any]:
    """A tqdm bar on stderr when it is a terminal (and tqdm is installed)."""
    if not enabled:
        yield None
        return
    try:
        from tqdm import tqdm
    except ImportError:
        yield None
        return
    with tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar


def _mapping(pairs: Sequence[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or ():
        header, sep, column = pair.partition("=")
        if not sep or not header.strip() or not column.strip():
            raise InvalidValue(
                f"--mapping expects 'Header=column', got {pair!r}",
                code=Code.INVALID_MAPPING,
                field="mapping",
            )
        mapping[header.strip()] = column.strip()
    return mapping


def cmd_import(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    importer = Importer(core.storage, preset=core.preset)
    path = Path(args.file)
    try:
        check_file(path)  # what Importer.run says of a missing file, not a FileNotFoundError
    except CustomerCoreError as error:
        raise ErrorAbout(error, args.file) from error
    with contextlib.ExitStack() as stack:
        table = open_table(
            stack.enter_context(open(path, "rb")),
            encoding=args.encoding,
            delimiter=args.delimiter,
            mapping=_mapping(args.mapping),
        )
        plan = check_columns(table, ignore=args.ignore or ())
        _print_plan(plan, out)
        plan.check()
        report_file = (
            ReportFileWriter(
                stack.enter_context(open(args.report_file, "w", encoding="utf-8-sig", newline="")),
                lang=args.lang,
            )
            if args.report_file
            else None
        )
        show_bar = args.progress and sys.stderr.isatty()
        total = (table.rows_hint or _count_lines(path)) if show_bar else None
        bar = stack.enter_context(_bar(total, "rows", show_bar))
        tally = OutcomeTally(then=report_file)

        def progress(p: Progress) -> None:
            if bar is not None:
                bar.n = p.rows_read
                bar.set_postfix(created=p.created, updated=p.updated, failed=p.failed)
                bar.refresh()

        report = importer.run(
            args.tenant,
            actor,
            table,
            mode=args.mode,
            dry_run=args.dry_run,
            batch_size=args.batch_size,
            progress=progress,
            on_row=tally,
            strict=args.strict,
            tune_gc=True,  # the command line is the application: its process, its collector
        )
        if bar is not None:  # the count of lines was an estimate: end the bar full
            bar.total = bar.n = report.rows_read
            bar.refresh()
    print(_summary(report, tally), file=out)
    for line in tally.table(report):
        print(f"  {line}", file=out)
    _print_problems(report, args.show_errors, args.lang, out)
    return 0 if report.ok else 3


def _summary(report: ImportReport, tally: OutcomeTally) -> str:
    """The one-line count: lines counted as the table below counts them (a conflict
    is not a failure; a skipped customer's further lines are merged rows)."""
    prefix = "dry run: would have " if report.dry_run else ""
    lines = tally.lines
    text = (
        f"{prefix}read {report.rows_read} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.skipped} skipped, {lines['merged']} merged rows, "
        f"{lines['conflict']} conflicts, {lines['failed']} failed, "
        f"{tally.values_left_out} values left out"
    )
    if tally.values_completed:
        text += f", {tally.values_completed} repaired or completed"
    return text


def _print_problems(report: ImportReport, show: int, lang: str | None, out: IO[str]) -> None:
    """Each problem once, in the file's order: a line's failure, then what was left
    out of it or put right (two runs, failures then warnings, showed a line twice)."""
    problems = sorted(dict.fromkeys((*report.errors, *report.warnings)), key=lambda e: e.line)
    for error in problems[:show]:
        print(
            f"  line {error.line} [{error.header or error.column or '-'}] {error.code}: "
            f"{localize(error, lang=lang)}",
            file=out,
        )
    if len(problems) > show:
        print(f"  ... and {len(problems) - show} more (--report-file lists them all)", file=out)


def _count_lines(path: Path) -> int | None:
    """About how many records a CSV holds (its lines less the header), for the ETA."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(b"PK\x03\x04"):  # a workbook without a dimension
            return None
        newline = {codecs.BOM_UTF16_LE: b"\n\x00", codecs.BOM_UTF16_BE: b"\x00\n"}.get(
            head[:2], b"\n"
        )
        f.seek(0)
        lines = sum(chunk.count(newline) for chunk in iter(partial(f.read, 1 << 20), b""))
    return max(lines - 1, 0)


def _print_plan(plan: ColumnPlan, out: IO[str]) -> None:
    """Which header goes to which column, before anything is written."""
    width = max((len(h) for h, _ in plan.mapped), default=0)
    print("columns:", file=out)
    for header, column in plan.mapped:
        print(f"  {header:<{width}} -> {column}", file=out)
    if plan.ignored:
        print(f"ignored: {', '.join(plan.ignored)}", file=out)


def _delimiter(text: str) -> str:
    """A tab as shells let people type it; anything else as given (the reader checks it)."""
    return "\t" if text in ("\\t", "tab", "TAB") else text


def add_command(
    sub: Any,
    common: argparse.ArgumentParser,
    run: Callable[[Command], Callable[[argparse.Namespace, IO[str]], int]],
) -> None:
    """Add ``import`` to ``sub`` (the subparsers of ``customer-core``).

    ``run`` turns a :data:`~customer_core.cli_duplicates.Command` into what
    ``set_defaults(run=...)`` takes.
    """
    imp = sub.add_parser("import", parents=[common], help="import a CSV of customers")
    imp.add_argument("file")
    imp.add_argument("--mode", choices=["create", "upsert"], default="create")
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would happen; write nothing"
    )
    imp.add_argument("--encoding", help="file encoding (detected by default)")
    imp.add_argument(
        "--delimiter",
        type=_delimiter,
        help=r"field delimiter, '\t' or 'tab' for a tab (detected by default)",
    )
    imp.add_argument(
        "--mapping", action="append", metavar="HEADER=COLUMN", help="map a header to a column"
    )
    imp.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per transaction"
    )
    imp.add_argument(
        "--ignore",
        action="append",
        metavar="HEADER",
        help="a header to leave out on purpose (one that looks like customer data is refused)",
    )
    imp.add_argument("--show-errors", type=int, default=20)
    imp.add_argument(
        "--strict",
        action="store_true",
        help="refuse a row with any invalid value (by default the value is left out, the row kept)",
    )
    imp.add_argument(
        "--report-file",
        metavar="OUT.csv",
        help="write what happened to each line (line,outcome,customer_id,column,value,code,message)",
    )
    imp.set_defaults(run=run(cmd_import))
