"""Every performance benchmark of the import issue, in one run, with a final table.

Run: ``nox -s bench`` (full scale), ``nox -s bench -- --quick`` (1/10 scale),
or ``python benchmarks/run_all.py [options]``.

1. ``import_speed.py``: import throughput of a demo-format CSV into SQLite
   against the validation-only floor (python-stdnum, phonenumbers and
   email-validator used plainly on the same columns) and a row-by-row ORM
   importer, and the import's peak RSS and time at 1M rows;
2. ``resolve_latency.py``: ``resolve_inbound`` p50/p95 on memory and SQLite
   at three store sizes;
3. ``duplicate_clusters.py``: ``IdentityService.exact_clusters`` (read from
   the identity index) over the largest SQLite store of step 2.

Full scale: 1,000,000 CSV rows (the ORM baseline on the first 100,000 of
them: it slows as its database grows, 700 rows/s over 10,000 rows, 120 over
100,000, so the whole file would take hours; the import of those same rows is
timed too, and the import-vs-ORM ratio is taken on them),
stores of 10k, 100k and 1M customers. ``--scale F`` multiplies every size,
``--quick`` is ``--scale 0.1``; ``--rows``, ``--orm-rows`` and ``--sizes``
override one part. Each measurement runs in its own process; figures are
measured in this run, ratios within it. ``--profile`` runs each timed
section under cProfile (slower: for finding where the time goes, not for
the numbers). Nothing here is asserted: targets are reported met or missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duplicate_clusters
import import_speed
import resolve_latency
from _support import MB

from customer_core.io import DEFAULT_BATCH_SIZE

FULL_ROWS = 1_000_000
FULL_ORM_ROWS = 100_000
FULL_SIZES = (10_000, 100_000, 1_000_000)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def summary(
    imp: dict[str, Any] | None, res: dict[str, Any] | None, dup: dict[str, Any] | None
) -> list[tuple[str, str, str, str]]:
    """(what, measured, target, verdict) rows."""
    rows: list[tuple[str, str, str, str]] = []
    if imp is not None:
        rows.append(
            (
                f"import vs plain validation floor, {imp['rows']:,} rows",
                f"{imp['vs_plain']:.2f}x",
                ">= 0.5x",
                _verdict(imp["vs_plain"] >= 0.5),
            )
        )
        rows.append(
            (
                "  import vs its own parse_row floor",
                f"{imp['vs_floor']:.2f}x",
                "(context)",
                f"best reachable {imp['bound']:.2f}x",
            )
        )
        full = imp["rows"] >= FULL_ROWS
        rows.append(
            (
                "import time at 1M rows on SQLite" + ("" if full else " (projected)"),
                f"{imp['seconds_at_1m'] / 60:.1f} min",
                "<= 5 min",
                _verdict(imp["seconds_at_1m"] <= 300),
            )
        )
        if imp["vs_orm"] is not None:
            rows.append(
                (
                    f"import vs ORM row-by-row, same {imp['orm']['rows']:,} rows",
                    f"{imp['vs_orm_same_rows']:.1f}x",
                    ">= 6x",
                    _verdict(imp["vs_orm_same_rows"] >= 6),
                )
            )
            if imp["same_rows"]:
                rows.append(
                    (
                        f"  {imp['rows']:,}-row import vs that ORM run",
                        f"{imp['vs_orm']:.1f}x",
                        "(context)",
                        "flatters the ORM",
                    )
                )
        measured = imp["rows"] >= import_speed.RSS_TARGET_ROWS
        rss = imp["rss_at_1m"]
        if rss is None:
            rows.append(
                (
                    f"import peak RSS, {imp['rows']:,} rows (too few to project to 1M)",
                    f"{imp['import']['peak_rss'] / MB:.0f} MB",
                    "<= 300 MB at 1M",
                    "n/a",
                )
            )
        else:
            rows.append(
                (
                    "import peak RSS at 1M rows" + ("" if measured else " (projected)"),
                    f"{rss / MB:.0f} MB"
                    + ("" if measured else f" ({imp['import']['peak_rss'] / MB:.0f} measured)"),
                    "<= 300 MB",
                    _verdict(rss <= 300 * MB),
                )
            )
    if res is not None:
        tiers = res["tiers"]
        sizes = "/".join(_short(t["customers"]) for t in tiers)
        for backend, target in (("memory", 50.0), ("sqlite", 200.0)):
            p50s = [t[backend]["p50"] for t in tiers]
            p95s = [t[backend]["p95"] for t in tiers]
            rows.append(
                (
                    f"resolve p50 {backend} @ {sizes}",
                    " / ".join(f"{p:.0f}" for p in p50s) + " µs",
                    f"<= {target:.0f} µs",
                    _verdict(max(p50s) <= target),
                )
            )
            rows.append(
                (
                    f"resolve p95 {backend} @ {sizes}",
                    " / ".join(f"{p:.0f}" for p in p95s) + " µs",
                    "(reported)",
                    "",
                )
            )
            rows.append(
                (
                    f"  its CPU time p95 (no preemption) {backend}",
                    " / ".join(f"{t[backend]['p95_cpu']:.0f}" for t in tiers) + " µs",
                    "(reported)",
                    "",
                )
            )
            rows.append(
                (
                    f"resolve p50 growth {backend} {_short(tiers[0]['customers'])}"
                    f" -> {_short(tiers[-1]['customers'])}",
                    f"{res['growth'][backend]:.2f}x",
                    "<= 1.5x",
                    _verdict(res["growth"][backend] <= 1.5),
                )
            )
    if dup is not None:
        full = dup["customers"] >= duplicate_clusters.TARGET_CUSTOMERS
        rows.append(
            (
                f"exact clusters, {dup['customers']:,} customers on SQLite",
                f"{dup['seconds']:.1f} s" + ("" if full else f" ({dup['at_target']:.1f} s at 1M)"),
                "<= 10 s at 1M",
                _verdict(dup["at_target"] <= 10),
            )
        )
    return rows


def _short(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def print_summary(rows: list[tuple[str, str, str, str]], elapsed: float, note: str) -> None:
    width = max(len(r[0]) for r in rows) + 2
    measured = max(len(r[1]) for r in rows) + 2
    print("\n== Summary: the targets of the import issue")
    print(f"{'':{width}} {'measured':{measured}} {'target':16} verdict")
    for what, value, target, verdict in rows:
        print(f"{what:{width}} {value:{measured}} {target:16} {verdict}")
    print(note)
    print(f"total wall time {elapsed / 60:.1f} min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="everything at 1/10 scale")
    parser.add_argument("--scale", type=float, default=None, help="multiply every size")
    parser.add_argument("--rows", type=int, default=None, help="CSV rows to import (1M)")
    parser.add_argument("--orm-rows", type=int, default=None, help="ORM baseline rows (100k)")
    parser.add_argument("--sizes", default=None, help="store sizes, comma-separated (10k,100k,1M)")
    parser.add_argument("--samples", type=int, default=2000, help="resolve calls per round")
    parser.add_argument("--rounds", type=int, default=3, help="resolve rounds (best p50)")
    parser.add_argument("--repeat", type=int, default=1, help="import measurements: best of N")
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Importer batch size"
    )
    parser.add_argument("--only", default="import,resolve,clusters", help="parts to run")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed sections")
    parser.add_argument("--other-backends", action="store_true", help="import: memory, PG, MariaDB")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    rows = args.rows or int(FULL_ROWS * scale)
    orm_rows = args.orm_rows if args.orm_rows is not None else int(FULL_ORM_ROWS * scale)
    if args.sizes:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    else:
        sizes = [int(s * scale) for s in FULL_SIZES]
    only = set(args.only.split(","))
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"customer_core benchmarks: Python {platform.python_version()}, {platform.machine()},"
        f" {os.cpu_count()} CPUs, load average {load[0]:.2f} at start; scale {scale:g}"
    )
    started = time.perf_counter()
    imp = res = dup = None
    with tempfile.TemporaryDirectory(prefix="customer-core-bench-") as name:
        tmp = Path(name)
        if "import" in only:
            imp = import_speed.measure(
                tmp,
                rows=rows,
                orm_rows=orm_rows,
                repeat=args.repeat,
                profile=args.profile,
                batch_size=args.batch_size,
                other_backends=args.other_backends,
            )
            for leftover in tmp.glob("*.db*"):
                leftover.unlink()
            (tmp / "import.csv").unlink(missing_ok=True)
        if "resolve" in only:
            res = resolve_latency.measure(
                tmp,
                sizes=sizes,
                samples=args.samples,
                rounds=args.rounds,
                profile=args.profile,
                keep_db="clusters" in only,
            )
        if "clusters" in only:
            db = Path(res["db"]) if res is not None and "db" in res else None
            dup = duplicate_clusters.measure(tmp, customers=sizes[-1], db=db, profile=args.profile)
    end_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    note = (
        f"load average {load[0]:.2f} at start, {end_load:.2f} at the end on {os.cpu_count()} CPUs"
        " (other processes share the machine: ratios are within this run, spreads above)"
    )
    if args.profile:
        note += "\nUNDER THE PROFILER: the figures are inflated; see the profiles on stderr"
    print_summary(summary(imp, res, dup), time.perf_counter() - started, note)


if __name__ == "__main__":
    main()
