"""What every service shares: its dependencies, events, commits and the actor's scope."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from customer_core import presets
from customer_core.defaults import (
    NoTaxIdRegistry,
    ScryptPasswordHasher,
    SystemClock,
    UuidIds,
)
from customer_core.domain.model.actor import Actor
from customer_core.domain.rules.visibility import VisibilityScope, scope_for
from customer_core.errors import Code, DuplicateIdentity, InvalidOperation, NotFound
from customer_core.ports import (
    Clock,
    DomainEvent,
    EventPublisher,
    IdGenerator,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWork,
    UnitOfWorkFactory,
)
from customer_core.services.boundary import checking_ids

__all__ = ["ServiceBase", "check_tenant"]


def check_tenant(tenant_id: str, actor: Actor) -> None:
    if actor.tenant_id != tenant_id:
        raise InvalidOperation(
            "the actor does not belong to this tenant", code=Code.WRONG_TENANT, field="tenant_id"
        )


class ServiceBase:
    """Dependencies are injected once; what is not given comes from :mod:`customer_core.defaults`.

    Every public method of a subclass checks its id parameters (``tenant_id``,
    ``*_id``, ``*_ids``, ``actor``) before it runs:
    :mod:`customer_core.services.boundary`.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, checking_ids(member))

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.Preset = presets.DEFAULT,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.preset = preset
        self.clock = clock or SystemClock()
        self.ids = ids or UuidIds()
        self.hasher = hasher or ScryptPasswordHasher()
        self.tax_registry = tax_registry or NoTaxIdRegistry()
        self.publisher = publisher

    def _new_event(
        self, name: str, actor: Actor | None, tenant_id: str, customer_id: str | None, **data: Any
    ) -> DomainEvent:
        return DomainEvent(
            name=name,
            tenant_id=tenant_id,
            customer_id=customer_id,
            occurred_at=self.clock.now(),
            actor_id=actor.user_id if actor else None,
            data=data,
        )

    def _commit(self, uow: UnitOfWork) -> None:
        uow.commit()
        if self.publisher is not None:
            self.publisher.publish(uow.committed_events())

    @contextmanager
    def _naming_visible_holders_only(self, tenant_id: str, actor: Actor) -> Iterator[None]:
        """Report an identifier held by a customer the actor cannot see without naming it.

        The identity index is unique per tenant, so a seller cannot take a
        phone or e-mail another customer holds, visible or not; but the
        error must not hand over the id of a customer the seller may not
        see (``details["holder_id"]``), nor say whose it is.
        """
        try:
            yield
        except DuplicateIdentity as error:
            holder = (error.details or {}).get("holder_id")
            if holder is None or self._sees(tenant_id, actor, str(holder)):
                raise
            kind = (error.details or {}).get("kind")
            raise DuplicateIdentity(
                f"this {str(kind or 'identifier').replace('_', ' ')} is already in use",
                code=error.code,
                field=error.field,
                **({"kind": kind} if kind else {}),
            ) from None

    def _sees(self, tenant_id: str, actor: Actor, customer_id: str) -> bool:
        with self.uow_factory() as uow:  # a fresh one: the failed write's is rolled back
            try:
                uow.customers.get_visible(self._scope(uow, tenant_id, actor), customer_id)
            except NotFound:
                return False
        return True

    def _scope(self, uow: UnitOfWork, tenant_id: str, actor: Actor) -> VisibilityScope:
        """The actor's visibility; portfolios are looked up only when they matter."""
        check_tenant(tenant_id, actor)
        return scope_for(
            actor,
            self.preset.access,
            member_of=lambda: uow.portfolios.ids_for_user(tenant_id, actor.user_id),
        )
