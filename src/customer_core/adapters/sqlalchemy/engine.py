"""Engines with the settings the adapter relies on, and the migrations that build the schema.

The same statements run on SQLite, PostgreSQL and MariaDB; what differs is
set up here, once per engine:

- SQLite: SQLAlchemy emits ``BEGIN`` itself (the documented workaround for
  the ``sqlite3`` driver, whose legacy mode begins no transaction for SELECT
  or SAVEPOINT, which breaks savepoints); foreign keys on; a busy timeout so
  writers queue instead of failing at once; WAL for file databases, so that
  readers never block the writer and a unit of work can stay open while
  another commits. :data:`SQLITE_BEGIN` lets a unit of work ask for
  ``BEGIN IMMEDIATE`` (see :mod:`.unit_of_work`).
- PostgreSQL and MariaDB: ``READ COMMITTED`` (MariaDB defaults to REPEATABLE
  READ, where a re-read after a lost race would still show the old snapshot),
  and ``pool_pre_ping`` so connections dropped by the server are replaced.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL, make_url

from customer_core.adapters.sqlalchemy.tables import VERSION_TABLE
from customer_core.errors import Code, MissingDependency

__all__ = [
    "SQLITE_BEGIN",
    "alembic_config",
    "create_engine",
    "gather_statistics",
    "is_configured",
    "statistics_outdated",
    "truncate_wal",
    "upgrade",
]

#: Execution option holding the statement that begins a SQLite transaction.
SQLITE_BEGIN = "customer_core_sqlite_begin"

#: How long a SQLite writer waits for another one to finish before failing.
SQLITE_BUSY_TIMEOUT_MS = 10_000

#: Page cache of each SQLite file connection, in KiB (SQLite's default is 2,000).
SQLITE_CACHE_KIB = 16_384

#: WAL pages written before a SQLite commit copies them back into the database
#: file (SQLite's default is 1,000 pages, about 4 MB).
SQLITE_WAL_CHECKPOINT_PAGES = 10_000

#: Size, in bytes, the WAL file is cut back to after a checkpoint.
SQLITE_WAL_SIZE_LIMIT = 64 * 1024 * 1024

#: Rows ANALYZE reads per index on SQLite: approximate statistics, a few
#: milliseconds however large the tables.
SQLITE_ANALYSIS_LIMIT = 1000

MIGRATIONS = Path(__file__).with_name("migrations")


def create_engine(url: str | URL, /, **kwargs: Any) -> Engine:
    """An :class:`~sqlalchemy.engine.Engine` for the adapter; ``kwargs`` go to SQLAlchemy.

    >>> engine = create_engine("sqlite://")
    >>> with engine.connect() as connection:
    ...     connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    1
    """
    url = make_url(url)
    backend = url.get_backend_name()
    if backend in ("postgresql", "mysql", "mariadb"):
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("isolation_level", "READ COMMITTED")
    if backend in ("mysql", "mariadb") and "charset" not in url.query:
        # Every key and name may hold any Unicode character (utf8 is 3 bytes).
        kwargs["connect_args"] = {"charset": "utf8mb4", **kwargs.get("connect_args", {})}
    try:
        engine = sqlalchemy.create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise _missing_driver(url, exc) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        if not _in_memory(url):
            event.listen(engine, "connect", _sqlite_wal)
    return engine


#: The driver ``customer-core[sql]`` installs for each backend, as a URL names it.
_EXTRA_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}


def _missing_driver(url: URL, exc: ModuleNotFoundError) -> MissingDependency:
    """The error of a URL whose driver is not installed, naming the URL form to use.

    ``mysql://`` (and ``postgresql://``) name no driver, and SQLAlchemy then
    picks one the extra does not install (mysqlclient, psycopg2): the fix is
    the URL, not another ``pip install``.
    """
    backend = url.get_backend_name()
    ours = _EXTRA_DRIVERS.get(backend)
    if ours is not None and url.get_driver_name() != ours:
        return MissingDependency(
            f"the driver module {exc.name!r} of {url.drivername}:// URLs is not installed: "
            f"write the URL as {backend}+{ours}://... (the driver 'customer-core[sql]' "
            f"installs), or install {exc.name!r}",
            code=Code.MISSING_DEPENDENCY,
            field="url",
        )
    return MissingDependency(
        f"the database driver for {url.drivername!r} is not installed: "
        "pip install 'customer-core[sql]'",
        code=Code.MISSING_DEPENDENCY,
        field="url",
    )


def is_configured(engine: Engine) -> bool:
    """Whether ``engine`` has the settings the adapter relies on (see :func:`create_engine`)."""
    if engine.dialect.name != "sqlite":
        return True
    return event.contains(engine, "begin", _sqlite_begin)


def _in_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or url.query.get("mode") == "memory"


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The driver must not begin transactions: _sqlite_begin does, for every
    # statement kind, which is what makes SAVEPOINT and rollback reliable.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        # Deleted rows are overwritten with zeros, not just unlinked: an
        # erased person must not be readable from the file (LGPD). Set
        # explicitly: builds differ in their default.
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _sqlite_wal(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode = WAL")
        # SQLite's default page cache is 2 MB: a batch of a thousand customers
        # dirties more than that, and spilling it mid-transaction made imports
        # about 5% slower. The cache fills only as pages are read.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        # A page written by several commits between two checkpoints is copied
        # back once: with the default, a large import checkpointed every
        # batch or two and copied the same index pages again each time
        # (commits cost 57 instead of 36 µs per imported row at 300,000
        # customers). The limit returns the WAL file's space afterwards.
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_CHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA journal_size_limit = {SQLITE_WAL_SIZE_LIMIT}")
    finally:
        cursor.close()


#: How many times an erasure's checkpoint is tried while readers hold the log,
#: and how long each try waits for them (SQLite's busy handler), in ms.
SQLITE_CHECKPOINT_ATTEMPTS = 40
SQLITE_CHECKPOINT_WAIT_MS = 250


def truncate_wal(engine: Engine, /, *, attempts: int = SQLITE_CHECKPOINT_ATTEMPTS) -> bool:
    """``PRAGMA wal_checkpoint(TRUNCATE)``, retried while readers block it; True once done.

    A reader whose snapshot predates the last commit keeps the pages it may
    read in the write-ahead log, so the checkpoint cannot finish until it
    ends. Each try waits :data:`SQLITE_CHECKPOINT_WAIT_MS` for readers (not
    the writers' long busy timeout): about ten seconds in all by default.
    """
    if engine.dialect.name != "sqlite" or _in_memory(engine.url):
        return True
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # an open connection has its driver connection
        driver.execute(f"PRAGMA busy_timeout = {SQLITE_CHECKPOINT_WAIT_MS}")
        try:
            for _ in range(attempts):
                busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy:
                    return True
        finally:
            driver.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    return False


def _sqlite_begin(connection: Connection) -> None:
    statement = connection.get_execution_options().get(SQLITE_BEGIN, "BEGIN")
    if statement == "BEGIN":
        # A deferred BEGIN takes no lock and cannot fail, and every unit of work
        # runs one: straight to the driver, without the statement machinery
        # (about as costly as a small query). BEGIN IMMEDIATE can time out
        # waiting for the writer, so it goes through SQLAlchemy, which
        # translates the error.
        connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
        return
    connection.exec_driver_sql(statement)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the shipped migrations; no ``alembic.ini`` needed.

    With ``connection``, the migrations run on it (in its transaction).
    """
    config = Config()
    # ConfigParser interpolates "%": escape it in the path.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url_or_engine: str | URL | Engine, /) -> None:
    """Migrate the database to the latest schema; safe to run again when up to date."""
    owned = not isinstance(url_or_engine, Engine)
    engine = (
        create_engine(url_or_engine) if not isinstance(url_or_engine, Engine) else url_or_engine
    )
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        if owned:
            engine.dispose()


def statistics_outdated(connection: Connection, /) -> bool:
    """Whether SQLite's planner statistics are missing or outgrown (reads only).

    SQLite keeps no statistics until ``ANALYZE`` runs, and without them it
    picks poor plans on large tables (an admin's phone search at 200,000
    customers: half a second instead of a millisecond and a half). They are
    outdated when there are none, or when the customers table has at least
    doubled since they were gathered. PostgreSQL (autovacuum) and MariaDB
    (InnoDB's persistent statistics) keep their own: never outdated here.
    """
    if connection.dialect.name != "sqlite":
        return False
    rows = connection.exec_driver_sql("SELECT max(rowid) FROM customers").scalar() or 0
    if rows == 0:
        return False
    has_stats = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).scalar()
    if not has_stats:
        return True
    # The largest of the indexes' row estimates: with a limited ANALYZE some
    # are well below the table's size.
    stats = connection.exec_driver_sql(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = 'customers'"
    ).scalars()
    analyzed = max((int(str(stat).split()[0]) for stat in stats if stat), default=0)
    return rows >= 2 * analyzed


def gather_statistics(connection: Connection, /) -> None:
    """``ANALYZE`` on SQLite, limited to :data:`SQLITE_ANALYSIS_LIMIT` rows per index.

    Runs in the connection's transaction (the caller commits); a no-op on the
    other databases.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")


def schema_is_current(engine: Engine, /) -> bool:
    """Whether the database's schema is the latest of the shipped migrations (reads only).

    ``False`` for a database without the schema, or with an older one: run
    :func:`upgrade` (``customer-core db upgrade URL``).
    """
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        current = set(context.get_current_heads())
    return current == set(ScriptDirectory.from_config(alembic_config()).get_heads())
