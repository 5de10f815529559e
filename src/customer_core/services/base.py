"""What every service shares: its dependencies, events, commits and the actor's scope."""

from __future__ import annotations

from typing import Any

from customer_core import presets
from customer_core.adapters.system import (
    NoTaxIdRegistry,
    ScryptPasswordHasher,
    SystemClock,
    UuidIds,
)
from customer_core.domain.model.actor import Actor
from customer_core.domain.rules.visibility import VisibilityScope, scope_for
from customer_core.errors import InvalidOperation
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

__all__ = ["ServiceBase", "check_tenant"]


def check_tenant(tenant_id: str, actor: Actor) -> None:
    if actor.tenant_id != tenant_id:
        raise InvalidOperation(
            "the actor does not belong to this tenant", code="wrong_tenant", field="tenant_id"
        )


class ServiceBase:
    """Dependencies are injected once; defaults are the production adapters."""

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

    def event(
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

    def commit(self, uow: UnitOfWork) -> None:
        uow.commit()
        if self.publisher is not None:
            self.publisher.publish(uow.committed_events())

    def scope(self, uow: UnitOfWork, tenant_id: str, actor: Actor) -> VisibilityScope:
        """The actor's visibility; portfolios are looked up only when they matter."""
        check_tenant(tenant_id, actor)
        return scope_for(
            actor,
            self.preset.access,
            member_of=lambda: uow.portfolios.ids_for_user(tenant_id, actor.user_id),
        )
