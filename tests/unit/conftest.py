"""Suite-wide fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks for another language: the expected
    output of the suite does not depend on the locale of the machine running it
    (``customer_core.messages`` follows LANG/LC_MESSAGES like gettext)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
