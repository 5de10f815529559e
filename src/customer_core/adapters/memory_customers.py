"""The in-memory customer repository: staged writes, identity keys, visible-customer queries.

Writes are kept aside in the unit of work
(:class:`~customer_core.adapters.memory.MemoryUnitOfWork`) and applied to the
:class:`~customer_core.adapters.memory.MemoryStore` when it commits; reads see
them over the committed state.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from customer_core.adapters.shared import as_added, check_identity_holders, not_found
from customer_core.domain.matching.duplicates import Cluster, exact_clusters
from customer_core.domain.matching.search import SearchQuery, search_key, search_rank
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.model.records import Assignment
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope, matches_filter
from customer_core.errors import Conflict, VersionConflict
from customer_core.ports import KeyLookup

if TYPE_CHECKING:
    from customer_core.adapters.memory import IdentityRow, MemoryStore, TenantKey
    from customer_core.adapters.memory_records import MemoryIdentityLists

__all__ = ["MemoryCustomerRepository"]

_DELETED = None


class MemoryCustomerRepository:
    """Writes are staged in the unit of work and checked again at commit."""

    def __init__(self, store: MemoryStore, lists: MemoryIdentityLists) -> None:
        self._store = store
        self._lists = lists  # the same transaction's, for look_up
        self.staged: dict[TenantKey, Customer | None] = {}
        self.base_versions: dict[TenantKey, int | None] = {}
        self.identity_changes: dict[IdentityRow, str | None] = {}

    def _current(self, key: TenantKey) -> Customer | None:
        if key in self.staged:
            return self.staged[key]
        with self._store.lock:
            return self._store.customers.get(key)

    def _holder(self, row: IdentityRow) -> str | None:
        if row in self.identity_changes:
            return self.identity_changes[row]
        with self._store.lock:
            return self._store.identities.get(row)

    def _stage(self, key: TenantKey, before: Customer | None, after: Customer | None) -> None:
        tenant = key[0]
        old = set(before.identity_keys()) if before else set()
        new = set(after.identity_keys()) if after else set()
        if after is not None:
            holders = {k: h for k in new - old if (h := self._holder((tenant, k))) is not None}
            check_identity_holders(after, holders)
        if key not in self.base_versions:
            self.base_versions[key] = before.version if before else None
        for k in old - new:
            self.identity_changes[(tenant, k)] = None
        for k in new - old:
            self.identity_changes[(tenant, k)] = key[1]
        self.staged[key] = after

    def add(self, customer: Customer, /) -> Customer:
        key = (customer.tenant_id, customer.id)
        if self._current(key) is not None:
            raise Conflict("a customer with this id exists", code="conflict", field="id")
        stored = as_added(customer)
        self._stage(key, None, stored)
        return stored

    def get(self, tenant_id: str, customer_id: str, /) -> Customer:
        found = self._current((tenant_id, customer_id))
        if found is None:
            raise not_found()
        return found

    def save(self, customer: Customer, /, *, expected_version: int) -> Customer:
        key = (customer.tenant_id, customer.id)
        current = self.get(*key)
        if current.version != expected_version:
            raise VersionConflict(
                "the customer changed since it was read", code="version_conflict", field="version"
            )
        stored = attrs.evolve(customer, version=expected_version + 1)
        self._stage(key, current, stored)
        return stored

    def delete(self, tenant_id: str, customer_id: str, /) -> None:
        key = (tenant_id, customer_id)
        self._stage(key, self.get(*key), _DELETED)

    def get_many(self, tenant_id: str, customer_ids: Iterable[str], /) -> dict[str, Customer]:
        found = {cid: self._current((tenant_id, cid)) for cid in customer_ids}
        return {cid: c for cid, c in found.items() if c is not None}

    def add_many(self, customers: Sequence[Customer], /) -> Sequence[Customer]:
        return self._batch(lambda: [self.add(c) for c in customers])

    def save_many(self, changes: Sequence[tuple[Customer, int]], /) -> Sequence[Customer]:
        return self._batch(lambda: [self.save(c, expected_version=v) for c, v in changes])

    def _batch(self, run: Callable[[], list[Customer]]) -> list[Customer]:
        """All or nothing, like one multi-row statement."""
        saved = (dict(self.staged), dict(self.base_versions), dict(self.identity_changes))
        try:
            return run()
        except Exception:
            self.staged, self.base_versions, self.identity_changes = saved
            raise

    def holders(self, tenant_id: str, keys: Iterable[IdentityKey], /) -> dict[IdentityKey, str]:
        return {k: h for k in keys if (h := self._holder((tenant_id, k))) is not None}

    def look_up(
        self, tenant_id: str, keys: Iterable[IdentityKey], /, *, lists: Collection[str] = ()
    ) -> KeyLookup:
        wanted = set(keys)
        holders = self.holders(tenant_id, wanted)
        found = self.get_many(tenant_id, set(holders.values()))
        holding = {k: found[h] for k, h in holders.items()}
        return KeyLookup(holding, self._lists.listed_in(tenant_id, lists, wanted))

    def _all(self, tenant_id: str) -> dict[str, Customer]:
        with self._store.lock:
            merged = {cid: c for (t, cid), c in self._store.customers.items() if t == tenant_id}
        for (t, cid), staged in self.staged.items():
            if t != tenant_id:
                continue
            if staged is None:
                merged.pop(cid, None)
            else:
                merged[cid] = staged
        return merged

    def list_page(
        self, tenant_id: str, /, *, after: str | None = None, limit: int = 100
    ) -> Sequence[Customer]:
        customers = self._all(tenant_id)
        ids = sorted(cid for cid in customers if after is None or cid > after)
        return [customers[cid] for cid in ids[:limit]]

    def count(self, tenant_id: str, /) -> int:
        return len(self._all(tenant_id))

    def get_visible(self, scope: VisibilityScope, customer_id: str, /) -> Customer:
        found = self._current((scope.tenant_id, customer_id))
        if found is None or not scope.allows_customer(found):
            raise not_found()
        return found

    def _visible(self, scope: VisibilityScope, customer_filter: CustomerFilter) -> list[Customer]:
        return [
            c
            for c in self._all(scope.tenant_id).values()
            if scope.allows_customer(c) and matches_filter(c, customer_filter)
        ]

    def find(
        self,
        scope: VisibilityScope,
        customer_filter: CustomerFilter,
        /,
        *,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> Sequence[Customer]:
        keyed = sorted(((search_key(c), c.id), c) for c in self._visible(scope, customer_filter))
        return [c for k, c in keyed if after is None or k > after][:limit]

    def search(
        self,
        scope: VisibilityScope,
        query: SearchQuery,
        customer_filter: CustomerFilter,
        /,
        *,
        limit: int = 50,
    ) -> Sequence[Customer]:
        ranked = [
            ((rank, search_key(c), c.id), c)
            for c in self._visible(scope, customer_filter)
            if (rank := search_rank(c, query)) is not None
        ]
        return [c for _, c in sorted(ranked)][:limit]

    def count_by_relationship(
        self, scope: VisibilityScope, customer_filter: CustomerFilter, /
    ) -> dict[RelationshipType, int]:
        counts = dict.fromkeys(RelationshipType, 0)
        for customer in self._visible(scope, customer_filter):
            counts[customer.relationship_type] += 1
        return counts

    def exact_clusters(self, scope: VisibilityScope, /) -> Sequence[Cluster]:
        return exact_clusters(self._visible(scope, CustomerFilter()))

    def assign(
        self,
        scope: VisibilityScope,
        customer_ids: Sequence[str],
        /,
        *,
        portfolio_id: str | None,
        responsible_id: str | None,
        fields: frozenset[str],
        now: datetime,
    ) -> Sequence[Assignment]:
        moved: list[Assignment] = []
        for customer_id in dict.fromkeys(customer_ids):
            current = self._current((scope.tenant_id, customer_id))
            if current is None or not scope.allows_customer(current):
                continue
            new_portfolio = portfolio_id if "portfolio_id" in fields else current.portfolio_id
            new_responsible = (
                responsible_id if "responsible_id" in fields else current.responsible_id
            )
            changed = attrs.evolve(
                current, portfolio_id=new_portfolio, responsible_id=new_responsible, updated_at=now
            )
            self.save(changed, expected_version=current.version)
            moved.append(
                Assignment(
                    customer_id,
                    current.portfolio_id,
                    new_portfolio,
                    current.responsible_id,
                    new_responsible,
                )
            )
        return moved

    def delete_visible(
        self, scope: VisibilityScope, customer_ids: Sequence[str], /
    ) -> Sequence[str]:
        deleted = []
        for customer_id in dict.fromkeys(customer_ids):
            current = self._current((scope.tenant_id, customer_id))
            if current is not None and scope.allows_customer(current):
                self.delete(scope.tenant_id, customer_id)
                deleted.append(customer_id)
        return deleted
