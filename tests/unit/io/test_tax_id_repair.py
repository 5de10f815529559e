"""CPF/CNPJ columns that a spreadsheet read as numbers: zeros put back, never trusted alone."""

from __future__ import annotations

import io

import pytest

from customer_core import Actor
from customer_core.adapters.memory import MemoryStore
from customer_core.io import Draft, Importer, RowOutcome, parse_row
from customer_core.services import CustomerService

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("1234567890", "01234567890"),  # a CPF that lost one zero
        ("123456797", "00123456797"),  # and two
        ("1234567000195", "01234567000195"),  # a CNPJ that lost one
        ("123456000149", "00123456000149"),  # and two
    ],
)
def test_dropped_leading_zeros_are_put_back_with_a_warning(typed: str, digits: str) -> None:
    for strict in (False, True):  # a repair costs no row, even when strict
        draft = parse_row(2, {"name": "Ana", "tax_id": typed}, strict=strict)
        assert isinstance(draft, Draft)
        assert draft.tax_id is not None and draft.tax_id.digits == digits
        assert draft.tax_id_repaired
        assert [(w.column, w.code, w.value) for w in draft.warnings] == [
            ("tax_id", "repaired", typed)
        ]


@pytest.mark.parametrize("typed", ["1234567891", "12345678", "123456789012345", "12.345.678-9"])
def test_a_short_value_whose_padding_is_not_valid_stays_an_error(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "tax_id": typed})
    assert isinstance(draft, Draft) and draft.tax_id is None and not draft.tax_id_repaired
    assert [w.code for w in draft.warnings] != ["repaired"]


def test_only_the_tax_id_column_is_repaired() -> None:
    draft = parse_row(2, {"name": "Ana", "phone": "1234567890"})
    assert isinstance(draft, Draft) and draft.tax_id is None


@pytest.mark.parametrize("typed", ["1,23457E+10", "5.29982E+10", "1,23E+10", "1E10"])
def test_scientific_notation_is_an_error_that_says_why(typed: str) -> None:
    draft = parse_row(2, {"name": "Ana", "tax_id": typed})
    assert isinstance(draft, Draft) and draft.tax_id is None
    (warning,) = draft.warnings
    assert (warning.code, warning.value) == ("invalid_tax_id", typed)
    assert "scientific notation" in warning.message


def run(store: MemoryStore, text: str) -> list[RowOutcome]:
    seen: list[RowOutcome] = []
    Importer(store).run(T, ADMIN, io.BytesIO(text.encode()), mode="upsert", on_row=seen.append)
    return seen


def test_a_repaired_tax_id_alone_never_links_a_row_to_another_name() -> None:
    store = MemoryStore()
    customers = CustomerService(store)
    ana = customers.register(
        T, ADMIN, name="Ana Lima", tax_id="012.345.678-90", emails=["ana@x.com"]
    )
    seen = run(store, "Nome;CPF/CNPJ\nAna L. Souza;1234567890\n")
    assert [(o.outcome, o.code, o.column) for o in seen] == [
        ("conflict", "duplicate_identity", "CPF/CNPJ"),
        ("warning", "repaired", "CPF/CNPJ"),
    ]
    assert customers.get(T, ADMIN, ana.id).version == ana.version
    # With another identifier of the same customer, the repaired one is evidence enough;
    # so is the very name (the same row imported again).
    seen = run(store, "Nome;CPF/CNPJ;E-mail\nAna Lima;1234567890;ana@x.com\n")
    assert (seen[0].outcome, seen[0].customer_id) == ("unchanged", ana.id)
    seen = run(store, "Nome;CPF/CNPJ\nANA LIMA;1234567890\n")
    assert (seen[0].outcome, seen[0].customer_id) == ("unchanged", ana.id)


def test_a_file_with_a_repaired_tax_id_imported_again_changes_nothing() -> None:
    store = MemoryStore()
    text = "Nome;CPF/CNPJ\nFernanda Costa;1234567890\n"
    first, again = run(store, text), run(store, text)
    assert [o.outcome for o in first] == ["created", "warning"]
    assert [o.outcome for o in again] == ["unchanged", "warning"]


def test_a_repaired_tax_id_nobody_holds_is_stored() -> None:
    store = MemoryStore()
    seen = run(store, "Nome;CPF/CNPJ\nBruno Souza;123456797\n")
    assert [o.outcome for o in seen] == ["created", "warning"]
    bruno = CustomerService(store).get(T, ADMIN, seen[0].customer_id or "")
    assert bruno.tax_id is not None and bruno.tax_id.formatted == "001.234.567-97"


@pytest.mark.parametrize("batch_size", [1, 10])
def test_rows_of_the_same_file_join_through_a_repaired_tax_id_whatever_the_batch(
    batch_size: int,
) -> None:
    """The file's own customers are its rows, not stored holders: batches change nothing."""
    store = MemoryStore()
    text = "Nome;CPF/CNPJ\nAna Lima;012.345.678-90\nAna Lima;1234567890\n"
    seen: list[RowOutcome] = []
    Importer(store).run(
        T, ADMIN, io.BytesIO(text.encode()), batch_size=batch_size, on_row=seen.append
    )
    assert [(o.line, o.outcome) for o in seen] == [(2, "created"), (3, "merged"), (3, "warning")]
