"""A customer's ``organization_id`` names a company the actor sees, on every backend."""

from __future__ import annotations

import pytest
from tenants import tenant_and_admin

from customer_core import Actor, CustomerCore, NotFound, presets
from customer_core.errors import Code, InvalidOperation
from customer_core.ports import UnitOfWorkFactory


def test_register_and_update_check_the_organization(storage: UnitOfWorkFactory) -> None:
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO)
    tenant, admin = tenant_and_admin()
    mine = core.portfolios.create(tenant, admin, name="mine", member_ids=["agent"])
    theirs = core.portfolios.create(tenant, admin, name="theirs", member_ids=["other"])
    company = core.customers.register(
        tenant, admin, name="Acme Ltda", kind="company", portfolio_id=mine.id
    )
    hidden = core.customers.register(
        tenant, admin, name="Outra Ltda", kind="company", portfolio_id=theirs.id
    )
    person = core.customers.register(tenant, admin, name="Rui", portfolio_id=mine.id)
    agent = Actor(tenant_id=tenant, user_id="agent", permissions=["assign_portfolio"])

    for actor, organization in ((admin, "nope"), (agent, "nope"), (agent, hidden.id)):
        with pytest.raises(NotFound) as missing:
            core.customers.register(
                tenant, actor, name="Ana", portfolio_id=mine.id, organization_id=organization
            )
        assert (missing.value.code, missing.value.field) == (Code.NOT_FOUND, "organization_id")
        with pytest.raises(NotFound) as missing:
            core.customers.update(tenant, actor, person.id, organization_id=organization)
        assert missing.value.field == "organization_id"
    for organization in (person.id,):
        with pytest.raises(InvalidOperation) as refused:
            core.customers.register(tenant, admin, name="Ana", organization_id=organization)
        assert (refused.value.code, refused.value.field) == (Code.NOT_A_COMPANY, "organization_id")
    with pytest.raises(InvalidOperation) as refused:
        core.customers.update(tenant, admin, company.id, organization_id=company.id)
    assert refused.value.code == Code.NOT_A_COMPANY

    ana = core.customers.register(
        tenant, agent, name="Ana", portfolio_id=mine.id, organization_id=company.id
    )
    assert ana.organization_id == company.id
    assert (
        core.customers.update(tenant, agent, person.id, organization_id=company.id).organization_id
        == company.id
    )
    assert (
        core.customers.update(tenant, agent, person.id, organization_id=None).organization_id
        is None
    )
