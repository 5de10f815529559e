from __future__ import annotations

import pytest

from customer_core.adapters.memory import MemoryStore
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.contract import StorageContract


class TestMemoryStorage(StorageContract):
    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        return MemoryStore()
