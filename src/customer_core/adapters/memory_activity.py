"""The host's activity in lists, for tests and notebooks (:class:`~customer_core.ports.ActivityHistory`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from customer_core.domain.model.activity import Conversation, Order, Ticket, Visit

__all__ = ["MemoryActivity"]


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
