"""Memory storage: reading a tenant page by page sorts it once, and never serves stale pages."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest

from customer_core.adapters.memory import MemoryStore
from customer_core.domain.matching.search import search_key
from customer_core.domain.model.customer import Customer
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import CustomerCoreError

T = "t"
NOW = datetime(2026, 1, 5, tzinfo=timezone.utc)
ALL = VisibilityScope(tenant_id=T, everything=True)


def person(name: str) -> Customer:
    return Customer.create(id=f"id-{name}", tenant_id=T, name=name, now=NOW)


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    with store() as uow:
        uow.customers.add_many([person(n) for n in ("Ana", "Bia", "Caio", "Davi", "Eva")])
        uow.commit()
    return store


def after(customer: Customer) -> tuple[str, str]:
    return search_key(customer), customer.id


def test_pages_follow_the_transactions_own_writes(store: MemoryStore) -> None:
    with store() as uow:
        first = uow.customers.find(ALL, CustomerFilter(), limit=2)
        assert [c.name for c in first] == ["Ana", "Bia"]
        uow.customers.add(person("Bruno"))
        uow.customers.delete(T, "id-Davi")
        rest = uow.customers.find(ALL, CustomerFilter(), after=after(first[-1]), limit=10)
        assert [c.name for c in rest] == ["Bruno", "Caio", "Eva"]


def test_pages_follow_other_transactions_commits(store: MemoryStore) -> None:
    with store() as reader:
        first = reader.customers.find(ALL, CustomerFilter(), limit=2)
        with store() as writer:
            davi = writer.customers.get(T, "id-Davi")
            writer.customers.save(attrs.evolve(davi, name="Aaron"), expected_version=davi.version)
            writer.customers.add(person("Carla"))
            writer.commit()
        rest = reader.customers.find(ALL, CustomerFilter(), after=after(first[-1]), limit=10)
        assert [c.name for c in rest] == ["Caio", "Carla", "Eva"]


def test_pages_follow_a_rolled_back_savepoint(store: MemoryStore) -> None:
    with store() as uow:
        assert len(uow.customers.find(ALL, CustomerFilter(), limit=10)) == 5
        with pytest.raises(CustomerCoreError):  # a duplicate id: the batch is undone
            uow.customers.add_many([person("Zoe"), person("Ana")])
        assert [c.name for c in uow.customers.find(ALL, CustomerFilter(), limit=10)] == [
            "Ana",
            "Bia",
            "Caio",
            "Davi",
            "Eva",
        ]


def test_another_scope_or_filter_is_sorted_afresh(store: MemoryStore) -> None:
    with store() as uow:
        assert len(uow.customers.find(ALL, CustomerFilter(), limit=10)) == 5
        nobody = VisibilityScope(tenant_id=T)
        assert uow.customers.find(nobody, CustomerFilter(), limit=10) == []
        elsewhere = VisibilityScope(tenant_id="other", everything=True)
        assert uow.customers.find(elsewhere, CustomerFilter(), limit=10) == []
        assert len(uow.customers.find(ALL, CustomerFilter(), limit=10)) == 5
