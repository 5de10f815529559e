"""Activity the host application owns: tickets, conversations, orders, visits.

The host keeps these records in its own systems and hands them over through
:class:`~customer_core.ports.ActivityHistory`;
:class:`~customer_core.services.SummaryService` shows the latest ones with the
customer, under the customer's visibility.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import attrs

__all__ = ["Conversation", "Order", "OrderType", "Payment", "Ticket", "Visit"]


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
