"""The in-memory repositories besides customers: portfolios, identity lists, merges and hints.

Like :mod:`customer_core.adapters.memory_customers`, they stage their writes in
:class:`~customer_core.adapters.memory_staging.Staged` overlays, which the
:class:`~customer_core.adapters.memory.MemoryStore` receives at commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import attrs

from customer_core.adapters.memory_customers import MemoryCustomerRepository
from customer_core.adapters.memory_staging import Staging, TenantKey
from customer_core.adapters.shared import not_found
from customer_core.domain.model.customer import IdentityKey
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import Code, Conflict

__all__ = [
    "HintKey",
    "ListEntry",
    "MemoryDuplicateHints",
    "MemoryIdentityLists",
    "MemoryMerges",
    "MemoryPortfolioRepository",
]

ListEntry = tuple[str, str, IdentityKey]  # (tenant_id, list name, key)
HintKey = tuple[str, str, str, str]  # (tenant_id, one customer id, the other, reason)


class MemoryPortfolioRepository:
    def __init__(
        self,
        staging: Staging,
        portfolios: dict[TenantKey, Portfolio],
        customers: MemoryCustomerRepository,
    ) -> None:
        self._portfolios = staging.overlay(portfolios)
        self._customers = customers

    def add(self, portfolio: Portfolio, /) -> None:
        key = (portfolio.tenant_id, portfolio.id)
        if key in self._portfolios:
            raise Conflict("a portfolio with this id exists", code=Code.CONFLICT, field="id")
        self._portfolios.put(key, portfolio)

    def get(self, tenant_id: str, portfolio_id: str, /) -> Portfolio:
        found = self._portfolios.get((tenant_id, portfolio_id))
        if found is None:
            raise not_found("portfolio")
        return found

    def save(self, portfolio: Portfolio, /) -> None:
        self.get(portfolio.tenant_id, portfolio.id)
        self._portfolios.put((portfolio.tenant_id, portfolio.id), portfolio)

    def delete(self, tenant_id: str, portfolio_id: str, /) -> Sequence[str]:
        self.get(tenant_id, portfolio_id)
        self._portfolios.remove((tenant_id, portfolio_id))
        members = [
            c
            for c in self._customers.in_tenant(tenant_id).values()
            if c.portfolio_id == portfolio_id
        ]
        for customer in members:
            self._customers.save(
                attrs.evolve(customer, portfolio_id=None), expected_version=customer.version
            )
        return [c.id for c in members]

    def for_user(self, tenant_id: str, user_id: str, /) -> Sequence[Portfolio]:
        return [
            p for p in self.list_all(tenant_id) if user_id in p.member_ids or p.owner_id == user_id
        ]

    def ids_for_user(self, tenant_id: str, user_id: str, /) -> frozenset[str]:
        return frozenset(p.id for p in self.for_user(tenant_id, user_id))

    def ids_owned_by(self, tenant_id: str, owner_id: str, /) -> frozenset[str]:
        return frozenset(p.id for p in self.list_all(tenant_id) if p.owner_id == owner_id)

    def list_all(self, tenant_id: str, /) -> Sequence[Portfolio]:
        return sorted(self._portfolios.in_tenant(tenant_id).values(), key=lambda p: p.name)


class MemoryIdentityLists:
    def __init__(self, staging: Staging, entries: dict[ListEntry, str | None]) -> None:
        self._entries = staging.overlay(entries)

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
            self._entries.put((tenant_id, list_name, key), customer_id)

    def remove(self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /) -> None:
        for key in keys:
            self._entries.remove((tenant_id, list_name, key))

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
            name: {k for k in wanted if (tenant_id, name, k) in self._entries}
            for name in list_names
        }

    def entries_of(self, tenant_id: str, customer_id: str, /) -> dict[str, set[IdentityKey]]:
        found: dict[str, set[IdentityKey]] = {}
        for (_, name, key), holder in self._entries.in_tenant(tenant_id).items():
            if holder == customer_id:
                found.setdefault(name, set()).add(key)
        return found


class MemoryMerges:
    def __init__(self, staging: Staging, records: dict[TenantKey, MergeRecord]) -> None:
        self._records = staging.overlay(records)

    def add(self, record: MergeRecord, /) -> None:
        self._records.put((record.tenant_id, record.id), record)

    def get(self, tenant_id: str, merge_id: str, /) -> MergeRecord:
        found = self._records.get((tenant_id, merge_id))
        if found is None:
            raise not_found("merge")
        return found

    def mark_undone(self, tenant_id: str, merge_id: str, at: datetime, /) -> None:
        record = self.get(tenant_id, merge_id)
        self._records.put((tenant_id, merge_id), attrs.evolve(record, undone_at=at))

    def in_force(self, tenant_id: str, /) -> Sequence[MergeRecord]:
        found = [r for r in self._records.in_tenant(tenant_id).values() if r.undone_at is None]
        return sorted(found, key=lambda r: (r.merged_at, r.id))

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[MergeRecord]:
        found = [
            r
            for r in self._records.in_tenant(tenant_id).values()
            if customer_id in (r.survivor_id, r.absorbed_id)
        ]
        return sorted(found, key=lambda r: (r.merged_at, r.id))

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        found = self.about(tenant_id, customer_id)
        for record in found:
            self._records.remove((tenant_id, record.id))
        return len(found)


class MemoryDuplicateHints:
    def __init__(
        self,
        staging: Staging,
        hints: dict[HintKey, DuplicateHint],
        customers: MemoryCustomerRepository,
    ) -> None:
        self._hints = staging.overlay(hints)
        self._customers = customers

    def add(self, hint: DuplicateHint, /) -> None:
        first, second = sorted((hint.customer_id, hint.other_id))
        key = (hint.tenant_id, first, second, hint.reason)
        if key not in self._hints:
            self._hints.put(key, hint)

    def list_all(self, tenant_id: str, /) -> Sequence[DuplicateHint]:
        return sorted(
            self._hints.in_tenant(tenant_id).values(),
            key=lambda h: (h.noted_at, *sorted((h.customer_id, h.other_id)), h.reason),
        )

    def list_visible(self, scope: VisibilityScope, /) -> Sequence[DuplicateHint]:
        seen = {c.id for c in self._customers.visible(scope, CustomerFilter())}
        return [
            h
            for h in self.list_all(scope.tenant_id)
            if h.customer_id in seen and h.other_id in seen
        ]

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[DuplicateHint]:
        return [h for h in self.list_all(tenant_id) if customer_id in (h.customer_id, h.other_id)]

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        found = [
            key
            for key, h in self._hints.in_tenant(tenant_id).items()
            if customer_id in (h.customer_id, h.other_id)
        ]
        for key in found:
            self._hints.remove(key)
        return len(found)
