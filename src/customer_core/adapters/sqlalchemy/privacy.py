"""The audit log and consents in SQL (:class:`~customer_core.ports.AuditLog`,
:class:`~customer_core.ports.ConsentRepository`), every statement scoped by ``tenant_id``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update

from customer_core.adapters.shared import not_found
from customer_core.adapters.sqlalchemy.errors import GuardedRepository
from customer_core.adapters.sqlalchemy.mapping import audit_row
from customer_core.adapters.sqlalchemy.queries import chunks
from customer_core.adapters.sqlalchemy.tables import audit_log, consents
from customer_core.domain.model.privacy import AuditEntry, Consent, LegalBasis

__all__ = ["SqlAuditLog", "SqlConsents"]

_a = audit_log.c
_c = consents.c


class SqlAuditLog(GuardedRepository):
    def add(self, entry: AuditEntry, /) -> None:
        with self._writing({}) as writes:
            writes.execute(insert(audit_log), audit_row(entry))

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[AuditEntry]:
        rows = self._connection.execute(
            select(audit_log)
            .where(_a.tenant_id == tenant_id, _a.customer_id == customer_id)
            .order_by(_a.at, _a.id)
        ).mappings()
        return [
            AuditEntry(
                tenant_id=row["tenant_id"],
                id=row["id"],
                at=row["at"],
                actor_id=row["actor_id"],
                action=row["action"],
                customer_id=row["customer_id"],
                details=dict(row["details"] or {}),
            )
            for row in rows
        ]


def _consent_row(consent: Consent) -> dict[str, Any]:
    return {
        "tenant_id": consent.tenant_id,
        "id": consent.id,
        "customer_id": consent.customer_id,
        "purpose": consent.purpose,
        "legal_basis": consent.legal_basis.value,
        "granted_at": consent.granted_at,
        "source": consent.source,
        "evidence": consent.evidence,
        "actor_id": consent.actor_id,
        "revoked_at": consent.revoked_at,
        "revocation_source": consent.revocation_source,
        "revocation_evidence": consent.revocation_evidence,
    }


def _consent(row: Mapping[Any, Any]) -> Consent:
    return Consent(
        tenant_id=row["tenant_id"],
        id=row["id"],
        customer_id=row["customer_id"],
        purpose=row["purpose"],
        legal_basis=LegalBasis(row["legal_basis"]),
        granted_at=row["granted_at"],
        source=row["source"],
        evidence=row["evidence"],
        actor_id=row["actor_id"],
        revoked_at=row["revoked_at"],
        revocation_source=row["revocation_source"],
        revocation_evidence=row["revocation_evidence"],
    )


class SqlConsents(GuardedRepository):
    def add(self, consent: Consent, /) -> None:
        with self._writing({}) as writes:
            writes.execute(insert(consents), _consent_row(consent))

    def save(self, consent: Consent, /) -> None:
        row = _consent_row(consent)
        with self._writing({}) as writes:
            updated = writes.execute(
                update(consents)
                .where(_c.tenant_id == consent.tenant_id, _c.id == consent.id)
                .values({k: v for k, v in row.items() if k not in ("tenant_id", "id")})
            )
            if updated.rowcount == 0:
                raise not_found("consent")

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Consent]:
        rows = self._connection.execute(
            select(consents)
            .where(_c.tenant_id == tenant_id, _c.customer_id == customer_id)
            .order_by(_c.granted_at, _c.id)
        ).mappings()
        return [_consent(row) for row in rows]

    def revoked(
        self, tenant_id: str, purpose: str, customer_ids: Collection[str], /
    ) -> dict[str, bool]:
        result: dict[str, bool] = {}
        for chunk in chunks(sorted(set(customer_ids))):
            rows = self._connection.execute(
                select(_c.customer_id, _c.revoked_at).where(
                    _c.tenant_id == tenant_id, _c.purpose == purpose, _c.customer_id.in_(chunk)
                )
            )
            for customer_id, revoked_at in rows:
                result[customer_id] = revoked_at is not None and result.get(customer_id, True)
        return result

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        with self._writing({}) as writes:
            deleted = writes.execute(
                delete(consents).where(_c.tenant_id == tenant_id, _c.customer_id == customer_id)
            )
        return int(deleted.rowcount)
