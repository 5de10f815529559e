"""Activity owned by the host application, and the customer summary that shows it.

Tickets, conversations, orders, payments and site visits live in the host's
own systems. The library defines small ports for them (the host implements
them over its tables or APIs), memory adapters for tests, and
:class:`SummaryService`, whose ``customer_summary`` composes a customer with
its latest activity under the same visibility rule as every other read: a
customer the actor cannot see has no summary (``NotFound``), so its activity
never leaks.

>>> from datetime import datetime, timezone
>>> from decimal import Decimal
>>> from customer_core import Actor, connect
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

import enum
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs

from customer_core import presets
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase

__all__ = [
    "ActivityHistory",
    "Conversation",
    "CustomerSummary",
    "MemoryActivity",
    "Order",
    "OrderType",
    "Payment",
    "SummaryService",
    "Ticket",
    "Visit",
]


@attrs.frozen(kw_only=True)
class Ticket:
    """A helpdesk ticket of the customer (the card shows the last five)."""

    id: str
    tenant_id: str
    customer_id: str
    subject: str
    status: str
    created_at: datetime


@attrs.frozen(kw_only=True)
class Conversation:
    """The customer's conversation in the host's chat ("ver conversa")."""

    id: str
    tenant_id: str
    customer_id: str
    url: str
    last_staff_message_at: datetime | None = None


class OrderType(enum.Enum):
    """Kinds of order a shop records; only ``order`` is a purchase."""

    ORDER = "order"
    QUOTE = "quote"
    RETURN = "return"
    PAYMENT_RECEIPT = "payment_receipt"


@attrs.frozen(kw_only=True)
class Payment:
    """How an order is paid (boleto link, payment code, barcode)."""

    boleto_url: str | None = None
    payment_code: str | None = None
    barcode: str | None = None


@attrs.frozen(kw_only=True)
class Order:
    """An order, quote, return or payment receipt of the customer."""

    id: str
    tenant_id: str
    customer_id: str
    type: OrderType
    item_count: int
    total: Decimal
    status: str
    created_at: datetime
    payment: Payment | None = None


@attrs.frozen(kw_only=True)
class Visit:
    """A page of the shop the customer visited."""

    tenant_id: str
    customer_id: str
    page: str
    visited_at: datetime


class ActivityHistory(Protocol):
    """The host's activity, newest first; each method is scoped by tenant and customer."""

    def latest_tickets(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Ticket]: ...

    def conversation(self, tenant_id: str, customer_id: str, /) -> Conversation | None: ...

    def latest_orders(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Order]: ...

    def latest_visits(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Visit]: ...


@attrs.define
class MemoryActivity:
    """Activity in lists, for tests and notebooks."""

    tickets: list[Ticket] = attrs.Factory(list)
    conversations: list[Conversation] = attrs.Factory(list)
    orders: list[Order] = attrs.Factory(list)
    visits: list[Visit] = attrs.Factory(list)

    @staticmethod
    def _of(items: Sequence[Any], tenant_id: str, customer_id: str) -> list[Any]:
        return [i for i in items if i.tenant_id == tenant_id and i.customer_id == customer_id]

    def latest_tickets(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Ticket]:
        mine = self._of(self.tickets, tenant_id, customer_id)
        return sorted(mine, key=lambda t: t.created_at, reverse=True)[:limit]

    def conversation(self, tenant_id: str, customer_id: str, /) -> Conversation | None:
        mine = self._of(self.conversations, tenant_id, customer_id)
        return mine[-1] if mine else None

    def latest_orders(self, tenant_id: str, customer_id: str, /, *, limit: int) -> Sequence[Order]:
        mine = self._of(self.orders, tenant_id, customer_id)
        return sorted(mine, key=lambda o: o.created_at, reverse=True)[:limit]

    def latest_visits(self, tenant_id: str, customer_id: str, /, *, limit: int) -> Sequence[Visit]:
        mine = self._of(self.visits, tenant_id, customer_id)
        return sorted(mine, key=lambda v: v.visited_at, reverse=True)[:limit]


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
        preset: presets.Preset = presets.DEFAULT,
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
