"""What every service shares: its dependencies, events, commits and the actor's scope.

A service (a :class:`ServiceBase`) is a facade: its public methods are the
API, and each checks its ids before it runs. What a method does is often the
work of a small use-case object the service is composed of (its channels, its
merges...); every such object is given the service's ``Dependencies``, which
also hold the steps every unit of work shares. Those objects are internal and
check no id: only a service's public methods call them, once the ids were
checked.
"""

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
from customer_core.domain.model.audit import AuditDetail
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.privacy import AuditEntry
from customer_core.domain.rules.visibility import VisibilityScope, scope_for
from customer_core.errors import Code, DuplicateIdentity, InvalidOperation, InvalidValue, NotFound
from customer_core.ports import (
    Clock,
    DomainEvent,
    EventPublisher,
    HostTransactions,
    IdGenerator,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWork,
    UnitOfWorkFactory,
)
from customer_core.services.boundary import CURRENT_TENANT, checking

__all__ = ["ServiceBase", "check_preset", "check_tenant", "preset_of", "visible_portfolio"]


def check_preset(preset: object) -> presets.PresetChoice:
    """``preset`` if it is a :class:`~customer_core.presets.Preset` or a function of the tenant."""
    if isinstance(preset, presets.Preset) or callable(preset):
        return preset
    raise InvalidValue(
        f"preset is a Preset or a function of the tenant id, not {type(preset).__name__}",
        code=Code.INVALID_VALUE,
        field="preset",
    )


def preset_of(choice: presets.PresetChoice, tenant_id: str) -> presets.Preset:
    """The preset ``choice`` gives ``tenant_id``; a function must return a Preset."""
    if isinstance(choice, presets.Preset):
        return choice
    found = choice(tenant_id)
    if not isinstance(found, presets.Preset):
        raise InvalidValue(
            f"the preset function returned {type(found).__name__} for tenant "
            f"{tenant_id!r}, not a Preset",
            code=Code.INVALID_VALUE,
            field="preset",
        )
    return found


def visible_portfolio(
    uow: UnitOfWork, scope: VisibilityScope, portfolio_id: str, *, field: str = "portfolio_id"
) -> Portfolio:
    """A portfolio ``scope`` sees; a missing or an invisible one is the same ``not_found``
    on ``field`` (the parameter that named it), for every actor."""
    missing = NotFound("portfolio not found", code=Code.NOT_FOUND, field=field)
    if not scope.allows_portfolio(portfolio_id):
        raise missing
    try:
        return uow.portfolios.get(scope.tenant_id, portfolio_id)
    except NotFound:
        raise missing from None


def check_tenant(tenant_id: str, actor: Actor) -> None:
    if actor.tenant_id != tenant_id:
        raise InvalidOperation(
            "the actor does not belong to this tenant", code=Code.WRONG_TENANT, field="tenant_id"
        )


class Dependencies:
    """The dependencies of one service, and the steps each of its units of work shares.

    A service makes one from its constructor's arguments (the standard ones
    of :mod:`customer_core.defaults` filled in) and hands it to the use-case
    objects it is composed of. Its methods take ids as given: call them only
    from a service's public methods, which check their ids first.
    """

    __slots__ = ("_preset", "clock", "hasher", "ids", "publisher", "tax_registry", "uow_factory")

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.PresetChoice,
        clock: Clock,
        ids: IdGenerator,
        hasher: PasswordHasher,
        tax_registry: TaxIdRegistry,
        publisher: EventPublisher | None,
    ) -> None:
        self.uow_factory = uow_factory
        self._preset = check_preset(preset)
        self.clock = clock
        self.ids = ids
        self.hasher = hasher
        self.tax_registry = tax_registry
        self.publisher = publisher

    @property
    def preset(self) -> presets.Preset:
        """The preset of the tenant whose call is running (see :data:`.PresetChoice`)."""
        chosen = self._preset
        if isinstance(chosen, presets.Preset):
            return chosen
        tenant = CURRENT_TENANT.get()
        if tenant is None:
            raise InvalidOperation(
                "the preset is chosen per tenant: read it within a tenant's call, "
                "or ask core.preset_for(tenant_id)",
                code=Code.INVALID_OPERATION,
                field="preset",
            )
        return preset_of(chosen, tenant)

    @preset.setter
    def preset(self, value: presets.PresetChoice) -> None:
        self._preset = check_preset(value)

    def new_event(
        self, name: str, actor: Actor | None, tenant_id: str, customer_id: str | None, **data: Any
    ) -> DomainEvent:
        """An event of now, by ``actor`` (``None``: the system)."""
        return DomainEvent(
            name=name,
            tenant_id=tenant_id,
            customer_id=customer_id,
            occurred_at=self.clock.now(),
            actor_id=actor.user_id if actor else None,
            data=data,
        )

    def audit(
        self,
        uow: UnitOfWork,
        actor: Actor,
        tenant_id: str,
        customer_id: str | None,
        action: str,
        **details: AuditDetail,
    ) -> None:
        """Audit a read that hands data out (an export), or a refusal, in ``uow``.

        Changes need no call: the unit of work audits the events it commits
        (:meth:`~customer_core.ports.UnitOfWork.record`). ``details`` are
        counts, ids and field names, never personal values.
        """
        check_tenant(tenant_id, actor)  # never an entry in another tenant's trail
        uow.audit.add(
            AuditEntry(
                tenant_id=tenant_id,
                id=self.ids.new_id(),
                at=self.clock.now(),
                actor_id=actor.user_id,
                action=action,
                customer_id=customer_id,
                details=details,
            )
        )

    def refuse_host_transaction(self, operation: str, commits: str) -> None:
        """Refuse to run ``operation`` in a host's transaction; ``commits`` says how it commits.

        An import commits in batches: they would not be durable as they go (a
        checkpoint would mean nothing) and the host's transaction would hold
        every lock and row of the whole run. An erasure or an anonymization
        commits on its own, then has the storage overwrite what the old rows
        left (SQLite's WAL checkpoint): run before the host's commit, that
        cleanup would leave the person's old values in the file. Such calls
        run on their own, outside :meth:`~customer_core.CustomerCore.unit_of_work`.
        """
        storage = self.uow_factory
        if isinstance(storage, HostTransactions) and storage.in_host_transaction():
            raise InvalidOperation(
                f"{operation} {commits}: it cannot run inside the host's "
                "transaction; call it outside core.unit_of_work(...)",
                code=Code.INVALID_OPERATION,
                field="transaction",
            )

    def commit(self, uow: UnitOfWork) -> None:
        """Commit ``uow``, then hand its events to the publisher, if any."""
        uow.commit()
        if self.publisher is not None:
            self.publisher.publish(uow.committed_events())

    @contextmanager
    def naming_visible_holders_only(self, tenant_id: str, actor: Actor) -> Iterator[None]:
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
            if holder is None or self.sees(tenant_id, actor, str(holder)):
                raise
            kind = (error.details or {}).get("kind")
            raise DuplicateIdentity(
                f"this {str(kind or 'identifier').replace('_', ' ')} is already in use",
                code=error.code,
                field=error.field,
                **({"kind": kind} if kind else {}),
            ) from None

    def sees(self, tenant_id: str, actor: Actor, customer_id: str) -> bool:
        """Whether the actor can see the customer, read in a unit of work of its own."""
        with self.uow_factory() as uow:  # a fresh one: the failed write's is rolled back
            try:
                uow.customers.get_visible(self.scope(uow, tenant_id, actor), customer_id)
            except NotFound:
                return False
        return True

    def scope(self, uow: UnitOfWork, tenant_id: str, actor: Actor) -> VisibilityScope:
        """The actor's visibility; portfolios are looked up only when they matter."""
        check_tenant(tenant_id, actor)
        return scope_for(
            actor,
            self.preset.access,
            member_of=lambda: uow.portfolios.ids_for_user(tenant_id, actor.user_id),
        )


