"""SQLite: each thread keeps its connection between its units of work.

An inbound message is one short unit of work. On SQLite its look-up takes a
few tens of microseconds, and taking a connection from the pool and giving
it back (a ``Connection`` built, the pool's checkout and its reset, the
checkin) cost about as much again. :class:`IdleConnections` keeps the
connection a thread used, with no transaction open, for that thread's next
unit of work; a connection that holds no transaction holds no lock and no
snapshot of the write-ahead log, so keeping it delays no writer and no
checkpoint.

Bounded so that kept connections never starve the pool: one per thread, and
only while the pool's checked-out connections stay within its ``pool_size``
(the overflow stays free for threads that keep none). Only a pooling engine
(SQLAlchemy's ``QueuePool``, its default for a SQLite file) keeps any: one made
with ``NullPool`` or over connections someone else owns keeps none. A thread that ends
gives its connection back; :meth:`IdleConnections.close_all` (the storage's
``close``) closes every kept one before the engine is disposed.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

__all__ = ["IdleConnections"]


class _Slot:
    """One thread's kept connection; closed when the thread ends (its locals go)."""

    __slots__ = ("__weakref__", "connection", "lock")

    def __init__(self, lock: threading.Lock) -> None:
        self.connection: Connection | None = None
        self.lock = lock

    def take(self) -> Connection | None:
        with self.lock:
            connection, self.connection = self.connection, None
        return connection

    def close(self) -> None:
        connection = self.take()
        if connection is not None:
            with contextlib.suppress(DBAPIError):  # a broken one has nothing to give back
                connection.close()

    def __del__(self) -> None:
        # Runs as the thread's locals go, or at interpreter exit, when the
        # pool may be gone already: nothing to report then.
        with contextlib.suppress(Exception):
            self.close()


class IdleConnections:
    """The idle connection of each thread on ``engine``, kept for its next unit of work."""

    @classmethod
    def of(cls, engine: Engine) -> IdleConnections | None:
        """The kept connections of a SQLite engine that pools; None for any other engine
        (a server's, or one made not to pool, ``NullPool``...): nothing to keep there."""
        if engine.dialect.name != "sqlite" or not isinstance(engine.pool, QueuePool):
            return None
        return cls(engine)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._slots: weakref.WeakSet[_Slot] = weakref.WeakSet()
        #: Counts :meth:`close_all` calls: a connection taken before one is not kept.
        self.generation = 0

    def take(self) -> Connection | None:
        """This thread's kept connection (now the caller's), or None: connect anew."""
        slot: _Slot | None = getattr(self._local, "slot", None)
        if slot is None:
            return None
        connection = slot.take()
        if connection is None or connection.closed or connection.invalidated:
            return None
        return connection

    def give_back(self, connection: Connection, generation: int) -> bool:
        """Keep ``connection`` for this thread; False when the caller must close it.

        Only a connection with no transaction open is kept, one per thread,
        only while the pool has not gone into its overflow, and only when no
        :meth:`close_all` came since it was taken (``generation``, read then):
        a connection in use while the storage was closed is closed after use.
        """
        if connection.closed or connection.invalidated or connection.in_transaction():
            return False
        pool = self._engine.pool
        if not isinstance(pool, QueuePool) or pool.checkedout() > pool.size():
            return False  # (a pool swapped since :meth:`of` chose to keep: keep nothing)
        slot: _Slot | None = getattr(self._local, "slot", None)
        if slot is None:
            slot = _Slot(self._lock)
            self._local.slot = slot
            with self._lock:
                self._slots.add(slot)
        with self._lock:
            if slot.connection is not None or generation != self.generation:
                return False
            slot.connection = connection
        return True

    def close_all(self) -> None:
        """Close every thread's kept connection (they are idle: nothing is lost)."""
        with self._lock:
            self.generation += 1
            slots = list(self._slots)
        for slot in slots:
            slot.close()
