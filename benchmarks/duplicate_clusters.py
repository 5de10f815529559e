"""Exact duplicate clusters over a large tenant on SQLite.

Run: ``nox -s bench`` (everything, see ``run_all.py``, which reuses the
SQLite file ``resolve_latency.py`` built) or
``python benchmarks/duplicate_clusters.py [--customers N | --quick] [--db FILE] [--compare]``
(``--db``: build the store in ``FILE`` and keep it, or reuse it if it exists:
building 1M customers takes minutes).

What is measured: ``IdentityService.exact_clusters`` for an admin (every
customer visible): the exact clusters of the duplicate report, read from the
identity index (shared WhatsApp/phone lines, shared CNPJ roots) plus the
inbound hints, with the visibility scope in the SQL. 1% of the customers
carry a WhatsApp id on the previous customer's phone line, so the index has
shared lines to read; most join two different names, which the identity
model does not cluster (a shared line between incompatible names is two
customers), so few clusters come out (4 at 1M). With ``--compare``, also the former way, kept as the
reference: the pure function
:func:`~customer_core.domain.matching.duplicates.exact_clusters` over every
customer streamed page by page (``uow.customers.list_page``, 1000 per page,
one read transaction), split into loading the pages (SQL and
``customer_from_row``) and the rest; both must find the same clusters.

Target: <= 10 s for 1M customers.

With ``--report``, also the whole duplicate report a user opens
(``IdentityService.duplicate_report``: exact clusters, company groups and
the scored name/contact suggestions, dismissals applied) over the same
store, in its own process: seconds (wall and CPU: the CPU time is less
noisy on a shared machine), suggestions found, the worker's peak RSS and a
digest of everything the report shows (clusters, suggestions with their
score and every piece of evidence with its weights, groups). Run it on two
versions of the code over the same ``--db``: a change meant to be faster
only must print the same digest. Target (issue "Matching v2"): <= 5 min for
1M customers on SQLite.
"""

from __future__ import annotations

import argparse
import hashlib
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


def task_clusters(db: str, profile: bool = False) -> dict[str, Any]:
    from customer_core.adapters.sqlalchemy import SqlStorage
    from customer_core.domain.model.actor import Actor
    from customer_core.services.identity import IdentityService

    storage = SqlStorage(f"sqlite:///{db}")
    admin = Actor(tenant_id=TENANT, user_id="bench", role="admin")
    with storage() as uow:
        count = uow.customers.count(TENANT)
    with profiled(profile, "IdentityService.exact_clusters on SQLite"):
        start = time.perf_counter()
        clusters = IdentityService(storage).exact_clusters(TENANT, admin)
        seconds = time.perf_counter() - start
    storage.engine.dispose()
    return {
        "customers": count,
        "clusters": len(clusters),
        "seconds": seconds,
        "digest": _digest(clusters),
    }


def task_report(db: str, profile: bool = False) -> dict[str, Any]:
    """The whole duplicate report for an admin: exact clusters, groups and suggestions."""
    from customer_core.adapters.sqlalchemy import SqlStorage
    from customer_core.domain.model.actor import Actor
    from customer_core.services.identity import IdentityService

    storage = SqlStorage(f"sqlite:///{db}")
    admin = Actor(tenant_id=TENANT, user_id="bench", role="admin")
    with profiled(profile, "IdentityService.duplicate_report on SQLite"):
        start, cpu = time.perf_counter(), time.process_time()
        report = IdentityService(storage).duplicate_report(TENANT, admin)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    storage.engine.dispose()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "clusters": len(report.clusters),
        "suggestions": len(report.suggestions),
        "groups": len(report.groups),
        "digest": _report_digest(report),
    }


def _report_digest(report: Any) -> str:
    """A fingerprint of everything the report shows, to compare two versions of the code.

    Clusters, suggestions (ids, score, every piece of evidence with its weight
    and match weight) and groups: a faster report must print the same digest.
    """
    lines = [
        f"{part} {item.ids} {getattr(item, 'score', '')!r} "
        + ";".join(f"{e.kind}|{e.detail}|{e.weight!r}|{e.match_weight!r}" for e in item.evidence)
        for part in ("clusters", "suggestions", "groups")
        for item in getattr(report, part)
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def task_pages(db: str, page: int = 1000, profile: bool = False) -> dict[str, Any]:
    """The former way: the pure function over every customer, loaded page by page."""
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
        "digest": _digest(sorted(clusters, key=lambda c: c.ids)),
    }


