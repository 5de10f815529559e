"""The in-memory repositories besides customers: portfolios, identity lists, merges and hints.

Like :mod:`customer_core.adapters.memory_customers`, they stage their writes in
the unit of work and the :class:`~customer_core.adapters.memory.MemoryStore`
receives them at commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs

from customer_core.adapters.shared import not_found
from customer_core.domain.model.customer import IdentityKey
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import Conflict

if TYPE_CHECKING:
    from customer_core.adapters.memory import MemoryStore, TenantKey
    from customer_core.adapters.memory_customers import MemoryCustomerRepository

__all__ = [
    "MemoryDuplicateHints",
    "MemoryIdentityLists",
    "MemoryMerges",
    "MemoryPortfolioRepository",
    "Staged",
]


class MemoryPortfolioRepository:
    def __init__(self, store: MemoryStore, customers: MemoryCustomerRepository) -> None:
        self._store = store
        self._customers = customers
        self.staged: dict[TenantKey, Portfolio | None] = {}

    def _current(self, key: TenantKey) -> Portfolio | None:
        if key in self.staged:
            return self.staged[key]
        with self._store.lock:
            return self._store.portfolios.get(key)

    def add(self, portfolio: Portfolio, /) -> None:
        key = (portfolio.tenant_id, portfolio.id)
        if self._current(key) is not None:
            raise Conflict("a portfolio with this id exists", code="conflict", field="id")
        self.staged[key] = portfolio

    def get(self, tenant_id: str, portfolio_id: str, /) -> Portfolio:
        found = self._current((tenant_id, portfolio_id))
        if found is None:
            raise not_found("portfolio")
        return found

    def save(self, portfolio: Portfolio, /) -> None:
        self.get(portfolio.tenant_id, portfolio.id)
        self.staged[(portfolio.tenant_id, portfolio.id)] = portfolio

    def delete(self, tenant_id: str, portfolio_id: str, /) -> int:
        self.get(tenant_id, portfolio_id)
        self.staged[(tenant_id, portfolio_id)] = None
        members = [
            c for c in self._customers._all(tenant_id).values() if c.portfolio_id == portfolio_id
        ]
        for customer in members:
            self._customers.save(
                attrs.evolve(customer, portfolio_id=None), expected_version=customer.version
            )
        return len(members)

    def for_user(self, tenant_id: str, user_id: str, /) -> Sequence[Portfolio]:
        return [
            p for p in self.list_all(tenant_id) if user_id in p.member_ids or p.owner_id == user_id
        ]

    def ids_for_user(self, tenant_id: str, user_id: str, /) -> frozenset[str]:
        return frozenset(p.id for p in self.for_user(tenant_id, user_id))

    def ids_owned_by(self, tenant_id: str, owner_id: str, /) -> frozenset[str]:
        return frozenset(p.id for p in self.list_all(tenant_id) if p.owner_id == owner_id)

    def list_all(self, tenant_id: str, /) -> Sequence[Portfolio]:
        with self._store.lock:
            merged = {k: p for k, p in self._store.portfolios.items() if k[0] == tenant_id}
        merged.update({k: p for k, p in self.staged.items() if k[0] == tenant_id})  # type: ignore[misc]
        return sorted((p for p in merged.values() if p is not None), key=lambda p: p.name)


_REMOVED = object()
K = TypeVar("K")
V = TypeVar("V")


class Staged(Generic[K, V]):
    """Writes kept aside until commit; reads see them over the committed state."""

    def __init__(self, store: MemoryStore, committed: dict[K, V]) -> None:
        self._store = store
        self._committed = committed
        self.changes: dict[K, object] = {}

    def __contains__(self, key: K) -> bool:
        if key in self.changes:
            return self.changes[key] is not _REMOVED
        with self._store.lock:
            return key in self._committed

    def get(self, key: K) -> V | None:
        if key in self.changes:
            value = self.changes[key]
            return None if value is _REMOVED else value  # type: ignore[return-value]
        with self._store.lock:
            return self._committed.get(key)

    def items(self) -> list[tuple[K, V]]:
        with self._store.lock:
            merged: dict[K, object] = dict(self._committed)
        merged.update(self.changes)
        return [(k, v) for k, v in merged.items() if v is not _REMOVED]  # type: ignore[misc]

    def put(self, key: K, value: V) -> None:
        self.changes[key] = value

    def remove(self, key: K) -> None:
        self.changes[key] = _REMOVED

    def apply(self) -> None:
        for key, value in self.changes.items():
            if value is _REMOVED:
                self._committed.pop(key, None)
            else:
                self._committed[key] = value  # type: ignore[assignment]


class MemoryIdentityLists:
    def __init__(self, store: MemoryStore) -> None:
        self.staged: Staged[tuple[str, str, IdentityKey], str | None] = Staged(store, store.lists)

    def add(
        self,
        tenant_id: str,
        list_name: str,
        keys: Iterable[IdentityKey],
        /,
        *,
        customer_id: str | None,
    ) -> None:
        for key in keys:
            self.staged.put((tenant_id, list_name, key), customer_id)

    def remove(self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /) -> None:
        for key in keys:
            self.staged.remove((tenant_id, list_name, key))

    def listed(
        self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /
    ) -> set[IdentityKey]:
        return self.listed_in(tenant_id, (list_name,), keys)[list_name]

    def listed_in(
        self, tenant_id: str, list_names: Collection[str], keys: Iterable[IdentityKey], /
    ) -> dict[str, set[IdentityKey]]:
        # One probe per (list, key), like the SQL index: never a scan of the lists.
        wanted = set(keys)
        return {
            name: {k for k in wanted if (tenant_id, name, k) in self.staged} for name in list_names
        }


class MemoryMerges:
    def __init__(self, store: MemoryStore) -> None:
        self.staged: Staged[TenantKey, MergeRecord] = Staged(store, store.merges)

    def add(self, record: MergeRecord, /) -> None:
        self.staged.put((record.tenant_id, record.id), record)

    def get(self, tenant_id: str, merge_id: str, /) -> MergeRecord:
        found = self.staged.get((tenant_id, merge_id))
        if found is None:
            raise not_found("merge")
        return found

    def mark_undone(self, tenant_id: str, merge_id: str, at: datetime, /) -> None:
        record = self.get(tenant_id, merge_id)
        self.staged.put((tenant_id, merge_id), attrs.evolve(record, undone_at=at))


class MemoryDuplicateHints:
    def __init__(self, store: MemoryStore, customers: MemoryCustomerRepository) -> None:
        self.staged: Staged[tuple[str, str, str, str], DuplicateHint] = Staged(store, store.hints)
        self._customers = customers

    def add(self, hint: DuplicateHint, /) -> None:
        key = (hint.tenant_id, *sorted((hint.customer_id, hint.other_id)), hint.reason)
        if self.staged.get(key) is None:  # type: ignore[arg-type]
            self.staged.put(key, hint)  # type: ignore[arg-type]

    def list_all(self, tenant_id: str, /) -> Sequence[DuplicateHint]:
        hints = [h for (t, *_), h in self.staged.items() if t == tenant_id]
        return sorted(
            hints, key=lambda h: (h.noted_at, *sorted((h.customer_id, h.other_id)), h.reason)
        )

    def list_visible(self, scope: VisibilityScope, /) -> Sequence[DuplicateHint]:
        seen = {c.id for c in self._customers._visible(scope, CustomerFilter())}
        return [
            h
            for h in self.list_all(scope.tenant_id)
            if h.customer_id in seen and h.other_id in seen
        ]
