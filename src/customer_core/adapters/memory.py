"""In-memory storage: complete and transactional, for tests, notebooks and host-app tests.

It enforces what the SQL adapter enforces (one customer per identity key in a
tenant, optimistic versions) atomically under a lock, and a unit of work that
is not committed leaves no trace. Like the SQL adapter's, a unit of work is
used in a ``with`` block, and opened once at a time.

This module holds the committed state (:class:`MemoryStore`) and the
transaction (:class:`MemoryUnitOfWork`). Its repositories
(:mod:`customer_core.adapters.memory_customers`,
:mod:`customer_core.adapters.memory_records`,
:mod:`customer_core.adapters.memory_dismissals`) stage their writes in overlays
(:mod:`customer_core.adapters.memory_staging`) that a commit checks and
applies under the store's lock.

>>> from customer_core.adapters.memory import MemoryStore
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     uow.customers.count("acme")
0
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from types import TracebackType

from customer_core.adapters.memory_customers import MemoryCustomerRepository
from customer_core.adapters.memory_dismissals import MemoryDismissals
from customer_core.adapters.memory_identities import IdentityTables
from customer_core.adapters.memory_privacy import MemoryAuditLog, MemoryConsents
from customer_core.adapters.memory_records import (
    HintKey,
    ListEntry,
    MemoryDuplicateHints,
    MemoryIdentityLists,
    MemoryMerges,
    MemoryPortfolioRepository,
)
from customer_core.adapters.memory_staging import Staging, TenantKey
from customer_core.defaults import time_ordered_id
from customer_core.domain.model.audit import audit_entries
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.dismissals import Dismissal
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.privacy import AuditEntry, Consent
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.errors import CustomerCoreError

__all__ = ["MemoryStore", "MemoryUnitOfWork"]


class MemoryStore:
    """The committed state shared by every unit of work opened on it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.customers: dict[TenantKey, Customer] = {}
        self.identities = IdentityTables()
        self.portfolios: dict[TenantKey, Portfolio] = {}
        self.outbox: list[DomainEvent] = []
        self.lists: dict[ListEntry, str | None] = {}
        self.merges: dict[TenantKey, MergeRecord] = {}
        self.hints: dict[HintKey, DuplicateHint] = {}
        self.dismissals: dict[TenantKey, Dismissal] = {}
        #: Counts commits, so that a transaction can tell its cached reads are stale.
        self.generation = 0
        self.audit: dict[TenantKey, AuditEntry] = {}
        self.consents: dict[TenantKey, Consent] = {}

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def __call__(self) -> MemoryUnitOfWork:
        """A store is its own unit-of-work factory."""
        return MemoryUnitOfWork(self)


class _Transaction:
    """The repositories of one transaction, staging its writes in one :class:`Staging`."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self.staging = staging = Staging(store.lock)
        self.lists = MemoryIdentityLists(staging, store.lists)
        self.customers = MemoryCustomerRepository(
            staging,
            store.customers,
            store.identities,
            self.lists,
            committed_generation=lambda: store.generation,
        )

    # The others are made when first used: most units of work (an inbound
    # message, a search) touch customers and lists only, and each repository
    # costs overlays to set up (a savepoint empties those made inside it).

    @cached_property
    def portfolios(self) -> MemoryPortfolioRepository:
        return MemoryPortfolioRepository(self.staging, self._store.portfolios, self.customers)

    @cached_property
    def merges(self) -> MemoryMerges:
        return MemoryMerges(self.staging, self._store.merges)

    @cached_property
    def hints(self) -> MemoryDuplicateHints:
        return MemoryDuplicateHints(self.staging, self._store.hints, self.customers)

    @cached_property
    def dismissals(self) -> MemoryDismissals:
        return MemoryDismissals(self.staging, self._store.dismissals, self.customers)

    @cached_property
    def audit(self) -> MemoryAuditLog:
        return MemoryAuditLog(self.staging, self._store.audit)

    @cached_property
    def consents(self) -> MemoryConsents:
        return MemoryConsents(self.staging, self._store.consents)


class MemoryUnitOfWork:
    """A transaction on a :class:`MemoryStore`; rolls back unless committed.

    Use it as a context manager. Its repositories, :meth:`commit` and
    :meth:`rollback` raise :class:`RuntimeError` outside the ``with`` block,
    and so does entering it while it is open; :meth:`committed_events` stays
    readable after the block.
    """

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._in_block = False
        # Made when first used, so a unit of work that ends right after
        # committing makes none.
        self._transaction: _Transaction | None = None
        self._events: list[DomainEvent] = []
        self._committed: tuple[DomainEvent, ...] = ()

    def _check_open(self) -> None:
        if not self._in_block:
            raise RuntimeError("use the unit of work in a with block")

    def _open(self) -> _Transaction:
        self._check_open()
        if self._transaction is None:
            self._transaction = _Transaction(self._store)
        return self._transaction

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

    @property
    def dismissals(self) -> MemoryDismissals:
        return self._open().dismissals

    @property
    def audit(self) -> MemoryAuditLog:
        return self._open().audit

    @property
    def consents(self) -> MemoryConsents:
        return self._open().consents

    def __enter__(self) -> MemoryUnitOfWork:
        if self._in_block:
            raise RuntimeError("this unit of work is already open")
        self._in_block = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._discard()
        self._in_block = False

    def record(self, event: DomainEvent, /) -> None:
        self._events.append(event)

    def committed_events(self) -> Sequence[DomainEvent]:
        return self._committed

    def _discard(self) -> None:
        self._transaction = None
        self._events = []

    def rollback(self) -> None:
        self._check_open()
        self._discard()

    def commit(self) -> None:
        transaction = self._open()
        with self._store.lock:
            try:
                transaction.customers.check_commit()
            except CustomerCoreError:
                self._discard()
                raise
            # Each event's audit entries, as the SQL adapter writes them with its outbox.
            for entry in audit_entries(self._events, time_ordered_id):
                transaction.audit.add(entry)
            transaction.staging.apply()
            self._store.generation += 1
            self._store.outbox.extend(self._events)
            self._committed = tuple(self._events)
        self._discard()