def _digest(clusters: Any) -> str:
    """A fingerprint of the clusters found, to check that both ways agree."""
    text = "\n".join(f"{c.ids} {c.evidence}" for c in clusters)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build(tmp: Path, db: Path, customers: int) -> None:
    """Store ``customers`` demo customers in the SQLite file ``db``."""
    csv = tmp / "clusters.csv"
    write_demo_csv(csv, int(customers * 1.01) + 1000, messy=False)
    start = time.perf_counter()
    run_worker("duplicate_clusters.py", "build", csv=str(csv), db=str(db), customers=customers)
    log(f"[clusters] {customers:,} customers stored in {time.perf_counter() - start:.0f} s")
    csv.unlink()


def measure(
    tmp: Path,
    *,
    customers: int,
    db: Path | None = None,
    profile: bool = False,
    compare: bool = False,
    report: bool = False,
) -> dict[str, Any]:
    """Build the SQLite file unless given, run the worker(s), print the table, return the numbers."""
    if db is None:
        db = tmp / "clusters.db"
        build(tmp, db, customers)
    log("[clusters] IdentityService.exact_clusters")
    result = run_worker("duplicate_clusters.py", "clusters", db=str(db), profile=profile)
    result["profiled"] = profile
    n = result["customers"]
    result["at_target"] = result["seconds"] * TARGET_CUSTOMERS / n if n else float("nan")
    if compare:
        log("[clusters] the former way: exact_clusters over every customer, page by page")
        result["pages"] = run_worker("duplicate_clusters.py", "pages", db=str(db), profile=profile)
    if report:
        log("[clusters] IdentityService.duplicate_report (exact + fuzzy)")
        result["report"] = run_worker(
            "duplicate_clusters.py", "report", db=str(db), profile=profile
        )
    print_table(result)
    if compare and result["pages"]["digest"] != result["digest"]:
        raise SystemExit("the two ways found different clusters")
    return result


def print_table(r: dict[str, Any]) -> None:
    n = r["customers"]
    print(
        f"\n== 3. exact clusters over {n:,} customers on SQLite, for an admin"
        + (" -- UNDER THE PROFILER" if r["profiled"] else "")
    )
    print(f"{'':52} {'seconds':>8} {'µs/customer':>12}")
    rows = [("IdentityService.exact_clusters (identity index)", r["seconds"])]
    if "pages" in r:
        p = r["pages"]
        rows += [
            ("former: exact_clusters over pages of customers", p["seconds"]),
            ("  loading pages (SQL + customer_from_row)", p["loading"]),
            ("  MatchRecord.of + clustering", p["clustering"]),
        ]
    for label, seconds in rows:
        print(f"{label:52} {seconds:8.2f} {seconds / n * 1e6:12.2f}")
    same = ""
    if "pages" in r:
        same = "; the same as the former way" if r["pages"]["digest"] == r["digest"] else ""
        same = same or "; DIFFERENT from the former way"
    print(f"{r['clusters']:,} clusters found{same}; worker peak RSS {r['peak_rss'] / MB:.0f} MB")
    if n < TARGET_CUSTOMERS:
        print(f"projected to 1M customers (linear): {r['at_target']:.1f} s (target <= 10 s)")
    else:
        print("target: <= 10 s for 1M customers")
    if "report" in r:
        rep = r["report"]
        at_target = rep["seconds"] * TARGET_CUSTOMERS / n if n else float("nan")
        print(
            f"\nthe whole duplicate report (exact + fuzzy): {rep['seconds']:.1f} s"
            f" ({rep['cpu']:.1f} s CPU),"
            f" {rep['clusters']:,} clusters, {rep['suggestions']:,} suggestions,"
            f" {rep['groups']:,} company groups; worker peak RSS {rep['peak_rss'] / MB:.0f} MB"
        )
        scope = "" if n >= TARGET_CUSTOMERS else f" (projected to 1M, linear: {at_target:.0f} s)"
        print(f"target: <= 300 s for 1M customers{scope}; report digest {rep['digest']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=None, help="default 1M")
    parser.add_argument("--quick", action="store_true", help="1/10 scale")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to keep or reuse")
    parser.add_argument("--compare", action="store_true", help="also time the former way")
    parser.add_argument("--report", action="store_true", help="also time the whole report")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    customers = args.customers or (FULL_CUSTOMERS // 10 if args.quick else FULL_CUSTOMERS)
    with tempfile.TemporaryDirectory(prefix="customer-core-bench-") as tmp:
        db = args.db
        if db is not None and not db.exists():
            build(Path(tmp), db, customers)
        measure(
            Path(tmp),
            customers=customers,
            db=db,
            profile=args.profile,
            compare=args.compare,
            report=args.report,
        )


if __name__ == "__main__":
    if not worker_main(
        {
            "build": task_build,
            "clusters": task_clusters,
            "pages": task_pages,
            "report": task_report,
        }
    ):
        sys.exit(main())
