"""The ``customer-core`` command: defaults, and every error one line with a code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

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
