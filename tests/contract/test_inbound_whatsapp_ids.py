"""A WhatsApp id that is no valid phone number, on every storage: refused as
``invalid_messenger_id`` before anything is read or written."""

from __future__ import annotations

import uuid

import pytest

from customer_core import Actor, CustomerCore, presets
from customer_core.errors import Code, CustomerCoreError
from customer_core.ports import UnitOfWorkFactory


@pytest.mark.parametrize("wa_id", ["551101234567", "5500987654321", "123"])
def test_an_inbound_whatsapp_id_that_is_no_line_is_refused_and_stores_nothing(
    storage: UnitOfWorkFactory, wa_id: str
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    ana = core.customers.register(tenant, admin, name="Ana Lima", phones=["11 98765-4321"])
    for identifiers in (
        {"messenger": ("whatsapp", wa_id)},
        {"messenger": ("whatsapp", wa_id), "phone": "11 98765-4321"},  # with Ana's mobile
    ):
        with pytest.raises(CustomerCoreError) as refused:
            core.identity.resolve_inbound(tenant, "whatsapp", identifiers, display_name="Novo")
        assert (refused.value.code, refused.value.field) == (
            Code.INVALID_MESSENGER_ID,
            "messenger_ids",
        )
    with storage() as uow:
        assert uow.customers.count(tenant) == 1
    assert core.customers.get(tenant, admin, ana.id) == ana


#: An old account's id lacks the ninth digit: the line is shown as dialled today.
@pytest.mark.parametrize("wa_id", ["5511987654321", "551187654321"])
def test_a_customer_made_from_a_whatsapp_message_has_the_line_among_its_phones(
    storage: UnitOfWorkFactory, wa_id: str
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    made = core.identity.resolve_inbound(tenant, "whatsapp", {"messenger": ("whatsapp", wa_id)})
    assert made.outcome == "created"
    # An agent sees the number to call back, and a nameless sender is named by it.
    assert [str(p) for p in made.customer.phones] == ["+55 11 98765-4321"]
    assert made.customer.name == "+55 11 98765-4321"
    # The line adds no key of its own: the next message, spelt either way, matches.
    for identifiers in ({"messenger": ("whatsapp", wa_id)}, {"phone": "(11) 98765-4321"}):
        again = core.identity.resolve_inbound(tenant, "whatsapp", identifiers)
        assert (again.outcome, again.customer.id) == ("matched", made.customer.id)
    assert core.customers.get(tenant, admin, made.customer.id).phones == made.customer.phones
