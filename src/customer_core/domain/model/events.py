"""Domain events: what happened to a customer, written to the outbox with the change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

__all__ = ["DomainEvent"]


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Something that happened to a customer, written to the outbox with the change.

    ``name`` is stable (``customer.registered``, ``customer.updated``,
    ``customer.deleted``, ...); ``data`` holds ids and field names, never
    personal data: the unit of work derives the audit trail from it
    (:func:`customer_core.domain.model.audit.audit_entries`).
    """

    name: str
    tenant_id: str
    customer_id: str | None
    occurred_at: datetime
    actor_id: str | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict)
