"""In-memory storage: complete and transactional, for tests, notebooks and host-app tests.

It enforces what the SQL adapter enforces (one customer per identity key in a
tenant, optimistic versions) atomically under a lock, and a unit of work that
is not committed leaves no trace.

>>> from customer_core.adapters.memory import MemoryStore
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     uow.customers.count("acme")
0
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Generic, TypeVar

import attrs

from customer_core.adapters.shared import (
    as_added,
    check_identity_holders,
    duplicate_identity,
    not_found,
)
from customer_core.domain.matching.duplicates import Cluster, exact_clusters
from customer_core.domain.matching.search import SearchQuery, search_key, search_rank
from customer_core.domain.model.actor import Portfolio
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope, matches_filter
from customer_core.errors import Conflict, VersionConflict
from customer_core.ports import Assignment, DomainEvent, DuplicateHint, KeyLookup, MergeRecord

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

_Key = tuple[str, str]  # (tenant_id, id)
K = TypeVar("K")
V = TypeVar("V")
_IdentityRow = tuple[str, IdentityKey]  # (tenant_id, key)


class MemoryStore:
    """The committed state shared by every unit of work opened on it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.customers: dict[_Key, Customer] = {}
        self.identities: dict[_IdentityRow, str] = {}
        self.portfolios: dict[_Key, Portfolio] = {}
        self.outbox: list[DomainEvent] = []
        self.lists: dict[tuple[str, str, IdentityKey], str | None] = {}
        self.merges: dict[_Key, MergeRecord] = {}
        self.hints: dict[tuple[str, str, str, str], DuplicateHint] = {}

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def __call__(self) -> MemoryUnitOfWork:
        """A store is its own unit-of-work factory."""
        return MemoryUnitOfWork(self)


_DELETED = None


class _MemoryCustomers:
    """Writes are staged in the unit of work and checked again at commit."""

    def __init__(self, store: MemoryStore, lists: _MemoryLists) -> None:
        self._store = store
        self._lists = lists  # the same transaction's, for look_up
        self.staged: dict[_Key, Customer | None] = {}
        self.base_versions: dict[_Key, int | None] = {}
        self.identity_changes: dict[_IdentityRow, str | None] = {}

    def _current(self, key: _Key) -> Customer | None:
        if key in self.staged:
            return self.staged[key]
        with self._store.lock:
            return self._store.customers.get(key)

    def _holder(self, row: _IdentityRow) -> str | None:
        if row in self.identity_changes:
            return self.identity_changes[row]
        with self._store.lock:
            return self._store.identities.get(row)

    def _stage(self, key: _Key, before: Customer | None, after: Customer | None) -> None:
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


class _MemoryPortfolios:
    def __init__(self, store: MemoryStore, customers: _MemoryCustomers) -> None:
        self._store = store
        self._customers = customers
        self.staged: dict[_Key, Portfolio | None] = {}

    def _current(self, key: _Key) -> Portfolio | None:
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


class _Staged(Generic[K, V]):
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


class _MemoryLists:
    def __init__(self, store: MemoryStore) -> None:
        self.staged: _Staged[tuple[str, str, IdentityKey], str | None] = _Staged(store, store.lists)

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


class _MemoryMerges:
    def __init__(self, store: MemoryStore) -> None:
        self.staged: _Staged[_Key, MergeRecord] = _Staged(store, store.merges)

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


class _MemoryHints:
    def __init__(self, store: MemoryStore, customers: _MemoryCustomers) -> None:
        self.staged: _Staged[tuple[str, str, str, str], DuplicateHint] = _Staged(store, store.hints)
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


class _Repositories:
    """The repositories of one transaction, staging its writes."""

    def __init__(self, store: MemoryStore) -> None:
        self.lists = _MemoryLists(store)
        self.customers = _MemoryCustomers(store, self.lists)
        self.portfolios = _MemoryPortfolios(store, self.customers)
        self.merges = _MemoryMerges(store)
        self.hints = _MemoryHints(store, self.customers)


class MemoryUnitOfWork:
    """A transaction on a :class:`MemoryStore`; rolls back unless committed."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._events: list[DomainEvent] = []
        self._committed: list[DomainEvent] = []
        self._reset()

    def _reset(self) -> None:
        # Repositories hold the staged writes; they are made when first used,
        # so a unit of work that ends right after committing makes none.
        self._repositories: _Repositories | None = None
        self._events = []

    def _open(self) -> _Repositories:
        if self._repositories is None:
            self._repositories = _Repositories(self._store)
        return self._repositories

    @property
    def customers(self) -> _MemoryCustomers:
        return self._open().customers

    @property
    def portfolios(self) -> _MemoryPortfolios:
        return self._open().portfolios

    @property
    def lists(self) -> _MemoryLists:
        return self._open().lists

    @property
    def merges(self) -> _MemoryMerges:
        return self._open().merges

    @property
    def hints(self) -> _MemoryHints:
        return self._open().hints

    def __enter__(self) -> MemoryUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def record(self, event: DomainEvent, /) -> None:
        self._events.append(event)

    def committed_events(self) -> Sequence[DomainEvent]:
        return tuple(self._committed)

    def rollback(self) -> None:
        self._reset()

    def _freed_here(self, row: _IdentityRow, holder: str) -> bool:
        """Whether this transaction took ``row``'s key away from ``holder``."""
        key = (row[0], holder)
        if key not in self.customers.staged:
            return False
        staged = self.customers.staged[key]
        return staged is None or row[1] not in staged.identity_keys()

    def commit(self) -> None:
        store, customers = self._store, self.customers
        with store.lock:
            for key, base in customers.base_versions.items():
                stored = store.customers.get(key)
                if (stored.version if stored else None) != base:
                    self.rollback()
                    raise VersionConflict(
                        "the customer changed since it was read",
                        code="version_conflict",
                        field="version",
                    )
            for row, holder in customers.identity_changes.items():
                current = store.identities.get(row)
                if holder is None or current in (None, holder):
                    continue
                if not self._freed_here(row, current):
                    self.rollback()
                    raise duplicate_identity(row[1], current)
            for row, holder in customers.identity_changes.items():
                if holder is None:
                    store.identities.pop(row, None)
                else:
                    store.identities[row] = holder
            for key, customer in customers.staged.items():
                if customer is None:
                    store.customers.pop(key, None)
                else:
                    store.customers[key] = customer
            for key, portfolio in self.portfolios.staged.items():
                if portfolio is None:
                    store.portfolios.pop(key, None)
                else:
                    store.portfolios[key] = portfolio
            for staged in (self.lists.staged, self.merges.staged, self.hints.staged):
                staged.apply()
            store.outbox.extend(self._events)
            self._committed = list(self._events)
        self._reset()
