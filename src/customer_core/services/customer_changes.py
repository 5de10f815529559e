"""How every customer use case writes: load, change, check, save, record, commit.

:class:`CustomerChanges` is the unit-of-work helper the parts of
:class:`~customer_core.services.CustomerService` are composed around: its
records (:mod:`customer_core.services.customer_records`) and shop login
(:mod:`customer_core.services.customer_credentials`) take it in their
constructor, and the service applies with it the changes its channels part
(:mod:`customer_core.services.customer_channels`) builds. Like them it checks no id: only the service's public methods
call it, once :mod:`~customer_core.services.boundary` checked their ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.kinds import CustomerKind
from customer_core.domain.rules.assignment import Reassignment, check_reassignment
from customer_core.errors import Code, InvalidOperation, InvalidValue, NotFound, VersionConflict
from customer_core.ports import UnitOfWork
from customer_core.services.base import Dependencies, visible_portfolio
from customer_core.services.validation import Problems

__all__ = ["Change", "CustomerChanges"]

Change = Callable[[Customer], Customer]


class CustomerChanges:
    """One customer stored or changed in one unit of work, under the preset's rules."""

    __slots__ = ("deps",)

    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps

    def event(self, name: str, actor: Actor | None, customer: Customer, **data: Any) -> DomainEvent:
        return self.deps.new_event(name, actor, customer.tenant_id, customer.id, **data)

    def check_assignment(self, actor: Actor, before: Customer | None, after: Customer) -> None:
        """Setting the portfolio or the responsible user: the domain's one rule for it."""
        check_reassignment(actor, self.deps.preset.access, Reassignment.between(before, after))

    def check_portfolio(
        self, uow: UnitOfWork, actor: Actor, before: Customer | None, after: Customer
    ) -> None:
        """A newly set portfolio must be one of the tenant's portfolios that the actor
        sees: moving a customer into another team's portfolio would hand it over
        unseen (missing and invisible are the same ``not_found``, as ``transfer``)."""
        old_portfolio = before.portfolio_id if before else None
        if after.portfolio_id is None or after.portfolio_id == old_portfolio:
            return
        visible_portfolio(uow, self.deps.scope(uow, after.tenant_id, actor), after.portfolio_id)

    def check_organization(
        self, uow: UnitOfWork, actor: Actor, before: Customer | None, after: Customer
    ) -> None:
        """A newly set organization must be a company the actor sees.

        Missing and invisible are the same ``not_found``: a person's
        ``organization_id`` pointing nowhere, or at another person, would
        show an employer that is not there.
        """
        old_organization = before.organization_id if before else None
        wanted = after.organization_id
        if wanted is None or wanted == old_organization:
            return
        try:
            organization = uow.customers.get_visible(
                self.deps.scope(uow, after.tenant_id, actor), wanted
            )
        except NotFound as exc:
            raise NotFound(
                "organization not found", code=Code.NOT_FOUND, field="organization_id"
            ) from exc
        if organization.kind is not CustomerKind.COMPANY or organization.id == after.id:
            raise InvalidOperation(
                "an organization is another customer, a company",
                code=Code.NOT_A_COMPANY,
                field="organization_id",
            )

    def add(self, tenant_id: str, actor: Actor, customer: Customer) -> Customer:
        """Store a new customer, checked and assigned by the caller; record, commit.

        The store path of registration: the portfolio must exist, and an
        identifier another customer holds is refused without naming a holder
        the actor cannot see.
        """
        deps = self.deps
        with deps.naming_visible_holders_only(tenant_id, actor), deps.uow_factory() as uow:
            self.check_portfolio(uow, actor, None, customer)
            self.check_organization(uow, actor, None, customer)
            stored = uow.customers.add(customer)
            uow.record(self.event("customer.registered", actor, stored, source=stored.source.value))
            deps.commit(uow)
        return stored

    def change(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        *,
        expected_version: int | None = None,
        event: str = "customer.updated",
        fields: list[str] | None = None,
        status: str | None = None,
        check: bool = True,
        then: Callable[[UnitOfWork, Customer, Customer], None] | None = None,
        problems: Problems | None = None,
    ) -> Customer:
        """Load, apply ``change``, check the aggregate's invariants, save with optimistic
        locking, record, commit.

        ``check=False`` leaves the required fields out (changes that touch none).

        Of these only ``expected_version`` comes from a caller: the public
        methods take it as a keyword-only parameter and nothing else, so a
        caller can neither skip the required-field ``check`` nor pick the
        ``event``. ``fields`` (the scalar fields an update set) and ``status``
        (the status set) go into the event's data. ``then(uow, before, saved)``
        writes what goes with the change in the same unit of work. ``problems``
        holds what the caller's input already had wrong: the invariants the
        change breaks join them, and all are refused together.
        """
        if expected_version is not None and (
            not isinstance(expected_version, int) or isinstance(expected_version, bool)
        ):
            raise InvalidValue(
                "expected_version is the version number read",
                code=Code.INVALID_VALUE,
                field="expected_version",
            )
        deps = self.deps
        with deps.naming_visible_holders_only(tenant_id, actor), deps.uow_factory() as uow:
            current = uow.customers.get_visible(deps.scope(uow, tenant_id, actor), customer_id)
            current.check_processing()
            if expected_version is not None and current.version != expected_version:
                raise VersionConflict(
                    "the customer changed since it was read",
                    code=Code.VERSION_CONFLICT,
                    field="version",
                )
            changed = change(current)
            self.check_assignment(actor, current, changed)
            self.check_portfolio(uow, actor, current, changed)
            self.check_organization(uow, actor, current, changed)
            # Only what the change breaks: a record made under other rules
            # (inbound, another preset) stays editable one field at a time.
            preset = deps.preset
            args = (preset.contact, preset.statuses, preset.registration if check else None)
            if problems is None:
                changed.check_invariants(*args, before=current)
            else:
                problems.violations(changed.invariant_violations(*args, before=current))
                problems.raise_if_any()
            changed = attrs.evolve(changed, updated_at=deps.clock.now())
            saved = uow.customers.save(changed, expected_version=current.version)
            if then is not None:
                then(uow, current, saved)
            data: dict[str, object] = {}
            if fields is not None:
                data["fields"] = fields
            if status is not None:
                data["status"] = status
            uow.record(self.event(event, actor, saved, **data))
            deps.commit(uow)
        return saved