class ServiceBase:
    """Dependencies are injected once; what is not given comes from :mod:`customer_core.defaults`.

    Every public method of a subclass checks its id parameters (``tenant_id``,
    ``*_id``, ``*_ids``, ``actor``) before it runs:
    :mod:`customer_core.services.boundary`. The dependencies are attributes,
    shared with the use-case objects the service is composed of: setting one
    sets it for them too.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                # Ids, then every other argument (types, text, options).
                setattr(cls, name, checking(member))

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.PresetChoice = presets.DEFAULT,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
    ) -> None:
        self._deps = Dependencies(
            uow_factory,
            preset=preset,
            clock=clock or SystemClock(),
            ids=ids or UuidIds(),
            hasher=hasher or ScryptPasswordHasher(),
            tax_registry=tax_registry or NoTaxIdRegistry(),
            publisher=publisher,
        )

    @property
    def uow_factory(self) -> UnitOfWorkFactory:
        """The storage: each use case opens one unit of work from it."""
        return self._deps.uow_factory

    @uow_factory.setter
    def uow_factory(self, value: UnitOfWorkFactory) -> None:
        self._deps.uow_factory = value

    @property
    def preset(self) -> presets.Preset:
        """The tenant's rules: contact policy, statuses, access, registration.

        Given a function of the tenant (:data:`~customer_core.presets.PresetChoice`),
        this is the preset of the tenant whose call is running.
        """
        return self._deps.preset

    @preset.setter
    def preset(self, value: presets.PresetChoice) -> None:
        self._deps.preset = value

    @property
    def clock(self) -> Clock:
        """Stamps records and events."""
        return self._deps.clock

    @clock.setter
    def clock(self, value: Clock) -> None:
        self._deps.clock = value

    @property
    def ids(self) -> IdGenerator:
        """Makes the ids of new records."""
        return self._deps.ids

    @ids.setter
    def ids(self, value: IdGenerator) -> None:
        self._deps.ids = value

    @property
    def hasher(self) -> PasswordHasher:
        """Hashes and checks the customers' shop passwords."""
        return self._deps.hasher

    @hasher.setter
    def hasher(self, value: PasswordHasher) -> None:
        self._deps.hasher = value

    @property
    def tax_registry(self) -> TaxIdRegistry:
        """Checks a CPF/CNPJ when the preset asks for it."""
        return self._deps.tax_registry

    @tax_registry.setter
    def tax_registry(self, value: TaxIdRegistry) -> None:
        self._deps.tax_registry = value

    @property
    def publisher(self) -> EventPublisher | None:
        """Receives the events of each committed unit of work (``None``: nobody)."""
        return self._deps.publisher

    @publisher.setter
    def publisher(self, value: EventPublisher | None) -> None:
        self._deps.publisher = value

    # The shared steps, for the services that write without a use-case object.

    def _new_event(
        self, name: str, actor: Actor | None, tenant_id: str, customer_id: str | None, **data: Any
    ) -> DomainEvent:
        return self._deps.new_event(name, actor, tenant_id, customer_id, **data)

    def _commit(self, uow: UnitOfWork) -> None:
        self._deps.commit(uow)

    def _scope(self, uow: UnitOfWork, tenant_id: str, actor: Actor) -> VisibilityScope:
        return self._deps.scope(uow, tenant_id, actor)
