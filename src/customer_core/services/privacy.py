"""The data subject's rights (LGPD, Lei 13.709/2018, Art. 18): export, consent, anonymize, erase.

Who may run them is the ``privacy`` permission
(:attr:`~customer_core.Permission.PRIVACY`); every call is written to the
audit log (:class:`~customer_core.ports.AuditLog`), refusals included, and
like every read path each one obeys visibility: a customer the actor cannot
see is ``not_found``. Consents are recorded by anyone who sees the customer
(a seller takes an opt-out on the phone).

>>> import customer_core
>>> core = customer_core.connect("memory://", privacy_key=b"0123456789abcdef")
>>> dpo = customer_core.Actor(tenant_id="loja", user_id="dpo", role="admin",
...     permissions=["privacy"])
>>> ana = core.customers.register("loja", dpo, name="Ana Lima", phones=["11 98765-4321"])
>>> core.privacy.export_subject("loja", dpo, ana.id)["record"]["name"]
'Ana Lima'
>>> receipt = core.privacy.erase("loja", dpo, ana.id)
>>> core.customers.get("loja", dpo, ana.id)
Traceback (most recent call last):
...
customer_core.errors.NotFound: not_found [id]: customer not found
>>> [e.action for e in core.privacy.audit_trail("loja", dpo, ana.id)]
['privacy.export', 'privacy.erase']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from customer_core import presets
from customer_core.domain.model.actor import Actor, Permission
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.domain.model.privacy import (
    AuditEntry,
    Consent,
    LegalBasis,
    blocked_key,
    check_evidence,
    check_purpose,
    check_secret,
)
from customer_core.errors import Code, InvalidOperation, InvalidValue, PermissionDenied
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    PasswordHasher,
    SecureErasure,
    TaxIdRegistry,
    UnitOfWork,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase
from customer_core.services.inbound import SPAM, VIP
from customer_core.services.privacy_export import subject_export

__all__ = ["ANONYMIZED_NAME", "Erasure", "PrivacyService", "RetentionHold"]

#: Says why a customer's data must be kept (a fiscal record of a purchase,
#: a lawsuit), or ``None``: ``hold(tenant_id, customer_id)``.
RetentionHold = Callable[[str, str], "str | None"]

#: The name an anonymized record gets.
ANONYMIZED_NAME = "Anonimizado"


@attrs.frozen
class Erasure:
    """What an erasure removed: counts only (the person is gone)."""

    customer_id: str
    identifiers: int
    kept_shared: int
    blocklisted: int
    merges: int
    hints: int
    consents: int
    storage_purged: bool


def _hold(value: object) -> RetentionHold | None:
    if value is not None and not callable(value):
        raise InvalidValue(
            "retention_hold is a function (tenant_id, customer_id) -> reason or None",
            code=Code.INVALID_VALUE,
            field="retention_hold",
        )
    return value


class PrivacyService(ServiceBase):
    """LGPD rights over the customers of one storage; ``core.privacy``."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.Preset = presets.DEFAULT,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
        privacy_key: bytes | None = None,
        retention_hold: RetentionHold | None = None,
    ) -> None:
        """The dependencies of :class:`~customer_core.services.base.ServiceBase`, and:

        ``privacy_key``: the HMAC key (bytes, kept outside the database) an
        erased spammer's identifiers stay blocklisted by; ``retention_hold``:
        the host's legal holds, asked before anonymizing or erasing.
        """
        super().__init__(
            uow_factory,
            preset=preset,
            clock=clock,
            ids=ids,
            hasher=hasher,
            tax_registry=tax_registry,
            publisher=publisher,
        )
        self._key = check_secret(privacy_key)
        self._hold = _hold(retention_hold)

    # -- rights ----------------------------------------------------------------

    def export_subject(self, tenant_id: str, actor: Actor, customer_id: str, /) -> dict[str, Any]:
        """Everything held on the person, as JSON-able data (LGPD Art. 18 I, II, V; Art. 19).

        The record (every identifier, address, contact), the spam/VIP list
        entries, consents, the merges about them (their own record only),
        duplicate hints (without the other customer), the audit entries and
        the origin, plus ``other_records``: visible customers sharing one of
        the person's keys under a compatible name, probably the same person.
        """
        self._check_permission(actor)
        with self.uow_factory() as uow:
            customer = self._visible(uow, tenant_id, actor, customer_id)
            self._audit(uow, actor, tenant_id, customer_id, "privacy.export")
            export = subject_export(uow, self._scope(uow, tenant_id, actor), customer)
            self._commit(uow)
        export["generated_at"] = self.clock.now().isoformat()
        return export

    def erase(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, reason: str | None = None
    ) -> Erasure:
        """Remove the person from every table the library keeps (LGPD Art. 18 VI).

        The record, its identity keys and claims, its merge records, duplicate
        hints and consents go; a key another customer holds too (a household
        landline) stays with that customer. A blocklisted identifier stays
        blocked as its keyed hash (:func:`~customer_core.domain.model.privacy.blocked_key`),
        so erasing a spammer needs the ``privacy_key`` (``privacy_key_required``
        otherwise). Refused with the host's reason under a retention hold
        (``retention_hold``). Commits on its own, then has the storage
        overwrite what the deleted rows left (:class:`~customer_core.ports.SecureErasure`).
        Emits ``customer.erased`` and writes an audit entry, neither with
        personal data; ``reason`` (why, e.g. ``"art18_request"``) is kept in
        both, so it must not hold any.
        """
        self._check_permission(actor)
        why = check_purpose(reason) if reason is not None else None
        with self.uow_factory() as uow:
            customer = self._visible(uow, tenant_id, actor, customer_id)
        self._check_hold(tenant_id, actor, customer_id, "privacy.erase")
        with self.uow_factory() as uow:
            customer = self._visible(uow, tenant_id, actor, customer_id)
            keys = customer.identity_keys()
            kept, blocklisted = self._forget_keys(uow, customer, keys, "privacy.erase", actor)
            uow.customers.delete(tenant_id, customer_id)
            merges = uow.merges.forget(tenant_id, customer_id)
            hints = uow.hints.forget(tenant_id, customer_id)
            consents = uow.consents.forget(tenant_id, customer_id)
            counts: dict[str, int] = {
                "identifiers": len(keys),
                "kept_shared": kept,
                "blocklisted": blocklisted,
                "merges": merges,
                "hints": hints,
                "consents": consents,
            }
            details: dict[str, str | int] = {**counts, **({"reason": why} if why else {})}
            uow.record(self._new_event("customer.erased", actor, tenant_id, customer_id, **details))
            self._audit(uow, actor, tenant_id, customer_id, "privacy.erase", **details)
            self._commit(uow)
        purged = True
        if isinstance(self.uow_factory, SecureErasure):
            purged = self.uow_factory.purge_freed_space()
        return Erasure(customer_id, storage_purged=purged, **counts)

    def anonymize(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Customer:
        """Replace every personal value irreversibly; keep the relationship and its dates.

        The record keeps its id, kind, status, source (so its relationship
        type and the counts by type are unchanged), portfolio, responsible
        seller, organization, commercial terms and dates; its name becomes
        :data:`ANONYMIZED_NAME`, and every identifier, address, contact, note,
        avatar, password and the merge records and consents about it go.
        Blocklisted identifiers stay blocked as keyed hashes, as in
        :meth:`erase`. The record is then exempt from required fields.
        """
        self._check_permission(actor)
        with self.uow_factory() as uow:
            self._visible(uow, tenant_id, actor, customer_id)
        self._check_hold(tenant_id, actor, customer_id, "privacy.anonymize")
        with self.uow_factory() as uow:
            current = self._visible(uow, tenant_id, actor, customer_id)
            keys = current.identity_keys()
            self._forget_keys(uow, current, keys, "privacy.anonymize", actor)
            now = self.clock.now()
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
            consents = uow.consents.forget(tenant_id, customer_id)
            counts = {"identifiers": len(keys), "merges": merges, "consents": consents}
            uow.record(
                self._new_event("customer.anonymized", actor, tenant_id, customer_id, **counts)
            )
            self._audit(uow, actor, tenant_id, customer_id, "privacy.anonymize", **counts)
            self._commit(uow)
        if isinstance(self.uow_factory, SecureErasure):
            self.uow_factory.purge_freed_space()
        return saved

    # -- consent -----------------------------------------------------------------

    def grant_consent(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        /,
        *,
        purpose: str,
        source: str,
        evidence: str,
        legal_basis: LegalBasis | str = LegalBasis.CONSENT,
    ) -> Consent:
        """Record a grant for ``purpose``: where it was given (``source``) and the proof.

        A grant while another is in force for the purpose adds a record too:
        each grant keeps its own evidence.
        """
        name = check_purpose(purpose)
        given = check_evidence(source, "source")[:200]
        proof = check_evidence(evidence, "evidence")
        basis = _legal_basis(legal_basis)
        with self.uow_factory() as uow:
            self._visible(uow, tenant_id, actor, customer_id)
            consent = Consent(
                tenant_id=tenant_id,
                id=self.ids.new_id(),
                customer_id=customer_id,
                purpose=name,
                legal_basis=basis,
                granted_at=self.clock.now(),
                source=given,
                evidence=proof,
                actor_id=actor.user_id,
            )
            uow.consents.add(consent)
            self._audit(
                uow,
                actor,
                tenant_id,
                customer_id,
                "consent.grant",
                purpose=name,
                consent=consent.id,
            )
            self._commit(uow)
        return consent

    def revoke_consent(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        /,
        *,
        purpose: str,
        source: str,
        evidence: str,
    ) -> Sequence[Consent]:
        """Record a revocation for ``purpose``, with where it came from and its proof.

        Every grant in force for the purpose is revoked; with none, a
        revocation record is kept anyway (legal basis ``consent``, granted and
        revoked at once), so an opt-out given before any opt-in is honoured.
        """
        name = check_purpose(purpose)
        given = check_evidence(source, "source")[:200]
        proof = check_evidence(evidence, "evidence")
        now = self.clock.now()
        with self.uow_factory() as uow:
            self._visible(uow, tenant_id, actor, customer_id)
            current = [c for c in uow.consents.about(tenant_id, customer_id) if c.purpose == name]
            revoke = attrs.evolve
            changed = [
                revoke(c, revoked_at=now, revocation_source=given, revocation_evidence=proof)
                for c in current
                if c.in_force
            ]
            for consent in changed:
                uow.consents.save(consent)
            if not changed:
                opt_out = Consent(
                    tenant_id=tenant_id,
                    id=self.ids.new_id(),
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
            self._audit(
                uow,
                actor,
                tenant_id,
                customer_id,
                "consent.revoke",
                purpose=name,
                count=len(changed),
            )
            self._commit(uow)
        return changed

    def consents(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Sequence[Consent]:
        """The customer's consents, oldest grant first (revoked ones included)."""
        with self.uow_factory() as uow:
            self._visible(uow, tenant_id, actor, customer_id)
            return list(uow.consents.about(tenant_id, customer_id))

    def audit_trail(
        self, tenant_id: str, actor: Actor, customer_id: str, /
    ) -> Sequence[AuditEntry]:
        """The audit entries about a customer, oldest first, erased ones included.

        Needs the ``privacy`` permission; an erased customer's trail stays
        readable (it holds no personal data), so it is not checked for
        visibility once the record is gone.
        """
        self._check_permission(actor)
        with self.uow_factory() as uow:
            entries = list(uow.audit.about(tenant_id, customer_id))
            if not any(e.action == "privacy.erase" for e in entries):
                self._visible(uow, tenant_id, actor, customer_id)
            return entries

    # -- steps ---------------------------------------------------------------------

    def _check_permission(self, actor: Actor) -> None:
        if isinstance(actor, Actor) and not actor.has(Permission.PRIVACY):
            raise PermissionDenied(
                "the privacy permission is needed", code=Code.PERMISSION_DENIED, field="actor"
            )

    def _visible(self, uow: UnitOfWork, tenant_id: str, actor: Actor, customer_id: str) -> Customer:
        return uow.customers.get_visible(self._scope(uow, tenant_id, actor), customer_id)

    def _audit(
        self,
        uow: UnitOfWork,
        actor: Actor,
        tenant_id: str,
        customer_id: str | None,
        action: str,
        **details: str | int | bool | None,
    ) -> None:
        uow.audit.add(
            AuditEntry(
                tenant_id=tenant_id,
                id=self.ids.new_id(),
                at=self.clock.now(),
                actor_id=actor.user_id,
                action=action,
                customer_id=customer_id,
                details=details,
            )
        )

    def _refuse(
        self, tenant_id: str, actor: Actor, customer_id: str, action: str, code: Code, message: str
    ) -> InvalidOperation:
        """The refusal, audited in a unit of work of its own (the refused one wrote nothing)."""
        with self.uow_factory() as uow:
            self._audit(uow, actor, tenant_id, customer_id, f"{action}_refused", code=code.value)
            self._commit(uow)
        return InvalidOperation(message, code=code, field="customer_id")

    def _check_hold(self, tenant_id: str, actor: Actor, customer_id: str, action: str) -> None:
        reason = self._hold(tenant_id, customer_id) if self._hold is not None else None
        if reason:
            raise self._refuse(
                tenant_id,
                actor,
                customer_id,
                action,
                Code.RETENTION_HOLD,
                f"kept under a legal retention hold: {reason}",
            )

    def _forget_keys(
        self,
        uow: UnitOfWork,
        customer: Customer,
        keys: Iterable[IdentityKey],
        action: str,
        actor: Actor,
    ) -> tuple[int, int]:
        """Take the customer's list entries off its keys; blocklisted ones stay as keyed hashes.

        Returns (keys another customer still holds, keys blocklisted by hash).
        A key someone else holds keeps its plain entries, re-pointed to nobody:
        its value is still in the database, as that other customer's.
        """
        tenant_id = customer.tenant_id
        keys = tuple(keys)
        holders = uow.customers.holders(tenant_id, keys)
        shared = {k for k in keys if set(holders.get(k, ())) - {customer.id}}
        listed = uow.lists.listed_in(tenant_id, (SPAM, VIP), keys)
        for name, entries in uow.lists.entries_of(tenant_id, customer.id).items():
            listed.setdefault(name, set()).update(entries)
        spam = listed.get(SPAM, set()) - shared
        if spam and self._key is None:
            raise self._refuse(
                tenant_id,
                actor,
                customer.id,
                action,
                Code.PRIVACY_KEY_REQUIRED,
                "this customer is blocklisted: erasing it needs the privacy key "
                "(connect(..., privacy_key=...)) to keep its identifiers blocked",
            )
        for name, entries in listed.items():
            own = entries - shared
            uow.lists.remove(tenant_id, name, own)
            uow.lists.add(tenant_id, name, entries & shared, customer_id=None)
        blocked = {blocked_key(k, self._key) for k in spam} if self._key else set()
        uow.lists.add(tenant_id, SPAM, blocked, customer_id=None)
        return len(shared), len(blocked)


def _legal_basis(value: object) -> LegalBasis:
    try:
        return value if isinstance(value, LegalBasis) else LegalBasis(value)
    except ValueError as exc:
        raise InvalidValue(
            f"unknown legal basis {value!r}", code=Code.INVALID_VALUE, field="legal_basis"
        ) from exc
