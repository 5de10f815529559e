"""The customer summary: a customer with the latest activity the host application owns.

Tickets, conversations, orders, payments and site visits live in the host's
own systems; the host hands them over through
:class:`~customer_core.ports.ActivityHistory` (a memory one for tests:
:class:`~customer_core.adapters.memory_activity.MemoryActivity`).
:class:`SummaryService`'s ``customer_summary`` composes a customer with its
latest activity under the same visibility rule as every other read: a
customer the actor cannot see has no summary (``NotFound``), so its activity
never leaks.

>>> from datetime import datetime, timezone
>>> from decimal import Decimal
>>> from customer_core import Actor, connect
>>> from customer_core.adapters.memory_activity import MemoryActivity
>>> from customer_core.domain.model.activity import Order, OrderType
>>> core = connect("memory://")
>>> admin = Actor(tenant_id="loja", user_id="u1", role="admin")
>>> ana = core.customers.register("loja", admin, name="Ana")
>>> activity = MemoryActivity()
>>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
>>> activity.orders.append(Order(id="o1", tenant_id="loja", customer_id=ana.id,
...     type=OrderType.ORDER, item_count=2, total=Decimal("99.90"), status="paid", created_at=at))
>>> summary = SummaryService(core.storage, activity=activity).customer_summary("loja", admin, ana.id)
>>> [(o.id, str(o.total)) for o in summary.orders]
[('o1', '99.90')]
"""

from __future__ import annotations

from datetime import datetime

import attrs

from customer_core import presets
from customer_core.domain.model.activity import Conversation, Order, Ticket, Visit
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.ports import (
    ActivityHistory,
    Clock,
    EventPublisher,
    IdGenerator,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase

__all__ = ["CustomerSummary", "SummaryService"]


@attrs.frozen(kw_only=True)
class CustomerSummary:
    """A customer with its latest activity (the card of a ticket or chat screen)."""

    customer: Customer
    last_contacted_at: datetime | None
    tickets: tuple[Ticket, ...]
    conversation: Conversation | None
    orders: tuple[Order, ...]
    visits: tuple[Visit, ...]


class SummaryService(ServiceBase):
    """Composes the summary; the host's activity ports are asked only for visible customers."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        activity: ActivityHistory,
        preset: presets.PresetChoice = presets.DEFAULT,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
    ) -> None:
        """The host's ``activity`` ports, and the dependencies of
        :class:`~customer_core.services.base.ServiceBase`."""
        super().__init__(
            uow_factory,
            preset=preset,
            clock=clock,
            ids=ids,
            hasher=hasher,
            tax_registry=tax_registry,
            publisher=publisher,
        )
        self.activity = activity

    def customer_summary(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        /,
        *,
        tickets: int = 5,
        orders: int = 10,
        visits: int = 10,
    ) -> CustomerSummary:
        """The summary, or :class:`~customer_core.errors.NotFound` for an invisible customer."""
        with self.uow_factory() as uow:
            customer = uow.customers.get_visible(self._scope(uow, tenant_id, actor), customer_id)
        conversation = self.activity.conversation(tenant_id, customer.id)
        staff_message = conversation.last_staff_message_at if conversation else None
        contacted = max(
            (t for t in (customer.last_contacted_at, staff_message) if t is not None), default=None
        )
        return CustomerSummary(
            customer=customer,
            last_contacted_at=contacted,
            tickets=tuple(self.activity.latest_tickets(tenant_id, customer.id, limit=tickets)),
            conversation=conversation,
            orders=tuple(self.activity.latest_orders(tenant_id, customer.id, limit=orders)),
            visits=tuple(self.activity.latest_visits(tenant_id, customer.id, limit=visits)),
        )
