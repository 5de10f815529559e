"""Alembic environment of the shipped migrations.

:func:`customer_core.adapters.sqlalchemy.upgrade` runs them on its own
connection, passed in ``config.attributes["connection"]``. The Alembic command
line works too, with ``script_location`` pointing here and ``sqlalchemy.url``
set; ``--sql`` (offline) renders the scripts for a DBA to review.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from customer_core.adapters.sqlalchemy.engine import create_engine
from customer_core.adapters.sqlalchemy.tables import VERSION_TABLE, metadata


def _run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url, or pass a connection in config.attributes")
    if context.is_offline_mode():
        context.configure(
            url=url, target_metadata=metadata, version_table=VERSION_TABLE, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as own:
            _run_on(own)
    finally:
        engine.dispose()


# Alembic executes this file with its context set up; anything else importing
# it (pytest's doctest collection, documentation tools) must not migrate.
if hasattr(context, "config"):
    run_migrations()
