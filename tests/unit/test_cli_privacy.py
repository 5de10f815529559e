"""``customer-core privacy export ID``: the subject's data as JSON, audited, visibility kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from customer_core import Actor, connect
from customer_core.cli import main


def test_privacy_export_prints_the_subject_as_json_and_is_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'c.db'}"
    core = connect(database)
    admin = Actor(tenant_id="acme", user_id="cli", role="admin", permissions=["privacy"])
    ana = core.customers.register("acme", admin, name="Ana Lima", emails=["ana@x.com"])
    core.close()
    out = io.StringIO()
    argv = ["privacy", "export", ana.id, "--database", database, "--tenant", "acme"]
    assert main([*argv, "--user", "dpo"], out=out) == 0
    export = json.loads(out.getvalue())
    assert export["record"]["name"] == "Ana Lima"
    assert export["audit"][-1]["action"] == "privacy.export"
    assert export["audit"][-1]["actor_id"] == "dpo"
    # A seller of a restricted tenant who does not see the customer: not found, one line.
    seller = [*argv, "--role", "seller", "--preset", "helpdesk_portfolio"]
    assert main(seller, out=io.StringIO()) == 2
    assert "not_found" in capsys.readouterr().err
