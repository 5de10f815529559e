"""The README's Python examples run as written (in a scratch folder)."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

import customer_core

README = Path(__file__).parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_readme_example_runs(
    number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(compile(BLOCKS[number], f"README.md block {number}", "exec"), namespace)
    close = getattr(namespace.get("core"), "close", None)
    if callable(close):
        close()
    if number == 0:
        assert "invalid_cpf tax_id" in capsys.readouterr().out


def test_the_embedding_example_runs_twice_and_finds_ana(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (embedding,) = [block for block in BLOCKS if "customer_core.connect(" in block]
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run meets the database the first one left
        namespace: dict[str, object] = {"__name__": "readme"}
        exec(compile(embedding, "README.md embedding", "exec"), namespace)
        core = namespace["core"]
        assert isinstance(core, customer_core.CustomerCore)
        core.close()
        assert capsys.readouterr().out.splitlines() == ["['Ana Lima']", "True"]


def test_the_command_line_steps_on_a_new_database_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI never creates a database by itself: the README's steps say ``db upgrade`` first."""
    from customer_core.cli import main

    text = README.read_text(encoding="utf-8")
    consoles = re.findall(r"```console\n(.*?)```", text, re.S)
    (steps,) = [block for block in consoles if "sqlite:///cli.db" in block]
    commands = [shlex.split(line) for line in steps.splitlines() if line.strip()]
    assert [c[1] for c in commands] == ["db", "import", "export"]
    monkeypatch.chdir(tmp_path)
    Path("clientes.csv").write_text("Nome;Telefone\nAna Lima;(11) 98765-4321\n", encoding="utf-8")
    for command in commands:
        assert Path(command[0]).name == "customer-core"
        extra = ["--no-progress"] if command[1] == "import" else []
        out = io.StringIO()
        assert main([*command[1:], *extra], out=out) == 0, out.getvalue()
    assert "Ana Lima" in Path("clientes-export.csv").read_text(encoding="utf-8-sig")
