"""Cells a spreadsheet or pandas wrote as numbers (review 4, #12).

A float column writes ``11987654325.0``: the digits are all there and are
read. Scientific notation (``5,51199E+12``) lost them: the phone column says
so, as the CPF/CNPJ column does. A CPF/CNPJ may carry its label.
"""

from __future__ import annotations

import io

import pytest

from customer_core import Actor, Code
from customer_core.adapters.memory import MemoryStore
from customer_core.io import Draft, Importer, RowOutcome, parse_row
from customer_core.services import CustomerService

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


@pytest.mark.parametrize("typed", ["11987654325.0", "11987654325.00", " 5511987654325.0 "])
def test_a_phone_from_a_float_column_keeps_its_number(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "phone": typed})
    assert isinstance(draft, Draft)
    assert [p.e164 for p in draft.phones] == ["+5511987654325"]
    assert draft.warnings == ()


def test_the_parts_of_a_phone_from_float_columns_keep_their_number() -> None:
    row = {"name": "Ana", "phone": "987654325.0", "area_code": "11.0", "country_code": "55.0"}
    draft = parse_row(2, row)
    assert isinstance(draft, Draft)
    assert [p.e164 for p in draft.phones] == ["+5511987654325"]


@pytest.mark.parametrize("typed", ["52998224725.0", "52998224725.000"])
def test_a_tax_id_from_a_float_column_keeps_its_digits(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "tax_id": typed})
    assert isinstance(draft, Draft)
    assert draft.tax_id is not None and draft.tax_id.digits == "52998224725"
    assert draft.warnings == ()


def test_a_tax_id_that_lost_a_zero_in_a_float_column_is_repaired() -> None:
    draft = parse_row(2, {"name": "Ana", "tax_id": "1234567890.0"})
    assert isinstance(draft, Draft)
    assert draft.tax_id is not None and draft.tax_id.digits == "01234567890"
    assert [w.code for w in draft.warnings] == [Code.REPAIRED]


@pytest.mark.parametrize("typed", ["11987654325.5", "11 98765-4325.0", "1.0e3"])
def test_only_a_whole_number_loses_its_dot(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "phone": typed})
    assert isinstance(draft, Draft)
    assert draft.phones == ()
    assert [w.code for w in draft.warnings] == [Code.INVALID_PHONE]


@pytest.mark.parametrize("typed", ["5,51199E+12", "5.51199E+12", "1,19877E+10"])
def test_a_phone_in_scientific_notation_says_its_digits_are_lost(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "phone": typed})
    assert isinstance(draft, Draft)
    (warning,) = draft.warnings
    assert (warning.column, warning.code, warning.value) == ("phone", Code.INVALID_PHONE, typed)
    assert "scientific notation" in warning.message
    assert "format the column as text" in warning.message


@pytest.mark.parametrize("typed", ["CPF 529.982.247-25", "CPF: 52998224725"])
def test_a_labelled_cpf_cell_is_the_cpf(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "tax_id": typed})
    assert isinstance(draft, Draft)
    assert draft.tax_id is not None and draft.tax_id.digits == "52998224725"
    assert draft.warnings == ()


def test_an_import_of_float_and_labelled_cells_stores_the_values() -> None:
    store = MemoryStore()
    text = (
        "Nome;Telefone;CPF/CNPJ\n"
        "Ana Lima;11987654325.0;52998224725.0\n"
        "Bruno Souza;5,51199E+12;CPF 111.444.777-35\n"
    )
    seen: list[RowOutcome] = []
    Importer(store).run(T, ADMIN, io.BytesIO(text.encode()), on_row=seen.append)
    assert [(o.line, o.outcome, o.column) for o in seen] == [
        (2, "created", None),
        (3, "created", None),
        (3, "warning", "Telefone"),
    ]
    customers = CustomerService(store)
    ana = customers.get(T, ADMIN, seen[0].customer_id or "")
    assert [p.e164 for p in ana.phones] == ["+5511987654325"]
    assert ana.tax_id is not None and ana.tax_id.digits == "52998224725"
    bruno = customers.get(T, ADMIN, seen[1].customer_id or "")
    assert bruno.tax_id is not None and bruno.tax_id.digits == "11144477735"
