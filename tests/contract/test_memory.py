from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import customer_core.adapters
from customer_core.adapters.memory import MemoryStore
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.contract import StorageContract


class TestMemoryStorage(StorageContract):
    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        return MemoryStore()


def test_the_memory_modules_import_one_another_without_a_cycle() -> None:
    """Not even for type checking: each module builds on the ones below it."""
    folder = Path(customer_core.adapters.__file__).parent
    modules = {f"customer_core.adapters.{p.stem}": p for p in folder.glob("memory*.py")}
    imports: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imports[name] = {m for m in imported if m in modules}
    assert len(modules) > 1
    graphlib.TopologicalSorter(imports).prepare()  # raises CycleError
