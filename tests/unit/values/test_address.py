from __future__ import annotations

import attrs
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
        Address.create(**kwargs)
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


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"city": "Recife", "uf": "XX"}, "invalid_uf"),
        ({"city": "Recife", "uf": "pe"}, "invalid_uf"),  # the canonical form is upper case
        ({"cep": "50030230"}, "invalid_cep"),  # the canonical form is 00000-000
        ({"cep": "00000-000"}, "invalid_cep"),
        ({"cep": "5003-0230"}, "invalid_cep"),
        ({}, "invalid_address"),  # no street, city nor CEP
        ({"street": ""}, "invalid_address"),
        ({"street": "Rua A", "type": "delivery"}, "invalid_address"),
        ({"street": "Rua A", "country": "Brasil"}, "invalid_address"),
        ({"street": "Rua A", "city": 5}, "invalid_address"),
        ({"street": "Rua\x00A"}, "invalid_address"),
        ({"street": "x" * 201}, "invalid_address"),
        ({"street": "Rua A", "active": "yes"}, "invalid_address"),
    ],
)
def test_address_constructor_refuses_garbage(fields: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidAddress) as info:
        Address(**fields)  # type: ignore[arg-type]
    assert info.value.code == code


def test_address_constructor_takes_what_create_gives() -> None:
    made = Address.create(type="delivery", street="Rua A", city="Recife", uf="pe", cep="50030230")
    assert Address(**attrs.asdict(made, recurse=False)) == made
    foreign = Address.create(
        street="Main St", city="Springfield", uf="il", cep="62701", country="us"
    )
    assert Address(**attrs.asdict(foreign, recurse=False)) == foreign


@pytest.mark.parametrize("code", ["xx", "PT", "pt-BR", "", None])
def test_language_constructor_refuses_what_is_not_an_iso_639_1_code(code: object) -> None:
    with pytest.raises(InvalidLanguage) as info:
        Language(code)  # type: ignore[arg-type]
    assert info.value.code == "invalid_language"
    assert Language("pt") == Language.parse("PT")


@pytest.mark.parametrize(
    ("uf", "expected"),
    [("São Paulo", "SP"), ("sao paulo", "SP"), ("PERNAMBUCO", "PE"), ("Pará", "PA"), ("rj", "RJ")],
)
def test_a_state_may_be_written_out(uf: str, expected: str) -> None:
    assert Address.create(city="X", uf=uf).uf == expected


def test_a_cep_that_lost_its_leading_zero_is_padded_only_within_its_state() -> None:
    assert Address.create(city="São Paulo", uf="SP", cep="1310100").cep == "01310-100"
    assert Address.create(cep="01.310-100").cep == "01310-100"
    with pytest.raises(InvalidAddress):
        Address.create(city="Recife", uf="PE", cep="5010000")  # 05010-000 is in SP
    with pytest.raises(InvalidAddress):
        Address.create(city="São Paulo", cep="1310100")  # no state to check it against


def test_a_uf_alone_is_a_partial_address() -> None:
    assert Address.create(uf="MA").uf == "MA"
