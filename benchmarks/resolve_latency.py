"""``IdentityService.resolve_inbound`` latency at growing store sizes, memory and SQLite.

Run: ``nox -s bench`` (everything, see ``run_all.py``) or
``python benchmarks/resolve_latency.py [--sizes 10000,100000,1000000 | --quick]``.

One worker process per backend (memory, then SQLite: a deployment runs one
store, and neither's memory or caches weigh on the other's timings) grows
its store set-based: customers parsed from a clean CSV of the demo format (see
``_support.CustomerStream``) go in with ``add_many``, 5000 per unit of work.
At each size it times ``resolve_inbound`` for identifiers of random existing
customers (the *matched* path: read-only), alternating a phone (channel
``whatsapp``) and an e-mail (channel ``email``), as raw identifiers the way a
message arrives: ``{"phone": "+55..."}``, ``{"email": "..."}``. Each backend
and size gets ``--rounds`` rounds of ``--samples`` calls after a warm-up;
the round with the lowest p50 is reported with the spread of the p50s and
the thread's CPU time per call beside the wall time (on a shared machine the
wall p95 also catches preemption by other processes), and one more round with the identifiers parsed beforehand (``Inbound.parse``
outside the clock) shows how much of the time is parsing them.

Targets: p50 <= 50 µs on memory, <= 200 µs on SQLite, and p50 at the largest
size <= 1.5x the p50 at the smallest (10k -> 1M at full scale).

The SQLite file of the largest size is kept for ``duplicate_clusters.py``
when ``run_all.py`` asks for it. ``--keep DIR`` keeps a copy of the SQLite
store at each size in ``DIR`` (with its customers' identifiers); a later run
with the same ``--keep DIR`` and sizes measures those stores in a fresh
worker process without building them again, as a service opens an existing
database: build once on a busy machine, measure when it is quiet. Each kept
file is read once first, so the OS page cache holds it as it holds the
database of a service that has been running (a 1M-customer file is ~1.9 GB);
``--cold`` skips that: the pages a random look-up needs and the cache lacks
then come from disk, which at 1M costs more than the rest of the call.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import (
    MB,
    TENANT,
    CustomerStream,
    log,
    percentile,
    profiled,
    run_worker,
    seeded_position,
    worker_main,
    write_demo_csv,
)

FULL_SIZES = (10_000, 100_000, 1_000_000)
BACKENDS = ("memory", "sqlite")
BATCH = 5000
WARMUP = 200


# -- the worker ---------------------------------------------------------------


def _identifiers(stream: CustomerStream, size: int, n: int, seed: int) -> list[tuple[str, Any]]:
    """``n`` (channel, identifiers) of random customers among the first ``size``."""
    rng = random.Random(seed)
    out: list[tuple[str, Any]] = []
    while len(out) < n:
        position = rng.randrange(size)
        if stream.seeded_position(position):
            continue  # its phone line is also another customer's WhatsApp id: a conflict
        if len(out) % 2 == 0:
            out.append(("whatsapp", {"phone": stream.phones[position]}))
        else:
            out.append(("email", {"email": stream.emails[position]}))
    return out


def _time_calls(
    service: Any, calls: list[tuple[str, Any]], cpu: list[float] | None = None
) -> tuple[list[float], dict[str, int]]:
    """Per-call wall latencies in µs (CPU time of the thread into ``cpu``), and the outcomes."""
    clock, thread_clock = time.perf_counter_ns, time.thread_time_ns
    resolve = service.resolve_inbound
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    for channel, identifiers in calls:
        start_cpu = thread_clock()
        start = clock()
        result = resolve(TENANT, channel, identifiers)
        end = clock()
        if cpu is not None:
            cpu.append((thread_clock() - start_cpu) / 1000)
        latencies.append((end - start) / 1000)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    return latencies, outcomes


def _measure_backend(
    service: Any, stream: CustomerStream, size: int, samples: int, rounds: int, seed: int
) -> dict[str, Any]:
    from customer_core.services import Inbound

    _time_calls(service, _identifiers(stream, size, WARMUP, seed))
    per_round = []
    outcomes: dict[str, int] = {}
    for n in range(rounds):
        cpu: list[float] = []
        latencies, seen = _time_calls(
            service, _identifiers(stream, size, samples, seed + 1000 * (n + 1)), cpu
        )
        latencies.sort()
        cpu.sort()
        per_round.append(
            {
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "p99": percentile(latencies, 99),
                "mean": sum(latencies) / len(latencies),
                "p50_cpu": percentile(cpu, 50),
                "p95_cpu": percentile(cpu, 95),
            }
        )
        for k, v in seen.items():
            outcomes[k] = outcomes.get(k, 0) + v
    parsed_calls = [
        (channel, Inbound.parse(identifiers))
        for channel, identifiers in _identifiers(stream, size, samples, seed + 7)
    ]
    parsed, _ = _time_calls(service, parsed_calls)
    parsed.sort()
    best = min(per_round, key=lambda r: r["p50"])
    return {
        **best,
        "p50_rounds": [r["p50"] for r in per_round],
        "p95_rounds": [r["p95"] for r in per_round],
        "p50_parsed": percentile(parsed, 50),
        "p95_parsed": percentile(parsed, 95),
        "outcomes": outcomes,
    }


class _KeptIdentifiers:
    """The identifiers of a kept store's customers, as :class:`CustomerStream` keeps them."""

    def __init__(self, path: Path) -> None:
        kept = json.loads(path.read_text(encoding="utf-8"))
        self.phones: list[str] = kept["phones"]
        self.emails: list[str] = kept["emails"]
        self._every: int = kept["cluster_every"]

    def seeded_position(self, position: int) -> bool:
        return seeded_position(position, self._every)


