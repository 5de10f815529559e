"""Sphinx configuration for the customer_core documentation."""

from __future__ import annotations

from pathlib import Path

import customer_core

project = "customer_core"
author = "customer_core developers"
copyright = "2026, customer_core developers"
release = customer_core.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    # Diagrams are Graphviz source in the pages, drawn into SVG files when the
    # site is built (the `dot` program of the graphviz system package): a page
    # opened from disk or behind a firewall shows them, where Mermaid loaded its
    # script from a CDN when the page was viewed.
    "sphinx.ext.graphviz",
]
# No sphinx.ext.intersphinx: it downloads objects.inv from python.org and
# sqlalchemy.org at build time, and the docs must build with no network
# access (CI and developer machines reach package registries only). Links to
# the standard library and SQLAlchemy are written out where they matter.

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "customer_core"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# ``undoc-members``: every name in a module's ``__all__`` is listed, also the
# constants and enums that have no docstring (tests/test_docs_api.py checks
# that every public name lives in a module that api.rst documents).
autodoc_default_options = {"members": True, "undoc-members": True, "show-inheritance": True}
nitpicky = False
suppress_warnings = ["myst.xref_missing"]

# Docstring examples run under pytest --doctest-modules; the doctest builder
# runs the pages' own {doctest} and {testcode} blocks.
doctest_test_doctest_blocks = ""
# Every page's examples run in a fresh temporary directory, so a page may
# write "sqlite:///customers.db" the way an application would without leaving
# files in the checkout.
doctest_global_setup = """
import os as _docs_os
import tempfile as _docs_tempfile

_docs_cwd = _docs_os.getcwd()
_docs_tmp = _docs_tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
_docs_os.chdir(_docs_tmp.name)
"""
doctest_global_cleanup = """
_docs_os.chdir(_docs_cwd)
_docs_tmp.cleanup()
"""
# The how-to on adapters imports the example adapter from examples/.
doctest_path = [str(Path(__file__).resolve().parents[1] / "examples")]

# SVG: sharp at any zoom, and its text stays selectable. Each diagram gives
# an :alt: text, which the page shows where SVG is not displayed (without it,
# Sphinx would show the DOT source).
graphviz_output_format = "svg"
