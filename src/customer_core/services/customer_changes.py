"""How every customer use case writes: load, change, check, save, record, commit.

:class:`CustomerChanges` is what the parts of
:class:`~customer_core.services.CustomerService` share: registration and
updates (:mod:`customer_core.services.customers`), channels
(:mod:`customer_core.services.customer_channels`) and passwords
(:mod:`customer_core.services.customer_credentials`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.rules.visibility import Action, check_action
from customer_core.errors import InvalidValue, MissingRequiredField, NotFound, VersionConflict
from customer_core.ports import UnitOfWork
from customer_core.services.base import ServiceBase

__all__ = ["Change", "CustomerChanges"]

Change = Callable[[Customer], Customer]


#: What the use cases add to their event; any other keyword is a caller's mistake.
_EVENT_DATA = frozenset({"fields", "status"})


class CustomerChanges(ServiceBase):
    """One customer changed in one unit of work, under the preset's rules."""

    def _event(
        self, name: str, actor: Actor | None, customer: Customer, **data: Any
    ) -> DomainEvent:
        return self._new_event(name, actor, customer.tenant_id, customer.id, **data)

    def _check_assignment(self, actor: Actor, before: Customer | None, after: Customer) -> None:
        """Setting the portfolio or the responsible user is a restricted action."""
        old_portfolio = before.portfolio_id if before else None
        old_responsible = before.responsible_id if before else None
        if after.portfolio_id != old_portfolio:
            check_action(actor, self.preset.access, Action.ASSIGN_PORTFOLIO)
        if after.responsible_id != old_responsible and after.responsible_id != actor.user_id:
            check_action(actor, self.preset.access, Action.SET_RESPONSIBLE)

    def _check_portfolio(self, uow: UnitOfWork, before: Customer | None, after: Customer) -> None:
        """A newly set portfolio must be one of the tenant's portfolios."""
        old_portfolio = before.portfolio_id if before else None
        if after.portfolio_id is None or after.portfolio_id == old_portfolio:
            return
        try:
            uow.portfolios.get(after.tenant_id, after.portfolio_id)
        except NotFound as exc:
            raise NotFound("portfolio not found", code="not_found", field="portfolio_id") from exc

    def _edit(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        options: Mapping[str, Any],
        /,
        **data: Any,
    ) -> Customer:
        """A change a caller asked for, with the caller's keywords ``options``.

        Of those only ``expected_version`` passes: ``check`` and ``event`` are
        the use cases' own, and a caller must not skip the required-field
        check (``remove_email(..., check=False)``).
        """
        unknown = sorted(set(options) - {"expected_version"})
        if unknown:
            raise InvalidValue(f"unknown options {unknown}", code="invalid_value", field=unknown[0])
        return self._change(tenant_id, actor, customer_id, change, **data, **options)

    def _change(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        *,
        event: str = "customer.updated",
        expected_version: int | None = None,
        check: bool = True,
        then: Callable[[UnitOfWork, Customer, Customer], None] | None = None,
        **data: Any,
    ) -> Customer:
        """Load, apply ``change``, validate, save with optimistic locking, record, commit.

        ``then(uow, before, saved)`` writes what goes with the change in the
        same unit of work.
        """
        if expected_version is not None and (
            not isinstance(expected_version, int) or isinstance(expected_version, bool)
        ):
            raise InvalidValue(
                "expected_version is the version number read",
                code="invalid_value",
                field="expected_version",
            )
        unknown = sorted(set(data) - _EVENT_DATA)
        if unknown:  # e.g. a misspelt expected_version: never skip the version check silently
            raise InvalidValue(f"unknown options {unknown}", code="invalid_value", field=unknown[0])
        with (
            self._naming_visible_holders_only(tenant_id, actor),
            self.uow_factory() as uow,
        ):
            current = uow.customers.get_visible(self._scope(uow, tenant_id, actor), customer_id)
            if expected_version is not None and current.version != expected_version:
                raise VersionConflict(
                    "the customer changed since it was read",
                    code="version_conflict",
                    field="version",
                )
            changed = change(current)
            self._check_assignment(actor, current, changed)
            self._check_portfolio(uow, current, changed)
            if check:
                # Only what the change takes away: a record made without them
                # (inbound, another preset) stays editable one field at a time.
                registration = self.preset.registration
                lacked = set(current.missing_required(registration))
                taken = [f for f in changed.missing_required(registration) if f not in lacked]
                if taken:
                    raise MissingRequiredField(
                        f"{taken[0]} is required", code="required_field", field=taken[0]
                    )
            changed = attrs.evolve(changed, updated_at=self.clock.now())
            saved = uow.customers.save(changed, expected_version=current.version)
            if then is not None:
                then(uow, current, saved)
            uow.record(self._event(event, actor, saved, **data))
            self._commit(uow)
        return saved
