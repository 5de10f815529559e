"""In-memory storage: complete and transactional, for tests, notebooks and host-app tests.

It enforces what the SQL adapter enforces (one customer per identity key in a
tenant, optimistic versions) atomically under a lock, and a unit of work that
is not committed leaves no trace.

This module holds the committed state (:class:`MemoryStore`) and the
transaction that checks and applies staged writes (:class:`MemoryUnitOfWork`);
the repositories that stage them are in
:mod:`customer_core.adapters.memory_customers` and
:mod:`customer_core.adapters.memory_records`.

>>> from customer_core.adapters.memory import MemoryStore
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     uow.customers.count("acme")
0
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType

from customer_core.adapters.memory_customers import MemoryCustomerRepository
from customer_core.adapters.memory_records import (
    MemoryDuplicateHints,
    MemoryIdentityLists,
    MemoryMerges,
    MemoryPortfolioRepository,
)
from customer_core.adapters.shared import duplicate_identity
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.errors import VersionConflict

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

TenantKey = tuple[str, str]  # (tenant_id, id)
IdentityRow = tuple[str, IdentityKey]  # (tenant_id, key)


class MemoryStore:
    """The committed state shared by every unit of work opened on it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.customers: dict[TenantKey, Customer] = {}
        self.identities: dict[IdentityRow, str] = {}
        self.portfolios: dict[TenantKey, Portfolio] = {}
        self.outbox: list[DomainEvent] = []
        self.lists: dict[tuple[str, str, IdentityKey], str | None] = {}
        self.merges: dict[TenantKey, MergeRecord] = {}
        self.hints: dict[tuple[str, str, str, str], DuplicateHint] = {}

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def __call__(self) -> MemoryUnitOfWork:
        """A store is its own unit-of-work factory."""
        return MemoryUnitOfWork(self)


class _Repositories:
    """The repositories of one transaction, staging its writes."""

    def __init__(self, store: MemoryStore) -> None:
        self.lists = MemoryIdentityLists(store)
        self.customers = MemoryCustomerRepository(store, self.lists)
        self.portfolios = MemoryPortfolioRepository(store, self.customers)
        self.merges = MemoryMerges(store)
        self.hints = MemoryDuplicateHints(store, self.customers)


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
    def customers(self) -> MemoryCustomerRepository:
        return self._open().customers

    @property
    def portfolios(self) -> MemoryPortfolioRepository:
        return self._open().portfolios

    @property
    def lists(self) -> MemoryIdentityLists:
        return self._open().lists

    @property
    def merges(self) -> MemoryMerges:
        return self._open().merges

    @property
    def hints(self) -> MemoryDuplicateHints:
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

    def _freed_here(self, row: IdentityRow, holder: str) -> bool:
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
