"""Import speed of a large CSV into SQLite, against baselines measured in the same run.

Run: ``nox -s bench`` (everything, see ``run_all.py``) or
``python benchmarks/import_speed.py [--rows N | --quick] [--repeat N] [--profile]``.

The CSV has the format of :func:`customer_core.demo.demo_csv` (Brazilian
customers, ~3% repeated the messy way), streamed to a temporary file. Four
measurements, each in its own process (its peak RSS is its own):

- **plain floor**: read the file with :mod:`csv` and validate its tax id, up
  to two phones and up to two e-mails with python-stdnum, phonenumbers and
  email-validator used plainly: what any importer of these columns pays;
- **validation floor**: read the file and :func:`~customer_core.io.parse_row`
  every row (CPF, phones, e-mails, address), storing nothing;
- **import**: :class:`~customer_core.io.Importer` in ``upsert`` mode into a
  fresh SQLite file (default batch size), schema created before the clock;
- **storage alone**: the rows the import writes (customer, identity and
  outbox rows, made by the adapter's ``mapping`` functions before the clock)
  written with the same statements and commits as the adapter (on SQLite
  the driver's executemany, ``driver_writes``), batch by batch: the database's share, which no importer can avoid (audit rows
  included: each created customer's audit entry);
- **ORM baseline**: a row-by-row SQLAlchemy ORM importer with identity
  lookups (``orm_baseline.py``), into its own SQLite file.

Results are rows/s and ratios (import ÷ plain floor, target >= 0.5; import ÷
ORM, target >= 6; import ÷ the ``parse_row`` floor, for context), and the
*bound*: validating and then storing, with nothing in between, would run at
``1 / (1/floor + 1/storage)`` rows/s; that ÷ the ``parse_row`` floor is the
best ratio a single-threaded import could reach on this machine. The
import's peak RSS is reported too (target: 1M rows in <= 300 MB), and its
time at 1M rows (target <= 5 min, projected from the rate when fewer). When
fewer than 1M rows are imported, the RSS at 1M rows is also projected from
the RSS sampled along the run (a straight line through its second half).
``--other-backends`` adds the import into memory, PostgreSQL and MariaDB
(when reachable) as extra rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import attrs
from _support import (
    MB,
    TENANT,
    CustomerStream,
    fit_line,
    log,
    peak_rss_bytes,
    profiled,
    run_worker,
    worker_main,
    write_demo_csv,
)

from customer_core.io import DEFAULT_BATCH_SIZE

FULL_ROWS = 1_000_000
RSS_TARGET_ROWS = 1_000_000
POSTGRES = os.environ.get(
    "CUSTOMER_CORE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB = os.environ.get("CUSTOMER_CORE_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")


# -- workers (each in its own process) ----------------------------------------


def task_floor(csv: str, profile: bool = False) -> dict[str, Any]:
    from customer_core.io import CsvSource, parse_row

    rows = ok = 0
    with profiled(profile, "validation floor"):
        start = time.perf_counter()
        with open(csv, "rb") as stream:
            for line, row in CsvSource(stream).rows():
                rows += 1
                ok += not isinstance(parse_row(line, row), list)
        seconds = time.perf_counter() - start
    return {"rows": rows, "ok": ok, "seconds": seconds}


def task_plain_floor(csv_path: str, profile: bool = False) -> dict[str, Any]:
    """The validation-only floor with the libraries used plainly, on the import's columns.

    Read the file with :mod:`csv`, and check the tax id (``stdnum.br.cpf`` or
    ``cnpj``), up to two phones (``phonenumbers.parse`` and
    ``is_valid_number``) and up to two e-mails (``email_validator``, no DNS)
    of each row: what any importer of these columns must pay, with nothing
    of this library.
    """
    import csv

    import phonenumbers
    from email_validator import EmailNotValidError, validate_email
    from stdnum.br import cnpj, cpf

    rows = ok = 0
    with profiled(profile, "plain validation floor"):
        start = time.perf_counter()
        with open(csv_path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, delimiter=";")
            header = next(reader)
            at = {name: n for n, name in enumerate(header)}
            tax_at, phone_at, ddd_at, ddi_at = (
                at["CPF/CNPJ"],
                at["Telefone"],
                at["DDD"],
                at["DDI"],
            )
            email_at, more_phones_at, more_emails_at = (
                at["E-mail"],
                at["Outros telefones"],
                at["Outros e-mails"],
            )
            for row in reader:
                rows += 1
                valid = True
                tax = row[tax_at]
                if tax:
                    digits = cpf.compact(tax)
                    valid &= (cpf if len(digits) <= 11 else cnpj).is_valid(digits)
                phones = [row[phone_at]] if row[phone_at] else []
                if phones and row[ddd_at]:
                    phones = [f"+{row[ddi_at] or '55'} {row[ddd_at]} {phones[0]}"]
                phones += row[more_phones_at].split("|")[: 2 - len(phones)]
                for text in filter(None, phones):
                    try:
                        number = phonenumbers.parse(text, "BR")
                        valid &= phonenumbers.is_valid_number(number)
                    except phonenumbers.NumberParseException:
                        valid = False
                emails = [row[email_at], *row[more_emails_at].split("|")]
                for text in [e for e in emails if e][:2]:
                    try:
                        validate_email(text, check_deliverability=False)
                    except EmailNotValidError:
                        valid = False
                ok += valid
        seconds = time.perf_counter() - start
    return {"rows": rows, "ok": ok, "seconds": seconds}


def task_import(
    csv: str,
    url: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    profile: bool = False,
    tune_gc: bool = False,
) -> dict[str, Any]:
    from customer_core import Actor, connect
    from customer_core.io import Importer, Progress

    core = connect(url)  # creates the schema: not timed
    tenant = f"{TENANT}-{uuid.uuid4().hex[:8]}"
    admin = Actor(tenant_id=tenant, user_id="bench", role="admin")
    # rows read, peak RSS, seconds since the start, customers written (0 in the first pass)
    curve: list[tuple[int, int, float, int]] = []

    def progress(p: Progress) -> None:
        written = p.created + p.updated + p.unchanged + p.skipped
        curve.append((p.rows_read, peak_rss_bytes(), time.perf_counter() - start, written))

    rss_before = peak_rss_bytes()
    with profiled(profile, f"import -> {url.split(':')[0]}"):
        start = time.perf_counter()
        report = Importer(core.storage, preset=core.preset).run(
            tenant,
            admin,
            csv,
            mode="upsert",
            batch_size=batch_size,
            progress=progress,
            tune_gc=tune_gc,
        )
        seconds = time.perf_counter() - start
    core.close()
    return {
        "rows": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "merged_rows": report.merged_rows,
        "failed": report.failed,
        "seconds": seconds,
        "rss_before": rss_before,
        "rss_curve": curve,
    }


def task_storage(csv: str, url: str, batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, Any]:
    """The database's share alone: the rows an import writes, built outside the clock.

    The customers of the file (repeated identifiers dropped, as the import
    merges them) are built and turned into the adapter's own rows (customer,
    identity, outbox and audit rows) before the clock runs; only the adapter's
    set-based INSERTs (``driver_writes.insert_many``) and the commits are timed,
    batch by batch.
    """
    from sqlalchemy import insert

    from customer_core import connect
    from customer_core.adapters.shared import plan_identities
    from customer_core.adapters.sqlalchemy.claims import write_identities
    from customer_core.adapters.sqlalchemy.driver_writes import insert_many
    from customer_core.adapters.sqlalchemy.errors import Writes
    from customer_core.adapters.sqlalchemy.mapping import audit_row, customer_row, event_rows
    from customer_core.adapters.sqlalchemy.tables import audit_log, customers, outbox
    from customer_core.defaults import time_ordered_id
    from customer_core.domain.model.audit import audit_entries
    from customer_core.ports import DomainEvent

    core = connect(url)  # creates the schema: not timed
    stream = CustomerStream(Path(csv), cluster_every=0)
    seconds, stored = 0.0, 0
    with core.storage.engine.connect() as connection:
        while batch := stream.take(batch_size, to_the_end=True):
            rows = [customer_row(c) for c in batch]
            identities = plan_identities([(c.id, (), c.identity_keys()) for c in batch], {})
            registered = [
                DomainEvent(
                    name="customer.registered",
                    tenant_id=TENANT,
                    customer_id=c.id,
                    occurred_at=c.created_at,
                    actor_id="bench",
                    data={"source": "import"},
                )
                for c in batch
            ]
            events = event_rows(registered)
            audits = [audit_row(e) for e in audit_entries(registered, time_ordered_id)]
            start = time.perf_counter()
            insert_many(connection, insert(customers), rows)
            write_identities(Writes(connection), TENANT, identities)  # holder rows and claims
            insert_many(connection, insert(outbox), events)
            insert_many(connection, insert(audit_log), audits)
            connection.commit()
            seconds += time.perf_counter() - start
            stored += len(batch)
    stream.close()
    core.close()
    return {"rows": stored, "seconds": seconds}


def task_orm(csv: str, db: str, limit: int | None = None, profile: bool = False) -> dict[str, Any]:
    from orm_baseline import orm_import, prepare

    engine = prepare(Path(db))  # not timed
    with profiled(profile, "ORM row-by-row baseline"):
        start = time.perf_counter()
        counts = orm_import(engine, Path(csv), TENANT, limit=limit)
        seconds = time.perf_counter() - start
    engine.dispose()
    return {**counts, "seconds": seconds}


# -- the measurement ------------------------------------------------------------


def _rate(run: dict[str, Any]) -> float:
    return float(run["rows"]) / run["seconds"]


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["seconds"])
    return {
        **best,
        "all_seconds": [r["seconds"] for r in runs],
        "peak_rss": max(r["peak_rss"] for r in runs),
    }


def _projected_rss(run: dict[str, Any], rows: int) -> float | None:
    """The peak RSS at ``rows`` rows: what grows with the file grows while it is read.

    A line through the second half of the first pass (RSS over rows read)
    gives the RSS at the end of reading ``rows`` rows; the second pass adds
    what it added in this run (a batch of customers: the same at any size).
    """
    reading = [point for point in run.get("rss_curve") or [] if point[3] == 0]
    if len(reading) < 20:  # too few chunks for a line worth drawing
        return None
    tail = [(float(r), float(rss)) for r, rss, _, _ in reading[len(reading) // 2 :]]
    slope, intercept = fit_line(tail)
    writing_adds = max(0.0, float(run["peak_rss"]) - reading[-1][1])
    return max(float(run["peak_rss"]), intercept + slope * rows + writing_adds)


def measure(
    tmp: Path,
    *,
    rows: int,
    orm_rows: int | None = None,
    repeat: int = 1,
    profile: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    other_backends: bool = False,
) -> dict[str, Any]:
    """Generate the CSV, run the three measurements, print the table, return the numbers.

    The ORM baseline imports the first ``orm_rows`` rows of the same file
    (all of them by default; 0 skips it). Fewer rows favour the ORM (a
    smaller database), so the import of those same rows is measured too and
    the import-vs-ORM ratio is taken on equal rows.
    """
    orm_rows = rows if orm_rows is None else min(orm_rows, rows)
    csv = tmp / "import.csv"
    start = time.perf_counter()
    write_demo_csv(csv, rows)
    size = csv.stat().st_size
    log(
        f"[import] {rows:,} rows, {size / MB:.0f} MB CSV written in {time.perf_counter() - start:.1f} s"
    )

    def sqlite_url(name: str) -> str:
        path = tmp / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"

    plains, floors, imports, storages, orms = [], [], [], [], []
    for n in range(repeat):
        log(f"[import] round {n + 1}/{repeat}: plain validation floor")
        plains.append(
            run_worker("import_speed.py", "plain_floor", csv_path=str(csv), profile=profile)
        )
        log(f"[import] round {n + 1}/{repeat}: validation floor")
        floors.append(run_worker("import_speed.py", "floor", csv=str(csv), profile=profile))
        log(f"[import] round {n + 1}/{repeat}: import -> SQLite")
        imports.append(
            run_worker(
                "import_speed.py",
                "import",
                csv=str(csv),
                url=sqlite_url("import"),
                batch_size=batch_size,
                profile=profile,
            )
        )
        log(f"[import] round {n + 1}/{repeat}: storage alone -> SQLite")
        storages.append(
            run_worker(
                "import_speed.py",
                "storage",
                csv=str(csv),
                url=sqlite_url("storage"),
                batch_size=batch_size,
            )
        )
        if orm_rows:
            log(f"[import] round {n + 1}/{repeat}: ORM baseline -> SQLite ({orm_rows:,} rows)")
            orm_db = tmp / "orm.db"
            orm_db.unlink(missing_ok=True)
            orms.append(
                run_worker(
                    "import_speed.py",
                    "orm",
                    csv=str(csv),
                    db=str(orm_db),
                    limit=orm_rows,
                    profile=profile,
                )
            )
    plain, floor, imported, storage = _best(plains), _best(floors), _best(imports), _best(storages)
    orm = _best(orms) if orms else None
    # Like for like: the import of the ORM's rows, when the ORM imports fewer.
    same_rows = None
    if orm is not None and orm_rows < rows:
        log(f"[import] import -> SQLite of the ORM's {orm_rows:,} rows")
        small = tmp / "import-orm-rows.csv"
        write_demo_csv(small, orm_rows)
        same_rows = run_worker(
            "import_speed.py",
            "import",
            csv=str(small),
            url=sqlite_url("import-orm-rows"),
            batch_size=batch_size,
        )
    extra: dict[str, dict[str, Any] | str] = {}
    # As `customer-core import` runs it: the collector's young generation every
    # 100,000 allocations (docs/howto/import-csv.md, "Large files").
    log("[import] import -> SQLite, tune_gc=True")
    extra["SQLite, tune_gc (CLI)"] = run_worker(
        "import_speed.py",
        "import",
        csv=str(csv),
        url=sqlite_url("import-tuned"),
        batch_size=batch_size,
        tune_gc=True,
    )
    if other_backends:
        for name, url in (("memory", "memory://"), ("postgresql", POSTGRES), ("mariadb", MARIADB)):
            log(f"[import] import -> {name}")
            try:
                extra[name] = run_worker("import_speed.py", "import", csv=str(csv), url=url)
            except RuntimeError as exc:
                extra[name] = f"skipped ({exc})"
    result: dict[str, Any] = {
        "rows": rows,
        "csv_mb": size / MB,
        "repeat": repeat,
        "profiled": profile,
        "plain": plain,
        "floor": floor,
        "import": imported,
        "storage": storage,
        "orm": orm,
        "extra": extra,
        "vs_floor": _rate(imported) / _rate(floor),
        "vs_plain": _rate(imported) / _rate(plain),
        # A straight line from this run's rate: the import's pace holds over the file.
        "seconds_at_1m": imported["seconds"] * FULL_ROWS / max(1, imported["rows"]),
        "tuned_at_1m": extra["SQLite, tune_gc (CLI)"]["seconds"]  # type: ignore[index]
        * FULL_ROWS
        / max(1, imported["rows"]),
        # Validation, then storage, one after the other, with nothing else:
        # the best ratio a single-threaded import of these rows could reach.
        "bound": 1 / (1 / _rate(floor) + 1 / _rate(storage)) / _rate(floor),
        "vs_orm": _rate(imported) / _rate(orm) if orm else None,
        "same_rows": same_rows,
        # The import and the ORM on the same rows (the ORM's, when fewer).
        "vs_orm_same_rows": _rate(same_rows or imported) / _rate(orm) if orm else None,
        "rss_at_1m": (
            float(imported["peak_rss"])
            if rows >= RSS_TARGET_ROWS
            else _projected_rss(imported, RSS_TARGET_ROWS)
        ),
    }
    print_table(result)
    return result


@attrs.frozen
class Pace:
    """Where an import's time went: the first pass (read, parse, group), the rest
    (decide, then write batch by batch), and the writing pace as the store grows."""

    reading_seconds: float
    writing_seconds: float
    #: Customers written per second over the first and the last tenth of the batches.
    first_tenth: float
    last_tenth: float


def _pace(run: dict[str, Any]) -> Pace | None:
    """The two passes of the import from its progress curve; a slowdown as the
    database grows shows in the writing pace of the last tenth against the first."""
    curve = run.get("rss_curve") or []
    reading = [p for p in curve if p[3] == 0]
    writing = [p for p in curve if p[3] > 0]
    if not reading or len(writing) < 10:
        return None
    read_end = reading[-1][2]
    tenth = len(writing) // 10
    first = writing[tenth - 1][3] / (writing[tenth - 1][2] - read_end)
    w1, t1 = writing[-tenth - 1][3], writing[-tenth - 1][2]
    last = (writing[-1][3] - w1) / (writing[-1][2] - t1)
    return Pace(read_end, run["seconds"] - read_end, first, last)


def _spread(run: dict[str, Any]) -> str:
    runs = run.get("all_seconds", [])
    if len(runs) < 2:
        return ""
    return f"  (runs {min(runs):.1f}-{max(runs):.1f} s)"


def print_table(r: dict[str, Any]) -> None:
    floor_rate = _rate(r["plain"])
    print(
        f"\n== 1. Import throughput: {r['rows']:,} rows ({r['csv_mb']:.0f} MB CSV),"
        f" best of {r['repeat']}" + (" -- UNDER THE PROFILER" if r["profiled"] else "")
    )
    print(f"{'':34} {'rows':>9} {'seconds':>8} {'rows/s':>8} {'vs plain':>9} {'peak RSS':>9}")

    def line(label: str, run: dict[str, Any]) -> None:
        print(
            f"{label:34} {run['rows']:9,} {run['seconds']:8.1f} {_rate(run):8,.0f}"
            f" {_rate(run) / floor_rate:8.2f}x {run['peak_rss'] / MB:6.0f} MB" + _spread(run)
        )

    line("plain floor (stdnum/phonenumbers/", r["plain"])
    print("   email-validator on the columns)")
    line("validation floor (parse_row only)", r["floor"])
    line("import -> SQLite (Importer)", r["import"])
    line("storage alone (rows prebuilt)", r["storage"])
    if r["orm"]:
        line("ORM row-by-row -> SQLite", r["orm"])
    if r["same_rows"]:
        line("import of the ORM's rows", r["same_rows"])
    for name, run in r["extra"].items():
        if isinstance(run, str):
            print(f"{'import -> ' + name:34} {run}")
        else:
            line(f"import -> {name}", run)
    imp = r["import"]
    print(
        f"import: {imp['created']:,} created, {imp['updated']:,} updated,"
        f" {imp['merged_rows']:,} rows merged into another, {imp['failed']:,} failed;"
        f" peak RSS {imp['rss_before'] / MB:.0f} MB when the import started"
    )
    pace = _pace(imp)
    if pace is not None:
        print(
            f"import passes: reading and grouping {pace.reading_seconds:.1f} s, deciding and"
            f" writing {pace.writing_seconds:.1f} s ({pace.first_tenth:,.0f} customers/s over"
            f" the first tenth of the batches, {pace.last_tenth:,.0f} over the last)"
        )
    if r["orm"]:
        o = r["orm"]
        print(f"ORM:    {o['created']:,} created, {o['updated']:,} updated, {o['failed']:,} failed")
    scope = "" if r["rows"] >= FULL_ROWS else " (projected: a straight line from this run)"
    print(
        f"import time at 1M rows: {r['seconds_at_1m']:.0f} s; with tune_gc as the command line"
        f" runs it: {r['tuned_at_1m']:.0f} s{scope} (target <= 300 s)"
    )
    print(f"import vs plain floor: {r['vs_plain']:.2f}x rows/s (target >= 0.5x)")
    print(f"import vs parse_row floor: {r['vs_floor']:.2f}x rows/s (context)")
    print(
        f"bound: validating then storing with nothing in between would reach"
        f" {r['bound']:.2f}x the floor; the import reaches {r['vs_floor'] / r['bound']:.0%} of that"
    )
    if r["vs_orm"] is not None:
        print(
            f"import vs ORM:   {r['vs_orm_same_rows']:.2f}x rows/s on the same rows (target >= 6x)"
        )
        if r["same_rows"]:
            print(
                f"                 {r['vs_orm']:.2f}x: the {r['rows']:,}-row import against the"
                f" ORM's {r['orm']['rows']:,} rows (a smaller database: flatters the ORM)"
            )
    if r["rows"] < RSS_TARGET_ROWS and r["rss_at_1m"] is not None:
        print(
            f"import peak RSS projected to 1M rows: {r['rss_at_1m'] / MB:.0f} MB"
            " (a line through the RSS sampled over the second half of the run;"
            " target <= 300 MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="rows to import (default 1M)")
    parser.add_argument("--quick", action="store_true", help="1/10 scale")
    parser.add_argument("--repeat", type=int, default=1, help="best of N (default 1)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--profile", action="store_true", help="cProfile each measurement")
    parser.add_argument("--other-backends", action="store_true")
    parser.add_argument(
        "--orm-rows",
        type=int,
        default=None,
        help="rows for the ORM baseline (default: all; 0: skip)",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    rows = args.rows or (FULL_ROWS // 10 if args.quick else FULL_ROWS)
    with tempfile.TemporaryDirectory(prefix="customer-core-bench-") as tmp:
        measure(
            Path(tmp),
            rows=rows,
            repeat=args.repeat,
            profile=args.profile,
            batch_size=args.batch_size,
            other_backends=args.other_backends,
            orm_rows=args.orm_rows,
        )


if __name__ == "__main__":
    if not worker_main(
        {
            "floor": task_floor,
            "plain_floor": task_plain_floor,
            "import": task_import,
            "storage": task_storage,
            "orm": task_orm,
        }
    ):
        sys.exit(main())
