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
['customer.registered', 'privacy.export', 'customer.erased']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from customer_core import presets
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.privacy import (
    AuditEntry,
    Consent,
    LegalBasis,
    check_purpose,
    check_secret,
)
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    PasswordHasher,
    SecureErasure,
    TaxIdRegistry,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase
from customer_core.services.privacy_blocking import Blocking
from customer_core.services.privacy_consents import ConsentRecords
from customer_core.services.privacy_export import subject_export
from customer_core.services.privacy_forgetting import ANONYMIZED_NAME, ERASED, Forgetting
from customer_core.services.privacy_steps import (
    KeyRequired,
    PrivacySteps,
    RetentionHold,
    check_hold_function,
    customer_not_found,
    saw_erased,
)

__all__ = ["ANONYMIZED_NAME", "Erasure", "PrivacyService", "RetentionHold"]

#: How an erasure or an anonymization commits: why it refuses a host's transaction.
_COMMITS_ALONE = (
    "commits on its own, in one transaction, then has the storage overwrite what the old rows left"
)


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
    #: Duplicate decisions (dismissals) that named the person: the person is
    #: taken off each; one still naming two customers keeps them apart (its
    #: reason replaced), one left with fewer goes.
    dismissals: int
    #: Whether the storage overwrote what the deleted rows left
    #: (:class:`~customer_core.ports.SecureErasure`; True when it has nothing to do).
    storage_purged: bool
    #: The person's entries as a company's contact (same phone or e-mail,
    #: compatible name), removed from those companies' records.
    company_contacts: int = 0
    #: The person's entries as the contact of companies the actor cannot
    #: see: left as they are (visibility is not bypassed). When not 0 the
    #: erasure is incomplete: an actor who sees every customer (an
    #: administrator) must erase again, or edit those companies.
    company_contacts_not_visible: int = 0


