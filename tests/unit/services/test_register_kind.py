"""``register`` without a kind: a CNPJ makes a company, anything else a person."""

from __future__ import annotations

import pytest

from customer_core import Actor, Cnpj, CustomerKind, InvalidTaxId, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.services import CustomerService
from customer_core.testing.fakes import FixedClock, SequentialIds

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


@pytest.fixture
def service() -> CustomerService:
    return CustomerService(
        MemoryStore(), preset=presets.DEFAULT, clock=FixedClock(), ids=SequentialIds("c")
    )


@pytest.mark.parametrize(
    "tax_id", ["11.222.333/0001-81", "11222333000181", Cnpj.parse("11222333000181")]
)
def test_a_cnpj_without_a_kind_makes_a_company(service: CustomerService, tax_id: object) -> None:
    padaria = service.register(T, ADMIN, name="Padaria Pão Quente", tax_id=tax_id)  # type: ignore[arg-type]
    assert padaria.kind is CustomerKind.COMPANY
    assert service.get(T, ADMIN, padaria.id).kind is CustomerKind.COMPANY
    # a company may have contacts, as one registered with kind="company"
    with_contact = service.register(
        T, ADMIN, name="Loja", tax_id="11.444.777/0001-61", contacts=[{"name": "Bia"}]
    )
    assert with_contact.kind is CustomerKind.COMPANY


@pytest.mark.parametrize("tax_id", [None, "", "529.982.247-25"])
def test_a_cpf_or_no_tax_id_without_a_kind_makes_a_person(
    service: CustomerService, tax_id: str | None
) -> None:
    assert service.register(T, ADMIN, name="Ana", tax_id=tax_id).kind is CustomerKind.PERSON


def test_an_explicit_kind_wins(service: CustomerService) -> None:
    # An individual entrepreneur's CNPJ on a record the caller says is a person.
    ana = service.register(T, ADMIN, name="Ana", kind="person", tax_id="11.222.333/0001-81")
    assert ana.kind is CustomerKind.PERSON


def test_a_bad_tax_id_is_reported_not_guessed(service: CustomerService) -> None:
    with pytest.raises(InvalidTaxId):
        service.register(T, ADMIN, name="Padaria", tax_id="11.222.333/0001-00")
