"""The per-line report file of an import: every line, under the user's own headers."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from customer_core import Actor
from customer_core.adapters.memory import MemoryStore
from customer_core.cli import main
from customer_core.io import (
    REPORT_HEADER,
    Importer,
    OutcomeTally,
    Progress,
    ReportFileWriter,
    RowOutcome,
)
from customer_core.services import CustomerService

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
FILE = (
    "Nome;Celular;Fone;CPF/CNPJ;E-mail\n"
    "Ana Lima;(11) 98765-4321;123;529.982.247-25;ana@x.com\n"  # a bad second phone
    "ANA LIMA;;;;ana@x.com\n"  # the same Ana again
    ";;;111.111.111-11;@x\n"  # no name, and two more bad values: fails
    'Bruno;;;;=HYPERLINK("http://x")\n'  # a formula where the e-mail goes
)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def run_cli(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, out=out), out.getvalue()


def test_the_report_file_has_every_line_and_the_users_own_headers(tmp_path: Path) -> None:
    source = tmp_path / "clientes.csv"
    source.write_text(FILE, encoding="utf-8")
    report = tmp_path / "relatorio.csv"
    database = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["db", "upgrade", database], out=io.StringIO()) == 0
    status, _ = run_cli(
        [
            *("import", str(source), "--database", database, "--tenant", T, "--no-progress"),
            *("--report-file", str(report)),
        ]
    )
    assert status == 3  # one line failed
    with report.open(encoding="utf-8-sig", newline="") as f:
        assert tuple(next(csv.reader(f))) == REPORT_HEADER
    rows = read(report)
    by_line = [(r["line"], r["outcome"], r["column"], r["code"]) for r in rows]
    assert by_line[:2] == [("2", "created", "", ""), ("2", "warning", "Fone", "invalid_phone")]
    assert by_line[2] == ("3", "merged", "", "")
    assert {(c, code) for line, o, c, code in by_line if line == "4"} >= {
        ("Nome", "required_field"),
        ("CPF/CNPJ", "invalid_cpf"),
        ("E-mail", "invalid_email"),
    }
    assert {o for line, o, _c, _code in by_line if line == "4"} == {"failed"}
    assert by_line[-1][:3] == ("5", "warning", "E-mail")
    ana = rows[0]["customer_id"]
    assert ana and rows[1]["customer_id"] == rows[2]["customer_id"] == ana
    assert [r["value"] for r in rows if r["line"] == "2" and r["outcome"] == "warning"] == ["123"]
    # The formula the user typed is written defused, as the export writes it.
    assert rows[-1]["value"] == '\'=HYPERLINK("http://x")'
    internal = {"name", "tax_id", "email", "phone", "other_phones", "other_emails"}
    assert not internal & {r["column"] for r in rows}


def test_a_dry_run_names_only_customers_that_exist(tmp_path: Path) -> None:
    store = MemoryStore()
    ana = CustomerService(store).register(T, ADMIN, name="Ana Lima", tax_id="529.982.247-25")
    text = "Nome;CPF/CNPJ;E-mail\nAna Lima;529.982.247-25;\nCaio;;caio@x.com\nCAIO;;caio@x.com\n"
    seen: list[RowOutcome] = []
    Importer(store).run(
        T, ADMIN, io.BytesIO(text.encode()), mode="upsert", dry_run=True, on_row=seen.append
    )
    assert [(o.line, o.outcome, o.customer_id) for o in seen] == [
        (2, "unchanged", ana.id),
        (3, "created", None),
        (4, "merged", None),
    ]


def test_a_conflict_is_its_own_outcome() -> None:
    store = MemoryStore()
    CustomerService(store).register(T, ADMIN, name="Ana Lima", tax_id="529.982.247-25")
    text = "Nome;CPF/CNPJ\nCarlos Souza;529.982.247-25\n"
    out = io.StringIO()
    Importer(store).run(
        T, ADMIN, io.BytesIO(text.encode()), mode="upsert", on_row=ReportFileWriter(out)
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["line"], r["outcome"], r["code"]) for r in rows] == [
        ("2", "conflict", "conflicting_evidence")
    ]


@pytest.mark.parametrize("batch_size", [1, 3])
def test_the_report_is_written_as_batches_are_stored(batch_size: int) -> None:
    """Streamed: lines are in the file before the import ends, not held for the end."""
    out = io.StringIO()
    writer = ReportFileWriter(out)
    written_at_progress: list[int] = []

    def progress(_: Progress) -> None:
        written_at_progress.append(writer.rows)

    lines = "".join(f"Cliente {n};c{n}@x.com\n" for n in range(6))
    Importer(MemoryStore()).run(
        T,
        ADMIN,
        io.BytesIO(("Nome;E-mail\n" + lines).encode()),
        batch_size=batch_size,
        progress=progress,
        on_row=writer,
    )
    # The first pass reads (and groups) the file, writing nothing; then each
    # stored batch is in the file when progress is reported.
    reading = written_at_progress[: written_at_progress.count(0)]
    assert reading and set(reading) == {0}
    assert written_at_progress[len(reading) :] == list(range(batch_size, 7, batch_size))
    assert writer.rows == 6


def test_the_cli_ends_with_a_summary_table_and_a_bar_with_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    source = tmp_path / "clientes.csv"
    source.write_text(FILE, encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["db", "upgrade", database], out=io.StringIO()) == 0
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out = run_cli(["import", str(source), "--database", database, "--tenant", T])
    assert status == 3
    table = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if (cells := line.split()) and cells[0] in ("created", "merged", "failed", "total")
    }
    assert table == {
        "created": ["2", "2"],
        "merged": ["1", "-"],
        "failed": ["1", "-"],
        "total": ["4"],
    }
    assert "values left out: 2" in out
    bar = capsys.readouterr().err
    assert "4/4" in bar and "rows" in bar, bar


def test_the_tally_counts_each_line_once() -> None:
    tally = OutcomeTally()
    lines = "".join(f"Cliente {n};c{n}@x.com\n" for n in range(5))
    bad = ";@\n;@@\n"  # two lines failing twice each (no name, a bad e-mail)
    report = Importer(MemoryStore()).run(
        T, ADMIN, io.BytesIO(("Nome;E-mail\n" + lines + bad).encode()), batch_size=2, on_row=tally
    )
    assert (
        (tally.lines["created"], tally.lines["failed"]) == (5, 2) == (report.created, report.failed)
    )


def test_a_huge_refused_value_is_not_copied_whole_into_the_report() -> None:
    from customer_core.io import Draft, parse_row

    draft = parse_row(2, {"name": "Ana", "note": "x" * 5000})
    assert isinstance(draft, Draft)
    (warning,) = draft.warnings
    assert warning.value is not None and len(warning.value) == 201 and warning.value.endswith("…")


def test_the_report_file_speaks_the_readers_language() -> None:
    """Codes and columns are the same in every language; messages are the reader's, and
    email-validator's English never reaches a pt-BR reader."""
    text = "Nome;E-mail\nAna;ana@@x.com\n"
    rows = {}
    for lang in ("en", "pt-BR"):
        out = io.StringIO()
        Importer(MemoryStore()).run(
            T, ADMIN, io.BytesIO(text.encode()), on_row=ReportFileWriter(out, lang=lang)
        )
        rows[lang] = list(csv.DictReader(io.StringIO(out.getvalue())))
    english, portuguese = rows["en"], rows["pt-BR"]
    assert [(r["line"], r["code"], r["column"]) for r in english] == [
        (r["line"], r["code"], r["column"]) for r in portuguese
    ]
    refused = [r for r in portuguese if r["code"] == "invalid_email"]
    assert refused and all(r["message"] == "endereço de e-mail inválido" for r in refused)
    assert any("@" in r["message"] for r in english if r["code"] == "invalid_email")
