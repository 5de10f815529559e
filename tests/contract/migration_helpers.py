"""Running the shipped migrations on a test database, up or down, in one transaction."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine

from customer_core.adapters.sqlalchemy.engine import alembic_config


def migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with ``down``, downgrade) ``engine``'s database to ``revision``."""
    with engine.begin() as connection:
        run = command.downgrade if down else command.upgrade
        run(alembic_config(connection), revision)
