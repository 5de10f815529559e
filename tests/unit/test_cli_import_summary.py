"""``customer-core import``'s summary: the one-line count, the table and the listing agree."""

from __future__ import annotations

import io
import re
from pathlib import Path

from customer_core.cli import main
from customer_core.io.report import ImportReport
from customer_core.io.rows import RowError


def run_import(path: Path, *options: str) -> str:
    out = io.StringIO()
    main(["import", str(path), "--no-progress", *options], out=out)
    return out.getvalue()


def summary(text: str) -> dict[str, int]:
    """The one-line count's numbers by what they count (``merged rows``, ``failed``...)."""
    line = next(t for t in text.splitlines() if t.startswith(("read", "dry run")))
    return {what: int(n) for n, what in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", line)}


def table(text: str) -> dict[str, int]:
    """The outcome table's lines column, and its ``values ...:`` lines."""
    row = re.compile(r"  (\w+) +(\d+)(?: +[\d-]+)?|  (values [a-z ]+): (\d+)")
    found = {}
    for line in text.splitlines():
        if m := row.fullmatch(line):
            found[m[1] or m[3]] = int(m[2] or m[4])
    return found


def listing(text: str) -> list[str]:
    return [t.strip() for t in text.splitlines() if t.startswith("  line ")]


def test_a_repair_is_not_counted_as_a_value_left_out(here: Path) -> None:
    """``repaired`` and ``area_code_added`` values are kept: they were 'values left out'."""
    source = here / "r.csv"
    source.write_text(
        "Nome;CPF/CNPJ;Telefone;Outros telefones\n"
        "Fernanda Costa;1234567890;;\n"  # CPF repaired, kept
        "Bia Souza;;98765-4321;(81) 3333-4444\n"  # DDD taken from the other phone, kept
        "Caio Lima;;;\n"
        "Davi Reis;;not a phone;\n",  # left out
        encoding="utf-8",
    )
    out = run_import(source)
    assert summary(out)["values left out"] == 1, out
    assert summary(out)["repaired or completed"] == 2, out
    assert table(out)["values left out"] == 1, out
    assert table(out)["values repaired or completed"] == 2, out


def test_under_strict_repairs_are_not_values_left_out(here: Path) -> None:
    source = here / "r.csv"
    source.write_text("Nome;CPF/CNPJ\nFernanda Costa;1234567890\n", encoding="utf-8")
    out = run_import(source, "--strict")
    assert summary(out)["values left out"] == 0, out
    assert table(out)["values left out"] == 0, out


def test_a_create_mode_re_run_counts_merged_rows_as_the_table(here: Path) -> None:
    source = here / "c.csv"
    source.write_text(
        "Nome;E-mail\nAna Lima;ana@exemplo.com.br\nAna Lima;ana@exemplo.com.br\n"
        "Bia Lima;bia@exemplo.com.br\n",
        encoding="utf-8",
    )
    first = run_import(source)
    assert summary(first)["merged rows"] == table(first)["merged"] == 1, first
    again = run_import(source)
    assert summary(again)["skipped"] == 2, again
    assert summary(again)["merged rows"] == table(again)["merged"] == 1, again


def test_a_conflict_is_counted_as_a_conflict_in_both(here: Path) -> None:
    """A repaired CPF that only a stored customer of another name holds changes nothing:
    a conflict."""
    source = here / "r.csv"
    source.write_text("Nome;CPF/CNPJ\nFernanda Costa;1234567890\n", encoding="utf-8")
    run_import(source)
    source.write_text("Nome;CPF/CNPJ\nFernanda C. Souza;1234567890\n", encoding="utf-8")
    out = run_import(source, "--mode", "upsert")
    assert table(out)["conflict"] == 1 and table(out)["failed"] == 0, out
    assert summary(out)["conflicts"] == 1 and summary(out)["failed"] == 0, out


def test_problems_are_listed_once_in_the_file_s_order(here: Path) -> None:
    """A line's failure and its warnings were two runs: a line showed up twice, apart."""
    source = here / "r.csv"
    source.write_text(
        "Nome;CPF/CNPJ;E-mail\nFernanda Costa;1234567890;\n;;x@exemplo.com.br\nAna Lima;;ana@\n",
        encoding="utf-8",
    )
    out = run_import(source)
    lines = listing(out)
    assert [int(t.split()[1]) for t in lines] == [2, 3, 4], out
    assert len(set(lines)) == len(lines), out


def test_a_problem_reported_twice_is_listed_once() -> None:
    from customer_core.cli_import import _print_problems

    repaired = RowError(2, "tax_id", "repaired", "put back", "1234567890", "CPF/CNPJ")
    failed = RowError(3, "name", "required_field", "the name is required")
    report = ImportReport(
        rows_read=2,
        created=1,
        updated=0,
        unchanged=0,
        skipped=0,
        failed=1,
        merged_rows=0,
        errors=(failed,),
        dry_run=False,
        warnings=(repaired, repaired),
    )
    out = io.StringIO()
    _print_problems(report, 20, "en", out)
    assert out.getvalue().splitlines() == [
        "  line 2 [CPF/CNPJ] repaired: put back",
        "  line 3 [name] required_field: the name is required",
    ]
