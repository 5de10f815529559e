"""Database fixtures for the SQL adapter: one fresh, migrated schema per dialect and test run.

SQLite is a file in a temporary directory. PostgreSQL and MariaDB are the
servers named by ``CUSTOMER_CORE_POSTGRES_URL`` and ``CUSTOMER_CORE_MARIADB_URL``
(local defaults below); each run works in a schema (PostgreSQL) or database
(MariaDB) of its own, built by ``upgrade()`` so the migrations are what is
tested, and dropped at the end. An unreachable server skips its tests, except
under ``CI=true``, where it fails them: CI must not pass by testing nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from migration_helpers import migrate
from sqlalchemy import Engine, column, insert, make_url, table, text
from sqlalchemy.exc import OperationalError

from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine, upgrade
from customer_core.adapters.sqlalchemy.mapping import customer_row
from customer_core.adapters.sqlalchemy.tables import customers as customers_table
from customer_core.domain.model.customer import Customer
from customer_core.ports import UnitOfWorkFactory

# No wall-clock limits on generated examples: CI machines are shared and noisy,
# and a slow first draw (caches filling, another process on the core) says
# nothing about the code. Tests that need a budget set their own.
settings.register_profile(
    "customer_core", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("customer_core")


POSTGRES_URL = os.environ.get(
    "CUSTOMER_CORE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB_URL = os.environ.get(
    "CUSTOMER_CORE_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
)

DIALECTS = [
    pytest.param("sqlite"),
    pytest.param("postgresql", marks=pytest.mark.postgresql),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]


def _unreachable(server: str, url: str, exc: Exception) -> None:
    shown = make_url(url).render_as_string(hide_password=True)
    reason = f"{server} is unreachable at {shown}: {exc.__class__.__name__}: {exc.args[0]!s:.200}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the database tests must run)", pytrace=False)
    pytest.skip(reason)


def _admin_engine(server: str, url: str) -> Engine:
    # A bounded wait: a host that drops packets must not hang the run.
    engine = create_engine(url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        _unreachable(server, url, exc)
    return engine


def _run_name() -> str:
    return f"cc_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("sqlite") / "customers.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    admin = _admin_engine("PostgreSQL", POSTGRES_URL)
    schema = _run_name()
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # Every connection of the engine works in the run's schema.
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def mariadb_engine() -> Iterator[Engine]:
    admin = _admin_engine("MariaDB", MARIADB_URL)
    database = _run_name()
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4"))
    engine = create_engine(make_url(MARIADB_URL).set(database=database))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP DATABASE `{database}`"))
        admin.dispose()


@pytest.fixture(params=DIALECTS)
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    """The migrated engine of each dialect in turn (session-wide, created on first use)."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@pytest.fixture(params=[pytest.param("memory"), *DIALECTS])
def storage(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    """The memory adapter and then each SQL dialect: for checks both must pass alike."""
    if request.param == "memory":
        return MemoryStore()
    return SqlStorage(request.getfixturevalue(f"{request.param}_engine"))


@pytest.fixture
def mariadb_at_0005() -> Iterator[Engine]:
    """A database of its own, migrated to 0005 (before the no-pad collation)."""
    admin = _admin_engine("MariaDB", MARIADB_URL)
    database = _run_name()
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4"))
    engine = create_engine(make_url(MARIADB_URL).set(database=database))
    try:
        migrate(engine, "0005")
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP DATABASE `{database}`"))
        admin.dispose()


@contextmanager
def _fresh_engine(dialect: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own on ``dialect`` (schema on PostgreSQL), dropped after."""
    if dialect == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    server, url = (
        ("PostgreSQL", POSTGRES_URL) if dialect == "postgresql" else ("MariaDB", MARIADB_URL)
    )
    admin = _admin_engine(server, url)
    name = _run_name()
    if dialect == "postgresql":
        create, drop = f'CREATE SCHEMA "{name}"', f'DROP SCHEMA "{name}" CASCADE'
        engine = create_engine(url, connect_args={"options": f"-csearch_path={name}"})
    else:
        create, drop = f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4", f"DROP DATABASE `{name}`"
        engine = create_engine(make_url(url).set(database=name))
    with admin.begin() as connection:
        connection.execute(text(create))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(drop))
        admin.dispose()


@contextmanager
def _database_at(dialect: str, tmp_path: Path, revision: str) -> Iterator[Engine]:
    """A database of its own on ``dialect``, migrated to ``revision``."""
    with _fresh_engine(dialect, tmp_path) as engine:
        migrate(engine, revision)
        yield engine


@pytest.fixture(params=DIALECTS)
def database_at_0006(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Migrated to 0006 (one holder per key)."""
    with _database_at(request.param, tmp_path, "0006") as engine:
        yield engine


@pytest.fixture(params=DIALECTS)
def database_at_0009(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Migrated to 0009 (before blocking)."""
    with _database_at(request.param, tmp_path, "0009_privacy") as engine:
        yield engine


@pytest.fixture(params=DIALECTS)
def database_at_0011(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Migrated to 0011 (identities with rowids)."""
    with _database_at(request.param, tmp_path, "0011_hint_sides") as engine:
        yield engine


@pytest.fixture(params=DIALECTS)
def database_at_0012(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Migrated to 0012 (merges without the survivor as merged)."""
    with _database_at(request.param, tmp_path, "0012_clustered_identities") as engine:
        yield engine


OldRowWriter = Callable[[Engine, Iterable[Customer], Iterable[tuple[str, str, str, str]]], None]


@pytest.fixture
def write_old_rows() -> OldRowWriter:
    """Write customers and ``(tenant_id, kind, key, customer_id)`` identity rows as given.

    Migrations are tested from a *populated* database: this writes rows with
    plain Core inserts in the shape an older revision had (one holder per key,
    WhatsApp ids as ``messenger`` keys), independent of today's repository.
    """
    identities = table(
        "customer_identities",
        column("tenant_id"),
        column("kind"),
        column("key"),
        column("customer_id"),
    )

    def write(
        engine: Engine,
        stored: Iterable[Customer],
        keys: Iterable[tuple[str, str, str, str]],
    ) -> None:
        rows: list[dict[str, Any]] = [customer_row(c) for c in stored]
        key_rows = [
            {"tenant_id": t, "kind": kind, "key": key, "customer_id": cid}
            for t, kind, key, cid in keys
        ]
        with engine.begin() as connection:
            for start in range(0, len(rows), 500):
                connection.execute(insert(customers_table), rows[start : start + 500])
            for start in range(0, len(key_rows), 500):
                connection.execute(insert(identities), key_rows[start : start + 500])

    return write
