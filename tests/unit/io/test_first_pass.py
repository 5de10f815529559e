"""The import's first pass: the rows it hands out are the file's, however it is chunked."""

from __future__ import annotations

from pathlib import Path

from customer_core.demo import demo_csv
from customer_core.io.first_pass import Chunk, ReadOptions, parsed_chunks
from customer_core.io.sources import open_table

#: Rows the demo file lacks: refused (no name), with values left out (a CEP short of a
#: digit), without any identifier (content keys: the same row twice), and a phone only
#: the city's area code completes.
ODD_ROWS = [
    {"Telefone": "(11) 98765-4321"},
    {"Nome": "Rua Sem Cep", "CEP": "0131-000", "Cidade": "Recife"},
    {"Nome": "Maria Sem Nada", "Cidade": "Natal"},
    {"Nome": "Maria Sem Nada", "Cidade": "Natal"},
    {"Nome": "Caio Local", "Telefone": "3333-4444", "Cidade": "São Paulo"},
]


def messy_file(tmp_path: Path) -> Path:
    header, *rows = demo_csv(120).splitlines()
    cells = header.split(";")
    odd = [";".join(row.get(cell, "") for cell in cells) for row in ODD_ROWS]
    path = tmp_path / "clientes.csv"
    path.write_text("\n".join([header, *rows[:50], *odd, *rows[50:]]) + "\n", encoding="utf-8")
    return path


def here(path: Path, options: ReadOptions) -> list[Chunk]:
    with path.open("rb") as stream:
        return list(parsed_chunks(open_table(stream), options))


def test_the_chunks_hold_the_same_rows_whatever_their_size(tmp_path: Path) -> None:
    path = messy_file(tmp_path)
    whole = here(path, ReadOptions(size=5000))
    assert len(whole) == 1
    (chunk,) = whole
    assert chunk.rows_read > 120
    assert chunk.errors
    assert chunk.warnings
    keyless = [d for d in chunk.drafts if d.name == "Maria Sem Nada"]
    assert [d.external_id.id.rsplit(":")[-1] for d in keyless if d.external_id] == ["1", "2"]
    small = here(path, ReadOptions(size=7))
    assert all(len(c.drafts) == 7 for c in small[:-1])
    assert sum(c.rows_read for c in small) == chunk.rows_read
    assert [e for c in small for e in c.errors] == list(chunk.errors)
    assert [w for c in small for w in c.warnings] == list(chunk.warnings)
    assert [d for c in small for d in c.drafts] == list(chunk.drafts)


def test_a_bad_cell_keeps_its_own_header_in_a_row_read_again(tmp_path: Path) -> None:
    """Two headers feed the phones; the row with a local number is read again at the end
    of the file (its city's code), when the reader is on another row: the bad number in
    its second column is still reported under that column's header."""
    path = tmp_path / "dois.csv"
    path.write_text(
        "Nome;Telefone 1;Telefone 2;Cidade\n"
        + "".join(f"Pessoa {i};(11) 98765-432{i};;São Paulo\n" for i in range(3))
        + "Bia Dois;3333-4444;(11) 1234;São Paulo\n"
        + "Caio Reis;(21) 98888-7777;;Rio de Janeiro\n",
        encoding="utf-8",
    )
    (chunk,) = here(path, ReadOptions())
    assert [(w.line, w.header, w.value) for w in chunk.warnings if w.value == "(11) 1234"] == [
        (5, "Telefone 2", "(11) 1234")
    ]
    (bia,) = [d for d in chunk.drafts if d.name == "Bia Dois"]
    assert [p.e164 for p in bia.phones] == ["+551133334444"]
