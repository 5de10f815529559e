"""Notebooks in examples/ are committed without outputs (`nox -s notebooks` runs them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def test_there_are_at_least_three_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped(path: Path) -> None:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code_cells, "a notebook without code"
    for index, cell in enumerate(notebook["cells"]):
        where = f"{path.name}, cell {index}"
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{where} has outputs: clear them before committing"
            assert cell.get("execution_count") is None, f"{where} has an execution count"
        # Execution timestamps that Jupyter front ends record per cell.
        assert "execution" not in cell.get("metadata", {}), f"{where} has execution metadata"
    assert "widgets" not in notebook.get("metadata", {}), f"{path.name} has widget state"
