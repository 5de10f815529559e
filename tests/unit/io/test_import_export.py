"""CSV import and export on the memory adapter: the bad-input corpus and the guarantees."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_core import Actor, InvalidValue, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.domain.model.identity import IdentityKind
from customer_core.io import (
    TEMPLATE_HEADER,
    Exporter,
    Importer,
    Progress,
    RowOutcome,
    write_template,
)
from customer_core.io.rows import Draft, parse_row
from customer_core.services import CustomerService, PortfolioService
from customer_core.testing import strategies as cc

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
HEADER = "Nome;E-mail;DDI;DDD;Telefone;CPF/CNPJ;Rua;Bairro;Cidade;Estado;CEP\n"
#: The template shipped in the package (found through it, wherever this file lives).
TEMPLATE = resources.files("customer_core.io") / "templates" / "planilha-de-clientes-modelo.csv"


def setup(
    preset: presets.Preset = presets.DEFAULT,
) -> tuple[MemoryStore, Importer, CustomerService]:
    store = MemoryStore()
    return store, Importer(store, preset=preset), CustomerService(store, preset=preset)


def data(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def count(store: MemoryStore) -> int:
    with store.unit_of_work() as uow:
        return uow.customers.count(T)


def test_a_row_has_the_identity_keys_of_the_customer_it_becomes() -> None:
    draft = parse_row(
        2,
        {
            "name": "Padaria Pão Quente",
            "tax_id": "11.222.333/0001-81",
            "phone": "11 98765-4321",
            "other_phones": "11 3333-4444",
            "email": "Contato@Padaria.com.br",
            "external_id": "ERP-7",
        },
    )
    assert isinstance(draft, Draft)
    made = draft.new_customer(id="c1", tenant_id=T, now=datetime(2026, 1, 5, tzinfo=timezone.utc))
    assert draft.identity_keys() == set(made.identity_keys())
    assert {k.kind for k in draft.identity_keys()} == {
        IdentityKind.TAX_ID,
        IdentityKind.PHONE,
        IdentityKind.EMAIL,
        IdentityKind.EXTERNAL,
    }


def test_the_shipped_template_is_the_empty_template_and_imports_nothing() -> None:
    # A user who uploads the template unchanged gets no sample customer.
    written = io.StringIO()
    write_template(written)
    assert TEMPLATE.read_bytes().decode("utf-8-sig") == written.getvalue()
    assert written.getvalue().rstrip("\r\n").split(";") == list(TEMPLATE_HEADER)
    _store, importer, _ = setup(presets.OMNICHAT)
    with resources.as_file(TEMPLATE) as template:
        report = importer.run(T, ADMIN, template)
    assert (report.rows_read, report.created, report.failed) == (0, 0, 0), report.errors


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings_are_detected(encoding: str) -> None:
    store, importer, _customers = setup()
    report = importer.run(
        T, ADMIN, data(HEADER + "João Conceição;joao@x.com;55;11;98765-4321;;;;;;\n", encoding)
    )
    assert report.created == 1
    with store.unit_of_work() as uow:
        assert uow.customers.list_page(T)[0].name == "João Conceição"


def test_comma_delimiter_quotes_and_newlines_keep_line_numbers() -> None:
    _store, importer, _ = setup()
    text = (
        "Nome,E-mail,Observação\n"
        '"Ana, a primeira",ana@x.com,"linha 1\nlinha 2"\n'
        "Bia,bia@@x.com,\n"
        "Caio,caio@x.com,\n"
    )
    report = importer.run(T, ADMIN, data(text))
    # Bia is kept without her mistyped e-mail, which the report names by line and column.
    assert (report.created, report.failed) == (3, 0)
    assert [(w.line, w.column, w.code) for w in report.warnings] == [(4, "email", "invalid_email")]
    strict = importer.run(T, ADMIN, data(text), strict=True, mode="upsert")
    assert [(e.line, e.column, e.code) for e in strict.errors] == [(4, "email", "invalid_email")]


def test_mixed_encodings_in_one_file_do_not_abort() -> None:
    _, importer, _ = setup()
    blob = HEADER.encode() + b"Ana;ana@x.com;;;;;;;;;\n" + "Zé;ze@x.com;;;;;;;;;\n".encode("cp1252")
    report = importer.run(T, ADMIN, io.BytesIO(blob))
    assert report.created == 2


def test_empty_file_and_header_only() -> None:
    _, importer, _ = setup()
    with pytest.raises(InvalidValue) as info:
        importer.run(T, ADMIN, data(""))
    assert info.value.code == "empty_file"
    report = importer.run(T, ADMIN, data(HEADER))
    assert (report.rows_read, report.created) == (0, 0)
    with pytest.raises(InvalidValue) as info:
        importer.run(T, ADMIN, data("foo;bar\n1;2\n"))
    assert info.value.code == "invalid_header"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "field"),
    [
        ("latin-9x", None, "encoding"),
        ("base64", None, "encoding"),
        (None, ";;", "delimiter"),
        (None, "", "delimiter"),
        (None, '"', "delimiter"),
    ],
)
def test_an_unusable_encoding_or_delimiter_is_an_invalid_value(
    encoding: str | None, delimiter: str | None, field: str
) -> None:
    _, importer, _ = setup()
    with pytest.raises(InvalidValue) as info:
        importer.run(
            T,
            ADMIN,
            data(HEADER + "Ana;ana@x.com;;;;;;;;;\n"),
            encoding=encoding,
            delimiter=delimiter,
        )
    assert (info.value.code, info.value.field) == ("invalid_value", field)


def test_two_columns_of_one_field_lose_nothing() -> None:
    # "Telefone" and "Celular" are both the phone, "CPF" and "CNPJ" both the tax id.
    store, importer, _ = setup()
    text = (
        "Nome;Telefone;Celular;CPF;CNPJ;E-mail;Email\n"
        "Ana;(11) 3333-4444;;529.982.247-25;;ana@x.com;\n"
        "Bia;;(11) 98765-4321;;;;bia@x.com\n"
        "Caio;(21) 3333-5555;(21) 98765-1111;;11.222.333/0001-81;caio@x.com;c2@x.com\n"
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.failed) == (3, 0), report.errors
    with store.unit_of_work() as uow:
        stored = {c.name: c for c in uow.customers.list_page(T)}
    assert [p.national for p in stored["Ana"].phones] == ["(11) 3333-4444"]
    assert str(stored["Ana"].tax_id) == "529.982.247-25"
    assert [p.national for p in stored["Bia"].phones] == ["(11) 98765-4321"]
    assert [str(e) for e in stored["Bia"].emails] == ["bia@x.com"]
    caio = stored["Caio"]
    assert [p.national for p in caio.phones] == ["(21) 3333-5555", "(21) 98765-1111"]
    assert [str(e) for e in caio.emails] == ["caio@x.com", "c2@x.com"]
    assert str(caio.tax_id) == "11.222.333/0001-81"


def test_unbalanced_quotes_do_not_crash_and_keep_earlier_rows() -> None:
    store, importer, _ = setup()
    text = HEADER + 'Ana;ana@x.com;;;;;;;;;\n"Bia;bia@x.com;;;;;;;;;\nCaio;caio@x.com;;;;;;;;;\n'
    report = importer.run(T, ADMIN, data(text))
    assert report.created >= 1
    with store.unit_of_work() as uow:
        assert "Ana" in [c.name for c in uow.customers.list_page(T)]


def test_ten_thousand_bad_rows_among_good_ones() -> None:
    store, importer, _ = setup()
    lines = [HEADER]
    for i in range(12_000):
        if i % 6 == 0:
            lines.append(f"Cliente {i};c{i}@x.com;;;;;;;;;\n")
        else:
            lines.append(f"Cliente {i};not-an-email-{i};;;;111.111.111-11;;;;;\n")
    report = importer.run(T, ADMIN, data("".join(lines)), strict=True)
    assert report.created == 2_000
    assert report.failed == 10_000
    assert count(store) == 2_000
    assert {e.code for e in report.errors} == {"invalid_email", "invalid_cpf"}


def test_a_bad_optional_value_never_drops_the_row() -> None:
    """Each row keeps its name and every valid value; what was left out is reported."""
    store, importer, _ = setup()
    text = (
        "Nome;E-mail;Telefone;Outros telefones;CPF/CNPJ;Cidade;UF;CEP\n"
        "Luciana Rodrigues;luciana@x.com;98683-0512;;529.982.247-25;São Luís;MA;\n"
        "Bia Souza;bia@@x.com;(11) 98765-4321;(whats?);;Recife;PE;5010\n"
        "Caio Lima;caio@x.com;;;111.111.111-11;;;\n"
        ";sem-nome@x.com;;;;;;\n"  # nothing to call the customer: refused
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.failed) == (3, 1)
    assert sorted((w.line, w.column or "", w.code) for w in report.warnings) == [
        (2, "phone", "invalid_phone"),
        (3, "cep", "invalid_cep"),
        (3, "email", "invalid_email"),
        (3, "other_phones", "invalid_phone"),
        (4, "tax_id", "invalid_cpf"),
    ]
    assert [(e.line, e.column) for e in report.errors] == [(5, "name")]
    with store.unit_of_work() as uow:
        stored = {c.name: c for c in uow.customers.list_page(T)}
    luciana, bia = stored["Luciana Rodrigues"], stored["Bia Souza"]
    assert (str(luciana.tax_id), luciana.emails[0].match_key) == ("529.982.247-25", "luciana@x.com")
    assert (bia.addresses[0].city, bia.addresses[0].cep, len(bia.phones)) == ("Recife", None, 1)


def test_a_ten_megabyte_field_is_a_row_error() -> None:
    _, importer, _ = setup()
    text = (
        HEADER.replace("\n", ";Observação\n")
        + "Ana;ana@x.com;;;;;;;;;;"
        + "x" * 10_000_000
        + "\nBia;bia@x.com;;;;;;;;;;ok\n"
    )
    report = importer.run(T, ADMIN, data(text))
    assert report.created == 2  # Ana is kept without the note
    assert [(w.line, w.column) for w in report.warnings] == [(2, "note")]


def test_in_file_duplicates_become_one_customer_even_across_batches() -> None:
    store, importer, _customers = setup()
    text = (
        HEADER
        + "Ana;ana@x.com;55;11;98765-4321;;;;;;\n"
        + "Bia;bia@x.com;;;;;;;;;\n"
        + "Ana Lima;;;;+55 11 8765-4321;529.982.247-25;;;;;\n"  # same line, old format
        + "A. Lima;ANA@X.COM;;;;;;;;;\n"
    )
    report = importer.run(T, ADMIN, data(text), batch_size=2)
    assert report.created == 2
    assert report.merged_rows == 2
    with store.unit_of_work() as uow:
        ana = next(c for c in uow.customers.list_page(T) if c.tax_id is not None)
    assert len(ana.phones) == 1 and len(ana.emails) == 1


def test_a_row_joining_two_earlier_rows_makes_them_one_customer() -> None:
    store, importer, _customers = setup()
    text = (
        HEADER
        + "Ana;;55;11;98765-4321;;;;;;\n"
        + "Ana Lima;ana@x.com;;;;;;;;;\n"
        + "Ana L.;ana@x.com;55;11;98765-4321;;;;;;\n"  # shares a key with each row above
        + "A. Lima;;;;;529.982.247-25;;;;;\n"
        + "Ana Lima;ANA@x.com;;;;529.982.247-25;;;;;\n"  # and with the joined group
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.merged_rows) == (1, 4)
    with store.unit_of_work() as uow:
        (ana,) = uow.customers.list_page(T)
    assert (len(ana.phones), len(ana.emails), ana.tax_id is not None) == (1, 1, True)


def test_a_row_tying_together_rows_with_different_cpfs_is_reported() -> None:
    store, importer, _customers = setup()
    text = (
        "Nome;E-mail;Outros e-mails;CPF/CNPJ\n"
        "Ana Lima;a@x.com;;529.982.247-25\n"
        "Ana Souza;b@x.com;;111.444.777-35\n"
        "Ana;a@x.com;b@x.com;\n"  # one customer by each e-mail: two CPFs
        "Ana Souza;c@x.com;;111.444.777-35\n"  # the second Ana's CPF: joins her
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.failed, report.merged_rows) == (2, 1, 1)
    assert [(e.line, e.code, e.column) for e in report.errors] == [
        (4, "duplicate_identity", "tax_id"),
    ]
    with store.unit_of_work() as uow:
        souza = next(c for c in uow.customers.list_page(T) if c.name == "Ana Souza")
    assert {e.match_key for e in souza.emails} == {"b@x.com", "c@x.com"}


def test_a_shared_email_with_another_cpf_or_name_is_another_customer() -> None:
    """A couple's e-mail, an owner's company: sharing an e-mail never merges conflicting rows."""
    store, importer, _customers = setup()
    text = (
        "Nome;E-mail;CPF/CNPJ\n"
        "Ana Lima;casa@x.com;529.982.247-25\n"
        "Ana Lima;casa@x.com;390.533.447-05\n"  # another CPF: another Ana
        "Bruno Lima;casa@x.com;\n"  # another given name
        "Ana Lima Doces ME;casa@x.com;11.222.333/0001-81\n"  # her company
        "ANA LIMA;CASA@x.com;\n"  # fits both Anas, who conflict: which one is the user's call
        "Bruno Lima;CASA@x.com;\n"  # fits Bruno alone: the same Bruno
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.failed, report.merged_rows) == (4, 1, 1)
    assert [(e.line, e.code) for e in report.errors] == [(6, "duplicate_identity")]
    with store.unit_of_work() as uow:
        stored = uow.customers.list_page(T)
    assert sorted(c.kind.value for c in stored) == ["company", "person", "person", "person"]
    assert all(c.emails[0].match_key == "casa@x.com" for c in stored)


def test_a_row_reaching_two_branches_joins_the_one_holding_more_of_its_keys() -> None:
    store, importer, _customers = setup()
    text = (
        "Nome;E-mail;Telefone;CPF/CNPJ\n"
        "Papelaria Rei;rei@x.com;(86) 3222-1111;11.222.333/0001-81\n"
        "Papelaria Rei;rei@x.com;(86) 3222-2222;11.222.333/0002-62\n"
        "PAPELARIA REI LTDA;rei@x.com;(86) 3222-2222;\n"  # the e-mail of both, the phone of one
        "Papelaria Rei;rei@x.com;;\n"  # the e-mail of both, nothing else: cannot be placed
    )
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.failed, report.merged_rows) == (2, 1, 1)
    assert [(e.line, e.code) for e in report.errors] == [(5, "duplicate_identity")]
    with store.unit_of_work() as uow:
        second = next(c for c in uow.customers.list_page(T) if str(c.tax_id).endswith("62"))
    assert second.phones[0].e164 == "+558632222222"


def test_exported_customers_sharing_an_email_stay_apart_on_reimport() -> None:
    store, importer, customers = setup()
    customers.register(T, ADMIN, name="ELIS REGINA", emails=["elis@x.com"])
    customers.register(
        T, ADMIN, name="Elis Regina Costa", emails=["elis@x.com"], phones=["21 98765-4321"]
    )
    out = io.StringIO()
    Exporter(store).run(T, ADMIN, out)
    report = importer.run(T, ADMIN, data(out.getvalue()), mode="upsert")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_an_import_leaves_the_garbage_collector_alone() -> None:
    # A library does not change process-wide settings, not even for a while,
    # unless the application asks (tune_gc=True: tests/unit/io/test_collector.py).
    before = (gc.isenabled(), gc.get_threshold())
    _store, importer, _ = setup()
    seen: list[tuple[bool, tuple[int, ...]]] = []

    def watch(progress: Progress) -> None:
        seen.append((gc.isenabled(), gc.get_threshold()))

    importer.run(T, ADMIN, data(HEADER + "Ana;ana@x.com;;;;;;;;;\n"), progress=watch)
    assert seen and set(seen) == {before}  # while reading, and after the batch
    assert (gc.isenabled(), gc.get_threshold()) == before


def test_upsert_replaces_existing_by_email_or_phone_and_keeps_identifiers() -> None:
    _store, importer, customers = setup()
    ana = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"], phones=["11 3333-4444"])
    text = HEADER + "Ana Lima;ANA@x.com;55;11;98765-4321;;Rua A;Centro;Recife;PE;50000-000\n"
    created_only = importer.run(T, ADMIN, data(text), mode="create")
    assert (created_only.created, created_only.skipped) == (0, 1)
    report = importer.run(T, ADMIN, data(text), mode="upsert")
    assert report.updated == 1
    stored = customers.get(T, ADMIN, ana.id)
    assert stored.name == "Ana Lima"
    assert {p.match_key for p in stored.phones} == {"551133334444", "5511987654321"}
    again = importer.run(T, ADMIN, data(text), mode="upsert")
    assert (again.updated, again.unchanged) == (0, 1)


def test_identifiers_of_two_customers_in_one_row_are_reported() -> None:
    _, importer, customers = setup()
    customers.register(T, ADMIN, name="Ana", tax_id="529.982.247-25")
    customers.register(T, ADMIN, name="Ana", external_ids=[("code", "42")])
    report = importer.run(
        T, ADMIN, data("Nome;CPF/CNPJ;Código\nAna;529.982.247-25;42\n"), mode="upsert"
    )
    assert [e.code for e in report.errors] == ["duplicate_identity"]


def test_an_upsert_by_a_shared_landline_never_overwrites_another_person() -> None:
    """The upsert of Bruno's row over Ana's, matched only by the household landline."""
    _, importer, customers = setup()
    ana = customers.register(
        T, ADMIN, name="Ana Lima", tax_id="529.982.247-25", phones=["(11) 3333-4444"]
    )
    report = importer.run(
        T,
        ADMIN,
        data("Nome;CPF/CNPJ;Telefone\nBruno Lima;390.533.447-05;(11) 3333-4444\n"),
        mode="upsert",
    )
    assert (report.created, report.updated, report.failed) == (1, 0, 0)
    kept = customers.get(T, ADMIN, ana.id)
    assert (kept.name, str(kept.tax_id)) == ("Ana Lima", "529.982.247-25")


def test_dry_run_reports_what_a_real_run_does_and_writes_nothing() -> None:
    text = (
        HEADER + "".join(f"C{i};c{i % 7}@x.com;;;;;;;;;\n" for i in range(30)) + "X;bad@;;;;;;;;;\n"
    )
    store, importer, _ = setup()
    dry = importer.run(T, ADMIN, data(text), dry_run=True, batch_size=4)
    assert count(store) == 0
    real = importer.run(T, ADMIN, data(text), batch_size=4)
    assert (dry.created, dry.updated, dry.merged_rows, dry.failed) == (
        real.created,
        real.updated,
        real.merged_rows,
        real.failed,
    )
    assert dry.dry_run and not real.dry_run
    assert real.created == 8  # X is kept without its e-mail


def test_a_crash_mid_file_then_rerun_gives_the_right_result() -> None:
    text = (
        HEADER
        + "".join(f"C{i};c{i}@x.com;;;;;;;;;\n" for i in range(50))
        + "".join(f"Sem contato {i};;;;;;;;;;\n" for i in range(10))
    )
    store, importer, _ = setup()

    def crash(progress: Progress) -> None:
        if progress.created == 30:  # after the third batch is stored
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer.run(T, ADMIN, data(text), batch_size=10, progress=crash)
    assert count(store) == 30
    importer.run(T, ADMIN, data(text), batch_size=10, mode="upsert")
    importer.run(T, ADMIN, data(text), batch_size=10, mode="upsert")  # and once more: no change
    assert count(store) == 60


def test_importer_portfolio_under_omnichat() -> None:
    store, importer, _ = setup(presets.OMNICHAT)
    seller = Actor(tenant_id=T, user_id="s1")
    report = importer.run(
        T, seller, data(HEADER + "Ana;ana@x.com;55;11;98765-4321;;Rua A;Centro;Recife;PE;\n")
    )
    assert report.created == 1
    with store.unit_of_work() as uow:
        assert uow.customers.list_page(T)[0].responsible_id == "s1"
    missing = importer.run(T, seller, data(HEADER + "Bia;bia@x.com;;;;;;;;;\n"))
    assert [e.code for e in missing.errors] == ["required_field"]


def test_an_agent_who_cannot_see_unassigned_customers_keeps_what_they_import() -> None:
    # Seed 003: an agent sees only their portfolios' customers (and those they
    # are responsible for). What they import is theirs, so a re-run finds it.
    store, importer, _ = setup(presets.HELPDESK_PORTFOLIO)
    agent = Actor(tenant_id=T, user_id="u9", role="seller")
    text = (
        HEADER
        + "Lia Souza;lia@x.com;;11;3333-4444;;;;;;\n"
        + ("Rui Costa;;;11;98765-4321;529.982.247-25;;;;;\n")
    )
    first = importer.run(T, agent, data(text), mode="upsert")
    again = importer.run(T, agent, data(text), mode="upsert")
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    with store.unit_of_work() as uow:
        assert {c.responsible_id for c in uow.customers.list_page(T)} == {"u9"}
    # So does what they register by hand: they can read it back.
    customers = CustomerService(store, preset=presets.HELPDESK_PORTFOLIO)
    ana = customers.register(T, agent, name="Ana Souza", phones=["11 98765-1234"])
    assert customers.get(T, agent, ana.id).responsible_id == "u9"
    # Said explicitly, the caller's choice stands: unassigned, and out of the agent's sight.
    unassigned = importer.run(
        T, agent, data(HEADER + "Bia;bia@x.com;;;;;;;;;\n"), assign_to_importer=False
    )
    assert unassigned.created == 1
    with store.unit_of_work() as uow:
        assert [c.responsible_id for c in uow.customers.list_page(T) if c.name == "Bia"] == [None]


def test_a_tipo_that_contradicts_the_cnpj_is_left_out_and_said() -> None:
    # The CNPJ (its digits checked) says company; the Tipo cell is reported, not silent.
    store, importer, _ = setup()
    text = "Nome;Tipo;CPF/CNPJ\nPadaria Sol;PF;11.222.333/0001-81\nLoja X;PJ;529.982.247-25\n"
    report = importer.run(T, ADMIN, data(text))
    assert report.created == 2
    assert [(w.line, w.column, w.code, w.value) for w in report.warnings] == [
        (2, "kind", "invalid_value", "PF")
    ]
    with store.unit_of_work() as uow:
        kinds = {c.name: c.kind.value for c in uow.customers.list_page(T)}
    assert kinds == {"Padaria Sol": "company", "Loja X": "company"}


def test_the_report_names_the_columns_it_did_not_read() -> None:
    _store, importer, _ = setup()
    text = "Nome;Tel. Contato;Cidade;Anotações internas\nAna;11 98765-4321;Recife;x\n"
    report = importer.run(T, ADMIN, data(text))
    assert report.created == 1
    assert report.ignored_columns == ("Tel. Contato", "Anotações internas")
    assert importer.run(T, ADMIN, data(HEADER)).ignored_columns == ()


def test_export_neutralizes_formulas_and_reimports() -> None:
    store, _, customers = setup()
    customers.register(T, ADMIN, name="=cmd|' /C calc'!A0", emails=["a@x.com"], note="@SUM(1+1)")
    out = io.StringIO()
    assert Exporter(store).run(T, ADMIN, out) == 1
    line = out.getvalue().splitlines()[1]
    assert line.startswith("'=cmd")
    assert ";'@SUM" in line
    target, importer, _ = setup()
    importer.run(T, ADMIN, data(out.getvalue()))
    with target.unit_of_work() as uow:
        (back,) = uow.customers.list_page(T)
    assert (back.name, back.note) == ("=cmd|' /C calc'!A0", "@SUM(1+1)")


def test_export_follows_visibility() -> None:
    store, _, customers = setup(presets.HELPDESK_PORTFOLIO)
    p1 = PortfolioService(store, preset=presets.HELPDESK_PORTFOLIO).create(T, ADMIN, name="P1")
    customers.register(T, ADMIN, name="Ana", portfolio_id=p1.id)
    customers.register(T, ADMIN, name="Bia")
    agent = Actor(tenant_id=T, user_id="u9")
    out = io.StringIO()
    assert (
        Exporter(store, preset=presets.HELPDESK_PORTFOLIO).run(T, agent, out, my_portfolio=False)
        == 0
    )
    assert Exporter(store, preset=presets.HELPDESK_PORTFOLIO).run(T, ADMIN, io.StringIO()) == 2


@settings(
    max_examples=25, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(cc.customers(tenant_id=T), min_size=1, max_size=5))
def test_export_then_import_round_trips(generated: list[object]) -> None:
    store, _, _ = setup()
    seen: set[object] = set()
    with store.unit_of_work() as uow:
        added = []
        for customer in generated:
            keys = set(customer.identity_keys())  # type: ignore[attr-defined]
            if keys & seen:
                # Two records sharing a line or an e-mail, with fitting names, are one
                # customer to the import: the round trip is about values, not duplicates.
                continue
            try:
                added.append(uow.customers.add(customer))  # type: ignore[arg-type]
            except Exception:
                continue
            seen |= keys
        uow.commit()
    out = io.StringIO()
    Exporter(store).run(T, ADMIN, out)
    target, importer, _ = setup()
    report = importer.run(T, ADMIN, data(out.getvalue()))
    assert report.failed == 0, report.errors

    def summary(s: MemoryStore) -> list[tuple[object, ...]]:
        with s.unit_of_work() as uow:
            return sorted(
                (
                    c.name,
                    c.tax_id.digits if c.tax_id else "",
                    tuple(sorted(p.match_key for p in c.phones)),
                    tuple(sorted(e.match_key for e in c.emails)),
                    tuple((a.street or "", a.city or "", a.cep or "") for a in c.addresses[:1]),
                )
                for c in uow.customers.list_page(T, limit=100)
            )

    assert summary(target) == summary(store)


@pytest.mark.parametrize("batch_size", [1, 2, 5000])
def test_the_report_counts_each_customer_once_whatever_the_batch_size(batch_size: int) -> None:
    # Ana's three rows (one phone in three spellings) and Bia's two rows (one
    # e-mail, two cases) land in different batches when batches are small.
    text = (
        HEADER
        + "Ana;;55;11;98765-4321;;;;;;\n"
        + "Bia;bia@x.com;;;;;;;;;\n"
        + "Ana;;;;+55 11 8765-4321;;;;;;\n"
        + "Bia;BIA@X.COM;;;;;;;;;\n"
        + "Ana;;;;0055 11 98765 4321;;;;;;\n"
    )
    store, importer, _ = setup()
    first = importer.run(T, ADMIN, data(text), batch_size=batch_size)
    assert (first.created, first.merged_rows, first.failed) == (2, 3, 0)
    assert count(store) == 2
    skipped = importer.run(T, ADMIN, data(text), batch_size=batch_size)
    assert (skipped.created, skipped.skipped) == (0, 2)
    again = importer.run(T, ADMIN, data(text), mode="upsert", batch_size=batch_size)
    assert (again.created, again.updated, again.unchanged, again.merged_rows) == (0, 0, 2, 3)


def test_two_rows_that_find_one_stored_customer_by_different_keys_skip_it_once() -> None:
    _store, importer, customers = setup()
    customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"], phones=["11 98765-4321"])
    text = HEADER + "Ana;ana@x.com;;;;;;;;;\n" + "Ana;;55;11;98765-4321;;;;;;\n"
    report = importer.run(T, ADMIN, data(text))
    assert (report.created, report.skipped) == (0, 1)


def test_rows_the_database_refuses_fail_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value the domain accepts but the database refuses (a column's size, a
    character) rolls back its batch; the batch is written again in halves and
    only the refused rows are reported."""
    from customer_core import InvalidStoredValue
    from customer_core.adapters.memory_customers import MemoryCustomerRepository

    def refusing(write: Callable[..., Any]) -> Callable[..., Any]:
        def written(self: MemoryCustomerRepository, records: Sequence[Any], /) -> Any:
            customers = [r[0] if isinstance(r, tuple) else r for r in records]  # save_many: pairs
            if any(c.name.startswith("Recusado") for c in customers):
                raise InvalidStoredValue("refused")
            return write(self, records)

        return written

    for name in ("add_many", "save_many"):
        monkeypatch.setattr(
            MemoryCustomerRepository, name, refusing(getattr(MemoryCustomerRepository, name))
        )
    store, importer, _ = setup()
    names = [f"Recusado {n}" if n in (3, 7) else f"Cliente {n}" for n in range(10)]
    rows = "".join(f"{name};c{n}@x.com\n" for n, name in enumerate(names))
    report = importer.run(T, ADMIN, data(f"Nome;E-mail\n{rows}"), batch_size=10)
    assert (report.created, report.failed) == (8, 2)
    assert [(e.line, e.code) for e in report.errors] == [
        (5, "invalid_stored_value"),
        (9, "invalid_stored_value"),
    ]
    assert count(store) == 8
    renamed = "Nome;E-mail\nRecusado 0;c0@x.com\nCliente 1 Souza;c1@x.com\nCliente 3;c3@x.com\n"
    again = importer.run(T, ADMIN, data(renamed), mode="upsert", batch_size=10)
    # Recusado 0 is another person than Cliente 0: a new customer sharing the
    # e-mail, refused by the database like the first time.
    assert (again.created, again.updated, again.failed) == (1, 1, 1)
    assert [e.line for e in again.errors] == [2]


