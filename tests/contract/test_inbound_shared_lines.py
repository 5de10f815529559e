"""Inbound messages on a shared line, on every storage: the holder picked by the
order alone is not known to be the sender, so nothing of the message goes on any
record; a sender whose full name is one holder's is that holder."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from customer_core import Actor, CustomerCore, presets
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.fakes import KeywordLanguageDetector

LANDLINE = "(11) 3333-4444"


@pytest.mark.parametrize(
    ("channel", "identifiers", "display_name"),
    [
        ("phone", {"phone": "11 3333-4444", "email": "bruno@x.com"}, None),
        ("phone", {"phone": "11 3333-4444", "email": "bruno@x.com"}, "Bruno Alves"),
        ("phone", {"phone": "11 3333-4444", "email": "rita@x.com"}, "Souza"),
        ("whatsapp", {"messenger": ("whatsapp", "551133334444")}, None),
        ("email", {"email": "casa@x.com", "phone": "11 98765-1111"}, None),
    ],
)
def test_an_ambiguous_inbound_message_attaches_nothing_to_any_holder(
    storage: UnitOfWorkFactory, channel: str, identifiers: dict[str, Any], display_name: str | None
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(
        storage, preset=presets.HELPDESK_CARD, language_detector=KeywordLanguageDetector()
    )
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    rita = core.customers.register(
        tenant, admin, name="Rita Souza", phones=[LANDLINE], emails=["casa@x.com"]
    )
    pedro = core.customers.register(
        tenant, admin, name="Pedro Souza", phones=[LANDLINE], emails=["casa@x.com"]
    )

    found = core.identity.resolve_inbound(
        tenant,
        channel,
        identifiers,
        display_name=display_name,
        avatar_url="https://cdn.example/foto.jpg",
        message_text="Bom dia, gostaria de trocar o meu pedido",
    )

    assert found.outcome == "ambiguous" and found.attached == ()
    holders = {rita.id, pedro.id}
    assert {found.customer.id, *found.ambiguous} == holders  # the candidates, as before
    for before in (rita, pedro):  # neither record changed: no identifier, avatar or language
        assert core.customers.get(tenant, admin, before.id) == before
    assert found.customer == core.customers.get(tenant, admin, found.customer.id)


def test_a_sender_named_as_one_holder_gets_the_new_identifiers(storage: UnitOfWorkFactory) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    rita = core.customers.register(tenant, admin, name="Rita Souza", phones=[LANDLINE])
    pedro = core.customers.register(tenant, admin, name="Pedro Souza", phones=[LANDLINE])

    found = core.identity.resolve_inbound(
        tenant,
        "phone",
        {"phone": "11 3333-4444", "email": "pedro@x.com"},
        display_name="Pedro Souza",
    )

    assert (found.outcome, found.customer.id, found.ambiguous) == (
        "ambiguous",
        pedro.id,
        (rita.id,),
    )
    assert found.attached == ("emails",)
    assert [e.address for e in core.customers.get(tenant, admin, pedro.id).emails] == [
        "pedro@x.com"
    ]
    assert core.customers.get(tenant, admin, rita.id) == rita