class PrivacyService(ServiceBase):
    """LGPD rights over the customers of one storage; ``core.privacy``."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.PresetChoice = presets.DEFAULT,
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
        self._steps = PrivacySteps(
            self._deps, check_secret(privacy_key), check_hold_function(retention_hold)
        )
        self._consents = ConsentRecords(self._steps)
        self._forgetting = Forgetting(self._steps)
        self._blocking = Blocking(self._steps)

    # -- rights ----------------------------------------------------------------

    def export_subject(self, tenant_id: str, actor: Actor, customer_id: str, /) -> dict[str, Any]:
        """Everything held on the person, as JSON-able data (LGPD Art. 18 I, II, V; Art. 19).

        The record (every identifier, address, contact), the spam/VIP list
        entries, consents, the merges about them (their own record only),
        duplicate hints (without the other customer), the audit entries and
        the origin, plus ``other_records``: visible customers sharing one of
        the person's keys under a compatible name, probably the same person,
        and ``company_contacts``: the person as a visible company's contact.
        """
        self._steps.check_permission(actor)
        with self.uow_factory() as uow:
            customer = self._steps.visible(uow, tenant_id, actor, customer_id)
            self._deps.audit(uow, actor, tenant_id, customer_id, "privacy.export")
            export = subject_export(uow, self._scope(uow, tenant_id, actor), customer)
            self._commit(uow)
        export["generated_at"] = self.clock.now().isoformat()
        return export

    def erase(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, reason: str | None = None
    ) -> Erasure:
        """Remove the person from every table the library keeps (LGPD Art. 18 VI).

        The record, its identity keys and claims, its merge records, duplicate
        hints, its place in the duplicate decisions naming it (dismissals: the
        others stay kept apart, the reason, which may name the person, is
        replaced), consents and its entries as the contact of companies
        the actor sees (same phone or e-mail, compatible name) go; those in
        companies the actor cannot see stay, counted in
        :attr:`Erasure.company_contacts_not_visible` (then an actor who sees
        every customer must finish the erasure); a key another customer holds too (a
        household landline) stays with that customer. A blocklisted identifier stays
        blocked as its keyed hash (:func:`~customer_core.domain.model.privacy.blocked_key`),
        so erasing a spammer needs the ``privacy_key`` (``privacy_key_required``
        otherwise). Refused with the host's reason under a retention hold
        (``retention_hold``). Commits on its own, in one transaction, then has the
        storage overwrite what the deleted rows left (:class:`~customer_core.ports.SecureErasure`),
        so it is refused inside a host's transaction (``invalid_operation``,
        field ``transaction``).
        Emits ``customer.erased`` and writes an audit entry, neither with
        personal data; ``reason`` (why, e.g. ``"art18_request"``) is kept in
        both, so it must not hold any.
        """
        self._steps.check_permission(actor)
        # It commits, then overwrites what the deleted rows left: never inside a host's transaction.
        self._deps.refuse_host_transaction("an erasure", _COMMITS_ALONE)
        why = check_purpose(reason, "reason") if reason is not None else None
        with self.uow_factory() as uow:
            self._steps.visible(uow, tenant_id, actor, customer_id)
        self._steps.check_hold(tenant_id, actor, customer_id, "privacy.erase")
        try:
            counts = self._forgetting.erase(tenant_id, actor, customer_id, why)
        except KeyRequired:
            raise self._steps.refuse_without_key(
                tenant_id, actor, customer_id, "privacy.erase"
            ) from None
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
        avatar, password and the merge records, duplicate hints and consents
        about it go, and so do its entries as a company's contact and its
        place in duplicate decisions (as in :meth:`erase`).
        Blocklisted identifiers stay blocked as keyed hashes, as in
        :meth:`erase`. The record is then exempt from required fields. Like
        :meth:`erase`, it commits on its own and then has the storage overwrite
        the old values, so it is refused inside a host's transaction
        (``invalid_operation``, field ``transaction``).
        """
        self._steps.check_permission(actor)
        # Like an erasure, it commits, then overwrites what the old values left.
        self._deps.refuse_host_transaction("an anonymization", _COMMITS_ALONE)
        with self.uow_factory() as uow:
            self._steps.visible(uow, tenant_id, actor, customer_id)
        self._steps.check_hold(tenant_id, actor, customer_id, "privacy.anonymize")
        try:
            saved = self._forgetting.anonymize(tenant_id, actor, customer_id)
        except KeyRequired:
            raise self._steps.refuse_without_key(
                tenant_id, actor, customer_id, "privacy.anonymize"
            ) from None
        if isinstance(self.uow_factory, SecureErasure):
            self.uow_factory.purge_freed_space()
        return saved

    # -- blocking ----------------------------------------------------------------

    def block(self, tenant_id: str, actor: Actor, customer_id: str, /, *, reason: str) -> Customer:
        """Suspend every processing of the customer's data, which is kept (LGPD Art. 18 IV).

        The record stays readable (:meth:`CustomerService.get
        <customer_core.services.CustomerService.get>`, with
        :attr:`~customer_core.Customer.blocked` set, and :meth:`export_subject`)
        but leaves lists, searches, exports and the duplicate report, and every
        processing write is refused with ``blocked``
        (:meth:`~customer_core.Customer.check_processing`): changes, merges,
        moves, conversations, logins, imports; an inbound message that resolves
        to it changes nothing (outcome ``"blocked"``). :meth:`anonymize` and
        :meth:`erase` still work: they end a block. ``reason`` is a
        ``snake_case`` name (e.g. ``"accuracy_contested"``), kept on the
        record and in the audit log, so it must hold no personal data.
        Blocking a blocked customer is ``invalid_operation``.

        >>> import customer_core
        >>> core = customer_core.connect("memory://")
        >>> dpo = customer_core.Actor(tenant_id="loja", user_id="dpo", role="admin",
        ...     permissions=["privacy"])
        >>> ana = core.customers.register("loja", dpo, name="Ana Lima")
        >>> core.privacy.block("loja", dpo, ana.id, reason="accuracy_contested").blocked
        True
        >>> core.directory.list("loja", dpo).items, core.customers.get("loja", dpo, ana.id).blocked
        ([], True)
        >>> core.customers.change_status("loja", dpo, ana.id, "inactive")
        Traceback (most recent call last):
        ...
        customer_core.errors.InvalidOperation: blocked [customer_id]: this customer's data is blocked (LGPD Art. 18 IV)
        >>> core.privacy.unblock("loja", dpo, ana.id).blocked
        False
        """
        self._steps.check_permission(actor)
        why = check_purpose(reason, "reason")
        return self._blocking.set(tenant_id, actor, customer_id, why)

    def unblock(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Customer:
        """End a block: the customer is processed again (``invalid_operation`` if not blocked)."""
        self._steps.check_permission(actor)
        return self._blocking.set(tenant_id, actor, customer_id, None)

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

        Anyone who sees the customer may record one. A grant while another is
        in force for the purpose adds a record too: each keeps its evidence.
        """
        return self._consents.grant(
            tenant_id,
            actor,
            customer_id,
            purpose=purpose,
            source=source,
            evidence=evidence,
            legal_basis=legal_basis,
        )

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
        return self._consents.revoke(
            tenant_id, actor, customer_id, purpose=purpose, source=source, evidence=evidence
        )

    def consents(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Sequence[Consent]:
        """The customer's consents, oldest grant first (revoked ones included)."""
        with self.uow_factory() as uow:
            self._steps.visible(uow, tenant_id, actor, customer_id)
            return list(uow.consents.about(tenant_id, customer_id))

    def audit_trail(
        self, tenant_id: str, actor: Actor, customer_id: str, /
    ) -> Sequence[AuditEntry]:
        """The audit entries about a customer, oldest first, erased ones included.

        Needs the ``privacy`` permission and obeys visibility (``not_found``).
        An erased customer's trail stays readable (it holds no personal data)
        by the actors who would see the record as it was when erased: its
        portfolio and responsible user are kept in the erasure's entry. An
        erasure recorded without them (by an earlier version) is readable only by actors
        who see every customer.
        """
        self._steps.check_permission(actor)
        with self.uow_factory() as uow:
            entries = list(uow.audit.about(tenant_id, customer_id))
            erasures = [e for e in entries if e.action == ERASED]
            if not erasures:
                self._steps.visible(uow, tenant_id, actor, customer_id)
            elif not saw_erased(self._scope(uow, tenant_id, actor), erasures[-1]):
                raise customer_not_found()
            return entries