def test_rows_of_one_customer_merge_the_same_whatever_the_batch_size() -> None:
    rows = (
        "Nome;E-mail;Telefone;CPF/CNPJ;Cidade;Observação\n"
        "Bia;bia@x.com;;;;\n"
        "Caio;caio@x.com;(11) 3333-4444;;Recife;primeira\n"
        "Bia Lima;BIA@X.COM;(21) 98765-4321;529.982.247-25;Natal;cliente antiga\n"
        "Caio Souza;;11 3333 4444;;Olinda;segunda\n"
    )

    def stored(batch_size: int) -> list[tuple[object, ...]]:
        store, importer, _ = setup()
        report = importer.run(T, ADMIN, data(rows), mode="upsert", batch_size=batch_size)
        assert (report.created, report.merged_rows, report.failed) == (2, 2, 0)
        with store.unit_of_work() as uow:
            return sorted(
                (
                    c.name,
                    c.tax_id,
                    c.note,
                    [p.match_key for p in c.phones],
                    [e.match_key for e in c.emails],
                    [a.city for a in c.addresses],
                )
                for c in uow.customers.list_page(T)
            )

    in_one_batch = stored(10)
    # Each customer's values come from its fullest row first (the CPF row, the longer name).
    assert in_one_batch[0][0] == "Bia Lima" and in_one_batch[1][2] == "segunda"
    assert stored(1) == stored(2) == in_one_batch


