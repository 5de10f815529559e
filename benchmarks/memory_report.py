"""The duplicate report on the in-memory storage, against SQLite on the same customers.

The report reads the visible customers page by page (``CustomerRepository.find``,
500 a page, in name order). The memory adapter used to sort the whole tenant
for every page, so reading n customers cost n²/500 sort keys: 85% of the
report at 20,000 customers. Each run prints the memory report and its
paging alone, with SQLite (the same customers, the same report) as the
baseline measured in the same run.

Run::

    python benchmarks/memory_report.py                 # 20,000 customers
    python benchmarks/memory_report.py --customers 2000

Nothing is asserted: this measures.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from _support import TENANT, CustomerStream, log, write_demo_csv

from customer_core import Actor, connect
from customer_core.domain.matching.search import search_key
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.ports import UnitOfWorkFactory
from customer_core.services import IdentityService

R = TypeVar("R")


def _timed(run: Callable[[], R]) -> tuple[float, R]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _pages(storage: UnitOfWorkFactory) -> int:
    """Read every customer as the report does: keyset pages of 500 in name order."""
    scope = VisibilityScope(tenant_id=TENANT, everything=True)
    read, after = 0, None
    with storage() as uow:
        while page := uow.customers.find(scope, CustomerFilter(), after=after, limit=500):
            read += len(page)
            after = (search_key(page[-1]), page[-1].id)
    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    args = parser.parse_args()
    admin = Actor(tenant_id=TENANT, user_id="admin", role="admin")
    with tempfile.TemporaryDirectory() as work:
        csv = Path(work) / "customers.csv"
        write_demo_csv(csv, int(args.customers * 1.1) + 100, messy=False)
        stream = CustomerStream(csv)
        customers = stream.take(args.customers)
        stream.close()
        rows = []
        for url in ("sqlite:///" + str(Path(work) / "report.db"), "memory://"):
            core = connect(url)
            for start in range(0, len(customers), 5000):
                with core.storage() as uow:
                    uow.customers.add_many(customers[start : start + 5000])
                    uow.commit()
            identity = IdentityService(core.storage)
            log(f"[report] {url.partition(':')[0]}: paging, then the whole report")
            paging, read = _timed(functools.partial(_pages, core.storage))
            whole, report = _timed(functools.partial(identity.duplicate_report, TENANT, admin))
            assert read == len(customers)
            rows.append((url.partition(":")[0], paging, whole, report))
    (_, base_pages, base_whole, base_report), (_, pages, whole, report) = rows
    same = (report.clusters, report.suggestions) == (base_report.clusters, base_report.suggestions)
    print(f"\nDuplicate report over {len(customers):,} customers (SQLite is the baseline)\n")
    print(f"{'storage':<10} {'paging s':>9} {'report s':>9} {'paging/report':>14}")
    for name, p, w, _ in rows:
        print(f"{name:<10} {p:9.2f} {w:9.2f} {p / w:14.0%}")
    print(
        f"\nmemory / SQLite: paging {pages / base_pages:.2f}x, report {whole / base_whole:.2f}x;"
        f" the same report on both: {same}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
