"""The ``customer-core`` command: defaults, and every error one line with a code."""

from __future__ import annotations

import io
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
    assert run(["import", str(source), "--no-progress"], capsys)[0] == 0
    assert (tmp_path / "customers.db").exists()
    assert not (tmp_path / "customer-core-demo.db").exists()


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
    status, _out, err = run(["search", "ana", "--database", database], capsys)
    assert status == 2
    assert err.startswith(f"customer-core: error {code}"), err
    assert len(err.strip().splitlines()) == 1, err


def test_a_file_that_is_not_a_database_is_one_line_with_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "clientes.csv"
    other.write_text(HEADER * 200, encoding="utf-8")
    status, _out, err = run(["db", "upgrade", f"sqlite:///{other}"], capsys)
    assert status == 2
    assert err.startswith("customer-core: error storage_unavailable"), err
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


@pytest.mark.parametrize("tab", ["\\t", "tab"])
def test_a_tab_delimiter_can_be_typed(
    tab: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "clientes.tsv"
    source.write_text("Nome\tE-mail\nAna; Lima\tana@x.com\n", encoding="utf-8")
    code, out, _ = run(["import", str(source), "--delimiter", tab, "--no-progress"], capsys)
    assert code == 0 and "1 created" in out, out


@pytest.mark.parametrize("threshold", ["2", "-1", "nan"])
def test_a_duplicate_threshold_outside_0_to_1_is_one_line(
    threshold: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
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
