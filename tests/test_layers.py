"""The layers hold: each part of the library imports only the parts below it.

The contracts are ``[tool.importlinter]`` in pyproject.toml (the layers of
docs/concepts.md, "Architecture"); this runs import-linter on them, so a
forbidden import fails the suite with the chain of imports that breaks it.
``lint-imports`` at the project root runs the same check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    status = lint_imports(config_filename=str(PYPROJECT), no_cache=True)
    report = capsys.readouterr().out
    assert status == EXIT_STATUS_SUCCESS, report
    assert "0 broken" in report
