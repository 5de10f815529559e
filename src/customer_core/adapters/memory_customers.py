"""The in-memory customer repository: staged writes, identity keys, visible-customer queries.

Its writes are staged in :class:`~customer_core.adapters.memory_staging.Staged`
overlays on the store's customers and identity index, and applied when the
unit of work (:class:`~customer_core.adapters.memory.MemoryUnitOfWork`)
commits, after :meth:`MemoryCustomerRepository.check_commit`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import datetime

import attrs

from customer_core.adapters.memory_identities import IdentityTables, MemoryIdentityIndex
from customer_core.adapters.memory_staging import Staging, TenantKey
from customer_core.adapters.shared import as_added, not_found, plan_identities
from customer_core.domain.matching.duplicates import Cluster, MatchRecord, exact_clusters
from customer_core.domain.matching.search import SearchQuery, search_key, search_rank
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.model.records import Assignment
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope, matches_filter
from customer_core.errors import Code, Conflict, VersionConflict
from customer_core.ports import IdentityListRepository, KeyLookup

__all__ = ["MemoryCustomerRepository"]


def _version(customer: Customer | None) -> int | None:
    return customer.version if customer else None


def _version_conflict() -> VersionConflict:
    return VersionConflict(
        "the customer changed since it was read", code=Code.VERSION_CONFLICT, field="version"
    )


class MemoryCustomerRepository:
    """Writes are staged in the unit of work and checked again at commit."""

    def __init__(
        self,
        staging: Staging,
        customers: dict[TenantKey, Customer],
        identities: IdentityTables,
        lists: IdentityListRepository,
        *,
        committed_generation: Callable[[], int] | None = None,
    ) -> None:
        self._staging = staging
        self._customers = staging.overlay(customers)
        self._identities = MemoryIdentityIndex(staging, identities)
        self._lists = lists  # the same transaction's, for look_up
        # Reading a tenant page by page (the duplicate report, an export) used to
        # sort the whole tenant for every page: the order of the last (scope,
        # filter) is kept while neither a commit nor this transaction wrote.
        self._committed_generation = committed_generation
        self._order: tuple[object, list[tuple[str, str]], list[Customer]] | None = None

    def check_commit(self) -> None:
        """Refuse what another transaction committed meanwhile (under the store's lock).

        A customer written here must still have the version it had when first
        written here, and a claim taken here must still be free
        (:meth:`MemoryIdentityIndex.check_commit`).
        """
        if self._customers.changed_since(_version):
            raise _version_conflict()
        self._identities.check_commit()

    def _stage(
        self,
        key: TenantKey,
        before: Customer | None,
        after: Customer | None,
        *,
        first_holder: bool = False,
    ) -> None:
        tenant = key[0]
        old = before.identity_keys() if before else ()
        new = after.identity_keys() if after else ()
        holders = self.holders(tenant, {*old, *new})
        plan = plan_identities([(key[1], old, new)], holders, strict=first_holder)
        self._customers.expect(key, _version(before))
        self._identities.apply(tenant, plan)
        if after is None:
            self._customers.remove(key)
        else:
            self._customers.put(key, after)

    def add(self, customer: Customer, /, *, first_holder: bool = False) -> Customer:
        key = (customer.tenant_id, customer.id)
        if key in self._customers:
            raise Conflict("a customer with this id exists", code=Code.CONFLICT, field="id")
        stored = as_added(customer)
        self._stage(key, None, stored, first_holder=first_holder)
        return stored

    def get(self, tenant_id: str, customer_id: str, /) -> Customer:
        found = self._customers.get((tenant_id, customer_id))
        if found is None:
            raise not_found()
        return found

    def save(self, customer: Customer, /, *, expected_version: int) -> Customer:
        key = (customer.tenant_id, customer.id)
        current = self.get(*key)
        if current.version != expected_version:
            raise _version_conflict()
        stored = attrs.evolve(customer, version=expected_version + 1)
        self._stage(key, current, stored)
        return stored

    def delete(self, tenant_id: str, customer_id: str, /) -> None:
        key = (tenant_id, customer_id)
        self._stage(key, self.get(*key), None)

    def get_many(self, tenant_id: str, customer_ids: Iterable[str], /) -> dict[str, Customer]:
        found = {cid: self._customers.get((tenant_id, cid)) for cid in customer_ids}
        return {cid: c for cid, c in found.items() if c is not None}

    def add_many(self, customers: Sequence[Customer], /) -> Sequence[Customer]:
        return self._batch(lambda: [self.add(c) for c in customers])

    def save_many(self, changes: Sequence[tuple[Customer, int]], /) -> Sequence[Customer]:
        return self._batch(lambda: [self.save(c, expected_version=v) for c, v in changes])

    def _batch(self, run: Callable[[], list[Customer]]) -> list[Customer]:
        """All or nothing, like one multi-row statement."""
        with self._staging.savepoint():
            return run()

    def holders(
        self, tenant_id: str, keys: Iterable[IdentityKey], /
    ) -> dict[IdentityKey, tuple[str, ...]]:
        return self._identities.holders(tenant_id, keys)

    def mark_seen(
        self, tenant_id: str, customer_id: str, keys: Iterable[IdentityKey], at: datetime, /
    ) -> None:
        self._identities.mark_seen(tenant_id, customer_id, keys, at)

    def look_up(
        self, tenant_id: str, keys: Iterable[IdentityKey], /, *, lists: Collection[str] = ()
    ) -> KeyLookup:
        wanted = set(keys)
        holders = self.holders(tenant_id, wanted)
        found = self.get_many(tenant_id, {h for ids in holders.values() for h in ids})
        holding = {k: tuple(found[h] for h in ids) for k, ids in holders.items()}
        last_seen = {
            (k, h): seen
            for k, ids in holders.items()
            if k.kind.shareable
            for h in ids
            if (seen := self._identities.last_seen(tenant_id, k, h)) is not None
        }
        return KeyLookup(holding, self._lists.listed_in(tenant_id, lists, wanted), last_seen)

    def in_tenant(self, tenant_id: str, /) -> dict[str, Customer]:
        """Every customer of the tenant by id (for the other memory repositories)."""
        return {cid: c for (_, cid), c in self._customers.in_tenant(tenant_id).items()}

    def list_page(
        self, tenant_id: str, /, *, after: str | None = None, limit: int = 100
    ) -> Sequence[Customer]:
        customers = self.in_tenant(tenant_id)
        ids = sorted(cid for cid in customers if after is None or cid > after)
        return [customers[cid] for cid in ids[:limit]]

    def count(self, tenant_id: str, /) -> int:
        return len(self.in_tenant(tenant_id))

    def get_visible(self, scope: VisibilityScope, customer_id: str, /) -> Customer:
        found = self._customers.get((scope.tenant_id, customer_id))
        if found is None or not scope.allows_customer(found):
            raise not_found()
        return found

    def visible(self, scope: VisibilityScope, customer_filter: CustomerFilter, /) -> list[Customer]:
        """The customers ``scope`` allows that match the filter, in no order."""
        return [
            c
            for c in self.in_tenant(scope.tenant_id).values()
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
        keys, ordered = self._ordered(scope, customer_filter)
        start = 0 if after is None else bisect.bisect_right(keys, after)
        return ordered[start : start + limit]

    def _ordered(
        self, scope: VisibilityScope, customer_filter: CustomerFilter
    ) -> tuple[list[tuple[str, str]], list[Customer]]:
        """The visible customers in name order, and their keys, from the cache if still fresh."""
        stamp = None
        if self._committed_generation is not None:
            stamp = (
                self._committed_generation(),
                self._customers.generation,
                scope,
                customer_filter,
            )
            if self._order is not None and self._order[0] == stamp:
                return self._order[1], self._order[2]
        keyed = sorted(((search_key(c), c.id), c) for c in self.visible(scope, customer_filter))
        keys, ordered = [k for k, _ in keyed], [c for _, c in keyed]
        if stamp is not None:
            self._order = (stamp, keys, ordered)
        return keys, ordered

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
            for c in self.visible(scope, customer_filter)
            if (rank := search_rank(c, query)) is not None
        ]
        return [c for _, c in sorted(ranked)][:limit]

    def count_by_relationship(
        self, scope: VisibilityScope, customer_filter: CustomerFilter, /
    ) -> dict[RelationshipType, int]:
        counts = dict.fromkeys(RelationshipType, 0)
        for customer in self.visible(scope, customer_filter):
            counts[customer.relationship_type] += 1
        return counts

    def blocked_among(self, tenant_id: str, customer_ids: Iterable[str], /) -> frozenset[str]:
        found = self.get_many(tenant_id, customer_ids)
        return frozenset(cid for cid, customer in found.items() if customer.blocked)

    def exact_clusters(self, scope: VisibilityScope, /) -> Sequence[Cluster]:
        return exact_clusters(self.visible(scope, CustomerFilter()))

    def match_records(self, scope: VisibilityScope, /) -> Iterator[MatchRecord]:
        return (MatchRecord.of(c) for c in self.visible(scope, CustomerFilter()))

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
        keep_responsibles: frozenset[str] | None = None,
    ) -> Sequence[Assignment]:
        moved: list[Assignment] = []
        for customer_id in dict.fromkeys(customer_ids):
            current = self._customers.get((scope.tenant_id, customer_id))
            if current is None or not scope.allows_customer(current):
                continue
            new_portfolio = portfolio_id if "portfolio_id" in fields else current.portfolio_id
            new_responsible = (
                responsible_id if "responsible_id" in fields else current.responsible_id
            )
            if "responsible_id" not in fields and keep_responsibles is not None:
                new_responsible = new_responsible if new_responsible in keep_responsibles else None
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
            current = self._customers.get((scope.tenant_id, customer_id))
            if current is not None and scope.allows_customer(current):
                self.delete(scope.tenant_id, customer_id)
                deleted.append(customer_id)
        return deleted
