"""What an agent types into a search box finds the same customers in the same order, on every storage.

Agents type a phone without its area code (the customer dictates "98765-4321"),
a number still being typed, or the first digits of a CPF; each finds the
customer, after the customers whose name or e-mail answers, and only among
those the actor may see. Customers whose names differ only in case or accents
come in the order they were registered.
"""

from __future__ import annotations

import pytest
from tenants import tenant_and_admin

from customer_core import Actor, CustomerCore, InvalidValue
from customer_core.ports import UnitOfWorkFactory


def _names(core: CustomerCore, tenant: str, actor: Actor, text: str) -> list[str]:
    return [c.name for c in core.directory.search(tenant, actor, text)]


@pytest.fixture
def shop(storage: UnitOfWorkFactory) -> tuple[CustomerCore, str, Actor]:
    core = CustomerCore.over(storage)
    tenant, admin = tenant_and_admin()
    core.customers.register(
        tenant, admin, name="Ana Lima", phones=["(11) 98765-4321"], tax_id="529.982.247-25"
    )
    core.customers.register(tenant, admin, name="Bruno Costa", phones=["(21) 3333-4444"])
    core.customers.register(tenant, admin, name="Carla Dias", emails=["carla1234@exemplo.com"])
    return core, tenant, admin


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("98765-4321", ["Ana Lima"]),  # without the area code
        ("8765-4321", ["Ana Lima"]),  # the line as it was before the ninth digit
        ("(11) 9876", ["Ana Lima"]),  # still being typed
        ("011 98765", ["Ana Lima"]),  # with the trunk 0 of a long-distance call
        ("3333-4444", ["Bruno Costa"]),
        ("529.982", ["Ana Lima"]),  # the first digits of a CPF
        ("247-25", ["Ana Lima"]),
        ("1234", ["Carla Dias"]),  # an e-mail holding the digits comes first
        ("5555-0000", []),
    ],
)
def test_part_of_a_number_finds_its_holder(
    shop: tuple[CustomerCore, str, Actor], text: str, found: list[str]
) -> None:
    core, tenant, admin = shop
    assert _names(core, tenant, admin, text) == found


def test_an_email_holding_the_digits_ranks_before_a_phone_holding_them(
    shop: tuple[CustomerCore, str, Actor],
) -> None:
    core, tenant, admin = shop
    core.customers.register(tenant, admin, name="Davi Reis", emails=["davi.4321@exemplo.com"])
    assert _names(core, tenant, admin, "4321") == ["Davi Reis", "Ana Lima"]


def test_three_digits_are_too_few_to_look_for(shop: tuple[CustomerCore, str, Actor]) -> None:
    core, tenant, admin = shop
    assert _names(core, tenant, admin, "987") == []
    with pytest.raises(InvalidValue):
        core.directory.search(tenant, admin, "   ")


def test_a_seller_finds_by_digits_only_the_customers_they_see(
    storage: UnitOfWorkFactory,
) -> None:
    core = CustomerCore.over(storage)
    tenant, admin = tenant_and_admin()
    mine = core.portfolios.create(tenant, admin, name="Sul", member_ids=["vera"])
    core.customers.register(
        tenant,
        admin,
        name="Ana Lima",
        phones=["(11) 98765-4321"],
        portfolio_id=mine.id,
        responsible_id="vera",
    )
    core.customers.register(tenant, admin, name="Outra Pessoa", phones=["(21) 98765-4321"])
    seller = Actor(tenant_id=tenant, user_id="vera", role="seller")
    assert _names(core, tenant, seller, "98765-4321") == ["Ana Lima"]
    assert _names(core, tenant, admin, "98765-4321") == ["Ana Lima", "Outra Pessoa"]


def test_equal_names_come_in_the_order_they_were_registered(storage: UnitOfWorkFactory) -> None:
    core = CustomerCore.over(storage)
    tenant, admin = tenant_and_admin()
    names = ["álvaro Reis", "ALVARO REIS", "Alvaro Reis", "Álvaro reis"]
    for name in names:
        core.customers.register(tenant, admin, name=name)
    assert _names(core, tenant, admin, "alvaro") == names
    assert [c.name for c in core.directory.list(tenant, admin).items] == names
