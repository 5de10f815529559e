"""Rows parsed in worker processes while the importing process writes.

Validating a row (CPF/CNPJ, phones with phonenumbers, e-mails with
email-validator, the address) costs about as much as storing it, and it is
pure: it needs nothing but the row. So a large import hands the parsing to
worker processes, in chunks, and stores what comes back, in file order. The
number of rows in flight is bounded (a few chunks per worker), so memory
stays flat however long the file is.

Workers are started with the ``spawn`` method on every platform: a forked
copy of a process that holds database connections or threads is not safe.
Like every ``multiprocessing`` user, a script that imports with workers must
guard its entry point with ``if __name__ == "__main__":``. With ``workers``
of 1 nothing is started and rows are parsed in this process.

>>> rows = [(2, {"name": "Ana Souza", "email": "ana@exemplo.com.br"}), (3, {"name": ""})]
>>> [type(parsed).__name__ for _, parsed in parse_rows(iter(rows), workers=1)]
['Draft', 'list']
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from customer_core.errors import InvalidValue
from customer_core.io.rows import Draft, RowError, parse_row

__all__ = ["AUTO_WORKERS_MIN_BYTES", "CHUNK_ROWS", "auto_workers", "check_workers", "parse_rows"]

#: Rows per task sent to a worker: large enough that the cost of sending a
#: task is small beside parsing it, small enough to keep memory flat.
CHUNK_ROWS = 500

#: Files smaller than this are parsed in-process by ``workers="auto"``:
#: starting a worker (about a second: it imports phonenumbers and friends)
#: costs more than it saves on a few thousand rows.
AUTO_WORKERS_MIN_BYTES = 4 * 1024 * 1024

Row = tuple[int, Mapping[str, str]]
Parsed = tuple[int, Draft | list[RowError]]


def auto_workers(size_bytes: int | None) -> int:
    """Workers for a file of ``size_bytes`` (None: unknown): all CPUs but this process's one."""
    if size_bytes is None or size_bytes < AUTO_WORKERS_MIN_BYTES:
        return 1
    return max(1, min((os.cpu_count() or 1) - 1, 8))


def check_workers(workers: object) -> int:
    """``workers`` if it is a number of processes this module accepts (1 to 64)."""
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= 64:
        raise InvalidValue("workers must be 1 to 64", code="invalid_value", field="workers")
    return workers


def parse_rows(rows: Iterator[Row], /, *, workers: int, region: str = "BR") -> Iterator[Parsed]:
    """``(line, parse_row(line, row))`` for every row, in order; ``workers`` processes parse."""
    if check_workers(workers) == 1:
        for line, row in rows:
            yield line, parse_row(line, row, region=region)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[list[Parsed]]] = deque()
        try:
            while chunk := list(islice(rows, CHUNK_ROWS)):
                pending.append(pool.submit(_parse_chunk, chunk, region))
                if len(pending) > 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:  # the consumer stopped early: drop what is queued
                future.cancel()


def _parse_chunk(chunk: list[Row], region: str) -> list[Parsed]:
    return [(line, parse_row(line, row, region=region)) for line, row in chunk]
