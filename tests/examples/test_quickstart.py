"""examples/quickstart.py keeps working (the README sends newcomers to it first)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


def test_quickstart_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(QUICKSTART), run_name="__main__")
    out = capsys.readouterr().out
    assert "+55 11 98765-4321" in out
    assert "invalid_cpf" in out
