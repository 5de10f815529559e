"""A fresh tenant per test, so tests sharing one database never see each other's rows."""

from __future__ import annotations

import uuid

from customer_core import Actor


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def tenant_and_admin() -> tuple[str, Actor]:
    tenant = new_tenant()
    return tenant, Actor(tenant_id=tenant, user_id="admin", role="admin")
