"""Generator C (benchmarks/generator_c.py) writes valid held-out files with a truth that fits.

whole_path.py trusts the truth it is given: a line number off by one, or a
file the importer cannot read, would turn the held-out measure into noise
without any error. So: the same seed gives the same bytes, every truth line
is the physical line where a record starts (notes with a line break
included), hard negatives name entities of the file, and the library
imports the file with no row refused for a reason the data does not
explain.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import customer_core as cc
from customer_core.io import Importer

GENERATOR = Path(__file__).parents[2] / "benchmarks" / "generator_c.py"
ROWS = 500


def generated(out: Path, seed: int = 3, records: int = ROWS) -> tuple[Path, Path]:
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--records",
            str(records),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    csv_path = out / f"generator_c_seed{seed}.csv"
    return csv_path, csv_path.with_suffix(".truth.json")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generated(tmp_path_factory.mktemp("generator_c"))


def record_lines(path: Path) -> dict[int, list[str]]:
    """Each record by the physical line it starts on (header = 1)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        records = {}
        while True:
            start = reader.line_num + 1
            try:
                records[start] = next(reader)
            except StopIteration:
                return records


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_ones(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    again = generated(tmp_path / "again")
    other = generated(tmp_path / "other", seed=4)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in files]
    assert other[0].read_bytes() != files[0].read_bytes()


def test_the_truth_names_every_record_by_the_line_it_starts_on(
    files: tuple[Path, Path],
) -> None:
    csv_path, truth_path = files
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    records = record_lines(csv_path)
    entity_of = {item["line"]: item["entity"] for item in truth["lines"]}
    assert len(records) == ROWS == truth["records"]
    assert sorted(entity_of) == sorted(records)
    assert all(records[line][0].strip() for line in records)  # every row has a name
    entities = set(entity_of.values())
    assert len(entities) < ROWS  # some entities have several rows: there is truth to find
    kinds = {h["kind"] for h in truth["hard_negatives"]}
    assert kinds <= {"household", "owner_company", "couple", "father_son", "homonym", "cnpj_branch"}
    for negative in truth["hard_negatives"]:
        assert {negative["a"], negative["b"]} <= entities
        assert negative["a"] != negative["b"]


def test_only_a_listed_hard_negative_shares_a_mailbox(files: tuple[Path, Path]) -> None:
    # Gmail ignores dots: ana.lima@ and analima@ are one mailbox, so one person's.
    csv_path, truth_path = files
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    records = record_lines(csv_path)
    email_columns = (2, 3)  # E-mail, Outros e-mails
    holders: dict[str, set[str]] = {}
    for item in truth["lines"]:
        if "email_domain_typo" in item["tags"]:
            continue  # a mistyped domain may reach anyone's mailbox
        for column in email_columns:
            address = records[item["line"]][column].strip().lower()
            if address:
                local, domain = address.split("@")
                if domain == "gmail.com":
                    local = local.replace(".", "")
                holders.setdefault(f"{local}@{domain}", set()).add(item["entity"])
    listed = {frozenset((h["a"], h["b"])) for h in truth["hard_negatives"]}
    for mailbox, entities in holders.items():
        for a in entities:
            for b in entities - {a}:
                assert frozenset((a, b)) in listed, mailbox


def test_a_two_line_note_moves_the_following_lines(tmp_path: Path) -> None:
    # 2,000 rows of seed 1 hold notes with a line break: the truth must count them.
    csv_path, truth_path = generated(tmp_path, seed=1, records=2000)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    two_lines = [item for item in truth["lines"] if "note_two_lines" in item["tags"]]
    assert two_lines, "seed 1 no longer writes a two-line note; pick a seed that does"
    assert sorted(item["line"] for item in truth["lines"]) == sorted(record_lines(csv_path))


def test_the_library_imports_the_file_refusing_no_row_without_cause(
    files: tuple[Path, Path],
) -> None:
    csv_path, _ = files
    core = cc.connect("sqlite:///:memory:")
    admin = cc.Actor(tenant_id="t", user_id="u", role="admin")
    report = Importer(core.storage, preset=core.preset).run("t", admin, str(csv_path))
    # A row is only refused when the file itself makes it ambiguous (a row that
    # reaches two customers with different CPF/CNPJ equally): data, not a defect.
    assert {error.code for error in report.errors} <= {"duplicate_identity"}
    assert report.failed <= ROWS // 100
    assert report.created > ROWS // 2
