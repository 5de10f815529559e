"""Rows parsed in worker processes come back as the importing process would have parsed them."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from customer_core import Actor, connect
from customer_core.errors import Code, InvalidValue
from customer_core.io import parse_workers
from customer_core.io.first_pass import ReadOptions
from customer_core.io.parse_workers import RowParser, parse_block
from customer_core.io.sources import open_table

from .test_first_pass import here, messy_file

#: Two headers feed the phones: a bad number in the second is reported under its own
#: header, whichever row the reader is on when the worker's result comes back.
TWO_PHONE_HEADERS = (
    "Nome;Telefone 1;Telefone 2;Cidade\n"
    + "".join(f"Pessoa {i};(11) 9{i:04d}-{i:04d};;São Paulo\n" for i in range(1, 40))
    + "Bia Dois;(11) 98888-0000;(11) 1234;Recife\n"
    + "".join(f"Outra {i};(21) 9{i:04d}-{i:04d};;Rio\n" for i in range(1, 40))
)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 rows, and workers from the first row: a small file goes through them."""
    monkeypatch.setattr(parse_workers, "BLOCK_ROWS", 7)
    monkeypatch.setattr(parse_workers, "PARALLEL_AFTER", 0)


@pytest.mark.usefixtures("small_blocks")
def test_workers_hand_out_the_rows_parsing_here_gives(tmp_path: Path) -> None:
    path = messy_file(tmp_path)
    alone = here(path, ReadOptions(size=50))
    assert here(path, ReadOptions(size=50, workers=2, parallel_after=0)) == alone


@pytest.mark.usefixtures("small_blocks")
def test_a_bad_cell_keeps_its_own_header_when_parsed_by_a_worker(tmp_path: Path) -> None:
    path = tmp_path / "dois.csv"
    path.write_text(TWO_PHONE_HEADERS, encoding="utf-8")
    for workers in (0, 2):
        (chunk,) = here(path, ReadOptions(workers=workers, parallel_after=0))
        assert [(w.line, w.header, w.value) for w in chunk.warnings] == [
            (41, "Telefone 2", "(11) 1234")
        ]


@pytest.mark.usefixtures("small_blocks")
def test_a_worker_that_cannot_run_leaves_the_parsing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits = shutil.which("true")
    if exits is None:
        pytest.skip("no `true` command to stand for an interpreter that exits at once")
    with messy_file(tmp_path).open("rb") as stream:
        rows = [(line, row, None) for line, row in open_table(stream).rows()]
    monkeypatch.setattr(sys, "executable", exits)  # every worker exits without a word
    with RowParser[None]("BR", False, workers=2, parallel_after=0) as parser:
        parsed = [result for _, results in parser.parse(rows) for result in results]
        assert parser.used_workers == 2
    assert parsed == parse_block([(line, row) for line, row, _ in rows], "BR", False)


@pytest.mark.usefixtures("small_blocks")
def test_an_import_through_workers_stores_what_one_alone_stores(tmp_path: Path) -> None:
    path = messy_file(tmp_path)

    def imported(workers: int) -> tuple[object, ...]:
        core = connect("memory://")
        admin = Actor(tenant_id="t", user_id="admin", role="admin")
        report = core.importer.run("t", admin, path, mode="upsert", parse_workers=workers)
        stored = sorted(
            repr((c.name, c.phones, c.emails, c.tax_id, c.addresses))
            for c in core.directory.list("t", admin, limit=500).items
        )
        return (report.created, report.merged_rows, report.errors, report.warnings, stored)

    assert imported(2) == imported(0)


@pytest.mark.parametrize("workers", [-1, 33, True, 1.5])
def test_a_number_of_workers_out_of_range_is_refused(workers: object) -> None:
    core = connect("memory://")
    admin = Actor(tenant_id="t", user_id="admin", role="admin")
    with pytest.raises(InvalidValue) as refused:
        core.importer.run("t", admin, io.BytesIO(b"Nome\nAna\n"), parse_workers=workers)  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.field) == (Code.INVALID_VALUE, "parse_workers")
