"""Listing identifiers (``identity.block``) on every storage: authorized as marking a
spammer is, refused for a customer the actor cannot see, and audited without the
identifiers."""

from __future__ import annotations

import uuid

import pytest

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.domain.model.privacy import AuditEntry
from customer_core.errors import Code, CustomerCoreError
from customer_core.ports import UnitOfWorkFactory

MINE, OTHERS, NOBODYS = "11 91111-1111", "11 92222-2222", "11 93333-3333"


def _entries_about_nobody(storage: UnitOfWorkFactory, tenant: str) -> list[AuditEntry]:
    """The tenant's audit entries about no customer (read below the port)."""
    if isinstance(storage, MemoryStore):
        found = [e for e in storage.audit.values() if e.tenant_id == tenant]
    else:
        from sqlalchemy import select

        from customer_core.adapters.sqlalchemy.tables import audit_log

        assert isinstance(storage, SqlStorage)
        with storage.engine.connect() as connection:
            rows = connection.execute(
                select(audit_log).where(audit_log.c.tenant_id == tenant)
            ).mappings()
            found = [AuditEntry(**{**row, "details": dict(row["details"] or {})}) for row in rows]
    return [e for e in found if e.customer_id is None]


def _portfolios(storage: UnitOfWorkFactory) -> tuple[CustomerCore, str, Actor, Actor, str, str]:
    """Restricted visibility: the seller sees the customer of P1, not the one of P2."""
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    seller = Actor(tenant_id=tenant, user_id="s1", role="seller")
    p1 = core.portfolios.create(tenant, admin, name="P1", member_ids=["s1"])
    p2 = core.portfolios.create(tenant, admin, name="P2", member_ids=["s2"])
    mine = core.customers.register(
        tenant, admin, name="Mina Meu", phones=[MINE], portfolio_id=p1.id
    )
    other = core.customers.register(
        tenant, admin, name="Otto Outro", phones=[OTHERS], emails=["otto@x.com"], portfolio_id=p2.id
    )
    return core, tenant, admin, seller, mine.id, other.id


def test_blocking_an_identifier_of_a_customer_the_actor_cannot_see_is_not_found(
    storage: UnitOfWorkFactory,
) -> None:
    core, tenant, _, seller, _, other = _portfolios(storage)
    refusals: dict[tuple[str, str | None], str] = {}
    for identifiers in (
        {"phone": OTHERS},
        {"messenger": ("whatsapp", "5511922222222")},  # the same line, as a WhatsApp id
        {"email": "otto@x.com", "phone": NOBODYS},  # one of several
        {"phone": MINE, "email": "otto@x.com"},
    ):
        for list_name in ("spam", "vip"):
            with pytest.raises(CustomerCoreError) as refused:
                core.identity.block(tenant, seller, identifiers, list_name=list_name)
            refusals[refused.value.code, refused.value.field] = str(refused.value)
    # As mark_spammer on that customer, naming nobody.
    assert list(refusals) == [(Code.NOT_FOUND, "identifiers")]
    assert other not in next(iter(refusals.values()))
    with pytest.raises(CustomerCoreError) as marked:
        core.identity.mark_spammer(tenant, seller, other)
    assert marked.value.code is Code.NOT_FOUND

    # Nothing was listed: the other customer's messages are not spam.
    for ids in ({"phone": OTHERS}, {"phone": NOBODYS}, {"phone": MINE}):
        assert not core.identity.resolve_inbound(tenant, "sms", ids).spam
    with storage() as uow:
        assert uow.audit.about(tenant, other)[-1].action != "identifiers.spam_listed"
    assert [e.action for e in _entries_about_nobody(storage, tenant)] == [
        "portfolio.created",
        "portfolio.created",
    ]


def test_blocking_what_the_actor_may_see_is_listed_and_audited(
    storage: UnitOfWorkFactory,
) -> None:
    core, tenant, admin, seller, mine, other = _portfolios(storage)

    core.identity.block(tenant, seller, {"phone": MINE})  # a customer it sees
    core.identity.block(tenant, seller, {"email": "promo@spam.example", "phone": NOBODYS})
    core.identity.block(tenant, admin, {"phone": OTHERS}, list_name="vip")  # admins see all

    assert core.identity.resolve_inbound(tenant, "sms", {"phone": MINE}).spam
    assert core.identity.resolve_inbound(tenant, "sms", {"phone": OTHERS}).vip
    # Listing one identifier does not flag the customer: mark_spammer does that.
    assert not core.customers.get(tenant, admin, mine).is_spammer
    with storage() as uow:
        (listed,) = [e for e in uow.audit.about(tenant, mine) if e.action.startswith("ident")]
        (vip,) = [e for e in uow.audit.about(tenant, other) if e.action.startswith("ident")]
    assert (listed.action, listed.actor_id) == ("identifiers.spam_listed", "s1")
    assert {"kinds": "phone", "keys": 1}.items() <= dict(listed.details).items()
    assert (vip.action, vip.actor_id) == ("identifiers.vip_listed", "adm")
    (unheld,) = [
        e for e in _entries_about_nobody(storage, tenant) if e.action.startswith("identifiers.")
    ]
    assert (unheld.action, unheld.actor_id) == ("identifiers.spam_listed", "s1")
    assert dict(unheld.details) == {"customer_ids": "", "kinds": "email,phone", "keys": 2}
    text = repr([dict(e.details) for e in (listed, vip, unheld)])
    assert not [v for v in ("91111", "93333", "92222", "promo", "spam.example") if v in text]


def test_blocking_an_identifier_of_a_blocked_customer_is_refused(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    dpo = Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])
    ana = core.customers.register(tenant, dpo, name="Ana Lima", phones=[MINE])
    core.privacy.block(tenant, dpo, ana.id, reason="accuracy_contested")
    with pytest.raises(CustomerCoreError) as refused:
        core.identity.block(tenant, dpo, {"phone": MINE})
    assert refused.value.code is Code.BLOCKED  # as mark_spammer refuses it


def test_clearing_a_spammer_keeps_the_lines_another_spammer_holds_blocked(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    landline = "(11) 3333-4444"
    rita = core.customers.register(tenant, admin, name="Rita Souza", phones=[landline])
    pedro = core.customers.register(
        tenant, admin, name="Pedro Souza", phones=[landline], emails=["pedro@x.com"]
    )
    core.identity.mark_spammer(tenant, admin, rita.id)
    for by_update in (False, True):
        core.identity.mark_spammer(tenant, admin, pedro.id)
        if by_update:
            core.customers.update(tenant, admin, pedro.id, is_spammer=False)
        else:
            core.identity.mark_spammer(tenant, admin, pedro.id, on=False)
        # Pedro's own e-mail is off the list; the line Rita, still a spammer, holds is not.
        assert not core.identity.resolve_inbound(tenant, "email", {"email": "pedro@x.com"}).spam
        with storage() as uow:
            line = [k for k in rita.identity_keys() if k.kind.value == "phone"]
            assert uow.lists.listed(tenant, "spam", line) == set(line)
        pedro_writes = core.identity.resolve_inbound(
            tenant, "phone", {"phone": landline}, display_name="Pedro Souza"
        )
        assert (pedro_writes.customer.id, pedro_writes.spam) == (pedro.id, True)
