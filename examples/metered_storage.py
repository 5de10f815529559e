"""A storage adapter of your own: metrics around any other storage.

``MeteredStorage`` wraps another storage (the in-memory one, the SQL one, or
yours) and counts units of work, commits and rollbacks, and the time spent in
them: what you would export to your metrics system. It is a complete adapter:
it implements the :class:`~customer_core.ports.UnitOfWorkFactory` and
:class:`~customer_core.ports.UnitOfWork` ports, and it passes the shipped
storage contract (see ``tests/examples/test_metered_storage.py``).

>>> from customer_core import Actor, presets
>>> from customer_core.adapters.memory import MemoryStore
>>> from customer_core.services import CustomerService
>>> storage = MeteredStorage(MemoryStore())
>>> customers = CustomerService(storage, preset=presets.OMNICHANNEL)
>>> admin = Actor(tenant_id="acme", user_id="u1", role="admin")
>>> ana = customers.register("acme", admin, name="Ana Lima")
>>> storage.opened, storage.commits
(1, 1)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType

from customer_core.ports import (
    AuditLog,
    ConsentRepository,
    CustomerRepository,
    DismissalRepository,
    DomainEvent,
    DuplicateHintRepository,
    IdentityListRepository,
    MergeRepository,
    PortfolioRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)

__all__ = ["MeteredStorage", "MeteredUnitOfWork"]


class MeteredStorage:
    """A :class:`~customer_core.ports.UnitOfWorkFactory` that counts what ``inner`` does."""

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self.inner = inner
        self.opened = 0
        self.commits = 0
        self.rollbacks = 0
        self.seconds = 0.0

    def __call__(self) -> MeteredUnitOfWork:
        return MeteredUnitOfWork(self, self.inner())


class MeteredUnitOfWork:
    """One unit of work of the inner storage, measured.

    Everything is delegated: the repositories are the inner storage's, so the
    rules the contract checks (unique identities, versions, visibility in the
    queries) stay the inner storage's job.
    """

    def __init__(self, meter: MeteredStorage, inner: UnitOfWork) -> None:
        self._meter = meter
        self._inner = inner
        self._started = 0.0

    @property
    def customers(self) -> CustomerRepository:
        return self._inner.customers

    @property
    def portfolios(self) -> PortfolioRepository:
        return self._inner.portfolios

    @property
    def lists(self) -> IdentityListRepository:
        return self._inner.lists

    @property
    def merges(self) -> MergeRepository:
        return self._inner.merges

    @property
    def hints(self) -> DuplicateHintRepository:
        return self._inner.hints

    @property
    def dismissals(self) -> DismissalRepository:
        return self._inner.dismissals

    @property
    def audit(self) -> AuditLog:
        return self._inner.audit

    @property
    def consents(self) -> ConsentRepository:
        return self._inner.consents

    def __enter__(self) -> MeteredUnitOfWork:
        self._inner.__enter__()
        self._meter.opened += 1
        self._started = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._inner.__exit__(exc_type, exc, tb)
        finally:
            self._meter.seconds += time.perf_counter() - self._started

    def commit(self) -> None:
        self._inner.commit()
        self._meter.commits += 1

    def rollback(self) -> None:
        self._inner.rollback()
        self._meter.rollbacks += 1

    def record(self, event: DomainEvent, /) -> None:
        self._inner.record(event)

    def committed_events(self) -> Sequence[DomainEvent]:
        return self._inner.committed_events()
