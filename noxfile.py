"""Developer tasks. ``nox -s tests`` is what CI and the README run."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "venv"

PYTHON = None  # the interpreter at hand: a newcomer's python3


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit, property, doctest and contract tests (SQLite, PostgreSQL, MariaDB)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src, tests and this file."""
    session.install("-e", ".[typing]", "nox")
    session.run("mypy", "--strict")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx site with warnings as errors and run its doctests."""
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", "docs/_build/doctest"
    )
    # Every diagram drawn as an image (needs Sphinx, so it runs here, not in tests).
    session.run("pytest", "-q", "-p", "no:randomly", "tests/test_docs_diagrams.py")


@nox.session(python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """Run every notebook in examples/ top to bottom on a fresh kernel; outputs are not saved."""
    session.install("-e", ".[notebooks]")
    found = sorted(str(path) for path in Path("examples").glob("*.ipynb"))
    if not found:
        session.error("no notebook in examples/")
    session.run("jupyter-execute", *found)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Run the quick start and the demo tour on the embedded SQLite default."""
    session.install("-e", ".[cli]")
    session.run("python", "examples/quickstart.py")
    database = f"sqlite:///{session.create_tmp()}/customer-core-demo.db"
    session.run("customer-core", "demo", "--database", database, *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Import throughput, resolve_inbound latency, exact clusters: one run, one final table.

    ``nox -s bench -- --quick`` runs at 1/10 scale; see benchmarks/run_all.py.
    """
    session.install("-e", ".[sql]")
    session.run("python", "benchmarks/run_all.py", *session.posargs)
