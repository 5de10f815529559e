"""Sphinx configuration for the customer_core documentation."""

from __future__ import annotations

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
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "customer_core"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
# Docstring examples run under pytest --doctest-modules; the doctest builder
# runs the pages' own {doctest} blocks.
doctest_test_doctest_blocks = ""
