"""Excel's own files: "Unicode text" (UTF-16) and .xlsx workbooks, read directly."""

from __future__ import annotations

import codecs
import io
import sys
from datetime import datetime
from pathlib import Path

import pytest

from customer_core import Actor, InvalidValue
from customer_core.adapters.memory import MemoryStore
from customer_core.cli import main
from customer_core.errors import MissingDependency
from customer_core.io import Importer, RowOutcome, open_table
from customer_core.io.csv_format import CsvSource
from customer_core.services import CustomerDirectory

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
UNICODE_TEXT = "Nome\tE-mail\tCelular\nJoão Conceição\tjoao@x.com\t(11) 98765-4321\n"


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_excel_unicode_text_is_read_directly(bom: bytes, codec: str) -> None:
    store = MemoryStore()
    blob = bom + (UNICODE_TEXT + "\nAna\tana@x.com\t\n").encode(codec)
    seen: list[RowOutcome] = []
    report = Importer(store).run(T, ADMIN, io.BytesIO(blob), on_row=seen.append)
    assert (report.created, report.failed) == (2, 0)
    assert [o.line for o in seen] == [2, 4]  # the blank line 3 still counts
    names = {c.name for c in CustomerDirectory(store).list(T, ADMIN).items}
    assert names == {"João Conceição", "Ana"}


@pytest.mark.parametrize(
    ("first", "encoding"), [("sep=;", "utf-8"), ("sep=,", "utf-8-sig"), ('"sep=;"', "cp1252")]
)
def test_excel_s_sep_line_names_the_delimiter_and_lines_keep_their_numbers(
    first: str, encoding: str
) -> None:
    """It was read as the header: ``invalid_header`` (no name column)."""
    sep = first.strip('"')[-1]
    other = ";" if sep == "," else ","  # in a cell: not the delimiter
    text = f"Nome{sep}E-mail{sep}Observação\r\nAna{other} Lima{sep}ana@x.com.br{sep}a{other} b"
    blob = f"{first}\r\n{text}\r\n\r\nBia{sep}bia@\r\n".encode(encoding)
    table = open_table(io.BytesIO(blob))
    assert isinstance(table, CsvSource)
    assert (table.delimiter, table.columns) == (sep, ("name", "email", "note"))
    assert [(line, row["name"], row.get("note")) for line, row in table.rows()] == [
        (3, f"Ana{other} Lima", f"a{other} b"),
        (5, "Bia", None),  # the blank line 4 counts, as the sep line does
    ]
    report = Importer(MemoryStore()).run(T, ADMIN, io.BytesIO(blob))
    assert (report.created, report.failed) == (2, 0)
    assert [(w.line, w.header) for w in report.warnings] == [(5, "E-mail")]


def test_a_sep_line_yields_to_a_given_delimiter_and_is_still_skipped() -> None:
    blob = b"sep=,\nNome;E-mail\nAna Lima;ana@x.com.br\n"
    table = open_table(io.BytesIO(blob), delimiter=";")
    assert [(line, row["email"]) for line, row in table.rows()] == [(3, "ana@x.com.br")]


openpyxl = pytest.importorskip("openpyxl")


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = workbook(
    [
        ["Nome", "CPF/CNPJ", "Celular", "Cliente desde", None],
        ["Ana Lima", 1234567890, 11987654321, datetime(2020, 5, 1)],  # numbers, as Excel keeps them
        [None, None, None, None],  # a blank row
        ["Bruno Souza", "529.982.247-25", "(21) 3333-4444", None],
        [None, None, "(11) 3333-5555", None],  # no name
    ]
)


def test_an_xlsx_workbook_is_read_with_sheet_rows_as_lines() -> None:
    store = MemoryStore()
    seen: list[RowOutcome] = []
    report = Importer(store).run(T, ADMIN, io.BytesIO(XLSX), on_row=seen.append)
    assert (report.created, report.failed) == (2, 1)
    assert [(o.line, o.outcome, o.code) for o in seen] == [
        (2, "created", None),
        (2, "warning", "repaired"),
        (4, "created", None),
        (5, "failed", "required_field"),
    ]
    (ana,) = CustomerDirectory(store).search(T, ADMIN, "Ana Lima")
    assert ana.tax_id is not None and ana.tax_id.formatted == "012.345.678-90"
    assert [p.e164 for p in ana.phones] == ["+5511987654321"]


