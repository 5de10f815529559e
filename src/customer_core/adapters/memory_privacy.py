"""The in-memory audit log and consents (:class:`~customer_core.ports.AuditLog`,
:class:`~customer_core.ports.ConsentRepository`), staged like every memory table."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from customer_core.adapters.memory_staging import Staging, TenantKey
from customer_core.adapters.shared import not_found
from customer_core.domain.model.privacy import AuditEntry, Consent

__all__ = ["MemoryAuditLog", "MemoryConsents"]


class MemoryAuditLog:
    def __init__(self, staging: Staging, entries: dict[TenantKey, AuditEntry]) -> None:
        self._entries = staging.overlay(entries)

    def add(self, entry: AuditEntry, /) -> None:
        self._entries.put((entry.tenant_id, entry.id), entry)

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[AuditEntry]:
        found = [
            e for e in self._entries.in_tenant(tenant_id).values() if e.customer_id == customer_id
        ]
        return sorted(found, key=lambda e: (e.at, e.id))


class MemoryConsents:
    def __init__(self, staging: Staging, consents: dict[TenantKey, Consent]) -> None:
        self._consents = staging.overlay(consents)

    def add(self, consent: Consent, /) -> None:
        self._consents.put((consent.tenant_id, consent.id), consent)

    def save(self, consent: Consent, /) -> None:
        if (consent.tenant_id, consent.id) not in self._consents:
            raise not_found("consent")
        self._consents.put((consent.tenant_id, consent.id), consent)

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Consent]:
        found = [
            c for c in self._consents.in_tenant(tenant_id).values() if c.customer_id == customer_id
        ]
        return sorted(found, key=lambda c: (c.granted_at, c.id))

    def revoked(
        self, tenant_id: str, purpose: str, customer_ids: Collection[str], /
    ) -> dict[str, bool]:
        wanted = set(customer_ids)
        result: dict[str, bool] = {}
        for consent in self._consents.in_tenant(tenant_id).values():
            if consent.purpose == purpose and consent.customer_id in wanted:
                in_force = consent.revoked_at is None
                result[consent.customer_id] = not in_force and result.get(consent.customer_id, True)
        return result

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        mine = [
            k
            for k, c in self._consents.in_tenant(tenant_id).items()
            if c.customer_id == customer_id
        ]
        for key in mine:
            self._consents.remove(key)
        return len(mine)