def _kept(keep: str, size: int) -> tuple[Path, Path]:
    return Path(keep) / f"store-{size}.db", Path(keep) / f"store-{size}.json"


def _keep_store(keep: str, db: str, size: int, stream: CustomerStream) -> None:
    """Copy the store (its WAL checkpointed into it) and its customers' identifiers."""
    kept_db, kept_ids = _kept(keep, size)
    shutil.copyfile(db, kept_db)
    kept_ids.write_text(
        json.dumps(
            {
                "phones": stream.phones[:size],
                "emails": stream.emails[:size],
                "cluster_every": stream.cluster_every,
            }
        ),
        encoding="utf-8",
    )


def _read_through(path: Path) -> None:
    """Read ``path`` once, so the OS page cache holds it (as it holds a running service's)."""
    with path.open("rb") as file:
        while file.read(1 << 20):
            pass


def task_kept(
    keep: str, sizes: list[int], samples: int, rounds: int, seed: int = 2026, cold: bool = False
) -> dict[str, Any]:
    """Measure the kept SQLite stores of ``sizes`` (its own process), building nothing."""
    from customer_core import connect
    from customer_core.services import IdentityService

    tiers: list[dict[str, Any]] = []
    for size in sizes:
        kept_db, kept_ids = _kept(keep, size)
        if not cold:
            _read_through(kept_db)
        sql = connect(f"sqlite:///{kept_db}")
        stream: Any = _KeptIdentifiers(kept_ids)
        tier = _measure_backend(
            IdentityService(sql.storage), stream, size, samples, rounds, seed + size
        )
        sql.close()
        log(f"[resolve] sqlite (kept) {size:>9,}: p50 {tier['p50']:.0f} µs")
        tiers.append({"customers": size, "sqlite": tier})
    return {"tiers": tiers, "seeded_clusters": 0}


def task_tiers(
    csv: str,
    db: str,
    backend: str,
    sizes: list[int],
    samples: int,
    rounds: int,
    seed: int = 2026,
    profile: bool = False,
    keep: str | None = None,
) -> dict[str, Any]:
    """Grow one backend's store through ``sizes`` and time it at each (its own process)."""
    from customer_core import connect
    from customer_core.adapters.memory import MemoryStore
    from customer_core.services import IdentityService

    if backend == "sqlite":
        sql = connect(f"sqlite:///{db}")  # creates the schema
        storage: Any = sql.storage
    else:
        storage = MemoryStore()
    service = IdentityService(storage)
    stream = CustomerStream(Path(csv))
    built = 0
    tiers: list[dict[str, Any]] = []
    for size in sizes:
        start = time.perf_counter()
        while built < size:
            batch = stream.take(min(BATCH, size - built))
            with storage() as uow:
                uow.customers.add_many(batch)
                uow.commit()
            built += len(batch)
        if backend == "sqlite":
            # What connect() does on opening a filled database and an import after a
            # large one: SQLite plans from the statistics only ANALYZE gathers.
            sql.storage.refresh_statistics()
            if keep:
                sql.storage.engine.dispose()  # the last connection closed: WAL checkpointed
                _keep_store(keep, db, size, stream)
        log(
            f"[resolve] {size:,} customers stored in {backend} ({time.perf_counter() - start:.0f} s"
            f" for this step; {stream.skipped} rows skipped, {stream.seeded} clusters seeded)"
        )
        with profiled(profile and size == sizes[-1], f"resolve_inbound on {backend}, {size:,}"):
            tier = _measure_backend(service, stream, size, samples, rounds, seed + size)
        log(f"[resolve] {backend:6} {size:>9,}: p50 {tier['p50']:.0f} µs")
        tiers.append({"customers": size, backend: tier})
    stream.close()
    if backend == "sqlite":
        sql.close()
    return {"tiers": tiers, "seeded_clusters": stream.seeded}


# -- the measurement ------------------------------------------------------------


