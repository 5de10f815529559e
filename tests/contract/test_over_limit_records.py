"""A record stored over a preset's limits stays editable, on every storage.

Issue review-4 #5: a customer saved under a looser preset (or by inbound, or
an older version) with five phones was refused ``too_many_phones`` by the
stricter preset on every change that touched its phones or was checked as a
whole: an import upsert of a row with no phone, a merge with a record that
has none, a replacement that keeps the count. A change is refused only for
what it breaks: a limit when its list grows, a per-item rule (a type, a
network) for the items it gains. Same for e-mails, social profiles,
addresses and contacts.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from tenants import tenant_and_admin

from customer_core import CustomerCore, presets
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.address import AddressType
from customer_core.errors import CardinalityExceeded, Code
from customer_core.ports import UnitOfWorkFactory

FIVE_PHONES = [f"11 98765-432{i}" for i in range(5)]


def test_edits_and_merges_that_add_no_phone_go_through_over_the_limit(
    storage: UnitOfWorkFactory,
) -> None:
    tenant, admin = tenant_and_admin()
    loose = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    strict = CustomerCore.over(storage, preset=presets.OMNICHANNEL)  # at most 3 phones
    ana = loose.customers.register(tenant, admin, name="Ana Lima", phones=FIVE_PHONES)

    strict.customers.update(tenant, admin, ana.id, name="Ana Lima Souza")
    strict.customers.add_email(tenant, admin, ana.id, "a@x.com")
    report = strict.importer.run(
        tenant,
        admin,
        io.BytesIO("Nome;E-mail;Observação\nAna Lima Souza;a@x.com;nova nota\n".encode()),
        mode="upsert",
    )
    assert (report.failed, report.updated, report.errors) == (0, 1, ())
    assert strict.customers.get(tenant, admin, ana.id).note == "nova nota"

    other = strict.customers.register(tenant, admin, name="Ana Lima", emails=["b@x.com"])
    strict.identity.merge(tenant, admin, ana.id, other.id)
    strict.customers.replace_phone(tenant, admin, ana.id, "11 98765-4321", "11 91111-0000")

    stored = strict.customers.get(tenant, admin, ana.id)
    assert len(stored.phones) == 5
    assert "+5511911110000" in {p.e164 for p in stored.phones}
    assert {e.address for e in stored.emails} == {"a@x.com", "b@x.com"}

    # Growing the list is still refused, by every path.
    with pytest.raises(CardinalityExceeded) as added:
        strict.customers.add_phone(tenant, admin, ana.id, "11 92222-0000")
    assert added.value.code is Code.TOO_MANY_PHONES
    bia = strict.customers.register(tenant, admin, name="Ana Lima", phones=["11 93333-0000"])
    with pytest.raises(CardinalityExceeded) as merged:
        strict.identity.merge(tenant, admin, ana.id, bia.id)
    assert merged.value.code is Code.TOO_MANY_PHONES
    # ... and losing one is allowed, one at a time.
    strict.customers.remove_phone(tenant, admin, ana.id, "11 98765-4322")
    assert len(strict.customers.get(tenant, admin, ana.id).phones) == 4


def test_a_phone_type_the_preset_refuses_is_checked_on_the_phones_gained(
    storage: UnitOfWorkFactory,
) -> None:
    tenant, admin = tenant_and_admin()
    loose = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    strict = CustomerCore.over(storage, preset=presets.OMNICHANNEL)  # landline and mobile only
    fax = {"number": "11 3333-4444", "type": "fax"}
    ana = loose.customers.register(tenant, admin, name="Ana Lima", phones=[fax])

    strict.customers.add_phone(tenant, admin, ana.id, "11 98765-4321")
    strict.customers.update(tenant, admin, ana.id, note="liga à tarde")
    with pytest.raises(CardinalityExceeded) as refused:
        strict.customers.replace_phone(
            tenant, admin, ana.id, "11 98765-4321", {"number": "11 2222-3333", "type": "fax"}
        )
    assert refused.value.code is Code.PHONE_TYPE_NOT_ALLOWED
    types = sorted(p.type.value for p in strict.customers.get(tenant, admin, ana.id).phones)
    assert types == ["fax", "mobile"]

    # An extension for the stored fax line gains no fax: by a merge, or by hand.
    extension = strict.customers.register(
        tenant, admin, name="Ana Lima", phones=["11 3333-4444 ramal 9"]
    )
    strict.identity.merge(tenant, admin, ana.id, extension.id)
    strict.customers.replace_phone(
        tenant, admin, ana.id, "11 3333-4444", {**fax, "extension": "10"}
    )
    phones = strict.customers.get(tenant, admin, ana.id).phones
    assert [(p.type.value, p.extension) for p in phones if p.type.value == "fax"] == [("fax", "10")]


#: One of each: the loose preset stored two.
TIGHT = presets.HELPDESK_CARD.evolve(
    contact=ContactPolicy(
        max_phones=1,
        max_emails=1,
        max_social_profiles=1,
        max_addresses=1,
        max_contacts=1,
        allowed_address_types={AddressType.DEFAULT},
    )
)


def test_every_list_over_its_limit_may_keep_its_length(storage: UnitOfWorkFactory) -> None:
    tenant, admin = tenant_and_admin()
    loose = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    tight = CustomerCore.over(storage, preset=TIGHT)
    shop = loose.customers.register(
        tenant,
        admin,
        name="Padaria Pão Quente",
        kind="company",
        emails=["loja@pao.com", "compras@pao.com"],
        social_profiles=["https://instagram.com/paoquente", "https://facebook.com/paoquente"],
        addresses=[
            {"type": "default", "street": "Rua A", "city": "Recife"},
            {"type": "delivery", "street": "Rua B", "city": "Recife"},
        ],
        contacts=[
            {"name": "Rui Gomes", "phones": ["11 98765-0001", "11 98765-0002"]},
            {"name": "Lia Gomes"},
        ],
    )
    rui = next(c for c in shop.contacts if c.name == "Rui Gomes")

    tight.customers.update(tenant, admin, shop.id, note="entrega às 7h")
    tight.customers.replace_email(tenant, admin, shop.id, "compras@pao.com", "pedidos@pao.com")
    # The delivery address (a type TIGHT refuses) edited in place: nothing gained.
    tight.customers.update_contact(
        tenant, admin, shop.id, {"id": rui.id, "name": "Rui Gomes Filho", "phones": rui.phones}
    )
    empty = tight.customers.register(tenant, admin, name="Padaria Pão Quente", kind="company")
    tight.identity.merge(tenant, admin, shop.id, empty.id)

    stored = tight.customers.get(tenant, admin, shop.id)
    assert {e.address for e in stored.emails} == {"loja@pao.com", "pedidos@pao.com"}
    assert len(stored.social_profiles) == len(stored.addresses) == len(stored.contacts) == 2
    assert [c.name for c in stored.contacts if c.id == rui.id] == ["Rui Gomes Filho"]

    changes: dict[str, Callable[[], object]] = {
        "emails": lambda: tight.customers.add_email(tenant, admin, shop.id, "novo@pao.com"),
        "social_profiles": lambda: tight.customers.add_social_profile(
            tenant, admin, shop.id, "https://linkedin.com/company/paoquente"
        ),
        "addresses": lambda: tight.customers.add_address(
            tenant, admin, shop.id, {"type": "default", "street": "Rua C"}
        ),
        "address type": lambda: tight.customers.replace_address(
            tenant, admin, shop.id, 0, {"type": "billing", "street": "Rua A"}
        ),
        "contacts": lambda: tight.customers.add_contact(
            tenant, admin, shop.id, {"name": "Ivo Lima"}
        ),
        "contacts.phones": lambda: tight.customers.update_contact(
            tenant,
            admin,
            shop.id,
            {"id": rui.id, "name": "Rui", "phones": [*rui.phones, "11 98765-0003"]},
        ),
    }
    refusals = {}
    for name, change in changes.items():
        with pytest.raises(CardinalityExceeded) as refused:
            change()
        refusals[name] = refused.value.code
    assert refusals == {
        "emails": Code.TOO_MANY_EMAILS,
        "social_profiles": Code.TOO_MANY_SOCIAL_PROFILES,
        "addresses": Code.TOO_MANY_ADDRESSES,
        "address type": Code.ADDRESS_TYPE_NOT_ALLOWED,
        "contacts": Code.TOO_MANY_CONTACTS,
        "contacts.phones": Code.TOO_MANY_PHONES,
    }
