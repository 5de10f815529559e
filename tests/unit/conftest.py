"""Suite-wide fixtures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from customer_core.cli import main

# No wall-clock limits on generated examples: CI machines are shared and noisy,
# and a slow first draw (caches filling, another process on the core) says
# nothing about the code. Tests that need a budget set their own.
settings.register_profile(
    "customer_core", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("customer_core")


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks for another language: the expected
    output of the suite does not depend on the locale of the machine running it
    (``customer_core.messages`` follows LANG/LC_MESSAGES like gettext)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """For the command line's tests: a folder with the default database (``customers.db``) at the latest schema."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUSTOMER_CORE_TENANT", "acme")
    assert main(["db", "upgrade"], out=io.StringIO()) == 0
    return tmp_path