def test_each_line_says_which_customer_it_went_to() -> None:
    _store, importer, customers = setup()
    ana = customers.register(T, ADMIN, name="Ana Lima", tax_id="529.982.247-25")
    text = (
        "Nome;E-mail;CPF/CNPJ;Telefone\n"
        "Ana Lima;ana@x.com;529.982.247-25;\n"  # Ana, stored before
        "Bruno Lima;bruno@x.com;;(11) 3333-4444\n"
        "Bruno;BRUNO@x.com;;\n"  # the same Bruno, later in the file
        "Sem nome;;111.111.111-11;\n"  # fails: a repeated-digit CPF
    )
    seen: list[RowOutcome] = []
    report = importer.run(T, ADMIN, data(text), mode="upsert", batch_size=2, on_row=seen.append)
    by_line = {o.line: o for o in seen if o.outcome != "warning"}
    assert sorted(by_line) == [2, 3, 4, 5]
    assert (by_line[2].outcome, by_line[2].customer_id) == ("updated", ana.id)
    assert by_line[3].outcome == "created"
    assert (by_line[4].outcome, by_line[4].customer_id) == ("merged", by_line[3].customer_id)
    assert (by_line[5].outcome, by_line[5].code) == ("created", None)  # kept, without the CPF
    assert ("warning", "invalid_cpf") in {(o.outcome, o.code) for o in seen if o.line == 5}
    assert report.created == 2


