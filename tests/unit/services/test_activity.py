from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from customer_core import Actor, NotFound, connect, presets
from customer_core.adapters.memory_activity import MemoryActivity
from customer_core.domain.model.activity import (
    Conversation,
    Order,
    OrderType,
    Payment,
    Ticket,
    Visit,
)
from customer_core.services import SummaryService

T = "help"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
AGENT = Actor(tenant_id=T, user_id="agent")
AT = datetime(2026, 3, 1, tzinfo=timezone.utc)


def world() -> tuple[SummaryService, str, str]:
    core = connect("memory://", preset=presets.HELPDESK_PORTFOLIO)
    mine = core.portfolios.create(T, ADMIN, name="Minha", member_ids=["agent"])
    visible = core.customers.register(T, ADMIN, name="Ana", portfolio_id=mine.id).id
    hidden = core.customers.register(T, ADMIN, name="Bia").id
    activity = MemoryActivity()
    for cid in (visible, hidden):
        for i in range(7):
            activity.tickets.append(
                Ticket(
                    id=f"{cid}-t{i}",
                    tenant_id=T,
                    customer_id=cid,
                    subject=f"#{i}",
                    status="open",
                    created_at=AT + timedelta(days=i),
                )
            )
        activity.orders.append(
            Order(
                id=f"{cid}-o",
                tenant_id=T,
                customer_id=cid,
                type=OrderType.QUOTE,
                item_count=3,
                total=Decimal("10.50"),
                status="open",
                created_at=AT,
                payment=Payment(boleto_url="https://b/1", barcode="123"),
            )
        )
        activity.visits.append(
            Visit(tenant_id=T, customer_id=cid, page="/produto/1", visited_at=AT)
        )
        activity.conversations.append(
            Conversation(
                id=f"{cid}-c",
                tenant_id=T,
                customer_id=cid,
                url=f"https://chat/{cid}",
                last_staff_message_at=AT + timedelta(hours=5),
            )
        )
    return SummaryService(core.storage, preset=core.preset, activity=activity), visible, hidden


def test_summary_shows_the_last_five_tickets_and_activity() -> None:
    service, visible, _ = world()
    summary = service.customer_summary(T, AGENT, visible)
    assert [t.subject for t in summary.tickets] == ["#6", "#5", "#4", "#3", "#2"]
    assert summary.orders[0].payment is not None and summary.orders[0].item_count == 3
    assert summary.conversation is not None and summary.conversation.url.endswith(visible)
    assert summary.last_contacted_at == AT + timedelta(hours=5)
    assert len(summary.visits) == 1


def test_summary_never_shows_activity_of_an_invisible_customer() -> None:
    service, _, hidden = world()
    with pytest.raises(NotFound):
        service.customer_summary(T, AGENT, hidden)
    assert service.customer_summary(T, ADMIN, hidden).customer.name == "Bia"
    with pytest.raises(NotFound):
        service.customer_summary(T, Actor(tenant_id=T, user_id="x"), "nope")
