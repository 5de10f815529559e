"""An import's rows parsed in worker processes while the importing process reads and groups.

Parsing a row (its CPF/CNPJ, phones, e-mails, address) is most of an
import's first pass and depends on nothing but the row, so on a machine
with more than one core the rows go to workers in blocks and come back in
file order: the result is the same, row for row, as parsing them in the
importing process, which meanwhile reads the file and groups the rows.

The workers are plain child processes running this module
(``python -m customer_core.io.parse_workers``) that read blocks and write
results as pickles on their standard input and output. No multiprocessing
start method is involved, so the host application's main module is never
imported again in a child (a script without ``if __name__ == "__main__"``
is safe) and no thread or connection of the host is copied into one. A
worker that cannot start, or dies, loses nothing: its blocks, and the rest
of the file, are parsed in the importing process, only more slowly.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Generic, TypeVar

from customer_core.io.area_codes import CityPending
from customer_core.io.rows import Draft, RowError, parse_row

__all__ = ["Block", "Parsed", "RowParser", "default_workers", "parse_block"]

#: What the caller keeps beside each row (the row's cells, for its headers).
T = TypeVar("T")

#: Rows of the file as the table reads them: ``(line, {column: text})``.
Block = list[tuple[int, dict[str, str]]]
#: Each row of a block parsed, and whether a local number of it asked for the
#: area codes the whole file teaches (:class:`~customer_core.io.area_codes.CityPending`).
Parsed = list[tuple[Draft | list[RowError], bool]]

#: Rows sent to a worker at a time: large enough that the pickles' own cost is
#: small beside the parsing, small enough to keep every worker busy.
BLOCK_ROWS = 1000
#: Workers start only once the file has this many rows: a small file is parsed
#: before a worker would have started (each imports the library, ~0.3 s).
PARALLEL_AFTER = 10_000
#: The directory holding the ``customer_core`` package, put first on the
#: workers' path so they run this very code, whatever the host did to ``sys.path``.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])


def default_workers() -> int:
    """Workers for a machine: one core left to the importing process, at most 4."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def parse_block(block: Block, region: str, strict: bool) -> Parsed:
    """Each row of ``block`` parsed as the import's first reading of the file parses it."""
    pending = CityPending()
    parsed: Parsed = []
    for line, row in block:
        pending.asked = False
        result = parse_row(line, row, region=region, strict=strict, area_codes=pending)
        parsed.append((result, pending.asked))
    return parsed


class _Worker:
    """One child process, and the thread that feeds it blocks.

    Feeding happens on a thread so that the importing process, which reads
    the results, is never stuck writing a block to a worker that is itself
    stuck writing a result nobody reads yet.
    """

    def __init__(self, region: str, strict: bool) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_SOURCE_ROOT, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._blocks: queue.SimpleQueue[Block | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(
            target=self._feed, args=((region, strict),), name="customer-core-parse-feed"
        )
        self._feeder.daemon = True
        self._feeder.start()

    def _feed(self, options: tuple[str, bool]) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            pickle.dump(options, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            while (block := self._blocks.get()) is not None:
                pickle.dump(block, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
        except OSError:  # the worker is gone: reading its result says so
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def send(self, block: Block) -> None:
        self._blocks.put(block)

    def result(self) -> Parsed:
        """The next block's rows parsed; raises ``EOFError`` (or another error) if it died."""
        stdout = self._process.stdout
        assert stdout is not None
        parsed: Parsed = pickle.load(stdout)
        return parsed

    def close(self) -> None:
        self._blocks.put(None)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._feeder.join(timeout=10)


class RowParser(Generic[T]):
    """Parses blocks of rows, in workers once the file is large, handing them back in order.

    Use it as a context manager: leaving it stops the workers.
    """

    def __init__(
        self,
        region: str,
        strict: bool,
        *,
        workers: int = 0,
        parallel_after: int = PARALLEL_AFTER,
    ) -> None:
        self._region, self._strict = region, strict
        self._wanted, self._parallel_after = workers, parallel_after
        self._workers: list[_Worker] = []
        self._started = 0
        #: Set when a worker failed: the rest is parsed here.
        self._in_process = workers <= 0

    def __enter__(self) -> RowParser[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    @property
    def used_workers(self) -> int:
        """Workers started so far (0: everything parsed in this process)."""
        return self._started

    def _stop(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def _start(self) -> None:
        try:
            self._workers = [_Worker(self._region, self._strict) for _ in range(self._wanted)]
        except OSError:  # no interpreter to start (an embedded Python): parse here
            self._stop()
            self._in_process = True
            return
        self._started = len(self._workers)

    def parse(
        self, rows: Iterable[tuple[int, dict[str, str], T]]
    ) -> Iterator[tuple[list[tuple[int, dict[str, str], T]], Parsed]]:
        """``rows`` (line, row, what the caller keeps beside it) in blocks, each with its
        rows parsed, in the order of ``rows``."""
        in_flight: deque[tuple[_Worker, list[tuple[int, dict[str, str], T]]]] = deque()
        seen, turn = 0, 0
        for kept in _blocks(rows, BLOCK_ROWS):
            seen += len(kept)
            if not self._in_process and not self._workers and seen > self._parallel_after:
                self._start()
            if self._in_process or not self._workers:
                yield from self._drain(in_flight)
                yield kept, self._here(kept)
                continue
            worker = self._workers[turn % len(self._workers)]
            turn += 1
            worker.send([(line, row) for line, row, _ in kept])
            in_flight.append((worker, kept))
            if len(in_flight) >= 2 * len(self._workers):
                yield from self._drain(in_flight, keep=len(in_flight) - 1)
        yield from self._drain(in_flight)

    def _here(self, kept: list[tuple[int, dict[str, str], T]]) -> Parsed:
        return parse_block([(line, row) for line, row, _ in kept], self._region, self._strict)

    def _drain(
        self, in_flight: deque[tuple[_Worker, list[tuple[int, dict[str, str], T]]]], keep: int = 0
    ) -> Iterator[tuple[list[tuple[int, dict[str, str], T]], Parsed]]:
        """Results of the oldest blocks in flight, until ``keep`` are left."""
        while len(in_flight) > keep:
            worker, kept = in_flight.popleft()
            if self._in_process:
                yield kept, self._here(kept)
                continue
            try:
                parsed = worker.result()
            except (EOFError, OSError, pickle.UnpicklingError):
                # Blocks already sent are parsed here instead, and so is the rest.
                self._in_process = True
                self._stop()
                parsed = self._here(kept)
            yield kept, parsed


def _blocks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    block: list[T] = []
    for item in items:
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's loop: the options, then blocks in, their rows parsed out, until end of input."""
    region, strict = pickle.load(stdin)
    while True:
        try:
            block = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump(parse_block(block, region, strict), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
