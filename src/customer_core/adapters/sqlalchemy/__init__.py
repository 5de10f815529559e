"""The SQL storage adapter: SQLAlchemy 2 Core on SQLite, PostgreSQL and MariaDB.

Needs the ``sql`` extra (``pip install 'customer-core[sql]'``). One code path
serves the three databases; the per-dialect settings live in
:func:`create_engine`, the schema in :data:`metadata` and in the shipped
Alembic migrations, which :func:`upgrade` runs.

>>> from customer_core.adapters.sqlalchemy import SqlStorage
>>> storage = SqlStorage("sqlite://")  # in memory; a file: "sqlite:///customers.db"
>>> storage.upgrade()
>>> with storage() as uow:
...     uow.customers.list_page("acme")
[]
>>> storage.engine.dispose()
"""

from __future__ import annotations

from customer_core.errors import Code, MissingDependency

try:
    import alembic  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as exc:
    raise MissingDependency(
        "the SQL storage adapter needs SQLAlchemy and Alembic: pip install 'customer-core[sql]'",
        code=Code.MISSING_DEPENDENCY,
    ) from exc

from customer_core.adapters.sqlalchemy.engine import create_engine, schema_is_current, upgrade
from customer_core.adapters.sqlalchemy.queries import visible_customer_ids
from customer_core.adapters.sqlalchemy.tables import metadata
from customer_core.adapters.sqlalchemy.unit_of_work import SqlStorage, SqlUnitOfWork

__all__ = [
    "SqlStorage",
    "SqlUnitOfWork",
    "create_engine",
    "metadata",
    "schema_is_current",
    "upgrade",
    "visible_customer_ids",
]
