from __future__ import annotations

import pytest

from customer_core import UFS, Address, AddressType, InvalidAddress, InvalidLanguage, Language


def test_27_units() -> None:
    assert len(UFS) == 27


def test_address_normalizes() -> None:
    address = Address.create(
        type="delivery", street="  Rua  das Flores ", city="Recife", uf="pe", cep="50.030-230"
    )
    assert address.type is AddressType.DELIVERY
    assert (address.street, address.uf, address.cep) == ("Rua das Flores", "PE", "50030-230")


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"street": "Rua A", "uf": "XX"}, "invalid_uf", "addresses.uf"),
        ({"street": "Rua A", "cep": "1234-567"}, "invalid_cep", "addresses.cep"),
        ({"street": "Rua A", "cep": "00000-000"}, "invalid_cep", "addresses.cep"),
        ({"street": "Rua A", "type": "castle"}, "invalid_address", "addresses.type"),
        ({}, "invalid_address", "addresses"),
    ],
)
def test_address_errors(kwargs: dict[str, str], code: str, field: str) -> None:
    with pytest.raises(InvalidAddress) as info:
        Address.create(**kwargs)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == (code, field)


def test_foreign_address_skips_brazilian_checks() -> None:
    address = Address.create(
        street="5th Avenue", city="New York", uf="NY", cep="10001", country="us"
    )
    assert address.country == "US" and address.cep == "10001"


def test_language() -> None:
    assert Language.parse("PT_br").code == "pt"
    with pytest.raises(InvalidLanguage):
        Language.parse("xx")
