"""Portfolio management and transfers under HELPDESK_PORTFOLIO, on every backend.

- A transfer to a portfolio clears a responsible user who is no member or
  owner of it, and deleting a portfolio clears its customers' responsibles:
  the old team's agent no longer gets, lists, searches or exports them.
- A transfer's target must be a portfolio the actor sees; a seller who owns
  several portfolios is ambiguous.
- A supervisor can manage the portfolio it creates; an owner can be cleared.
- "Portfolio not found" names the parameter that named the portfolio.
"""

from __future__ import annotations

import io

import pytest
from tenants import tenant_and_admin

from customer_core import Actor, CustomerCore, NotFound, presets
from customer_core.errors import Code, InvalidOperation
from customer_core.ports import UnitOfWorkFactory


def _core(storage: UnitOfWorkFactory) -> CustomerCore:
    return CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO)


def _agent(tenant: str, user_id: str, *permissions: str) -> Actor:
    return Actor(tenant_id=tenant, user_id=user_id, role="seller", permissions=list(permissions))


def _reaches(core: CustomerCore, tenant: str, actor: Actor, customer_id: str) -> dict[str, bool]:
    """Whether ``actor`` reaches the customer (named "Zuleica Quaresma") by each read path."""
    try:
        core.customers.get(tenant, actor, customer_id)
        got = True
    except NotFound:
        got = False
    listed = core.directory.list(tenant, actor, my_portfolio=False, limit=200).items
    found = core.directory.search(tenant, actor, "Zuleica Quaresma", my_portfolio=False)
    out = io.StringIO()
    core.exporter.run(tenant, actor, out, my_portfolio=False)
    return {
        "get": got,
        "list": customer_id in [c.id for c in listed],
        "search": customer_id in [c.id for c in found],
        "export": "Zuleica Quaresma" in out.getvalue(),
    }


NOWHERE = {"get": False, "list": False, "search": False, "export": False}
EVERYWHERE = {"get": True, "list": True, "search": True, "export": True}


def _team_a_customer(core: CustomerCore) -> tuple[str, Actor, str, str, str]:
    """A tenant where agent a1 (team A only) is the responsible of a customer of A."""
    tenant, admin = tenant_and_admin()
    pa = core.portfolios.create(tenant, admin, name="A", member_ids=["a1"])
    pb = core.portfolios.create(tenant, admin, name="B", member_ids=["b1"])
    customer = core.customers.register(
        tenant, admin, name="Zuleica Quaresma", portfolio_id=pa.id, responsible_id="a1"
    )
    assert _reaches(core, tenant, _agent(tenant, "a1"), customer.id) == EVERYWHERE
    return tenant, admin, pa.id, pb.id, customer.id


