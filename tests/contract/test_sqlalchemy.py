from __future__ import annotations

import pytest
from sqlalchemy import Engine

from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.contract import StorageContract


class TestSqlStorage(StorageContract):
    """The storage contract on SQLite, PostgreSQL and MariaDB (see conftest.py)."""

    @pytest.fixture
    def uow_factory(self, sql_engine: Engine) -> UnitOfWorkFactory:
        return SqlStorage(sql_engine)
