"""Phones, contacts and addresses given as mappings (review 4, #8 #9 #10 #14b).

A mapping's wrong value is the field's error, never an ``AttributeError``;
a key that is not a field is refused, never dropped with its value; an
update of a contact changes what it names and keeps the rest.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from customer_core import (
    Actor,
    Code,
    CustomerCoreError,
    InvalidAddress,
    InvalidPhone,
    InvalidValue,
    NotFound,
    PhoneType,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.services import CustomerService

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="u", role="admin")


@pytest.fixture
def service() -> CustomerService:
    return CustomerService(MemoryStore(), preset=presets.OMNICHANNEL)


LANDLINE = "11 3333-4444"


def test_a_phone_mapping_takes_an_integer_extension(service: CustomerService) -> None:
    customer = service.register(
        T, ADMIN, name="X", phones=[{"number": LANDLINE, "extension": 25, "type": "landline"}]
    )
    assert (customer.phones[0].extension, customer.phones[0].type) == ("25", PhoneType.LANDLINE)
    parts = {"country_code": 55, "area_code": 11, "number": 33335555, "extension": 7}
    added = service.add_phone(T, ADMIN, customer.id, parts)
    assert added.phones[1].extension == "7"


@pytest.mark.parametrize(
    ("mapping", "reason"),
    [
        ({"number": LANDLINE, "extension": True}, "extension"),
        ({"number": LANDLINE, "extension": 2.5}, "extension"),
        ({"number": LANDLINE, "extension": -3}, "extension"),
        ({"number": LANDLINE, "type": 5}, "type"),
        ({"country_code": "55", "number": LANDLINE, "type": 5}, "type"),
        ({"number": 1133334444.0}, "characters"),
        ({"number": LANDLINE, "tipo": "home"}, "unknown_field"),
        ({"numero": LANDLINE}, "unknown_field"),
    ],
)
def test_a_wrong_phone_mapping_is_an_invalid_phone(
    service: CustomerService, mapping: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidPhone) as info:
        service.register(T, ADMIN, name="X", phones=[mapping])
    assert (info.value.code, info.value.field) == (Code.INVALID_PHONE, "phones")
    assert info.value.details == {"reason": reason}
    customer = service.register(T, ADMIN, name="Y")
    with pytest.raises(InvalidPhone) as added:
        service.add_phone(T, ADMIN, customer.id, mapping)
    assert added.value.details == {"reason": reason}


def test_an_unknown_phone_key_is_named(service: CustomerService) -> None:
    with pytest.raises(InvalidPhone, match="'tipo'"):
        service.register(T, ADMIN, name="X", phones=[{"number": LANDLINE, "tipo": "home"}])


def test_an_address_active_spelled_as_text_is_read(service: CustomerService) -> None:
    customer = service.register(
        T,
        ADMIN,
        name="X",
        addresses=[
            {"street": "R", "city": "C", "active": "false"},
            {"street": "S", "city": "C", "active": "Sim"},
        ],
    )
    assert [a.active for a in customer.addresses] == [False, True]
    with pytest.raises(InvalidAddress) as info:
        service.register(
            T, ADMIN, name="X", addresses=[{"street": "R", "city": "C", "active": "talvez"}]
        )
    assert (info.value.code, info.value.field) == (Code.INVALID_ADDRESS, "addresses.active")


# -- contacts ----------------------------------------------------------------------


def company(service: CustomerService, **contact: Any) -> Any:
    return service.register(T, ADMIN, name="Loja Ltda", kind="company", contacts=[contact])


def test_an_unknown_contact_key_is_refused_and_named(service: CustomerService) -> None:
    with pytest.raises(InvalidValue) as info:
        company(service, name="Rui", telefone="11 98765-4321", email="rui@x.com")
    assert (info.value.code, info.value.field) == (Code.INVALID_VALUE, "contacts")
    assert "'email'" in info.value.message and "'telefone'" in info.value.message
    stored = company(service, name="Rui")
    with pytest.raises(InvalidValue, match="'fone'"):
        service.add_contact(T, ADMIN, stored.id, {"name": "Ana", "fone": "11 98765-4321"})


def test_a_contact_list_field_is_a_list(service: CustomerService) -> None:
    with pytest.raises(InvalidValue) as info:
        company(service, name="Rui", phones="11 98765-4321")
    assert info.value.field == "contacts.phones"


def test_an_update_of_a_contact_keeps_the_fields_it_does_not_name(
    service: CustomerService,
) -> None:
    stored = company(
        service,
        name="Rui",
        job_title="Compras",
        phones=["11 98765-4321"],
        emails=["rui@x.com"],
        note="liga de manhã",
    )
    contact_id = stored.contacts[0].id
    renamed = service.update_contact(T, ADMIN, stored.id, {"id": contact_id, "name": "Rui G."})
    rui = renamed.contacts[0]
    assert (rui.id, rui.name, rui.job_title, rui.note) == (
        contact_id,
        "Rui G.",
        "Compras",
        "liga de manhã",
    )
    assert [p.e164 for p in rui.phones] == ["+5511987654321"]
    assert [e.address for e in rui.emails] == ["rui@x.com"]
    cleared = service.update_contact(
        T, ADMIN, stored.id, {"id": contact_id, "phones": [], "job_title": None}
    ).contacts[0]
    assert (cleared.name, cleared.phones, cleared.job_title, len(cleared.emails)) == (
        "Rui G.",
        (),
        None,
        1,
    )
    with pytest.raises(InvalidValue, match="'telefone'"):
        service.update_contact(T, ADMIN, stored.id, {"id": contact_id, "telefone": "1"})
    with pytest.raises(CustomerCoreError) as unnamed:
        service.update_contact(T, ADMIN, stored.id, {"id": contact_id, "name": ""})
    assert unnamed.value.code == Code.REQUIRED_FIELD
    with pytest.raises(NotFound):
        service.update_contact(T, ADMIN, stored.id, {"id": "nope", "name": "Ana"})


def test_free_text_fields_are_stored_composed(service: CustomerService) -> None:
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    customer = service.register(
        T,
        ADMIN,
        name="Loja Ltda",
        kind="company",
        note=nfd("Cliente desde a inauguração"),
        addresses=[{"street": nfd("Rua Açaí"), "city": nfd("São Paulo")}],
        contacts=[{"name": "Rui", "note": nfd("só à tarde")}],
    )
    assert customer.note == "Cliente desde a inauguração"
    assert (customer.addresses[0].street, customer.addresses[0].city) == ("Rua Açaí", "São Paulo")
    assert customer.contacts[0].note == "só à tarde"
    updated = service.update(T, ADMIN, customer.id, payment_term=nfd("30 dias, à vista"))
    assert updated.payment_term == "30 dias, à vista"