def test_a_transfer_clears_a_responsible_outside_the_target_portfolio(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin, _, pb, customer_id = _team_a_customer(core)
    result = core.portfolios.transfer(tenant, admin, [customer_id], to_portfolio_id=pb)
    assert [(a.to_portfolio_id, a.to_responsible_id) for a in result] == [(pb, None)]
    moved = core.customers.get(tenant, admin, customer_id)
    assert (moved.portfolio_id, moved.responsible_id) == (pb, None)
    assert _reaches(core, tenant, _agent(tenant, "a1"), customer_id) == NOWHERE
    assert _reaches(core, tenant, _agent(tenant, "b1"), customer_id) == EVERYWHERE


def test_a_transfer_keeps_a_responsible_of_the_target_portfolio(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    pa = core.portfolios.create(tenant, admin, name="A", member_ids=["a1", "both"])
    pb = core.portfolios.create(tenant, admin, name="B", member_ids=["both"])
    customer = core.customers.register(
        tenant, admin, name="Zuleica Quaresma", portfolio_id=pa.id, responsible_id="both"
    )
    core.portfolios.transfer(tenant, admin, [customer.id], to_portfolio_id=pb.id)
    assert core.customers.get(tenant, admin, customer.id).responsible_id == "both"
    # Or a seller named with the portfolio, whoever it is.
    core.portfolios.transfer(
        tenant, admin, [customer.id], to_portfolio_id=pa.id, to_seller_id="outsider"
    )
    moved = core.customers.get(tenant, admin, customer.id)
    assert (moved.portfolio_id, moved.responsible_id) == (pa.id, "outsider")


def test_deleting_a_portfolio_clears_its_customers_responsibles(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin, pa, _, customer_id = _team_a_customer(core)
    assert core.portfolios.delete(tenant, admin, pa) == 1
    left = core.customers.get(tenant, admin, customer_id)
    assert (left.portfolio_id, left.responsible_id) == (None, None)
    assert _reaches(core, tenant, _agent(tenant, "a1"), customer_id) == NOWHERE
    assert _reaches(core, tenant, _agent(tenant, "a1", "view_unassigned"), customer_id) == (
        EVERYWHERE
    )


def test_a_transfer_into_a_portfolio_the_actor_cannot_see_is_not_found(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    mine = core.portfolios.create(tenant, admin, name="mine", member_ids=["mover"])
    theirs = core.portfolios.create(tenant, admin, name="theirs", member_ids=["other"])
    customer = core.customers.register(tenant, admin, name="Zuleica", portfolio_id=mine.id)
    mover = _agent(tenant, "mover", "assign_portfolio")
    for target in (theirs.id, "nope"):
        with pytest.raises(NotFound) as refused:
            core.portfolios.transfer(tenant, mover, [customer.id], to_portfolio_id=target)
        assert (refused.value.code, refused.value.field) == (Code.NOT_FOUND, "to_portfolio_id")
    assert core.customers.get(tenant, admin, customer.id).portfolio_id == mine.id


def test_a_supervisor_manages_the_portfolio_it_creates(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, _ = tenant_and_admin()
    sup = Actor(tenant_id=tenant, user_id="sup", role="supervisor")
    created = core.portfolios.create(tenant, sup, name="x")
    assert "sup" in created.member_ids
    assert core.portfolios.get(tenant, sup, created.id) == created
    assert [p.id for p in core.portfolios.list_all(tenant, sup)] == [created.id]
    assert core.portfolios.update(tenant, sup, created.id, name="y").name == "y"
    assert core.portfolios.delete(tenant, sup, created.id) == 0
    # One it owns needs no membership.
    owned = core.portfolios.create(tenant, sup, name="z", owner_id="sup")
    assert owned.member_ids == frozenset()
    assert core.portfolios.get(tenant, sup, owned.id) == owned


def test_an_owner_is_cleared_by_none_and_kept_when_left_out(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    created = core.portfolios.create(tenant, admin, name="x", owner_id="s1")
    assert core.portfolios.update(tenant, admin, created.id, name="y").owner_id == "s1"
    assert core.portfolios.update(tenant, admin, created.id, owner_id="s2").owner_id == "s2"
    assert core.portfolios.update(tenant, admin, created.id, owner_id=None).owner_id is None
    assert core.portfolios.get(tenant, admin, created.id).owner_id is None


def test_a_seller_owning_several_portfolios_is_ambiguous(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    first = core.portfolios.create(tenant, admin, name="one", owner_id="s1")
    core.portfolios.create(tenant, admin, name="two", owner_id="s1")
    customer = core.customers.register(tenant, admin, name="Zuleica")
    with pytest.raises(InvalidOperation) as refused:
        core.portfolios.transfer(tenant, admin, [customer.id], to_seller_id="s1")
    assert (refused.value.code, refused.value.field) == (Code.INVALID_OPERATION, "to_seller_id")
    assert "several portfolios" in refused.value.message
    core.portfolios.transfer(
        tenant, admin, [customer.id], to_seller_id="s1", to_portfolio_id=first.id
    )
    moved = core.customers.get(tenant, admin, customer.id)
    assert (moved.portfolio_id, moved.responsible_id) == (first.id, "s1")


def test_portfolio_not_found_names_the_parameter_for_every_actor(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    sup = Actor(tenant_id=tenant, user_id="sup", role="supervisor")
    for actor in (admin, sup):
        for call in (
            lambda a: core.portfolios.get(tenant, a, "nope"),
            lambda a: core.portfolios.update(tenant, a, "nope", name="x"),
            lambda a: core.portfolios.delete(tenant, a, "nope"),
        ):
            with pytest.raises(NotFound) as missing:
                call(actor)
            assert missing.value.field == "portfolio_id", actor.role
