"""Blocking (LGPD Art. 18 IV): suspend, and resume, the processing of a customer's data.

A part of :class:`~customer_core.services.PrivacyService`, composed around
:class:`~customer_core.services.privacy_steps.PrivacySteps`; it checks no id
(the service's public methods did). What a block means for every other path
is the domain's rule, :meth:`Customer.check_processing
<customer_core.Customer.check_processing>`, and the lists' filter
(:class:`~customer_core.domain.rules.visibility.CustomerFilter`).
"""

from __future__ import annotations

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.errors import Code, InvalidOperation
from customer_core.services.privacy_steps import PrivacySteps

__all__ = ["Blocking"]


class Blocking:
    __slots__ = ("_steps",)

    def __init__(self, steps: PrivacySteps) -> None:
        self._steps = steps

    def set(self, tenant_id: str, actor: Actor, customer_id: str, why: str | None) -> Customer:
        """Block with the reason ``why``, or unblock (``None``): an event, audited as every event is."""
        steps, deps = self._steps, self._steps.deps
        with deps.uow_factory() as uow:
            current = steps.visible(uow, tenant_id, actor, customer_id)
            if current.blocked == (why is not None):
                raise InvalidOperation(
                    "this customer is blocked already" if why else "this customer is not blocked",
                    code=Code.INVALID_OPERATION,
                    field="customer_id",
                )
            now = deps.clock.now()
            changed = attrs.evolve(
                current, blocked_at=now if why else None, blocked_reason=why, updated_at=now
            )
            saved = uow.customers.save(changed, expected_version=current.version)
            event = "blocked" if why else "unblocked"
            details = {"reason": why} if why else {}
            # The event is the audit entry too (customer.blocked / customer.unblocked).
            uow.record(
                deps.new_event(f"customer.{event}", actor, tenant_id, customer_id, **details)
            )
            deps.commit(uow)
        return saved
