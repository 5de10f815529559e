"""The ``customer-core`` command: defaults, and every error one line with a code."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from customer_core import Actor, connect
from customer_core.cli import main

HEADER = "Nome;E-mail;Telefone\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_commands_other_than_demo_use_the_documented_default_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "clientes.csv"
    source.write_text(HEADER + "Ana;ana@x.com;11 98765-4321\n", encoding="utf-8")
    assert run(["db", "upgrade"], capsys)[0] == 0
    assert run(["import", str(source), "--no-progress", "--tenant", "acme"], capsys)[0] == 0
    assert (tmp_path / "customers.db").exists()
    assert not (tmp_path / "customer-core-demo.db").exists()
    code, out, _ = run(["search", "ana", "--tenant", "acme"], capsys)
    assert code == 0 and "Ana" in out


@pytest.mark.parametrize(
    "command", [["search", "ana"], ["duplicates"], ["export"], ["import", "clientes.csv"]]
)
def test_a_tenant_is_required(
    command: list[str],
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unnamed tenant used to read the empty tenant "default": "no customer found"."""
    monkeypatch.delenv("CUSTOMER_CORE_TENANT")
    (here / "clientes.csv").write_text(HEADER + "Ana;;\n", encoding="utf-8")
    code, out, err = run(command, capsys)
    assert code == 2 and not out
    assert err.startswith("customer-core: error required_field [tenant]"), err
    assert "CUSTOMER_CORE_TENANT" in err
    monkeypatch.setenv("CUSTOMER_CORE_TENANT", "acme")
    assert run(command, capsys)[0] == 0


