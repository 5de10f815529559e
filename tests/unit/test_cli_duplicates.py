"""``customer-core duplicates``, ``merge``, ``unmerge``, ``dismiss``, ``undismiss``, ``dismissals``,
run through the command's entry point on a SQLite file."""

from __future__ import annotations

import io
import json
import re
import shlex
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


@pytest.mark.parametrize("internal", ["password_hash", "primary_email_key", "primary_phone_key"])
def test_merge_take_offers_only_what_a_user_chooses(
    database: str, capsys: pytest.CaptureFixture[str], internal: str
) -> None:
    named = ids(database)
    with pytest.raises(SystemExit):
        run(
            ["merge", named["J. Silva"], named["João da Silva"], "--take", internal],
            database,
            capsys,
        )
    assert f"invalid choice: '{internal}'" in capsys.readouterr().err
    assert len(listed(database)) == 6
    with pytest.raises(SystemExit):
        main(["merge", "--help"], out=io.StringIO())
    shown = capsys.readouterr().out
    assert "note" in shown and internal not in shown


def test_merge_refuses_a_drop_neither_customer_holds(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    named = ids(database)
    survivor, other = named["João da Silva"], named["J. Silva"]
    code, out, err = run(["merge", survivor, other, "--drop", "jsilva@y.com"], database, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("customer-core: error invalid_value [drop]: Email('j***@y.com')"), err
    assert ids(database) == named  # both customers still there, nothing merged


def test_dismiss_hides_a_suggestion_until_undismissed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = [i for name, i in listed(database) if name == "Mariana Teixeira"]
    assert len(found) == 2
    code, out, err = run(
        ["dismiss", *found, "--reason", "two Marianas, one address"], database, capsys
    )
    assert (code, err) == (0, ""), err
    dismissal_id = re.search(r"undismiss (\S+) ", out).group(1)  # type: ignore[union-attr]
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


@pytest.mark.parametrize(
    ("command", "names", "undo"),
    [
        (["merge"], ["João da Silva", "J. Silva"], "unmerge"),
        (["dismiss", "--reason", "two people"], ["Mariana Teixeira"], "undismiss"),
    ],
)
def test_the_undo_hint_runs_as_printed(
    command: list[str],
    names: list[str],
    undo: str,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It said ``customer-core unmerge ID``, which fails with ``required_field [tenant]``."""
    monkeypatch.delenv("CUSTOMER_CORE_TENANT", raising=False)
    chosen = [i for name, i in listed(database) if name in names]
    code, out, err = run([command[0], *chosen, *command[1:]], database, capsys)
    assert (code, err) == (0, ""), err
    hint = out.splitlines()[-1]
    assert hint.startswith(f"undo with: customer-core {undo} ")
    argv = shlex.split(hint.removeprefix("undo with: "))
    assert argv[-4:] == ["--database", database, "--tenant", T]
    assert main(argv[1:], out=io.StringIO()) == 0, capsys.readouterr().err


HOWTO = Path(__file__).resolve().parents[2] / "docs" / "howto" / "duplicates.md"

#: What the samples show that a run prints otherwise: an id the command made
#: (mapped to the run's own, for the commands that follow), the time of a
#: decision, and "…" for what the sample leaves out (a whole line: any lines).
_MADE_ID = re.compile(r"\b[0-9a-f]{32}\b")
_VARYING = re.compile(r"([0-9a-f]{32}|\d{4}-\d\d-\d\d \d\d:\d\d|…)")


def _console_samples(text: str) -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the console blocks, with the lines the sample shows it print."""
    samples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                samples.append((line[2:], []))
            else:
                samples[-1][1].append(line)
    return samples


def _pattern(shown: list[str], made: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A regular expression for what ``shown`` stands for, and the group of each new id."""
    lines: list[str] = []
    groups: dict[str, str] = {}
    for line in shown:
        if line == "…":
            lines.append(r"(?:.*\n)*")
            continue
        parts = []
        for i, part in enumerate(_VARYING.split(line)):
            if i % 2 == 0:
                parts.append(re.escape(part))
            elif part == "…":
                parts.append(".*")
            elif part in made:
                parts.append(re.escape(made[part]))
            elif part in groups:
                parts.append(f"(?P={groups[part]})")
            elif _MADE_ID.fullmatch(part):
                groups[part] = f"id{len(groups)}"
                parts.append(f"(?P<{groups[part]}>[0-9a-f]{{32}})")
            else:  # a time
                parts.append(r"\d{4}-\d\d-\d\d \d\d:\d\d")
        lines.append("".join(parts) + r"\n")
    return "".join(lines), groups


def test_the_how_to_command_line_samples_print_what_they_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/howto/duplicates.md, "From the command line", run on the how-to's tenant.

    The sample showed ``name +0.55`` where the command prints ``+0.56``, and
    its merge and dismiss commands had no ``--database``/``--tenant``.
    """
    from customer_core import presets
    from customer_core.testing.fakes import FixedClock, SequentialIds

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CUSTOMER_CORE_TENANT", raising=False)
    # The tenant of the how-to's first example ("A tenant with duplicates").
    core = connect(
        "sqlite:///customers.db",
        preset=presets.HELPDESK_CARD,
        ids=SequentialIds("c"),
        clock=FixedClock(),
    )
    admin = Actor(tenant_id=T, user_id="u1", role="supervisor")
    for name, channels in [
        (
            "João da Silva",
            {
                "emails": ["joao.silva@gmail.com", "jsilva.tricolor@gmail.com"],
                "phones": ["(11) 98765-4321"],
            },
        ),
        ("Joao Silva", {"emails": ["jsilva.tricolor@hotmail.com"], "note": "prefere WhatsApp"}),
        ("J. Silva", {"messenger_ids": [("whatsapp", "5511987654321")]}),
        ("Maria Souza", {"addresses": [{"street": "Rua A", "city": "Recife", "cep": "50000-000"}]}),
        (
            "Maria de Souza",
            {"addresses": [{"street": "Rua A, 12", "city": "Recife", "cep": "50000-000"}]},
        ),
        ("Pedro Santos", {"phones": ["(11) 3333-4444"]}),
        ("Paula Santos", {"phones": ["(11) 3333-4445"]}),
    ]:
        core.customers.register(T, admin, name=name, **channels)  # type: ignore[arg-type]
    core.close()

    samples = _console_samples(HOWTO.read_text(encoding="utf-8"))
    assert len(samples) >= 7
    made: dict[str, str] = {}
    for command, shown in samples:
        for doc_id, run_id in made.items():
            command = command.replace(doc_id, run_id)
        argv = shlex.split(command)
        assert argv[0] == "customer-core"
        assert {"--database", "--tenant"} <= set(argv), command
        out = io.StringIO()
        assert main(argv[1:], out=out) == 0, command
        pattern, groups = _pattern(shown, made)
        found = re.fullmatch(pattern, out.getvalue())
        assert found, f"{command}\n--- shown\n{chr(10).join(shown)}\n--- printed\n{out.getvalue()}"
        made.update({doc_id: found.group(group) for doc_id, group in groups.items()})