def test_rows_without_identifiers_are_found_again_in_a_reordered_file() -> None:
    """Their key is what they say (name and address) and which copy they are, not a line."""
    _store, importer, _ = setup()
    rows = [
        "Maria Silva;;Rua A;10;Centro;Recife;PE",
        "Maria Silva;;Rua A;10;Centro;Recife;PE",  # a second, identical row: a second Maria
        "José Santos;;;;;Natal;RN",
        "Ana;ana@x.com;;;;;",
    ]
    header = "Nome;E-mail;Rua;Número;Bairro;Cidade;UF\n"
    first = importer.run(T, ADMIN, data(header + "\n".join(rows) + "\n"))
    assert (first.created, first.failed) == (4, 0)
    shuffled = [rows[3], "", rows[2], rows[0], "", rows[1]]
    again = importer.run(T, ADMIN, data(header + "\n".join(shuffled) + "\n"), mode="upsert")
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert again.unchanged == 4


def test_upserting_the_own_export_changes_nothing() -> None:
    store, importer, customers = setup()
    customers.register(T, ADMIN, name="Ana Lima", emails=["ana@x.com"], tax_id="529.982.247-25")
    customers.register(T, ADMIN, name="Maria Silva")  # no identifier at all
    customers.register(T, ADMIN, name="Maria Silva")  # a second one, the same
    out = io.StringIO()
    Exporter(store).run(T, ADMIN, out)
    again = importer.run(T, ADMIN, data(out.getvalue()), mode="upsert")
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 3, 0)
    assert count(store) == 3


@pytest.mark.parametrize(
    "name", ["=1+1", "'=1+1", "''=1+1", "\uff1d1+1", "\u200b=1+1", "@Ana", "-Ana"]
)
def test_formula_looking_names_are_defused_and_round_trip_exactly(name: str) -> None:
    store, _, customers = setup()
    customers.register(T, ADMIN, name=name, emails=["a@x.com"])
    out = io.StringIO()
    Exporter(store).run(T, ADMIN, out)
    cell = out.getvalue().splitlines()[1].split(";")[0]
    assert cell.startswith("'")  # a spreadsheet shows it as text
    target, importer, _ = setup()
    importer.run(T, ADMIN, data(out.getvalue()))
    with target.unit_of_work() as uow:
        (again,) = uow.customers.list_page(T)
    assert again.name == name
