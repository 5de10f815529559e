"""How the in-memory storage keeps a transaction's writes aside until it commits.

Every table of the :class:`~customer_core.adapters.memory.MemoryStore` is a
dict. A unit of work stages its writes to one table in a :class:`Staged`
overlay: reads see the overlay over the committed dict, and the dict changes
only when the unit of work commits. :class:`Staging` holds the overlays of one
transaction, so a savepoint and the commit cover all of them at once; the
commit applies them under the store's lock, after the checks that the
customer repository makes (:mod:`customer_core.adapters.memory_customers`).

>>> import threading
>>> table = {("acme", "a"): 1}
>>> staging = Staging(threading.RLock())
>>> staged = staging.overlay(table)
>>> staged.put(("acme", "b"), 2)
>>> staged.remove(("acme", "a"))
>>> staged.in_tenant("acme"), table
({('acme', 'b'): 2}, {('acme', 'a'): 1})
>>> staging.apply()
>>> table
{('acme', 'b'): 2}

A savepoint undoes what its block staged, in overlays made inside it too:

>>> staging = Staging(threading.RLock())
>>> try:
...     with staging.savepoint():
...         late = staging.overlay(table)
...         late.put(("acme", "c"), 3)
...         raise ValueError
... except ValueError:
...     pass
>>> late.in_tenant("acme")
{('acme', 'b'): 2}
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

__all__ = ["Staged", "Staging", "TenantKey"]

TenantKey = tuple[str, str]  # (tenant_id, id)

K = TypeVar("K", bound=tuple[object, ...])  # the tenant id first
V = TypeVar("V")


class _Absent(enum.Enum):
    """Not in the table: removed here, or never there."""

    ABSENT = enum.auto()


_ABSENT = _Absent.ABSENT


class Staged(Generic[K, V]):
    """One table's writes in one transaction, seen over the committed table.

    Keys are tuples that begin with the tenant id. The committed table is
    read under the store's lock and written only by :meth:`apply`.
    """

    def __init__(self, lock: threading.RLock, committed: dict[K, V]) -> None:
        self._lock = lock
        self._committed = committed
        self._changes: dict[K, V | _Absent] = {}
        self._expected: dict[K, object] = {}
        #: Counts this transaction's writes, so that readers can tell their caches are stale.
        self.generation = 0

    def _find(self, key: K) -> V | _Absent:
        if key in self._changes:
            return self._changes[key]
        with self._lock:
            return self._committed.get(key, _ABSENT)

    def __contains__(self, key: K) -> bool:
        return not isinstance(self._find(key), _Absent)

    def get(self, key: K) -> V | None:
        found = self._find(key)
        return None if isinstance(found, _Absent) else found

    def in_tenant(self, tenant_id: str) -> dict[K, V]:
        """Every row of one tenant."""
        with self._lock:
            rows = {k: v for k, v in self._committed.items() if k[0] == tenant_id}
        for key, value in self._changes.items():
            if key[0] != tenant_id:
                continue
            if isinstance(value, _Absent):
                rows.pop(key, None)
            else:
                rows[key] = value
        return rows

    def put(self, key: K, value: V) -> None:
        self._changes[key] = value
        self.generation += 1

    def remove(self, key: K) -> None:
        self._changes[key] = _ABSENT
        self.generation += 1

    def written(self) -> list[K]:
        """The keys this transaction wrote (put or removed)."""
        return list(self._changes)

    def wrote(self, key: K) -> bool:
        return key in self._changes

    def committed(self, key: K) -> V | None:
        """The committed value, ignoring this transaction's writes."""
        with self._lock:
            return self._committed.get(key)

    def expect(self, key: K, version: object) -> None:
        """Commit only if ``key`` still has the ``version`` it had at its first write here."""
        self._expected.setdefault(key, version)

    def changed_since(self, version_of: Callable[[V | None], object]) -> bool:
        """Whether another transaction changed a key this one :meth:`expect` ed."""
        with self._lock:
            return any(
                version_of(self._committed.get(key)) != version
                for key, version in self._expected.items()
            )

    def apply(self) -> None:
        """Write the changes to the committed table."""
        with self._lock:
            for key, value in self._changes.items():
                if isinstance(value, _Absent):
                    self._committed.pop(key, None)
                else:
                    self._committed[key] = value

    def _save(self) -> tuple[dict[K, V | _Absent], dict[K, object]]:
        return dict(self._changes), dict(self._expected)

    def _restore(self, saved: tuple[dict[K, V | _Absent], dict[K, object]]) -> None:
        self._changes, self._expected = saved
        self.generation += 1


class Staging:
    """The :class:`Staged` overlays of one transaction."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._overlays: list[Staged[Any, Any]] = []

    def overlay(self, committed: dict[K, V]) -> Staged[K, V]:
        staged: Staged[K, V] = Staged(self._lock, committed)
        self._overlays.append(staged)
        return staged

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """All or nothing: what the block stages is undone if it raises."""
        saved = [(staged, staged._save()) for staged in self._overlays]
        try:
            yield
        except Exception:
            for staged, state in saved:
                staged._restore(state)
            # Overlays made inside the block (a repository first used there)
            # started empty: empty again.
            for staged in self._overlays[len(saved) :]:
                staged._restore(({}, {}))
            raise

    def apply(self) -> None:
        """Write every overlay to its table at once, under the store's lock."""
        with self._lock:
            for staged in self._overlays:
                staged.apply()
