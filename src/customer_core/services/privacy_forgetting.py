"""Erasure and anonymization (LGPD Art. 18 IV, VI): what goes, in one unit of work each.

A part of :class:`~customer_core.services.PrivacyService`, composed around
:class:`~customer_core.services.privacy_steps.PrivacySteps`; it checks no id,
permission, hold or host transaction (the service's public methods did), and
leaves the storage's overwrite of the old rows to the service, after the commit.
"""

from __future__ import annotations

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.services.privacy_steps import PrivacySteps, erased_visibility

__all__ = ["ANONYMIZED_NAME", "ERASED", "Forgetting"]

#: The name an anonymized record gets.
ANONYMIZED_NAME = "Anonimizado"

#: The event, and audit action, of an erasure.
ERASED = "customer.erased"


class Forgetting:
    __slots__ = ("_steps",)

    def __init__(self, steps: PrivacySteps) -> None:
        self._steps = steps

    def erase(
        self, tenant_id: str, actor: Actor, customer_id: str, why: str | None
    ) -> dict[str, int]:
        """Delete the person's records in one unit of work; the counts of what went."""
        steps, deps = self._steps, self._steps.deps
        with deps.uow_factory() as uow:
            customer = steps.visible(uow, tenant_id, actor, customer_id)
            keys = customer.identity_keys()
            kept, blocklisted = steps.forget_keys(uow, customer, keys)
            contacts, unseen = steps.forget_contacts(
                uow, deps.scope(uow, tenant_id, actor), customer
            )
            uow.customers.delete(tenant_id, customer_id)
            merges = uow.merges.forget(tenant_id, customer_id)
            hints = uow.hints.forget(tenant_id, customer_id)
            consents = uow.consents.forget(tenant_id, customer_id)
            dismissals = uow.dismissals.forget(tenant_id, customer_id)
            counts: dict[str, int] = {
                "identifiers": len(keys),
                "kept_shared": kept,
                "blocklisted": blocklisted,
                "merges": merges,
                "hints": hints,
                "consents": consents,
                "dismissals": dismissals,
                "company_contacts": contacts,
                "company_contacts_not_visible": unseen,
            }
            details: dict[str, str | int | None] = {
                **counts,
                **({"reason": why} if why else {}),
                # Who saw the record, kept (ids) so its trail stays as visible as it was.
                **erased_visibility(customer),
            }
            # Its audit entry comes from the event (counts and the reason: no personal data).
            uow.record(deps.new_event(ERASED, actor, tenant_id, customer_id, **details))
            deps.commit(uow)
        return counts

    def anonymize(self, tenant_id: str, actor: Actor, customer_id: str) -> Customer:
        """Replace the person's values in one unit of work; the record as saved."""
        steps, deps = self._steps, self._steps.deps
        with deps.uow_factory() as uow:
            current = steps.visible(uow, tenant_id, actor, customer_id)
            keys = current.identity_keys()
            steps.forget_keys(uow, current, keys)
            contacts, unseen = steps.forget_contacts(
                uow, deps.scope(uow, tenant_id, actor), current
            )
            now = deps.clock.now()
            anonymous = attrs.evolve(
                current,
                name=ANONYMIZED_NAME,
                trade_name=None,
                tax_id=None,
                avatar_url=None,
                job_title=None,
                note=None,
                phones=(),
                emails=(),
                social_profiles=(),
                messenger_ids=(),
                external_ids=(),
                websites=(),
                addresses=(),
                contacts=(),
                primary_email_key=None,
                primary_phone_key=None,
                password_hash=None,
                reset_token_hash=None,
                reset_token_expires_at=None,
                anonymized_at=now,
                updated_at=now,
            )
            saved = uow.customers.save(anonymous, expected_version=current.version)
            merges = uow.merges.forget(tenant_id, customer_id)
            # A hint ties the person to someone else by values that are gone.
            hints = uow.hints.forget(tenant_id, customer_id)
            consents = uow.consents.forget(tenant_id, customer_id)
            dismissals = uow.dismissals.forget(tenant_id, customer_id)
            counts = {
                "identifiers": len(keys),
                "merges": merges,
                "hints": hints,
                "consents": consents,
                "dismissals": dismissals,
                "company_contacts": contacts,
                "company_contacts_not_visible": unseen,
            }
            uow.record(
                deps.new_event("customer.anonymized", actor, tenant_id, customer_id, **counts)
            )
            deps.commit(uow)
        return saved
