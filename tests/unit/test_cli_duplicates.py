"""``customer-core duplicates``, ``merge``, ``unmerge``, ``dismiss``, ``undismiss``, ``dismissals``,
run through the command's entry point on a SQLite file."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from customer_core import Actor, connect
from customer_core.cli import main

T = "acme"
ADMIN = Actor(tenant_id=T, user_id="cli", role="admin")


def run(argv: list[str], database: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main([*argv, "--database", database, "--tenant", T], out=out)
    return code, out.getvalue(), capsys.readouterr().err


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    core = connect(url)
    register = core.customers.register
    register(T, ADMIN, name="João da Silva", phones=["(11) 98765-4321"], emails=["jsilva@x.com"])
    register(T, ADMIN, name="J. Silva", messenger_ids=[("whatsapp", "5511987654321")])
    home = [{"street": "Rua A, 10", "cep": "01310-100"}]
    register(T, ADMIN, name="Mariana Teixeira", emails=["mkt@gmail.com"], addresses=home)
    register(T, ADMIN, name="Mariana Teixeira", emails=["mkt@hotmail.com"], addresses=home)
    register(T, ADMIN, name="ACME Matriz", kind="company", tax_id="11.222.333/0001-81")
    register(T, ADMIN, name="ACME Filial", kind="company", tax_id="11.222.333/0002-62")
    core.close()
    return url


def listed(core_url: str) -> list[tuple[str, str]]:
    """(name, id) of every customer, in name order."""
    core = connect(core_url)
    found = [(c.name, c.id) for c in core.directory.list(T, ADMIN, limit=50).items]
    core.close()
    return found


def ids(core_url: str) -> dict[str, str]:
    return dict(listed(core_url))


def test_duplicates_shows_ids_names_score_and_the_evidence_table(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["duplicates"], database, capsys)
    assert (code, err) == (0, "")
    named = ids(database)
    assert "1 exact clusters" in out and "1 company groups" in out and "suggestions" in out
    assert f"  {named['João da Silva']}  João da Silva" in out
    assert f"  {named['ACME Filial']}  ACME Filial" in out
    assert re.search(r"suggestion · score 0\.\d\d", out)
    assert re.search(r"evidence\s+weight\s+detail", out)
    assert re.search(r"same_phone_line\s+\+1\.00\s+\+5511987654321", out)
    assert re.search(r"cep\s+\+0\.10\s+01310-100", out)


def test_duplicates_as_json_lines_list_groups_apart(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["duplicates", "--format", "jsonl"], database, capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert {r["kind"] for r in records} == {"exact", "group", "suggestion"}
    group = next(r for r in records if r["kind"] == "group")
    assert group["evidence"][0]["kind"] == "same_cnpj_root"


def test_merge_with_choices_and_drops_then_unmerge(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    named = ids(database)
    survivor, other = named["João da Silva"], named["J. Silva"]
    code, out, err = run(
        ["merge", survivor, other, "--take", "name", "--drop", "jsilva@x.com"], database, capsys
    )
    assert (code, err) == (0, ""), err
    merge_id = re.search(r"merge (\S+)\n", out).group(1)  # type: ignore[union-attr]
    core = connect(database)
    merged = core.customers.get(T, ADMIN, survivor)
    assert merged.name == "J. Silva" and merged.emails == ()
    core.close()
    assert f"undo with: customer-core unmerge {merge_id}" in out

    code, out, err = run(["unmerge", merge_id], database, capsys)
    assert (code, err) == (0, ""), err
    assert f"restored {other} (J. Silva) apart from {survivor}" in out
    code, _, err = run(["unmerge", merge_id], database, capsys)
    assert code == 2 and err.startswith("customer-core: error already_undone"), err


def test_merge_refuses_an_unknown_field_before_touching_storage(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    named = ids(database)
    with pytest.raises(SystemExit):
        run(["merge", named["J. Silva"], named["João da Silva"], "--take", "cpf"], database, capsys)
    assert "invalid choice: 'cpf'" in capsys.readouterr().err
    assert len(listed(database)) == 6


def test_dismiss_hides_a_suggestion_until_undismissed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = [i for name, i in listed(database) if name == "Mariana Teixeira"]
    assert len(found) == 2
    code, out, err = run(
        ["dismiss", *found, "--reason", "two Marianas, one address"], database, capsys
    )
    assert (code, err) == (0, ""), err
    dismissal_id = re.search(r"undismiss (\S+)\n", out).group(1)  # type: ignore[union-attr]
    assert "not_duplicate" in out and "two Marianas, one address" in out
    _, report, _ = run(["duplicates", "--format", "jsonl"], database, capsys)
    assert not any(
        set(json.loads(line)["customer_ids"]) == set(found) for line in report.splitlines()
    )
    _, shown, _ = run(["dismissals"], database, capsys)
    assert shown.startswith(dismissal_id)

    code, out, _ = run(["undismiss", dismissal_id], database, capsys)
    assert code == 0 and "undone by admin" in out  # the CLI's default --user
    _, shown, _ = run(["dismissals"], database, capsys)
    assert shown == "no dismissal\n"
    _, shown, _ = run(["dismissals", "--undone"], database, capsys)
    assert dismissal_id in shown


def test_dismiss_a_group_of_branches_and_bad_input(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    named = ids(database)
    branches = [named["ACME Matriz"], named["ACME Filial"]]
    code, out, err = run(
        ["dismiss", *branches, "--reason", "branches", "--group"], database, capsys
    )
    assert (code, err) == (0, ""), err
    assert "same_group" in out
    _, report, _ = run(["duplicates"], database, capsys)
    assert "0 company groups" in report
    code, _, err = run(["dismiss", branches[0], "--reason", "alone"], database, capsys)
    assert code == 2 and "invalid_value [customer_ids]" in err, err
    code, _, err = run(["dismiss", *branches, "--reason", " "], database, capsys)
    assert code == 2 and "invalid_value [reason]" in err, err
    person = named["João da Silva"]
    code, _, err = run(
        ["dismiss", person, branches[0], "--reason", "x", "--group"], database, capsys
    )
    assert code == 2 and "not_a_company" in err, err
