"""Units of work inside the host's transaction: its rows and the customers commit together.

A host that has its own SQLAlchemy :class:`~sqlalchemy.Connection` or
:class:`~sqlalchemy.orm.Session` on the library's database joins it for a block
(:meth:`.SqlStorage.joining`, or :meth:`customer_core.CustomerCore.unit_of_work`).
Every unit of work opened in the block then runs on the host's connection:

- each is a ``SAVEPOINT``: a library call that fails undoes its own writes
  and leaves the host's transaction usable (on PostgreSQL a failed statement
  would otherwise abort the whole transaction);
- its commit releases the savepoint and writes its events to the outbox, in
  the host's transaction: nothing is durable until the host commits, and the
  host's rollback undoes the customers with its own rows;
- its events go to the publisher when the host's transaction commits, and
  are dropped if it rolls back. With a ``Session`` they are handed over after
  the database confirmed the commit (the session's ``after_commit``); with a
  ``Connection``, which has no such hook, as SQLAlchemy's ``commit`` event
  fires, just before the database's ``COMMIT``: should that very statement
  fail, the publisher has seen events of a transaction that did not commit
  (the outbox, written in the same transaction, is exact either way).

The host's transaction is the host's: isolation level, locks held until it
commits, and on SQLite the write lock taken at the first write (a host's
engine must be made by :func:`.create_engine`, whose ``BEGIN`` makes
savepoints reliable).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import NestedTransaction
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from customer_core.adapters.sqlalchemy.engine import is_configured
from customer_core.adapters.sqlalchemy.errors import storage_error
from customer_core.adapters.sqlalchemy.unit_of_work import (
    HOST_TRANSACTIONS,
    SqlStorage,
    SqlUnitOfWork,
    _Repositories,
    store_events,
)
from customer_core.domain.model.events import DomainEvent
from customer_core.errors import Code, InvalidOperation
from customer_core.ports import EventPublisher

__all__ = ["HostTransaction", "HostUnitOfWork", "joined"]

_Publish = Callable[[Sequence[DomainEvent]], None]


class _Pending:
    """The events waiting for one host's commit, with whom to hand them to.

    One per connection or session, listening to its commit and rollback for
    as long as it lives: SQLAlchemy cannot remove a listener from within one.
    """

    def __init__(self) -> None:
        self.batches: list[tuple[_Publish, tuple[DomainEvent, ...]]] = []

    def committed(self, *_: Any) -> None:
        batches, self.batches = self.batches, []
        for publish, events in batches:
            publish(events)

    def rolled_back(self, *_: Any) -> None:
        self.batches = []


_pending: weakref.WeakKeyDictionary[object, _Pending] = weakref.WeakKeyDictionary()


def _pending_for(host: Connection | Session) -> _Pending:
    pending = _pending.get(host)
    if pending is None:
        pending = _pending[host] = _Pending()
        if isinstance(host, Session):
            event.listen(host, "after_commit", pending.committed)
            event.listen(host, "after_rollback", pending.rolled_back)
        else:
            event.listen(host, "commit", pending.committed)
            event.listen(host, "rollback", pending.rolled_back)
    return pending


class HostTransaction:
    """A host's connection or session, joined by one storage for a block."""

    def __init__(
        self, storage: SqlStorage, host: Connection | Session, publish: _Publish | None
    ) -> None:
        self.storage = storage
        self.host = host
        self._publish = publish

    def connection(self) -> Connection:
        # A session's connection, in its transaction (begun here if need be).
        return self.host.connection() if isinstance(self.host, Session) else self.host

    def unit_of_work(self) -> HostUnitOfWork:
        return HostUnitOfWork(self)

    def defer(self, events: Sequence[DomainEvent]) -> None:
        """Hand ``events`` to the publisher once the host commits."""
        if events and self._publish is not None:
            _pending_for(self.host).batches.append((self._publish, tuple(events)))


def _checked_host(storage: SqlStorage, host: object) -> Connection | Session:
    if not isinstance(host, Connection | Session):
        raise InvalidOperation(
            f"a host transaction is an SQLAlchemy Connection or Session, not {type(host).__name__}",
            code=Code.INVALID_OPERATION,
            field="connection",
        )
    engine = host.engine if isinstance(host, Connection) else host.get_bind()
    dialect = getattr(engine, "dialect", None)
    if dialect is None or dialect.name != storage.engine.dialect.name:
        raise InvalidOperation(
            "the host's connection is not on the library's kind of database",
            code=Code.INVALID_OPERATION,
            field="connection",
        )
    if dialect.name == "sqlite" and not is_configured(engine):  # type: ignore[arg-type]
        raise InvalidOperation(
            "on SQLite the host's engine is made by "
            "customer_core.adapters.sqlalchemy.create_engine (or is the core's own "
            "storage.engine): savepoints need its BEGIN",
            code=Code.INVALID_OPERATION,
            field="connection",
        )
    return host


@contextmanager
def joined(storage: SqlStorage, host: object, publish: EventPublisher | None) -> Iterator[None]:
    """The block during which ``storage`` joins ``host`` (see :meth:`.SqlStorage.joining`)."""
    checked = _checked_host(storage, host)
    joining = HostTransaction(storage, checked, publish.publish if publish is not None else None)
    token = HOST_TRANSACTIONS.set((joining, *HOST_TRANSACTIONS.get()))
    try:
        yield
    finally:
        HOST_TRANSACTIONS.reset(token)


class HostUnitOfWork(SqlUnitOfWork):
    """A savepoint in the host's transaction; commits nothing, defers its events.

    A :class:`.SqlUnitOfWork` to its callers (the same repositories over the
    host's connection); only how it begins and ends differs.
    """

    def __init__(self, host: HostTransaction) -> None:
        super().__init__(host.storage.engine)
        self._host = host
        self._savepoint: NestedTransaction | None = None

    def __enter__(self) -> HostUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already open")
        try:
            connection = self._host.connection()
            self._savepoint = connection.begin_nested()
        except DBAPIError as exc:
            raise storage_error(exc) or exc from exc
        self._connection = connection
        self._repositories = _Repositories(connection, self._writing)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._connection, self._repositories = None, None
        self._events = []
        savepoint, self._savepoint = self._savepoint, None
        if savepoint is not None and savepoint.is_active:
            try:
                savepoint.rollback()  # this call's writes only: the host's stay
            except DBAPIError as rollback_error:
                if exc is None:
                    raise storage_error(rollback_error) or rollback_error from rollback_error
        translated = storage_error(exc)
        if translated is not None:
            raise translated from exc

    def _writing(self) -> None:
        """Before a write: after a commit or rollback, the next writes get a savepoint too."""
        if self._savepoint is None or not self._savepoint.is_active:
            self._savepoint = self._open().begin_nested()

    def committed_events(self) -> Sequence[DomainEvent]:
        # Nothing is committed before the host commits: the events wait for it.
        return ()

    def commit(self) -> None:
        connection = self._open()
        if self._events:
            self._writing()
            store_events(connection, self._events)
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.commit()  # RELEASE: the writes join the host's transaction
        self._host.defer(self._events)
        self._events = []

    def rollback(self) -> None:
        self._open()
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.rollback()
        self._events = []
