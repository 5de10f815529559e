"""Exact duplicate clusters over a large tenant on SQLite.

Run: ``nox -s bench`` (everything, see ``run_all.py``, which reuses the
SQLite file ``resolve_latency.py`` built) or
``python benchmarks/duplicate_clusters.py [--customers N | --quick]``.

What is measured: the pure function
:func:`~customer_core.domain.matching.duplicates.exact_clusters` over every
customer of the tenant, streamed from SQLite page by page
(``uow.customers.list_page``, 1000 per page, one read transaction), never
all in memory. Not ``IdentityService.duplicate_report``: that also computes
the scored suggestions (``suggest_duplicates``), a different and heavier job,
and keeps every customer in a list. The time is split into loading the pages
(SQL and ``customer_from_row``) and the rest (``MatchRecord.of`` and the
clustering). 1% of the customers carry a WhatsApp id on the previous
customer's phone line, so there are real clusters to find.

Target: <= 10 s for 1M customers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _support import (
    MB,
    TENANT,
    CustomerStream,
    log,
    profiled,
    run_worker,
    worker_main,
    write_demo_csv,
)

FULL_CUSTOMERS = 1_000_000
TARGET_CUSTOMERS = 1_000_000


def task_build(csv: str, db: str, customers: int) -> dict[str, Any]:
    """A SQLite file with ``customers`` customers (set-based, as ``resolve_latency.py`` does)."""
    from customer_core import connect

    sql = connect(f"sqlite:///{db}")
    stream = CustomerStream(Path(csv))
    built = 0
    while built < customers:
        batch = stream.take(min(5000, customers - built))
        with sql.storage() as uow:
            uow.customers.add_many(batch)
            uow.commit()
        built += len(batch)
    stream.close()
    sql.close()
    return {"customers": built, "seeded": stream.seeded}


def task_clusters(db: str, page: int = 1000, profile: bool = False) -> dict[str, Any]:
    from customer_core.adapters.sqlalchemy import SqlStorage
    from customer_core.domain.matching.duplicates import exact_clusters
    from customer_core.domain.model.customer import Customer

    storage = SqlStorage(f"sqlite:///{db}")
    loading = 0.0
    count = 0

    def customers() -> Iterator[Customer]:
        nonlocal loading, count
        after = None
        with storage() as uow:
            while True:
                start = time.perf_counter()
                batch = uow.customers.list_page(TENANT, after=after, limit=page)
                loading += time.perf_counter() - start
                if not batch:
                    return
                count += len(batch)
                yield from batch
                after = batch[-1].id

    with profiled(profile, "exact_clusters over SQLite pages"):
        start = time.perf_counter()
        clusters = exact_clusters(customers())
        seconds = time.perf_counter() - start
    storage.engine.dispose()
    return {
        "customers": count,
        "clusters": len(clusters),
        "seconds": seconds,
        "loading": loading,
        "clustering": seconds - loading,
    }


def measure(
    tmp: Path, *, customers: int, db: Path | None = None, profile: bool = False
) -> dict[str, Any]:
    """Build the SQLite file unless given, run the worker, print the table, return the numbers."""
    if db is None:
        csv = tmp / "clusters.csv"
        write_demo_csv(csv, int(customers * 1.01) + 1000, messy=False)
        db = tmp / "clusters.db"
        start = time.perf_counter()
        run_worker("duplicate_clusters.py", "build", csv=str(csv), db=str(db), customers=customers)
        log(f"[clusters] {customers:,} customers stored in {time.perf_counter() - start:.0f} s")
        csv.unlink()
    log("[clusters] exact_clusters")
    result = run_worker("duplicate_clusters.py", "clusters", db=str(db), profile=profile)
    result["profiled"] = profile
    n = result["customers"]
    result["at_target"] = result["seconds"] * TARGET_CUSTOMERS / n if n else float("nan")
    print_table(result)
    return result


def print_table(r: dict[str, Any]) -> None:
    n = r["customers"]
    print(
        f"\n== 3. exact_clusters over {n:,} customers streamed from SQLite, 1000 per page"
        + (" -- UNDER THE PROFILER" if r["profiled"] else "")
    )
    print(f"{'':40} {'seconds':>8} {'µs/customer':>12}")
    for label, key in (
        ("total", "seconds"),
        ("  loading pages (SQL + customer_from_row)", "loading"),
        ("  MatchRecord.of + clustering", "clustering"),
    ):
        print(f"{label:40} {r[key]:8.1f} {r[key] / n * 1e6:12.1f}")
    print(f"{r['clusters']:,} clusters found; worker peak RSS {r['peak_rss'] / MB:.0f} MB")
    if n < TARGET_CUSTOMERS:
        print(f"projected to 1M customers (linear): {r['at_target']:.1f} s (target <= 10 s)")
    else:
        print("target: <= 10 s for 1M customers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=None, help="default 1M")
    parser.add_argument("--quick", action="store_true", help="1/10 scale")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    customers = args.customers or (FULL_CUSTOMERS // 10 if args.quick else FULL_CUSTOMERS)
    with tempfile.TemporaryDirectory(prefix="customer-core-bench-") as tmp:
        measure(Path(tmp), customers=customers, profile=args.profile)


if __name__ == "__main__":
    if not worker_main({"build": task_build, "clusters": task_clusters}):
        sys.exit(main())
