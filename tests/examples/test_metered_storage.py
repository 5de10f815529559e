"""The adapter example (examples/metered_storage.py) passes the shipped storage contract."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

import customer_core as cc
from customer_core.adapters.memory import MemoryStore
from customer_core.ports import UnitOfWorkFactory
from customer_core.services import CustomerService
from customer_core.testing.contract import StorageContract

# examples/ is a folder of scripts, not a package: import them from its path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import metered_storage
from metered_storage import MeteredStorage


class TestMeteredStorage(StorageContract):
    """Every test of the contract, run on the example adapter."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        return MeteredStorage(MemoryStore())


def test_counts_what_the_services_do() -> None:
    storage = MeteredStorage(MemoryStore())
    core_customers = CustomerService(storage)
    admin = cc.Actor(tenant_id="acme", user_id="u1", role="admin")
    ana = core_customers.register("acme", admin, name="Ana")
    with pytest.raises(cc.NotFound):
        core_customers.get("acme", admin, "missing")
    core_customers.get("acme", admin, ana.id)
    assert (storage.opened, storage.commits, storage.rollbacks) == (3, 1, 0)
    assert storage.seconds > 0


def test_rollback_is_counted() -> None:
    storage = MeteredStorage(MemoryStore())
    with storage() as uow:
        uow.rollback()
    assert storage.rollbacks == 1


def test_the_module_examples_run() -> None:
    assert doctest.testmod(metered_storage).failed == 0
