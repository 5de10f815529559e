"""The storage contract of the privacy records: audit log, consents, and what erasure forgets.

Mixed into :class:`customer_core.testing.contract.StorageContract`; the same
``uow_factory`` fixture serves it. What an adapter must do for
:class:`~customer_core.services.PrivacyService`: keep audit entries and
consents per tenant, write the audit entries of the events a unit of work
commits with them, find and delete the merge records, duplicate hints,
consents and list entries of one customer, and nothing of anyone else's;
and leave blocked customers out of its lists (LGPD Art. 18 IV).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from customer_core.domain.matching.search import parse_search
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.privacy import AuditEntry, Consent, LegalBasis
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.domain.values.online import MessengerId
from customer_core.domain.values.phone import Phone
from customer_core.errors import NotFound
from customer_core.ports import UnitOfWorkFactory

__all__ = ["PrivacyContract"]

_AT = datetime(2026, 5, 4, 3, 2, 1, tzinfo=timezone.utc)


def _id() -> str:
    return uuid.uuid4().hex


def _consent(tenant: str, customer_id: str, purpose: str, minutes: int = 0) -> Consent:
    return Consent(
        tenant_id=tenant,
        id=_id(),
        customer_id=customer_id,
        purpose=purpose,
        legal_basis=LegalBasis.CONSENT,
        granted_at=_AT + timedelta(minutes=minutes),
        source="site form",
        evidence="form 12, checkbox 3",
        actor_id="u1",
    )


def _merge(tenant: str, survivor: str, absorbed: str) -> MergeRecord:
    def record(customer_id: str) -> Customer:
        return Customer.create(id=customer_id, tenant_id=tenant, name="Ana Lima", now=_AT)

    return MergeRecord(
        id=_id(),
        tenant_id=tenant,
        survivor_id=survivor,
        absorbed_id=absorbed,
        survivor_before=record(survivor),
        absorbed_before=record(absorbed),
        merged_version=2,
        actor_id="u1",
        merged_at=_AT,
        # The survivor as merged holds both people's data: it goes with the row.
        survivor_after=Customer.create(
            id=survivor, tenant_id=tenant, name="Ana Lima", note="from both", now=_AT
        ),
    )


class PrivacyContract:
    """Audit entries, consents, and the per-customer reads and deletes of an erasure."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError("provide a uow_factory fixture for your adapter")

    def test_audit_entries_about_a_customer_oldest_first_in_its_tenant(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        tenant, other_tenant = f"t-{_id()[:12]}", f"t-{_id()[:12]}"
        entries = [
            AuditEntry(
                tenant_id=t,
                id=_id(),
                at=_AT + timedelta(seconds=s),
                actor_id="dpo",
                action=action,
                customer_id="c1",
                details={"count": s, "reason": "art18_request", "flag": True, "none": None},
            )
            for t, s, action in (
                (tenant, 2, "privacy.erase"),
                (tenant, 1, "privacy.export"),
                (other_tenant, 0, "privacy.export"),
            )
        ]
        with uow_factory() as uow:
            for entry in entries:
                uow.audit.add(entry)
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.audit.about(tenant, "c1")) == [entries[1], entries[0]]
            assert list(uow.audit.about(tenant, "c2")) == []

    def test_a_committed_event_leaves_an_audit_entry_per_customer_it_names(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        tenant = f"t-{_id()[:12]}"
        merged = DomainEvent(
            name="customer.merged",
            tenant_id=tenant,
            customer_id="c1",
            occurred_at=_AT,
            actor_id="u1",
            data={"absorbed_id": "c2", "merge_id": "m1"},
        )
        moved = DomainEvent(
            name="portfolio.deleted",
            tenant_id=tenant,
            customer_id=None,
            occurred_at=_AT,
            data={"portfolio_id": "p1", "unassigned": 3},
        )
        with uow_factory() as uow:
            uow.record(attrs.evolve(merged, customer_id="c3"))
            uow.rollback()  # its entries go with it
            uow.record(merged)
            uow.record(moved)
            uow.commit()
        with uow_factory() as uow:
            for customer_id in ("c1", "c2"):
                (entry,) = uow.audit.about(tenant, customer_id)
                assert (entry.action, entry.actor_id, entry.at) == ("customer.merged", "u1", _AT)
                assert entry.details == {"absorbed_id": "c2", "merge_id": "m1"}
            assert list(uow.audit.about(tenant, "c3")) == []

    def test_consents_are_kept_revoked_and_forgotten_per_customer(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        tenant = f"t-{_id()[:12]}"
        first = _consent(tenant, "c1", "marketing_email")
        second = _consent(tenant, "c1", "whatsapp_messages", minutes=1)
        again = _consent(tenant, "c1", "whatsapp_messages", minutes=2)
        theirs = _consent(tenant, "c2", "whatsapp_messages")
        with uow_factory() as uow:
            for consent in (again, first, second, theirs):
                uow.consents.add(consent)
            uow.commit()
        revoked = attrs.evolve(
            second,
            revoked_at=_AT + timedelta(minutes=5),
            revocation_source="whatsapp",
            revocation_evidence="message 'PARAR'",
        )
        with uow_factory() as uow:
            uow.consents.save(revoked)
            with pytest.raises(NotFound):
                uow.consents.save(_consent(tenant, "c1", "never_stored"))
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.consents.about(tenant, "c1")) == [first, revoked, again]
            # c1 has another grant in force; c2's is in force; c3 never asked.
            assert uow.consents.revoked(tenant, "whatsapp_messages", ["c1", "c2", "c3"]) == {
                "c1": False,
                "c2": False,
            }
            uow.consents.save(attrs.evolve(again, revoked_at=_AT + timedelta(minutes=6)))
            assert uow.consents.revoked(tenant, "whatsapp_messages", ["c1"]) == {"c1": True}
            assert uow.consents.forget(tenant, "c1") == 3
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.consents.about(tenant, "c1")) == []
            assert list(uow.consents.about(tenant, "c2")) == [theirs]

    def test_merges_and_hints_about_a_customer_are_found_and_forgotten(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        tenant = f"t-{_id()[:12]}"
        as_survivor, as_absorbed, unrelated = (
            _merge(tenant, "c1", "c2"),
            _merge(tenant, "c3", "c1"),
            _merge(tenant, "c4", "c5"),
        )
        hints = [
            DuplicateHint(tenant_id=tenant, customer_id=a, other_id=b, reason="line", noted_at=_AT)
            for a, b in (("c1", "c6"), ("c7", "c1"), ("c6", "c7"))
        ]
        with uow_factory() as uow:
            for record in (as_survivor, as_absorbed, unrelated):
                uow.merges.add(record)
            for hint in hints:
                uow.hints.add(hint)
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.hints.about(tenant, "c1")) == hints[:2]
            assert list(uow.hints.about(tenant, "c7")) == hints[1:]  # as the pair's upper id
            assert list(uow.hints.about(tenant, "c9")) == []
            assert {m.id for m in uow.merges.about(tenant, "c1")} == {
                as_survivor.id,
                as_absorbed.id,
            }
            assert uow.merges.forget(tenant, "c1") == 2
            assert uow.hints.forget(tenant, "c1") == 2
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.merges.about(tenant, "c1")) == []
            assert uow.merges.get(tenant, unrelated.id) == unrelated
            assert list(uow.hints.list_all(tenant)) == [hints[2]]

    def test_list_entries_of_a_customer(self, uow_factory: UnitOfWorkFactory) -> None:
        tenant = f"t-{_id()[:12]}"
        phone = IdentityKey(IdentityKind.PHONE, "5511987654321")
        email = IdentityKey(IdentityKind.EMAIL, "ana@x.com")
        hashed = IdentityKey(IdentityKind.PHONE, "hmac:" + "ab" * 32)
        with uow_factory() as uow:
            uow.lists.add(tenant, "spam", [phone, email], customer_id="c1")
            uow.lists.add(tenant, "vip", [email], customer_id="c1")
            uow.lists.add(tenant, "spam", [hashed], customer_id=None)
            uow.commit()
        with uow_factory() as uow:
            assert uow.lists.entries_of(tenant, "c1") == {"spam": {phone, email}, "vip": {email}}
            assert uow.lists.entries_of(tenant, "c2") == {}
            assert uow.lists.listed(tenant, "spam", [hashed]) == {hashed}

    def test_a_blocked_customer_is_read_by_id_and_left_out_of_lists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A saved ``blocked_at`` keeps the record readable by id and ``blocked_among``
        but out of ``find``, ``search``, the counts and the exact clusters, unless the
        filter has ``include_blocked``; saved again without it, the record is back."""
        tenant = f"t-{_id()[:12]}"
        line = (Phone.parse("+5511987654321"),)
        ana, bia = (
            Customer.create(id=f"c{n}", tenant_id=tenant, name="Ana Lima", now=_AT, phones=line)
            for n in (1, 2)
        )
        scope = VisibilityScope(tenant_id=tenant, everything=True)
        whatsapp = attrs.evolve(
            bia, phones=(), messenger_ids=(MessengerId.parse("whatsapp", "5511987654321"),)
        )
        with uow_factory() as uow:
            stored = uow.customers.add(ana)
            uow.customers.add(whatsapp)
            uow.customers.save(
                attrs.evolve(stored, blocked_at=_AT, blocked_reason="accuracy_contested"),
                expected_version=stored.version,
            )
            uow.commit()
        every = CustomerFilter(include_blocked=True)
        with uow_factory() as uow:
            kept = uow.customers.get(tenant, "c1")
            assert (kept.blocked_at, kept.blocked_reason) == (_AT, "accuracy_contested")
            assert uow.customers.get_visible(scope, "c1") == kept
            assert uow.customers.blocked_among(tenant, ["c1", "c2", "c9"]) == {"c1"}
            assert [c.id for c in uow.customers.find(scope, CustomerFilter())] == ["c2"]
            assert [c.id for c in uow.customers.find(scope, every)] == ["c1", "c2"]
            query = parse_search("ana")
            assert [c.id for c in uow.customers.search(scope, query, CustomerFilter())] == ["c2"]
            assert sum(uow.customers.count_by_relationship(scope, CustomerFilter()).values()) == 1
            assert sum(uow.customers.count_by_relationship(scope, every).values()) == 2
            assert list(uow.customers.exact_clusters(scope)) == []
            uow.customers.save(
                attrs.evolve(kept, blocked_at=None, blocked_reason=None),
                expected_version=kept.version,
            )
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.blocked_among(tenant, ["c1"]) == frozenset()
            assert [c.id for c in uow.customers.find(scope, CustomerFilter())] == ["c1", "c2"]
            assert [sorted(c.ids) for c in uow.customers.exact_clusters(scope)] == [["c1", "c2"]]
