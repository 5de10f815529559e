"""The inbound worker example (examples/inbound_worker.py) on a SQLite file."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import customer_core as cc

# examples/ is a folder of scripts, not a package: import them from its path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import inbound_worker

ADMIN = cc.Actor(tenant_id="acme", user_id="admin", role="admin")


def _lines(*messages: dict[str, Any] | str) -> str:
    return "".join((m if isinstance(m, str) else json.dumps(m)) + "\n" for m in messages)


def _run(database: str, text: str, *args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    code = inbound_worker.main(
        ["-", "--database", database, "--tenant", "acme", *args],
        stdin=io.StringIO(text),
        stdout=out,
    )
    assert code == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'customers.db'}"


def test_whatsapp_then_email_of_the_same_person(database: str) -> None:
    results = _run(
        database,
        _lines(
            # A WhatsApp id without the ninth digit, as older accounts have.
            {"channel": "whatsapp", "from": {"whatsapp": "551187654321"}, "name": "Ana"},
            {"channel": "whatsapp", "from": {"whatsapp": "551187654321"}},
            {"channel": "email", "from": {"email": "ana@x.com", "phone": "(11) 98765-4321"}},
        ),
    )
    assert [r["outcome"] for r in results] == ["created", "matched", "attached"]
    assert len({r["customer_id"] for r in results}) == 1
    # The line came with the WhatsApp id: only the e-mail is new.
    assert results[2]["attached"] == ["emails"]
    assert not any(r["spam"] for r in results)


def test_reads_a_file_and_reports_bad_lines_without_stopping(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messages.jsonl"
    path.write_text(
        _lines(
            "not json",
            {"from": {"phone": "123"}},
            {"from": {"fax": "11 3333-4444"}},
            {"from": "ana@x.com"},
            "",
            {"tenant": "acme", "channel": "email", "from": {"email": "bia@x.com"}},
        ),
        encoding="utf-8",
    )
    inbound_worker.main([str(path), "--database", database])
    captured = capsys.readouterr()
    results = [json.loads(line) for line in captured.out.splitlines()]
    assert [(r["line"], r.get("error")) for r in results] == [
        (1, "invalid_json"),
        (2, "invalid_phone"),
        (3, "invalid_value"),
        (4, "invalid_value"),
        (6, None),
    ]
    assert results[-1]["outcome"] == "created"
    assert "5 messages, 4 failed" in captured.err


def test_spam_flag_from_the_block_list_and_from_a_spammer(database: str) -> None:
    core = cc.connect(database)
    try:
        core.identity.block("acme", ADMIN, {"email": "promo@spam.example"})
        known = core.customers.register("acme", ADMIN, name="Zé", emails=["ze@x.com"])
        core.identity.mark_spammer("acme", ADMIN, known.id)
    finally:
        inbound_worker.close(core)
    results = _run(
        database,
        _lines(
            {"channel": "email", "from": {"email": "PROMO@spam.example"}},
            {"channel": "email", "from": {"email": "ze@x.com"}},
            {"channel": "email", "from": {"email": "bia@x.com"}},
        ),
    )
    assert [(r["outcome"], r["spam"]) for r in results] == [
        ("created", True),
        ("matched", True),
        ("created", False),
    ]


def test_identifiers_of_two_customers_are_a_conflict(database: str) -> None:
    core = cc.connect(database)
    try:
        bia = core.customers.register("acme", ADMIN, name="Bia", emails=["bia@x.com"])
        caio = core.customers.register("acme", ADMIN, name="Caio", phones=["11 91234-5678"])
    finally:
        inbound_worker.close(core)
    (result,) = _run(
        database,
        _lines({"channel": "email", "from": {"email": "bia@x.com", "phone": "11 91234-5678"}}),
    )
    # A mobile number outranks an e-mail; the other customer is reported, never merged.
    assert (result["outcome"], result["customer_id"], result["conflicts"]) == (
        "conflict",
        caio.id,
        [bia.id],
    )


def test_language_of_a_new_customer_is_detected(database: str) -> None:
    (result,) = _run(
        database,
        _lines({"from": {"telegram": "123456"}, "text": "Olá, boa tarde! Meu pedido não chegou."}),
        "--detect-language",
    )
    core = cc.connect(database)
    try:
        customer = core.customers.get("acme", ADMIN, result["customer_id"])
    finally:
        inbound_worker.close(core)
    assert customer.language is not None
    assert customer.language.code == "pt"


def test_identifiers_maps_json_to_the_library_shape() -> None:
    assert inbound_worker.identifiers(
        {
            "whatsapp": ["5511987654321", "5511912345678"],
            "telegram": 42,
            "external": {"system": "erp", "id": "C-7"},
            "email": "a@x.com",
        }
    ) == {
        "messenger": [
            ("whatsapp", "5511987654321"),
            ("whatsapp", "5511912345678"),
            ("telegram", "42"),
        ],
        "external": [("erp", "C-7")],
        "email": "a@x.com",
    }


def test_an_erased_spammer_stays_blocked_for_the_worker_with_the_key_in_its_environment(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "a key from the host's vault"
    dpo = cc.Actor(tenant_id="acme", user_id="dpo", role="admin", permissions=["privacy"])
    core = cc.connect(database, privacy_key=key.encode())
    try:
        spammer = core.customers.register("acme", dpo, name="Promo", phones=["11 97654-3210"])
        core.identity.mark_spammer("acme", dpo, spammer.id)
        core.privacy.erase("acme", dpo, spammer.id)
    finally:
        inbound_worker.close(core)
    message = _lines({"channel": "whatsapp", "from": {"whatsapp": "5511976543210"}})
    monkeypatch.setenv("CUSTOMER_CORE_PRIVACY_KEY", key)
    assert [r["spam"] for r in _run(database, message)] == [True]
