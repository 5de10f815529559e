"""What the benchmark scripts share: the data, the worker processes, the statistics.

Every measurement runs in its own worker process (the script itself, started
with ``--worker``), so that its peak RSS is its own: the parent reaps the
worker with :func:`os.wait4`, which returns the resource usage of that one
child (what ``getrusage(RUSAGE_CHILDREN)`` would report for it alone).
"""

from __future__ import annotations

import cProfile
import io
import itertools
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from customer_core import demo, presets
from customer_core.defaults import UuidIds
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.domain.values.online import MessengerId
from customer_core.io import CsvSource, parse_row
from customer_core.io.csv_format import TEMPLATE_HEADER

HERE = Path(__file__).resolve().parent
TENANT = "bench"
MB = 1024 * 1024
_RESULT = "BENCH-RESULT "


# -- data ---------------------------------------------------------------------


def write_demo_csv(path: Path, rows: int, *, seed: int = 2026, messy: bool = True) -> None:
    """Stream the first ``rows`` rows of :func:`customer_core.demo.demo_rows` to ``path``.

    With ``messy`` the file is the first ``rows`` rows of ``demo_csv(n, seed=seed)``;
    without it every row is one new customer. Nothing is held in memory.
    """
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(";".join(TEMPLATE_HEADER) + "\n")
        for row in itertools.islice(demo.demo_rows(seed=seed, messy=messy), rows):
            out.write(demo.csv_line(row))


class CustomerStream:
    """Valid, distinct customers made from a clean (``messy=False``) CSV, for building stores.

    Rows are parsed with :func:`~customer_core.io.parse_row`, built with
    ``Draft.new_customer`` and checked as the importer does. A customer with an
    identifier an earlier one holds (a random phone or CPF drawn twice) is
    skipped, so that batches can go straight to ``add_many``. Every
    ``cluster_every``-th customer also gets a WhatsApp id on the previous
    customer's phone line: a 2-customer exact cluster (``exact_clusters``).
    ``phones`` and ``emails`` keep every customer's identifiers by position.
    """

    def __init__(self, csv: Path, *, tenant: str = TENANT, cluster_every: int = 100) -> None:
        self._file = open(csv, "rb")  # noqa: SIM115 (closed in close())
        self._rows = CsvSource(self._file).rows()
        self._tenant = tenant
        self.cluster_every = cluster_every
        self._ids = UuidIds()
        self._preset = presets.DEFAULT
        self._now = datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._keys: set[IdentityKey] = set()
        self.phones: list[str] = []
        self.emails: list[str] = []
        self.skipped = 0
        self.seeded = 0

    def close(self) -> None:
        self._file.close()

    def seeded_position(self, position: int) -> bool:
        """Whether the customer at ``position`` is one of a seeded cluster."""
        return seeded_position(position, self.cluster_every)

    def take(self, n: int, *, to_the_end: bool = False) -> list[Customer]:
        """The next ``n`` customers (fewer at the end of the file with ``to_the_end``)."""
        out: list[Customer] = []
        while len(out) < n:
            try:
                line, row = next(self._rows)
            except StopIteration:
                if to_the_end:
                    return out
                raise SystemExit("the store CSV is too short for the sizes asked") from None
            draft = parse_row(line, row)
            if isinstance(draft, list):
                self.skipped += 1
                continue
            position = len(self.phones)
            messenger: tuple[MessengerId, ...] = ()
            if self.cluster_every and position % self.cluster_every == self.cluster_every // 2:
                messenger = (MessengerId.parse("whatsapp", self.phones[-1][1:]),)
            customer = draft.new_customer(
                id=self._ids.new_id(),
                tenant_id=self._tenant,
                now=self._now,
                messenger_ids=messenger,
            )
            customer.check(self._preset.contact, self._preset.registration)
            keys = draft.identity_keys()  # the seeded WhatsApp id shares a line on purpose
            if any(k in self._keys for k in keys):
                self.skipped += 1
                continue
            self._keys.update(keys)
            self.seeded += bool(messenger)
            # Clean files give every customer both; a messy one may not.
            self.phones.append(draft.phones[0].e164 if draft.phones else "")
            self.emails.append(draft.emails[0].match_key if draft.emails else "")
            out.append(customer)
        return out


def seeded_position(position: int, cluster_every: int) -> bool:
    """Whether the customer at ``position`` of a :class:`CustomerStream` is one of a
    seeded cluster (the ``cluster_every // 2``-th of each run and the one before it)."""
    if not cluster_every:
        return False
    return position % cluster_every in (cluster_every // 2, cluster_every // 2 - 1)


def peak_rss_bytes() -> int:
    """This process's peak RSS so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_worker(script: str, task: str, **params: Any) -> dict[str, Any]:
    """Run ``python benchmarks/<script> --worker <task> <params>``; its result and peak RSS.

    The worker's stderr (progress, profiles) goes to ours; its stdout carries
    the result. ``peak_rss`` is the worker's own, from :func:`os.wait4`.
    """
    command = [sys.executable, str(HERE / script), "--worker", task, json.dumps(params)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stdout.write(output)
        raise RuntimeError(f"worker {script} {task} failed with exit code {proc.returncode}")
    lines = [line for line in output.splitlines() if line.startswith(_RESULT)]
    result: dict[str, Any] = json.loads(lines[-1][len(_RESULT) :])
    maxrss = usage.ru_maxrss
    result["peak_rss"] = maxrss if sys.platform == "darwin" else maxrss * 1024
    return result


def worker_main(tasks: dict[str, Callable[..., dict[str, Any]]]) -> bool:
    """In a worker process (``--worker`` given): run the task, print its result, return True."""
    if len(sys.argv) < 2 or sys.argv[1] != "--worker":
        return False
    task, params = sys.argv[2], json.loads(sys.argv[3])
    result = tasks[task](**params)
    print(_RESULT + json.dumps(result), flush=True)
    return True


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- timing and profiles --------------------------------------------------------


@contextmanager
def profiled(enabled: bool, title: str, *, top: int = 25) -> Iterator[None]:
    """cProfile the block when ``enabled``; print the top functions with their share of the time."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        wall = time.perf_counter() - start
        log(format_profile(profile, title, wall, top=top))


def format_profile(profile: cProfile.Profile, title: str, wall: float, *, top: int) -> str:
    stats = pstats.Stats(profile)
    total = sum(tt for _, _, tt, _, _ in stats.stats.values()) or 1.0  # type: ignore[attr-defined]
    out = io.StringIO()
    out.write(f"\n--- profile: {title} ({wall:.2f} s under the profiler) ---\n")
    for order, label in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out.write(f"top {top} by {label} (% of profiled time)\n")
        rows = sorted(
            stats.stats.items(),  # type: ignore[attr-defined]
            key=lambda kv: kv[1][2] if order == "tottime" else kv[1][3],
            reverse=True,
        )
        for (filename, line, name), (_, calls, tt, ct, _) in rows[:top]:
            share = (tt if order == "tottime" else ct) / total
            where = _short(filename)
            out.write(f"  {share:6.1%}  {ct:8.2f}s cum  {calls:>9} calls  {where}:{line}({name})\n")
    return out.getvalue()


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/", "lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares ``(slope, intercept)`` of ``y`` over ``x``."""
    n = len(points)
    if n < 2:
        return 0.0, points[0][1] if points else 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return slope, my - slope * mx
