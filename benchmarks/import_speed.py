"""Import speed against the cost of merely validating the same rows.

Run: ``nox -s bench`` (or ``python benchmarks/import_speed.py --rows 20000``).
Every figure is measured in this run and printed as a ratio to the baseline
(reading and validating every row, writing nothing), so machines and noise
cancel out. PostgreSQL and MariaDB are measured when reachable.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from customer_core import Actor, connect
from customer_core.demo import demo_csv
from customer_core.io import CsvSource, Importer, parse_row

POSTGRES = os.environ.get(
    "CUSTOMER_CORE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB = os.environ.get("CUSTOMER_CORE_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def validate_only(blob: bytes) -> int:
    ok = 0
    for line, row in CsvSource(io.BytesIO(blob)).rows():
        ok += not isinstance(parse_row(line, row), list)
    return ok


def import_into(url: str, blob: bytes) -> None:
    core = connect(url)
    tenant = f"bench-{uuid.uuid4().hex[:8]}"
    admin = Actor(tenant_id=tenant, user_id="bench", role="admin")
    report = Importer(core.storage).run(tenant, admin, io.BytesIO(blob), mode="upsert")
    assert report.failed == 0, report.errors[:3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    blob = demo_csv(args.rows).encode("utf-8")
    rows = blob.count(b"\n") - 1
    print(f"{rows} rows ({len(blob) / 1e6:.1f} MB), best of {args.repeat}")
    baseline = best_of(args.repeat, lambda: validate_only(blob))
    print(
        f"{'validate only (baseline)':<32} {baseline:8.2f} s  {rows / baseline:9.0f} rows/s  1.00x"
    )
    targets = {"memory": lambda: "memory://"}
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1_000_000))
        targets["sqlite (file)"] = lambda: f"sqlite:///{Path(tmp) / f'bench{next(counter)}.db'}"
        targets["postgresql"] = lambda: POSTGRES
        targets["mariadb"] = lambda: MARIADB
        for name, url in targets.items():
            try:
                elapsed = best_of(args.repeat, lambda url=url: import_into(url(), blob))  # type: ignore[misc]
            except Exception as exc:
                print(f"{'import -> ' + name:<32} skipped: {type(exc).__name__}: {str(exc)[:80]}")
                continue
            print(
                f"{'import -> ' + name:<32} {elapsed:8.2f} s  {rows / elapsed:9.0f} rows/s"
                f"  {elapsed / baseline:.2f}x"
            )


if __name__ == "__main__":
    main()
