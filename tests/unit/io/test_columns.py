"""Headers as Brazilian back offices write them, and the check of what is left out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from customer_core import Actor
from customer_core.adapters.memory import MemoryStore
from customer_core.cli import main
from customer_core.domain.model.customer import CustomerKind
from customer_core.io import CsvSource, Importer
from customer_core.io.column_check import check_columns
from customer_core.io.rows import Draft, parse_row
from customer_core.services import CustomerDirectory

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
BACK_OFFICE = (
    "Razão Social;Nome Fantasia;CNPJ/CPF;Celular/WhatsApp;Telefone 1;Telefone 2;Telefone 3;"
    "E-mail;E-mail 2;E-mail 3;Endereço;Número;Complemento;CEP;Cidade;UF;Tipo;Documento\n"
)


def source(text: str) -> CsvSource:
    return CsvSource(io.BytesIO(text.encode("cp1252")))


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("CNPJ/CPF", "tax_id"),
        ("CPF/CNPJ", "tax_id"),
        ("Celular/WhatsApp", "phone"),
        ("WhatsApp", "phone"),
        ("Telefone 1", "phone"),
        ("Telefone 3", "phone"),
        ("Fone", "phone"),
        ("E-mail 2", "email"),
        ("Email 3", "email"),
        ("Razão Social", "name"),
        ("Nome Fantasia", "trade_name"),
        ("Endereço", "street"),
        ("Logradouro", "street"),
        ("Número", "number"),
        ("Complemento", "complement"),
        ("CEP", "cep"),
        ("Tipo", "kind"),
        ("Pessoa", "kind"),
        ("Documento", ""),  # often an RG: never read as a CPF/CNPJ
    ],
)
def test_header_synonyms(header: str, column: str) -> None:
    assert source(f"Nome;{header}\nAna;x\n").columns == ("name", column)


def test_a_back_office_export_loses_nothing() -> None:
    store = MemoryStore()
    row = (
        "Padaria Pão Quente Ltda;Pão Quente;11.222.333/0001-81;(11) 98765-4321;(11) 3333-4444;"
        "(11) 3333-5555;(11) 3333-6666;contato@pq.com.br;vendas@pq.com.br;nfe@pq.com.br;"
        "Rua das Flores;10;loja 2;01310-100;São Paulo;SP;PJ;12.345.678-9\n"
    )
    report = Importer(store).run(T, ADMIN, io.BytesIO((BACK_OFFICE + row).encode("cp1252")))
    assert (report.created, report.failed, report.warnings) == (1, 0, ())
    (company,) = CustomerDirectory(store).search(T, ADMIN, "Pão Quente")
    assert company.kind is CustomerKind.COMPANY
    assert (company.name, company.trade_name) == ("Padaria Pão Quente Ltda", "Pão Quente")
    assert company.tax_id is not None and company.tax_id.digits == "11222333000181"
    assert len(company.phones) == 4 and len(company.emails) == 3
    address = company.addresses[0]
    assert (address.street, address.number, address.complement, address.cep) == (
        "Rua das Flores",
        "10",
        "loja 2",
        "01310-100",
    )


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ({"name": "Ana", "tax_id": "529.982.247-25"}, CustomerKind.PERSON),
        ({"name": "Padaria", "tax_id": "11.222.333/0001-81"}, CustomerKind.COMPANY),
        ({"name": "Padaria", "kind": "Jurídica"}, CustomerKind.COMPANY),
        ({"name": "Padaria", "kind": "PJ"}, CustomerKind.COMPANY),
        ({"name": "Ana", "kind": "Pessoa Física"}, CustomerKind.PERSON),
        ({"name": "Padaria", "kind": "PF", "tax_id": "11.222.333/0001-81"}, CustomerKind.COMPANY),
    ],
)
def test_a_cnpj_or_the_kind_column_makes_a_company(row: dict[str, str], kind: CustomerKind) -> None:
    draft = parse_row(2, row)
    assert isinstance(draft, Draft) and draft.customer_kind is kind


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ({"name": "José Rocha ME"}, CustomerKind.COMPANY),
        ({"name": "Padaria Pão Quente"}, CustomerKind.COMPANY),
        ({"name": "Maria de Sá"}, CustomerKind.PERSON),
        ({"name": "Pão Quente", "trade_name": "Padaria Pão Quente"}, CustomerKind.COMPANY),
        # a CPF or a Tipo PF is the row's word: the name does not overrule it
        ({"name": "José Rocha ME", "tax_id": "529.982.247-25"}, CustomerKind.PERSON),
        ({"name": "Padaria Pão Quente", "kind": "PF"}, CustomerKind.PERSON),
    ],
)
def test_without_cnpj_or_kind_a_company_name_makes_a_company(
    row: dict[str, str], kind: CustomerKind
) -> None:
    draft = parse_row(2, row)
    assert isinstance(draft, Draft) and draft.customer_kind is kind


def test_an_owner_and_their_company_without_cnpj_stay_two_customers() -> None:
    """The owner's mobile on the company's row joins no company to its owner."""
    store = MemoryStore()
    text = (
        "Nome;CPF/CNPJ;Celular\n"
        "José Rocha;529.982.247-25;(11) 98765-4321\n"
        "José Rocha ME;;(11) 98765-4321\n"
        "JOSE ROCHA ME;;11 98765-4321\n"
        "Jose Rocha;;(11) 98765-4321\n"
    )
    report = Importer(store).run(T, ADMIN, io.BytesIO(text.encode("cp1252")))
    assert (report.created, report.failed) == (2, 0)
    found = CustomerDirectory(store).search(T, ADMIN, "Rocha")
    assert sorted((c.kind.value, c.name) for c in found) == [
        ("company", "José Rocha ME"),
        ("person", "José Rocha"),
    ]


def test_an_unknown_kind_is_left_out_with_a_warning() -> None:
    draft = parse_row(2, {"name": "Ana", "kind": "talvez"})
    assert isinstance(draft, Draft) and draft.kind is None
    assert [(w.column, w.code, w.value) for w in draft.warnings] == [
        ("kind", "invalid_value", "talvez")
    ]


def test_the_trade_name_takes_part_in_matching_and_names_a_row_without_a_legal_name() -> None:
    draft = parse_row(2, {"name": "Padaria Pão Quente Ltda", "trade_name": "Pão Quente"})
    assert isinstance(draft, Draft)
    assert len(draft.match_record().names) == 2
    only_trade = parse_row(2, {"trade_name": "Pão Quente"})
    assert isinstance(only_trade, Draft)
    assert (only_trade.name, only_trade.trade_name) == ("Pão Quente", None)


def test_ignored_headers_that_look_like_customer_data_are_named() -> None:
    text = (
        "Nome;Tel. Contato;Documento;Doc;Observação interna;Zona\n"
        "Ana;(11) 98765-4321;12.345.678-9;ana@x.com;boa cliente;norte\n"
        "Bia;;;bia@x.com;;sul\n"
    )
    plan = check_columns(source(text))
    assert plan.ignored == ("Tel. Contato", "Documento", "Doc", "Observação interna", "Zona")
    assert plan.suspicious == {"Tel. Contato": "phone", "Doc": "email"}
    assert check_columns(source(text), ignore=["TEL. CONTATO", "doc"]).suspicious == {}


def test_the_rows_looked_at_ahead_are_imported_all_the_same() -> None:
    table = source("Nome;Zona\n" + "".join(f"Cliente {n};z\n" for n in range(150)))
    check_columns(table)
    assert [line for line, _row in table.rows()] == list(range(2, 152))


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, out=out), out.getvalue()


def test_the_cli_shows_the_mapping_and_refuses_a_dropped_phone_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clientes.csv"
    path.write_text("Nome;Tel. Contato;Zona\nAna;(11) 98765-4321;norte\n", encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'c.db'}"
    assert run(["db", "upgrade", database])[0] == 0
    common = [str(path), "--database", database, "--tenant", T]
    common += ["--no-progress"]
    status, out = run(["import", *common])
    assert status == 2
    assert "Nome -> name" in out and "ignored: Tel. Contato, Zona" in out
    err = capsys.readouterr().err
    assert "invalid_mapping" in err and "'Tel. Contato' (phone)" in err
    assert "0 created" not in out  # nothing was imported
    status, out = run(["import", *common, "--mapping", "Tel. Contato=phone"])
    assert status == 0 and "Tel. Contato -> phone" in out and "1 created" in out
    status, out = run(["import", *common, "--ignore", "Tel. Contato", "--dry-run"])
    assert status == 0 and "ignored: Tel. Contato, Zona" in out
