"""Every diagram of the docs is drawn when the site is built: images, never diagram source.

The pages that hold diagrams are built on their own, with the project's
``conf.py``, into a temporary folder; a page's HTML must show each diagram as
an SVG image (drawn by Graphviz's ``dot``) and no diagram source, so that a
page opened from disk or behind a firewall shows its diagrams. Needs Sphinx
(the ``docs`` extra: ``nox -s docs`` runs this test) and ``dot``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
DIAGRAM = re.compile(r"^(```|:::)\{(graphviz|mermaid)\}|^\.\. (graphviz|mermaid)::", re.M)
SVG_OBJECT = re.compile(r'<object data="([^"]+\.svg)" type="image/svg\+xml"')


def _pages() -> dict[Path, int]:
    """Each page with diagrams (relative to docs/), and how many it has."""
    found = {}
    for page in sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.rst")]):
        if "_build" in page.parts:
            continue
        count = len(DIAGRAM.findall(page.read_text(encoding="utf-8")))
        if count:
            found[page.relative_to(DOCS)] = count
    return found


def test_there_are_diagrams_and_none_is_drawn_by_the_browser() -> None:
    pages = _pages()
    assert pages, "no diagram found: has the directive changed?"
    for page in pages:
        assert "{mermaid}" not in (DOCS / page).read_text(encoding="utf-8"), page
    assert "mermaid" not in (DOCS / "conf.py").read_text(encoding="utf-8").split("extensions")[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = pytest.importorskip("sphinx.cmd.build")
    if shutil.which("dot") is None:
        reason = "Graphviz's dot is not installed (apt-get install graphviz)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI=true: the diagrams must be checked", pytrace=False)
        pytest.skip(reason)
    source = tmp_path_factory.mktemp("docs")
    out = tmp_path_factory.mktemp("html")
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    names = []
    for page in _pages():
        (source / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / page, source / page)
        names.append(page.with_suffix("").as_posix())
    toctree = "\n".join(names)
    (source / "index.md").write_text(f"# Diagrams\n\n```{{toctree}}\n{toctree}\n```\n")
    # Not -W: the pages link to others that are not part of this small build.
    assert build.build_main(["-q", "-b", "html", str(source), str(out)]) == 0
    return out


@pytest.mark.parametrize("page", list(_pages()), ids=str)
def test_each_diagram_is_an_svg_image(built: Path, page: Path) -> None:
    html_path = built / page.with_suffix(".html")
    html = html_path.read_text(encoding="utf-8")
    images = SVG_OBJECT.findall(html)
    assert len(images) == _pages()[page]
    for image in images:
        svg = (html_path.parent / image).read_text(encoding="utf-8")
        assert "<svg" in svg and "</svg>" in svg
        assert "<text" in svg  # labels drawn, not an empty picture
    for source_text in ("digraph", "-&gt;", "flowchart", 'class="mermaid"', "mermaid.js"):
        assert source_text not in html, source_text
