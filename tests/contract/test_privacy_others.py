"""What an erasure or an anonymization leaves of other people, on every storage.

The person goes; the decisions about others, and the others' data, stay.
And what the person was tied to is not handed to actors who could not see
them: their audit trail, the companies that list them as a contact.
"""

from __future__ import annotations

import uuid

import attrs
import pytest
from tenants import new_tenant

from customer_core import Actor, CustomerCore, presets
from customer_core.domain.model.dismissals import REASON_REMOVED
from customer_core.errors import Code, NotFound
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.fakes import RecordingPublisher

KEY = b"a key the host keeps outside the db"


def _dpo(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])


def _suggested_pairs(core: CustomerCore, tenant: str) -> set[frozenset[str]]:
    report = core.identity.duplicate_report(tenant, _dpo(tenant))
    pairs = {frozenset(s.ids) for s in report.suggestions}
    pairs |= {frozenset(c.ids) for c in report.clusters}
    return pairs


@pytest.mark.parametrize("right", ["erase", "anonymize"])
def test_a_dismissal_keeps_the_others_apart_once_one_of_them_is_gone(
    storage: UnitOfWorkFactory, right: str
) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, privacy_key=KEY)
    dpo = _dpo(tenant)
    a = core.customers.register(tenant, dpo, name="Paulo Ribeiro", phones=["11 97000-0001"])
    b = core.customers.register(
        tenant, dpo, name="Paulo Ribeiro", phones=["11 97000-0002"], emails=["p2@x.com"]
    )
    c = core.customers.register(tenant, dpo, name="Paulo Ribeiro", emails=["p2@x.com"])
    assert frozenset((b.id, c.id)) in _suggested_pairs(core, tenant)
    decision = core.identity.dismiss(tenant, dpo, [a.id, b.id, c.id], "Paulo pai e Paulo filho")

    getattr(core.privacy, right)(tenant, dpo, a.id)

    assert _suggested_pairs(core, tenant) == set()
    [left] = core.identity.dismissals(tenant, dpo)
    assert (left.id, left.customer_ids) == (decision.id, tuple(sorted((b.id, c.id))))
    assert left.reason == REASON_REMOVED  # the reviewer's words may name the person


def test_an_anonymized_customer_leaves_the_duplicate_hints_it_was_in(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD, privacy_key=KEY)
    dpo = _dpo(tenant)
    bia = core.customers.register(tenant, dpo, name="Bia Reis", emails=["bia@x.com"])
    caio = core.customers.register(tenant, dpo, name="Caio Prado", phones=["(21) 99123-4567"])
    # One message names both: the inbound conflict is noted as a hint tying them.
    core.identity.resolve_inbound(
        tenant, "email", {"email": "bia@x.com", "phone": "(21) 99123-4567"}
    )
    assert frozenset((bia.id, caio.id)) in _suggested_pairs(core, tenant)

    core.privacy.anonymize(tenant, dpo, bia.id)

    assert _suggested_pairs(core, tenant) == set()
    with storage() as uow:
        assert list(uow.hints.about(tenant, bia.id)) == []
        assert list(uow.hints.about(tenant, caio.id)) == []


def test_an_erased_customers_trail_is_as_visible_as_the_customer_was(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO, privacy_key=KEY)
    admin = _dpo(tenant)
    seller = Actor(tenant_id=tenant, user_id="s1", role="seller", permissions=["privacy"])
    mine = core.portfolios.create(tenant, admin, name="P1", member_ids=["s1"])
    theirs = core.portfolios.create(tenant, admin, name="P2", member_ids=["s2"])
    otto = core.customers.register(tenant, admin, name="Otto Outro", portfolio_id=theirs.id)
    mina = core.customers.register(tenant, admin, name="Mina Meu", portfolio_id=mine.id)
    rui = core.customers.register(tenant, admin, name="Rui Dono", responsible_id="s1")
    with pytest.raises(NotFound):
        core.privacy.audit_trail(tenant, seller, otto.id)

    for customer in (otto, mina, rui):
        core.privacy.erase(tenant, admin, customer.id, reason="art18_request")

    with pytest.raises(NotFound) as hidden:  # as before the erasure
        core.privacy.audit_trail(tenant, seller, otto.id)
    assert (hidden.value.code, hidden.value.field) == (Code.NOT_FOUND, "id")
    assert [e.action for e in core.privacy.audit_trail(tenant, admin, otto.id)][-1] == (
        "customer.erased"
    )
    # What the seller saw, by portfolio or as the responsible, stays readable.
    for seen in (mina, rui):
        assert [e.action for e in core.privacy.audit_trail(tenant, seller, seen.id)][-1] == (
            "customer.erased"
        )
    with pytest.raises(NotFound):  # an id never used
        core.privacy.audit_trail(tenant, seller, uuid.uuid4().hex)


