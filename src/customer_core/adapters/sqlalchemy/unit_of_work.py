"""The unit of work: one connection, one transaction, events to the outbox on commit.

>>> from customer_core.adapters.sqlalchemy import SqlStorage
>>> storage = SqlStorage("sqlite://")
>>> storage.upgrade()
>>> with storage() as uow:
...     uow.customers.count("acme")
0
>>> storage.engine.dispose()

**SQLite.** A transaction that has only read holds a snapshot; when another
connection commits a write meanwhile, SQLite refuses to upgrade that snapshot
to a write transaction (``SQLITE_BUSY_SNAPSHOT``, reported as "database is
locked", and no busy timeout helps). So a unit of work reads in a deferred
transaction and, before its first write, restarts it as ``BEGIN IMMEDIATE``:
it has written nothing yet, so nothing is lost, and the write lock is taken
up front, queueing behind other writers for the busy timeout. Its writes then
see the latest committed data, as under PostgreSQL's and MariaDB's READ
COMMITTED, and a stale ``expected_version`` is a :class:`VersionConflict`.

**PostgreSQL.** Under READ COMMITTED every statement reads its own snapshot,
inside a transaction or not, and a plain ``SELECT`` locks no row. So a unit of
work reads in autocommit mode and opens the transaction before its first
write, the same switch as SQLite's. A search then skips the ``BEGIN`` and the
``ROLLBACK`` (two round trips), and the ``ROLLBACK`` no longer empties
psycopg's cache of prepared statements, so a repeated search is not planned
again. Reads that must hold (``FOR UPDATE``) come after the switch: the
repositories run them as part of a write. An engine with a stricter isolation
level keeps its transactions for reads too: their snapshot spans statements.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from contextvars import ContextVar
from functools import cached_property
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from customer_core.adapters.sqlalchemy.dismissals import SqlDismissals
from customer_core.adapters.sqlalchemy.driver_writes import insert_many
from customer_core.adapters.sqlalchemy.engine import (
    SQLITE_BEGIN,
    SQLITE_BUSY_TIMEOUT_MS,
    create_engine,
    gather_statistics,
    is_configured,
    statistics_outdated,
    truncate_wal,
    upgrade,
)
from customer_core.adapters.sqlalchemy.errors import storage_error
from customer_core.adapters.sqlalchemy.idle import IdleConnections
from customer_core.adapters.sqlalchemy.mapping import audit_row, event_rows
from customer_core.adapters.sqlalchemy.privacy import SqlAuditLog, SqlConsents
from customer_core.adapters.sqlalchemy.records import (
    SqlDuplicateHints,
    SqlIdentityLists,
    SqlMerges,
)
from customer_core.adapters.sqlalchemy.repository import (
    SqlCustomerRepository,
    SqlPortfolioRepository,
)
from customer_core.adapters.sqlalchemy.tables import audit_log, outbox
from customer_core.defaults import time_ordered_id
from customer_core.domain.model.audit import audit_entries
from customer_core.domain.model.events import DomainEvent
from customer_core.errors import CustomerCoreError
from customer_core.ports import EventPublisher

__all__ = ["SqlStorage", "SqlUnitOfWork"]

_log = logging.getLogger(__name__)

_READ_COMMITTED = "READ COMMITTED"


def store_events(connection: Connection, events: Sequence[DomainEvent]) -> None:
    """Write ``events`` to the outbox and their audit entries to ``audit_log``, set-based.

    The audit entries are derived from the events
    (:func:`~customer_core.domain.model.audit.audit_entries`), in the
    transaction that makes the change: a change reported by an event is
    always audited, and an audit entry never outlives a rolled-back change.
    """
    insert_many(connection, insert(outbox), event_rows(events))
    entries = audit_entries(events, time_ordered_id)
    if entries:
        insert_many(connection, insert(audit_log), [audit_row(e) for e in entries])


#: The host transactions joined in the current context (thread or task),
#: innermost first: see :mod:`.host`. Any: they are ``HostTransaction``\ s.
HOST_TRANSACTIONS: ContextVar[tuple[Any, ...]] = ContextVar(
    "customer_core_host_transactions", default=()
)


class SqlStorage:
    """A SQL database as a :class:`~customer_core.ports.UnitOfWorkFactory`.

    Give it a URL (an engine is made with :func:`.create_engine`) or an
    engine made by :func:`.create_engine`. An in-memory SQLite database
    (``sqlite://``) is one connection per thread, so it serves one unit of
    work at a time; use a file, or the memory adapter, for anything else.
    """

    def __init__(self, url_or_engine: str | URL | Engine, /) -> None:
        if isinstance(url_or_engine, Engine):
            if not is_configured(url_or_engine):
                raise ValueError(
                    "create the engine with customer_core.adapters.sqlalchemy.create_engine: "
                    "the adapter needs its SQLite transaction settings"
                )
            self.engine = url_or_engine
        else:
            self.engine = create_engine(url_or_engine)
        # SQLite: a thread's next unit of work reuses its connection (see :mod:`.idle`).
        self._idle = IdleConnections.of(self.engine)

    def __call__(self) -> SqlUnitOfWork:
        for host in HOST_TRANSACTIONS.get():
            if host.storage is self:  # a host's transaction joined (see :mod:`.host`)
                joined: SqlUnitOfWork = host.unit_of_work()
                return joined
        return SqlUnitOfWork(self.engine, idle=self._idle)

    def unit_of_work(self) -> SqlUnitOfWork:
        return self()

    def close(self) -> None:
        """Close the connections kept between units of work, then the engine's pool."""
        if self._idle is not None:
            self._idle.close_all()
        self.engine.dispose()

    def joining(
        self, host: object, /, *, publish: EventPublisher | None = None
    ) -> AbstractContextManager[None]:
        """Run this context's units of work in ``host``'s transaction (see :mod:`.host`).

        ``host`` is the host's SQLAlchemy ``Connection`` or ``Session`` on this
        database; ``publish`` receives the events once the host commits.
        """
        from customer_core.adapters.sqlalchemy.host import joined

        return joined(self, host, publish)

    def in_host_transaction(self) -> bool:
        """Whether units of work opened now join a host's transaction."""
        return any(host.storage is self for host in HOST_TRANSACTIONS.get())

    def upgrade(self) -> None:
        """Migrate the database to the latest schema (see :func:`.upgrade`)."""
        upgrade(self.engine)

    def refresh_statistics(self) -> bool:
        """Gather the planner's statistics if outdated (see :func:`.statistics_outdated`).

        Checked in a read transaction; gathered in a writing one, tried once
        without waiting: a database another writer holds keeps its statistics
        until next time rather than making :func:`~customer_core.connect` or
        the end of an import wait for the lock.
        """
        with self.engine.connect() as connection:
            if not statistics_outdated(connection):
                return False
            connection.rollback()
            driver = connection.connection.driver_connection
            assert driver is not None  # an open connection has its driver connection
            driver.execute("PRAGMA busy_timeout = 0")  # not a statement: no transaction begins
            try:
                connection.execution_options(**{SQLITE_BEGIN: "BEGIN IMMEDIATE"})
                gather_statistics(connection)
                connection.commit()
            except OperationalError as exc:  # locked: statistics are an optimization
                _log.info("planner statistics not gathered now: %s", exc.orig)
                return False
            finally:
                driver.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        return True

    def purge_freed_space(self) -> bool:
        """After an erasure: SQLite's write-ahead log into the file, and emptied.

        Deleted rows are zeroed in the database file (``secure_delete``, set
        on every connection), but the log still holds the pages as they were
        before; :func:`.truncate_wal` copies it back and cuts it to nothing,
        retrying while readers hold it. PostgreSQL and MariaDB keep no such
        file the library can reach (docs/privacy.md says what they keep).
        """
        if self.engine.dialect.name != "sqlite":
            return True
        return truncate_wal(self.engine)


class _Repositories:
    """The repositories of one open unit of work, sharing its connection.

    Each is made when first used: most units of work use one or two.
    """

    def __init__(self, connection: Connection, before_write: Callable[[], None]) -> None:
        self._connection = connection
        self._before_write = before_write

    @cached_property
    def customers(self) -> SqlCustomerRepository:
        return SqlCustomerRepository(self._connection, before_write=self._before_write)

    @cached_property
    def portfolios(self) -> SqlPortfolioRepository:
        return SqlPortfolioRepository(self._connection, before_write=self._before_write)

    @cached_property
    def lists(self) -> SqlIdentityLists:
        return SqlIdentityLists(self._connection, before_write=self._before_write)

    @cached_property
    def merges(self) -> SqlMerges:
        return SqlMerges(self._connection, before_write=self._before_write)

    @cached_property
    def hints(self) -> SqlDuplicateHints:
        return SqlDuplicateHints(self._connection, before_write=self._before_write)

    @cached_property
    def dismissals(self) -> SqlDismissals:
        return SqlDismissals(self._connection, before_write=self._before_write)

    @cached_property
    def audit(self) -> SqlAuditLog:
        return SqlAuditLog(self._connection, before_write=self._before_write)

    @cached_property
    def consents(self) -> SqlConsents:
        return SqlConsents(self._connection, before_write=self._before_write)


class SqlUnitOfWork:
    """A transaction on one connection; rolls back unless :meth:`commit` is called.

    Use it as a context manager: entering connects, leaving rolls back what
    was not committed and returns the connection to the pool. A transaction
    begins with the first statement (SQLAlchemy's autobegin, which runs the
    engine's ``begin`` hook), so after :meth:`commit` or :meth:`rollback` the
    unit of work stays usable until the block ends, and one that ends right
    after committing does not begin a transaction only to roll it back.
    """

    def __init__(self, engine: Engine, *, idle: IdleConnections | None = None) -> None:
        self._engine = engine
        self._idle = idle
        self._generation = 0
        self._sqlite = engine.dialect.name == "sqlite"
        # PostgreSQL drivers send BEGIN themselves: autocommit is a client-side
        # switch. MariaDB's cost a round trip each way, more than they save.
        self._autocommit_reads = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        self._writable = False
        self._repositories: _Repositories | None = None
        self._events: list[DomainEvent] = []
        self._committed: tuple[DomainEvent, ...] = ()

    def _open_repositories(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("use the unit of work in a with block")
        return self._repositories

    @property
    def customers(self) -> SqlCustomerRepository:
        return self._open_repositories().customers

    @property
    def portfolios(self) -> SqlPortfolioRepository:
        return self._open_repositories().portfolios

    @property
    def lists(self) -> SqlIdentityLists:
        return self._open_repositories().lists

    @property
    def merges(self) -> SqlMerges:
        return self._open_repositories().merges

    @property
    def hints(self) -> SqlDuplicateHints:
        return self._open_repositories().hints

    @property
    def dismissals(self) -> SqlDismissals:
        return self._open_repositories().dismissals

    @property
    def audit(self) -> SqlAuditLog:
        return self._open_repositories().audit

    @property
    def consents(self) -> SqlConsents:
        return self._open_repositories().consents

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already open")
        # Read before taking: a close_all() from here on is seen at the end.
        self._generation = self._idle.generation if self._idle is not None else 0
        connection = self._idle.take() if self._idle is not None else None
        if connection is None:
            try:
                connection = self._engine.connect()
            except DBAPIError as exc:
                raise storage_error(exc) or exc from exc
        self._connection = connection
        self._repositories = _Repositories(connection, self._writing)
        if self._autocommit_reads:
            chosen = connection.get_execution_options().get("isolation_level")
            level = chosen or connection.default_isolation_level
            self._autocommit_reads = level == _READ_COMMITTED
        self._next_begin(write=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        self._repositories = None
        self._events = []
        # A refusal of ours (not found, a conflict...) leaves the connection sound;
        # anything else (a driver error, an interrupt mid-statement) closes it.
        failed = exc is not None and not isinstance(exc, CustomerCoreError)
        if connection is not None and not self._kept(connection, failed=failed):
            with contextlib.suppress(DBAPIError):  # a dead connection has nothing to roll back
                connection.close()  # rolls back whatever was not committed
        translated = storage_error(exc)
        if translated is not None:
            raise translated from exc

    def _kept(self, connection: Connection, *, failed: bool) -> bool:
        """Whether ``connection``, its transaction ended, is kept for this thread's next
        unit of work (SQLite, see :mod:`.idle`); after a failure it is closed."""
        if self._idle is None or failed:
            return False
        try:
            if connection.in_transaction():
                connection.rollback()
        except DBAPIError:
            return False
        return self._idle.give_back(connection, self._generation)

    def _open(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("use the unit of work in a with block")
        return self._connection

    def _next_begin(self, *, write: bool) -> None:
        """How the next transaction begins; it begins with the next statement."""
        if self._sqlite:
            connection = self._open()
            wanted = "BEGIN IMMEDIATE" if write else "BEGIN"
            # Only on a change: setting an option costs as much as a small read.
            if connection.get_execution_options().get(SQLITE_BEGIN, "BEGIN") != wanted:
                connection.execution_options(**{SQLITE_BEGIN: wanted})
        elif self._autocommit_reads:
            level = _READ_COMMITTED if write else "AUTOCOMMIT"
            connection = self._open()
            if connection.get_execution_options().get("isolation_level") != level:
                connection.execution_options(isolation_level=level)
        self._writable = write

    def _writing(self) -> None:
        """Called before every write: restart reads as a write transaction (see above)."""
        if self._writable or not (self._sqlite or self._autocommit_reads):
            return
        connection = self._open()
        if connection.in_transaction():
            connection.rollback()
        self._next_begin(write=True)
        connection.begin()

    def record(self, event: DomainEvent, /) -> None:
        self._events.append(event)

    def committed_events(self) -> Sequence[DomainEvent]:
        return self._committed

    def commit(self) -> None:
        connection = self._open()
        if self._events:
            self._writing()
            store_events(connection, self._events)
        if connection.in_transaction():
            connection.commit()
        self._committed = tuple(self._events)
        self._events = []
        self._next_begin(write=False)

    def rollback(self) -> None:
        connection = self._open()
        if connection.in_transaction():
            connection.rollback()
        self._events = []
        self._next_begin(write=False)
