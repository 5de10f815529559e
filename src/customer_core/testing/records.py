"""Records the contract suites store: one way to make a customer for a test tenant."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from customer_core.domain.model.customer import Customer

__all__ = ["NOW", "new_customer"]

#: The clock of the contract suites: fixed, so records compare equal after a round trip.
NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=timezone.utc)


def new_customer(tenant: str, name: str = "Ana Lima", **fields: Any) -> Customer:
    """A new customer of ``tenant`` with a random id, created at :data:`NOW`."""
    return Customer.create(id=uuid.uuid4().hex, tenant_id=tenant, name=name, now=NOW, **fields)