def test_an_xlsx_file_through_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    path.write_bytes(XLSX)
    report = tmp_path / "relatorio.csv"
    out = io.StringIO()
    database = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["db", "upgrade", database], out=out) == 0
    status = main(
        [
            *("import", str(path), "--database", database),
            *("--tenant", T, "--no-progress", "--report-file", str(report)),
            *("--ignore", "Cliente desde"),
        ],
        out=out,
    )
    assert status == 3, out.getvalue()
    assert "CPF/CNPJ -> tax_id" in out.getvalue()
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["2", "created"],
        ["2", "warning"],
        ["4", "created"],
        ["5", "failed"],
    ]


def test_a_broken_workbook_is_our_error() -> None:
    with pytest.raises(InvalidValue) as info:
        open_table(io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert info.value.code == "invalid_value"
    with pytest.raises(InvalidValue) as info:
        open_table(io.BytesIO(workbook([])))
    assert info.value.code == "empty_file"


def test_without_openpyxl_an_xlsx_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependency) as info:
        open_table(io.BytesIO(XLSX))
    assert "customer-core[xlsx]" in str(info.value)


def test_an_opened_file_given_to_the_importer_is_left_open(tmp_path: Path) -> None:
    """The caller opened it, the caller closes it: no layer over it closes it when let go of."""
    import gc
    import warnings

    path = tmp_path / "clientes.csv"
    path.write_text("Nome;Telefone\nAna Lima;(11) 98765-4321\n", encoding="utf-8")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        with path.open("rb") as stream:
            report = Importer(MemoryStore()).run("loja", admin, stream)
            gc.collect()  # the importer's readers are gone: they must not have closed it
            assert not stream.closed
            assert stream.read() == b""  # still usable: read to its end
        assert report.created == 1


def test_an_xlsx_formula_without_a_saved_value_is_reported_on_its_cell() -> None:
    """openpyxl (and report generators) save formulas uncomputed: the value is not in the file."""
    data = workbook([["Nome", "Observação"], ["Ana Lima", "=SUM(1,2)"], [None, "=1+1"]])
    store = MemoryStore()
    seen: list[RowOutcome] = []
    report = Importer(store).run(T, ADMIN, io.BytesIO(data), on_row=seen.append)
    assert (report.created, report.failed) == (1, 1)
    assert [(o.line, o.outcome, o.code, o.column) for o in seen] == [
        (2, "created", None, None),
        (2, "warning", "invalid_value", "Observação"),
        (3, "failed", "invalid_value", "Observação"),  # a row of formulas is not skipped
        (3, "failed", "required_field", "Nome"),
    ]
    assert "no value saved" in (seen[1].message or "") and seen[1].value == "=SUM(1,2)"
    (ana,) = CustomerDirectory(store).search(T, ADMIN, "Ana Lima")
    assert ana.note is None


def test_a_neutralized_formula_reads_the_same_from_xlsx_and_csv() -> None:
    """The CSV reader undoes the export's leading ``'``; a workbook's cell is read alike."""
    notes = ["'=1+1", "''=1+1", "'Ana"]  # not "=1+1": a workbook's cell holds it as a formula
    rows: list[list[object]] = [["Nome", "Observação"]]
    rows += [[f"Cliente {i}", note] for i, note in enumerate(notes)]
    text = "".join(f'{a},"{b}"\n' for a, b in rows)
    from_csv = [row["note"] for _line, row in open_table(io.BytesIO(text.encode())).rows()]
    from_xlsx = [row["note"] for _line, row in open_table(io.BytesIO(workbook(rows))).rows()]
    assert from_csv == from_xlsx == ["=1+1", "'=1+1", "'Ana"]
