"""CEP columns that a spreadsheet read as numbers: São Paulo's leading zero put back, said so."""

from __future__ import annotations

import io

import pytest

from customer_core import Actor
from customer_core.adapters.memory import MemoryStore
from customer_core.io import Draft, Importer, RowOutcome, parse_row
from customer_core.services import CustomerDirectory

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


@pytest.mark.parametrize("uf", [None, "SP", "São Paulo"])
def test_a_cep_that_lost_its_leading_zero_is_padded_with_a_warning(uf: str | None) -> None:
    row = {"name": "Ana", "city": "São Paulo", "cep": "1310100"}
    if uf is not None:
        row["uf"] = uf
    for strict in (False, True):  # a repair costs no row, even when strict
        draft = parse_row(2, row, strict=strict)
        assert isinstance(draft, Draft) and draft.address is not None
        assert draft.address.cep == "01310-100"
        assert [(w.column, w.code, w.value) for w in draft.warnings] == [
            ("cep", "repaired", "1310100")
        ]


@pytest.mark.parametrize(
    ("cep", "uf"),
    [
        ("0000123", None),  # 00000-123 is no state's
        ("1310100", "RJ"),  # 01310-100 is São Paulo's, not Rio's: a mistyped CEP
        ("131010", None),  # six digits
        ("13101-00", None),  # not as a number writes it
    ],
)
def test_a_short_cep_whose_padding_is_not_valid_stays_an_error(cep: str, uf: str | None) -> None:
    row = {"name": "Ana", "city": "São Paulo", "cep": cep, **({"uf": uf} if uf else {})}
    draft = parse_row(2, row)
    assert isinstance(draft, Draft) and draft.address is not None
    assert draft.address.cep is None and draft.address.city == "São Paulo"
    assert [(w.column, w.code) for w in draft.warnings] == [("cep", "invalid_cep")]


def test_a_numeric_cep_in_an_xlsx_is_repaired_as_a_numeric_cnpj_is() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["Nome", "CPF/CNPJ", "Cidade", "CEP"])
    book.active.append(["Padaria Pão Quente", 4252011000110, "São Paulo", 1310100])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    store = MemoryStore()
    seen: list[RowOutcome] = []
    Importer(store).run(T, ADMIN, data, on_row=seen.append)
    assert sorted((o.outcome, o.code, o.column) for o in seen) == [
        ("created", None, None),
        ("warning", "repaired", "CEP"),  # the user's own headers
        ("warning", "repaired", "CPF/CNPJ"),
    ]
    (found,) = CustomerDirectory(store).search(T, ADMIN, "Padaria")
    assert found.tax_id is not None and found.tax_id.formatted == "04.252.011/0001-10"
    assert [a.cep for a in found.addresses] == ["01310-100"]