def measure(
    tmp: Path,
    *,
    sizes: list[int],
    samples: int = 2000,
    rounds: int = 3,
    profile: bool = False,
    keep_db: bool = False,
    backends: tuple[str, ...] = BACKENDS,
    keep: Path | None = None,
    cold: bool = False,
) -> dict[str, Any]:
    """Run the workers, print the table, return the numbers (and the kept SQLite file)."""
    sizes = sorted(sizes)
    kept = keep is not None and all(_kept(str(keep), size)[0].exists() for size in sizes)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    csv = tmp / "stores.csv"
    if not kept or backends != ("sqlite",):
        start = time.perf_counter()
        write_demo_csv(csv, int(sizes[-1] * 1.01) + 1000, messy=False)
        log(
            f"[resolve] clean CSV for {sizes[-1]:,} customers in {time.perf_counter() - start:.0f} s"
        )
    db = tmp / "stores.db"
    # One process per backend, one after the other, as a deployment runs one
    # store: neither store's memory or caches weigh on the other's timings.
    result: dict[str, Any] = {
        "peak_rss": {},
        "backends": backends,
        "kept": kept,
        "cold": kept and cold,
    }
    for backend in backends:
        if backend == "sqlite" and kept:
            log(f"[resolve] measuring the stores kept in {keep}")
            found = run_worker(
                "resolve_latency.py",
                "kept",
                keep=str(keep),
                sizes=sizes,
                samples=samples,
                rounds=rounds,
                cold=cold,
            )
        else:
            found = run_worker(
                "resolve_latency.py",
                "tiers",
                csv=str(csv),
                db=str(db),
                backend=backend,
                sizes=sizes,
                samples=samples,
                rounds=rounds,
                profile=profile,
                keep=str(keep) if keep is not None and backend == "sqlite" else None,
            )
        result["peak_rss"][backend] = found["peak_rss"]
        result["seeded_clusters"] = found["seeded_clusters"]
        if "tiers" not in result:
            result["tiers"] = found["tiers"]
        else:
            for tier, more in zip(result["tiers"], found["tiers"], strict=True):
                tier[backend] = more[backend]
    csv.unlink(missing_ok=True)
    result.update(samples=samples, rounds=rounds, profiled=profile)
    if keep_db:
        result["db"] = str(db)
    first, last = result["tiers"][0], result["tiers"][-1]
    result["growth"] = {b: last[b]["p50"] / first[b]["p50"] for b in backends}
    print_table(result)
    return result


def print_table(r: dict[str, Any]) -> None:
    print(
        f"\n== 2. resolve_inbound latency, matched path (µs), {r['samples']:,} random customers"
        f" x {r['rounds']} rounds, best round by p50"
        + (" -- UNDER THE PROFILER" if r["profiled"] else "")
        + (" -- SQLite: kept stores, opened by a fresh process" if r.get("kept") else "")
        + (
            (", as the OS page cache holds them (--cold)" if r["cold"] else ", read once first")
            if r.get("kept")
            else ""
        )
    )
    print(
        f"{'backend':8} {'customers':>10} {'p50':>7} {'p95':>7} {'p99':>7}"
        f" {'p50 of rounds':>16} {'cpu p50':>8} {'cpu p95':>8} {'p50 parsed':>11} {'growth':>7}"
    )
    for backend in r["backends"]:
        base = r["tiers"][0][backend]["p50"]
        for tier in r["tiers"]:
            t = tier[backend]
            rounds = "/".join(f"{x:.0f}" for x in t["p50_rounds"])
            print(
                f"{backend:8} {tier['customers']:>10,} {t['p50']:7.0f} {t['p95']:7.0f}"
                f" {t['p99']:7.0f} {rounds:>16} {t['p50_cpu']:8.0f} {t['p95_cpu']:8.0f}"
                f" {t['p50_parsed']:11.0f} {t['p50'] / base:6.2f}x"
            )
    outcomes: dict[str, int] = {}
    for tier in r["tiers"]:
        for backend in r["backends"]:
            for k, v in tier[backend]["outcomes"].items():
                outcomes[k] = outcomes.get(k, 0) + v
    print(
        "outcomes: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()))
        + "; worker peak RSS "
        + ", ".join(f"{b} {r['peak_rss'][b] / MB:.0f} MB" for b in r["backends"])
    )
    print(
        "cpu: the thread's CPU time per call (time.thread_time_ns): wall p95/p99 far above"
        " cpu p95 is\nthe scheduler (other processes on the machine), not the code."
        "\np50 parsed: wall p50 with the identifiers parsed before the clock (Inbound.parse)."
    )
    print(
        f"targets: memory p50 <= 50 µs, SQLite p50 <= 200 µs, growth"
        f" {r['tiers'][0]['customers']:,} -> {r['tiers'][-1]['customers']:,} <= 1.5x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma-separated (default 10k,100k,1M)")
    parser.add_argument("--quick", action="store_true", help="1/10 scale")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="memory,sqlite")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the SQLite stores here; measure kept ones"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="kept stores: do not read the file first (pages the OS page cache lacks come from disk)",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = [s // 10 if args.quick else s for s in FULL_SIZES]
    with tempfile.TemporaryDirectory(prefix="customer-core-bench-") as tmp:
        measure(
            Path(tmp),
            sizes=sizes,
            samples=args.samples,
            rounds=args.rounds,
            profile=args.profile,
            backends=tuple(b for b in BACKENDS if b in args.backends.split(",")),
            keep=args.keep,
            cold=args.cold,
        )


if __name__ == "__main__":
    if not worker_main({"tiers": task_tiers, "kept": task_kept}):
        sys.exit(main())