@pytest.mark.parametrize("command", [["search", "ana"], ["duplicates"], ["export", "out.csv"]])
def test_a_read_only_command_creates_no_database(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run([*command, "--tenant", "acme"], capsys)
    assert code == 2
    assert err.startswith("customer-core: error storage_unavailable [url]: "), err
    assert "there is no database at customers.db" in err, err
    assert "run: customer-core db upgrade sqlite:///customers.db" in err
    assert not (tmp_path / "customers.db").exists()
    missing = f"sqlite:///{tmp_path / 'typo.db'}"
    code, _out, err = run([*command, "--tenant", "acme", "--database", missing], capsys)
    assert code == 2 and "there is no database at" in err
    assert not (tmp_path / "typo.db").exists()


def test_a_missing_schema_says_how_to_make_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    sqlite3.connect(path).close()  # a database, but not ours (yet)
    source = tmp_path / "clientes.csv"
    source.write_text(HEADER + "Ana;ana@x.com;\n", encoding="utf-8")
    database = f"sqlite:///{path}"
    for command in (["search", "ana"], ["import", str(source), "--no-progress"]):
        code, _out, err = run([*command, "--tenant", "acme", "--database", database], capsys)
        assert code == 2
        assert err.startswith("customer-core: error storage_unavailable [url]: "), err
        assert f"run: customer-core db upgrade {database}" in err
        assert len(err.strip().splitlines()) == 1
    assert run(["db", "upgrade", database], capsys)[0] == 0
    assert run(["search", "ana", "--tenant", "acme", "--database", database], capsys)[0] == 0


@pytest.mark.parametrize(
    ("database", "code"),
    [
        ("not a url", "invalid_value"),
        ("nosuchdialect://x/y", "invalid_value"),
        ("sqlite:////no/such/folder/x.db", "storage_unavailable"),
        ("postgresql+psycopg://postgres@127.0.0.1:9/test", "storage_unavailable"),
    ],
)
def test_a_database_that_cannot_be_opened_is_one_line_with_a_code(
    database: str, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The field is the database's URL (``connect(url)``, ``--database``), whatever the code."""
    status, _out, err = run(["search", "ana", "--database", database, "--tenant", "t"], capsys)
    assert status == 2
    assert err.startswith(f"customer-core: error {code} [url]: "), err
    assert len(err.strip().splitlines()) == 1, err


def test_a_file_that_is_not_a_database_is_one_line_with_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "clientes.csv"
    other.write_text(HEADER * 200, encoding="utf-8")
    status, _out, err = run(["db", "upgrade", f"sqlite:///{other}"], capsys)
    assert status == 2
    assert err.startswith("customer-core: error storage_unavailable [url]: "), err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("customers", ["0", "-5"])
def test_demo_needs_at_least_one_customer(
    customers: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    with pytest.raises(SystemExit) as info:
        main(["demo", "--customers", customers, "--database", database], out=io.StringIO())
    assert info.value.code == 2
    assert "--customers" in capsys.readouterr().err


def test_demo_help_names_its_tenant_and_asks_for_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help said ``--tenant`` was required (the common options'); demo never reads it."""
    with pytest.raises(SystemExit) as info:
        main(["demo", "--help"])
    assert info.value.code == 0
    help_text = capsys.readouterr().out
    assert "loja-demo" in help_text
    assert "required" not in help_text and "--tenant TENANT" not in help_text, help_text
    monkeypatch.delenv("CUSTOMER_CORE_TENANT", raising=False)
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    out = io.StringIO()
    assert (
        main(["demo", "--customers", "30", "--database", database, "--no-progress"], out=out) == 0
    )
    assert "loja-demo" in out.getvalue()


@pytest.mark.parametrize("tab", ["\\t", "tab"])
def test_a_tab_delimiter_can_be_typed(
    tab: str, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = here / "clientes.tsv"
    source.write_text("Nome\tE-mail\nAna; Lima\tana@x.com\n", encoding="utf-8")
    code, out, _ = run(["import", str(source), "--delimiter", tab, "--no-progress"], capsys)
    assert code == 0 and "1 created" in out, out


@pytest.mark.parametrize("threshold", ["2", "-1", "nan"])
def test_a_duplicate_threshold_outside_0_to_1_is_one_line(
    threshold: str,
    here: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["duplicates", "--threshold", threshold], capsys)
    assert code != 0
    assert err.count("\n") == 1 and "invalid_value" in err and "threshold" in err, err


def test_duplicates_as_json_lines(tmp_path: Path) -> None:
    import json

    database = f"sqlite:///{tmp_path / 'c.db'}"
    core = connect(database)
    admin = Actor(tenant_id="acme", user_id="cli", role="admin")
    core.customers.register("acme", admin, name="João Silva", emails=["joao@x.com"])
    core.customers.register(
        "acme",
        admin,
        name="Joao da Silva",
        emails=["joao.silva@x.com"],
        addresses=[{"city": "Recife", "cep": "50010-000"}],
    )
    core.customers.register(
        "acme", admin, name="João Silva", addresses=[{"city": "Recife", "cep": "50010-000"}]
    )
    core.close()
    out = io.StringIO()
    code = main(
        ["duplicates", "--database", database, "--tenant", "acme", "--format", "jsonl"], out=out
    )
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0 and records
    assert all(set(r) == {"kind", "customer_ids", "score", "evidence"} for r in records)
    assert all(
        r["kind"] in ("exact", "suggestion") and len(r["customer_ids"]) >= 2 for r in records
    )


@pytest.mark.parametrize("name", ["nofile.csv", "a-folder"])
def test_an_import_file_that_is_not_there_is_the_library_s_coded_error(
    name: str, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was ``error FileNotFoundError: [Errno 2] ...``, exit 1, with no code or field."""
    from customer_core import CustomerCoreError
    from customer_core.io import Importer

    (here / "a-folder").mkdir()
    core = connect("sqlite:///customers.db")
    with pytest.raises(CustomerCoreError) as raised:
        Importer(core.storage).run("acme", Actor(tenant_id="acme", user_id="u"), name)
    core.close()
    code, out, err = run(["import", name, "--no-progress"], capsys)
    assert code == 2 and not out
    # The library's message names no path: the command line adds the one typed.
    assert err == f"customer-core: error {raised.value}: {name}\n"
    assert (raised.value.code, raised.value.field) == ("invalid_value", "source")


def test_a_merge_of_an_unknown_id_names_it(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    core = connect("sqlite:///customers.db")
    admin = Actor(tenant_id="acme", user_id="admin", role="admin")
    ana = core.customers.register("acme", admin, name="Ana Lima", emails=["ana@x.com.br"])
    bia = core.customers.register("acme", admin, name="Ana Lima", emails=["ana2@x.com.br"])
    core.close()
    code, out, err = run(["merge", ana.id, bia.id, "nope"], capsys)
    assert code == 2 and not out
    assert err == "customer-core: error not_found [id]: customer not found: nope\n"
    code, _, err = run(["--lang", "pt-BR", "merge", "nope", ana.id], capsys)
    assert code == 2 and err.endswith(": nope\n") and "not_found" in err, err


def test_a_person_and_a_company_merge_only_with_the_kind_said(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    core = connect("sqlite:///customers.db")
    admin = Actor(tenant_id="acme", user_id="admin", role="admin")
    ana = core.customers.register("acme", admin, name="Ana Lima", phones=["11 98765-4321"])
    rocha = core.customers.register(
        "acme", admin, name="Rocha Materiais Ltda", tax_id="11.222.333/0001-81"
    )
    core.close()
    code, out, err = run(["merge", ana.id, rocha.id], capsys)
    assert code == 2 and not out and "conflicting_evidence [kind]" in err, err
    # A person holding the company's CNPJ is neither: the kind must fit the CNPJ kept.
    code, out, err = run(["merge", ana.id, rocha.id, "--keep", "kind"], capsys)
    assert code == 2 and not out and "a CNPJ is a company's" in err, err
    code, out, _ = run(["merge", ana.id, rocha.id, "--take", "kind", "--take", "name"], capsys)
    assert code == 0 and "merged" in out
    core = connect("sqlite:///customers.db")
    merged = core.customers.get("acme", admin, ana.id)
    core.close()
    assert (merged.kind.value, merged.name) == ("company", "Rocha Materiais Ltda")


@pytest.fixture
def portfolios(tmp_path: Path) -> str:
    """A sales tenant (read with omnichat): Alice in Ana's portfolio, Beto in Bruno's."""
    database = f"sqlite:///{tmp_path / 'sales.db'}"
    core = connect(database)  # omnichat would require an address and more
    admin = Actor(tenant_id="t", user_id="admin", role="admin")
    norte = core.portfolios.create("t", admin, name="Norte", member_ids=["ana"], owner_id="ana")
    sul = core.portfolios.create("t", admin, name="Sul", member_ids=["bruno"], owner_id="bruno")
    core.customers.register("t", admin, name="Alice Souza", portfolio_id=norte.id)
    core.customers.register("t", admin, name="Beto Souza", portfolio_id=sul.id)
    core.close()
    return database


@pytest.mark.parametrize(
    ("role", "option", "seen"),
    [
        ("seller", [], {"Alice Souza"}),  # the library's default: on for sellers
        ("seller", ["--mine"], {"Alice Souza"}),
        ("seller", ["--no-mine"], {"Alice Souza", "Beto Souza"}),
        ("supervisor", [], {"Alice Souza", "Beto Souza"}),  # off for the other roles
        ("supervisor", ["--mine"], {"Alice Souza"}),
    ],
)
@pytest.mark.parametrize("command", [["search", "souza"], ["export"]])
def test_my_portfolio_can_be_turned_on_and_off_in_search_and_export(
    command: list[str],
    role: str,
    option: list[str],
    seen: set[str],
    portfolios: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A seller's search had "my portfolio" on with no way to turn it off; export had it off."""
    who = ["--database", portfolios, "--tenant", "t", "--user", "ana", "--role", role]
    code, out, err = run([*command, *who, "--preset", "omnichat", *option], capsys)
    assert code == 0, err
    names = {"Alice Souza", "Beto Souza"}
    assert {name for name in names if name in out} == seen, out


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("command", [["export"], ["search", "ana"], ["dismissals"]])
def test_output_into_a_closed_pipe_stops_quietly(
    command: list[str], here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``customer-core export | head`` printed ``customer-core: error BrokenPipeError``."""
    core = connect("sqlite:///customers.db")
    core.customers.register("acme", Actor(tenant_id="acme", user_id="u"), name="Ana Lima")
    core.close()
    assert main(command, out=_ClosedPipe()) == 141
    assert capsys.readouterr().err == ""


def test_standard_output_into_a_closed_pipe_stops_quietly(here: Path) -> None:
    """Also the flush at exit, which would meet the closed pipe again, says nothing."""
    import subprocess
    import sys

    reading, writing = os.pipe()
    os.close(reading)  # what ``head`` does once it has its lines
    try:
        done = subprocess.run(
            [sys.executable, "-m", "customer_core.cli", "export"],
            stdout=writing,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (141, b"")
