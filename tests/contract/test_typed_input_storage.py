"""What review 4's input fixes store, read back from every backend (#8 #9 #10 #14b).

Free text typed decomposed (NFD) is stored composed (NFC), so a host's own
query on the stored document finds ``São Paulo`` however it was typed; an
address's ``active`` spelled as text, a phone's integer extension and a
partial contact update survive the round trip.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from sqlalchemy import select
from tenants import tenant_and_admin

from customer_core import CustomerCore, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import customers as customers_table
from customer_core.ports import UnitOfWorkFactory


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


def stored_document(storage: UnitOfWorkFactory, tenant: str, customer_id: str) -> Any:
    """The document row as a host's own SQL reads it (``None`` on the memory adapter)."""
    if not isinstance(storage, SqlStorage):
        return None
    query = select(customers_table.c.document).where(
        customers_table.c.tenant_id == tenant, customers_table.c.id == customer_id
    )
    with storage.engine.connect() as connection:
        document = connection.execute(query).scalar_one()
    return json.loads(document) if isinstance(document, str | bytes) else document


def test_free_text_typed_decomposed_is_stored_composed(storage: UnitOfWorkFactory) -> None:
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    tenant, admin = tenant_and_admin()
    registered = core.customers.register(
        tenant,
        admin,
        name="Padaria Ltda",
        kind="company",
        note=nfd("Cliente desde a inauguração"),
        addresses=[
            {
                "street": nfd("Rua Açaí"),
                "neighborhood": nfd("Jardim Paulistão"),
                "city": nfd("São Paulo"),
                "active": "não",
            }
        ],
        contacts=[{"name": "Rui", "note": nfd("só à tarde")}],
        phones=[{"number": "11 3333-4444", "extension": 25}],
    )
    customer = core.customers.get(tenant, admin, registered.id)
    address = customer.addresses[0]
    assert (address.street, address.neighborhood, address.city, address.active) == (
        "Rua Açaí",
        "Jardim Paulistão",
        "São Paulo",
        False,
    )
    assert customer.note == "Cliente desde a inauguração"
    assert customer.contacts[0].note == "só à tarde"
    assert customer.phones[0].extension == "25"
    document = stored_document(storage, tenant, customer.id)
    if document is not None:
        assert "São Paulo" in json.dumps(document, ensure_ascii=False)
        assert nfd("São Paulo") not in json.dumps(document, ensure_ascii=False)


def test_a_partial_contact_update_keeps_the_stored_channels(storage: UnitOfWorkFactory) -> None:
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL)
    tenant, admin = tenant_and_admin()
    company = core.customers.register(
        tenant,
        admin,
        name="Loja Ltda",
        kind="company",
        contacts=[{"name": "Rui", "phones": ["11 98765-4321"], "emails": ["rui@x.com"]}],
    )
    contact_id = company.contacts[0].id
    core.customers.update_contact(tenant, admin, company.id, {"id": contact_id, "name": "Rui G."})
    rui = core.customers.get(tenant, admin, company.id).contacts[0]
    assert (rui.id, rui.name) == (contact_id, "Rui G.")
    assert [p.e164 for p in rui.phones] == ["+5511987654321"]
    assert [e.address for e in rui.emails] == ["rui@x.com"]
