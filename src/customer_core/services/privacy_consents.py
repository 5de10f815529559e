"""Consent records: a grant per purpose with its evidence, revocations recorded with proof.

A part of :class:`~customer_core.services.PrivacyService`, composed around
:class:`~customer_core.services.privacy_steps.PrivacySteps`; it checks no id
(the service's public methods did).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.privacy import (
    Consent,
    LegalBasis,
    check_evidence,
    check_purpose,
)
from customer_core.errors import Code, InvalidValue
from customer_core.services.privacy_steps import PrivacySteps

__all__ = ["ConsentRecords"]

_MAX_SOURCE = 200


def _legal_basis(value: object) -> LegalBasis:
    try:
        return value if isinstance(value, LegalBasis) else LegalBasis(value)
    except ValueError as exc:
        raise InvalidValue(
            f"unknown legal basis {value!r}", code=Code.INVALID_VALUE, field="legal_basis"
        ) from exc


class ConsentRecords:
    __slots__ = ("_steps",)

    def __init__(self, steps: PrivacySteps) -> None:
        self._steps = steps

    def grant(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        *,
        purpose: object,
        source: object,
        evidence: object,
        legal_basis: object,
    ) -> Consent:
        steps, deps = self._steps, self._steps.deps
        name = check_purpose(purpose)
        given = check_evidence(source, "source", limit=_MAX_SOURCE)
        proof = check_evidence(evidence, "evidence")
        basis = _legal_basis(legal_basis)
        with deps.uow_factory() as uow:
            steps.visible(uow, tenant_id, actor, customer_id)
            consent = Consent(
                tenant_id=tenant_id,
                id=deps.ids.new_id(),
                customer_id=customer_id,
                purpose=name,
                legal_basis=basis,
                granted_at=deps.clock.now(),
                source=given,
                evidence=proof,
                actor_id=actor.user_id,
            )
            uow.consents.add(consent)
            uow.record(
                deps.new_event(
                    "consent.granted",
                    actor,
                    tenant_id,
                    customer_id,
                    purpose=name,
                    consent_id=consent.id,
                )
            )
            deps.commit(uow)
        return consent

    def revoke(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        *,
        purpose: object,
        source: object,
        evidence: object,
    ) -> Sequence[Consent]:
        steps, deps = self._steps, self._steps.deps
        name = check_purpose(purpose)
        given = check_evidence(source, "source", limit=_MAX_SOURCE)
        proof = check_evidence(evidence, "evidence")
        now = deps.clock.now()
        with deps.uow_factory() as uow:
            steps.visible(uow, tenant_id, actor, customer_id)
            current = [c for c in uow.consents.about(tenant_id, customer_id) if c.purpose == name]
            changed = [
                attrs.evolve(c, revoked_at=now, revocation_source=given, revocation_evidence=proof)
                for c in current
                if c.in_force
            ]
            for consent in changed:
                uow.consents.save(consent)
            if not changed:  # an opt-out before any opt-in is a record too
                opt_out = Consent(
                    tenant_id=tenant_id,
                    id=deps.ids.new_id(),
                    customer_id=customer_id,
                    purpose=name,
                    legal_basis=LegalBasis.CONSENT,
                    granted_at=now,
                    source=given,
                    evidence=proof,
                    actor_id=actor.user_id,
                    revoked_at=now,
                    revocation_source=given,
                    revocation_evidence=proof,
                )
                uow.consents.add(opt_out)
                changed = [opt_out]
            uow.record(
                deps.new_event(
                    "consent.revoked",
                    actor,
                    tenant_id,
                    customer_id,
                    purpose=name,
                    count=len(changed),
                )
            )
            deps.commit(uow)
        return changed