def test_an_erasure_recorded_without_who_saw_the_customer_is_read_by_those_who_see_all(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO, privacy_key=KEY)
    admin = _dpo(tenant)
    seller = Actor(tenant_id=tenant, user_id="s1", role="seller", permissions=["privacy"])
    mine = core.portfolios.create(tenant, admin, name="P1", member_ids=["s1"])
    mina = core.customers.register(tenant, admin, name="Mina Meu", portfolio_id=mine.id)
    core.privacy.erase(tenant, admin, mina.id)
    with storage() as uow:  # an erasure as an earlier version recorded it
        [erased] = [e for e in uow.audit.about(tenant, mina.id) if e.action == "customer.erased"]
    ghost = uuid.uuid4().hex
    old = attrs.evolve(
        erased,
        id=uuid.uuid4().hex,
        customer_id=ghost,
        details={
            k: v for k, v in erased.details.items() if k not in ("portfolio_id", "responsible_id")
        },
    )
    with storage() as uow:
        uow.audit.add(old)
        uow.commit()

    with pytest.raises(NotFound):
        core.privacy.audit_trail(tenant, seller, ghost)
    assert [e.id for e in core.privacy.audit_trail(tenant, admin, ghost)] == [old.id]


@pytest.mark.parametrize("right", ["erase", "anonymize"])
def test_contact_entries_in_companies_the_actor_cannot_see_are_counted_not_removed(
    storage: UnitOfWorkFactory, right: str
) -> None:
    tenant = new_tenant()
    publisher = RecordingPublisher()
    core = CustomerCore.over(
        storage, preset=presets.HELPDESK_PORTFOLIO, privacy_key=KEY, publisher=publisher
    )
    admin = _dpo(tenant)
    seller = Actor(tenant_id=tenant, user_id="s1", role="seller", permissions=["privacy"])
    mine = core.portfolios.create(tenant, admin, name="P1", member_ids=["s1"])
    theirs = core.portfolios.create(tenant, admin, name="P2", member_ids=["s2"])
    marta = core.customers.register(
        tenant, admin, name="Marta Lins", phones=["11 3444-5555"], portfolio_id=mine.id
    )
    contact = {"name": "Marta Lins", "phones": ["11 3444-5555"]}
    hidden = core.customers.register(
        tenant,
        admin,
        name="Lins Comercio Ltda",
        kind="company",
        portfolio_id=theirs.id,
        contacts=[contact],
    )
    seen = core.customers.register(
        tenant,
        admin,
        name="Lins Filial Ltda",
        kind="company",
        portfolio_id=mine.id,
        contacts=[contact],
    )

    result = getattr(core.privacy, right)(tenant, seller, marta.id)

    # Visibility is not bypassed: the company the seller cannot see keeps her...
    assert len(core.customers.get(tenant, admin, hidden.id).contacts) == 1
    assert core.customers.get(tenant, admin, seen.id).contacts == ()
    # ...and the result says so: an administrator must finish the job.
    done = ("customer.erased", "customer.anonymized")
    [event] = [e for e in publisher.published if e.name in done]
    assert (event.data["company_contacts"], event.data["company_contacts_not_visible"]) == (1, 1)
    if right == "erase":
        assert (result.company_contacts, result.company_contacts_not_visible) == (1, 1)
    by_admin = core.customers.register(
        tenant, admin, name="Marta Lins", phones=["11 3444-5555"], portfolio_id=mine.id
    )
    erased = core.privacy.erase(tenant, admin, by_admin.id)
    assert (erased.company_contacts, erased.company_contacts_not_visible) == (1, 0)
