"""Generator C: held-out messy customer files with known truth.

The duplicate finding has been tuned against generators A
(``matching_quality.py``) and B (``generator_b.py``). This third generator
was written without reading the matcher (``customer_core.domain.matching``,
the services' duplicate code) or either of those generators: only the import
format (the template's columns, ``docs/howto/import-csv.md``), the truth
formats ``whole_path.py`` reads, and a description of real data. It was
committed before any score was computed on it; a change after seeing
scores is only allowed to fix data that is unrealistic or invalid, and says
so in its commit. Its name lists are its own (``_generator_c_data.py``).

The data it imitates: a small business's CRM export, merged from three
systems, one row per account of each system, in the order of the export
(shuffled), as Excel saves it (UTF-8 with BOM, ``;``, CRLF):

- **shop** checkout (40% of rows): full name as typed, e-mail (98%), mobile
  (95%), landline (10%; a household's shared one 60%), CPF (85% of people)
  or CNPJ (90% of companies), full address with CEP (92%), ``Outros
  e-mails`` (30% of rows of the 8% of people with two), a company's trade
  name in ``Nome Fantasia`` (50%);
- **helpdesk** (35%): name, e-mail (92%), one phone (85%; half of them split
  into ``DDD`` + ``Telefone``; the landline when there is one 30%,
  a household's 60%), CPF/CNPJ (15%), city and UF (40%), a ticket
  note (30%; 1% of notes span two lines);
- **whatsapp** inbox (25%): the profile name (first name only 35%, first and
  last 40%), the mobile (always, mostly ``+55 ...``), e-mail (8%), city
  (25%), CPF (3%); 1% of rows have the phone as their name.

There is no ``Código`` column: each system's account id differs between
the records of one person, and the import reads ``Código`` as the customer's
id in one other system (different codes, different customers), so a merged
export's record ids do not belong there. (A first draft wrote them; the
import then refused 41 of 500 rows as ``duplicate_identity``, before any
score was looked at.)

Entities (people 88%, companies 12% of the plain ones) appear 1 (60%), 2
(24%), 3 (11%) or 4 (5%) times; each copy comes from a source drawn anew.
A copy after the first is **thin** with 10%: a name (with a typo 70%), a
city and a phone nobody else has (the person's new number). Per row, the
errors and their rates:

- names: surname dropped (the mother's, of 2+) 22%, middle abbreviated
  (``Maria A. Silva``) 8%, particle dropped (``Maria Silva`` for ``Maria da
  Silva``) 15%, surname first (``SILVA, Maria``) 3% of helpdesk rows,
  typo (deletion, swap, neighbouring key, doubled letter) 5% (whatsapp 8%),
  accents stripped 25%, capitals 20%, lower case 7% (whatsapp 20%), extra
  spaces 3%; whatsapp: emoji 4%, title (``Dra.``) 2%. Nicknames are never
  used for a copy: ``Beto`` is not assumed to be ``Roberto``;
- companies: legal form spelled differently (``Ltda.``, ``- LTDA``, ``S/A``)
  or dropped 20%, trade name instead of the legal name (helpdesk 60%,
  whatsapp always when it has one), capitals 30%, accents stripped 20%,
  typo 4%;
- phones (mobile): ``(11) 98765-4321`` 40%, ``11987654321`` 20%, ``+55 11
  98765-4321`` 10% (whatsapp 70%), ``(11) 9 8765-4321`` 8%, ``11
  98765-4321`` 8%, ``011 98765-4321`` 3%, ``5511987654321`` 3% (whatsapp
  15%), ``0xx11 98765-4321`` 2%, ``005511987654321`` 2%, no DDD 4%; the
  ninth digit missing (legacy 8-digit mobile) 5%; one digit wrong 1%; an
  older number of the person 25% of rows of the 30% of repeated people
  that changed number; a DDD of another city (kept after moving) for 10%
  of people. Landlines: ``(11) 3456-7890`` 50%,
  ``1134567890`` 20%, ``11 3456-7890`` 15%, no DDD 10%, ``+55`` 5%;
- CPF/CNPJ: formatted 55%, digits only 40%, ``123456789-09`` 3%, spaced
  2%; leading zeros lost (Excel) for 50% of unformatted ones that start
  with 0; scientific notation (``1,23457E+13``) for 3% of unformatted CNPJs;
  one digit wrong 1%;
- e-mails: capitals 8%, capitalised first letter 5%, gmail dots moved 4% of
  gmail ones, domain typo (``gmial.com``, ``hotmal.com``, ``hotmail.com.br``
  for ``.com``) 3%, surrounding space 2%; one mailbox per person (Gmail
  ignores dots: ``ana.lima@`` and ``analima@`` are one) except where a
  couple, an owner's company or a firm's branches share one. (Fixed after
  the first scores: two people could get addresses differing only in
  Gmail dots, which is invalid data.)
- addresses: type abbreviated (``R.``, ``Av.``) 35%, capitals with the name;
  number inside the street (``Rua X, 123``) 20%, ``s/n`` 2%; complement
  spelled differently (``apto 12``, ``ap. 12``, ``apartamento 12``); CEP with
  hyphen 55%, digits 40%, ``01.310-100`` 5%, leading zero lost for 40% of
  digits-only ones; the person moved (a second address) for 5% of repeated
  people; city without accents 20%, capitals 12%, shortened (``BH``,
  ``Floripa``) 3%, typo 2%; UF lower case 4%, the state's name 2%, missing 2%.

Hard negatives (different entities, tagged with their kind in the truth),
as shares of the units drawn: ``household`` 3% (two people sharing a
landline and an address, different given names, the same surname 70%),
``owner_company`` 4% (a person and their company sharing the mobile; the
company named ``Owner Name ME``/``MEI``/``EIRELI``, an MEI's ``root + name``,
or a trade name; sharing the e-mail too 30%), ``couple`` 2.5% (sharing a
mobile and an e-mail and the address), ``father_son`` 1.5% (same name, the
son's with ``Júnior``/``Filho``/``Jr.``/``Neto``, dropped in 30% of his later
rows and 10% of single ones), ``homonym`` 2% (a common full name in two
cities, three with 20%, different everything else), ``cnpj_branch`` 1.2%
(2 branches of one CNPJ root, 3 with 40%, the same legal name, ``-
Filial City`` after it in 70% of the rows of 30% of branches, different
cities and phones, the finance mailbox shared 50%).

Run::

    python benchmarks/generator_c.py --records 20000 --seed 1 --out DIR

writes ``DIR/generator_c_seed1.csv`` and ``DIR/generator_c_seed1.truth.json``
(``lines``: ``line`` = physical line where the record starts, header = 1,
``entity``, ``tags``; ``hard_negatives``: ``a``, ``b`` entities, ``kind``),
the same for the same seed, then ``python benchmarks/whole_path.py --input
DIR/generator_c_seed1.csv --truth DIR/generator_c_seed1.truth.json``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from pathlib import Path
from typing import NamedTuple

from _generator_c_entities import Entity, Units, pick
from _generator_c_render import HEADER, Renderer

COPIES = [(1, 60.0), (2, 24.0), (3, 11.0), (4, 5.0)]
SOURCES = [("shop", 40.0), ("helpdesk", 35.0), ("whatsapp", 25.0)]
THIN = 0.10


class Generated(NamedTuple):
    rows: list[dict[str, str]]  # in file order
    truth: dict[str, object]  # as the truth JSON holds it
    entities: int
    hard_negatives: int


def generate(records: int, seed: int) -> Generated:
    """``records`` rows and their truth, the same for the same seed."""
    rng = random.Random(seed)
    units = Units(rng)
    renderer = Renderer(rng)
    planned: list[tuple[Entity, int]] = []
    total = 0
    while total < records:
        for entity in units.draw():
            copies = min(pick(rng, COPIES), records - total)
            if copies <= 0:
                break
            planned.append((entity, copies))
            total += copies
    rows: list[tuple[dict[str, str], str, list[str]]] = []
    for entity, copies in planned:
        entity.prepare_copies(copies)
        for copy in range(copies):
            source = pick(rng, SOURCES)
            thin = copy > 0 and rng.random() < THIN
            row, tags = renderer.row(entity, source, copy, copies, thin)
            rows.append((row, entity.id, [f"source:{source}", *tags]))
    rng.shuffle(rows)
    lines = []
    line = 2
    for row, entity_id, tags in rows:
        lines.append({"line": line, "entity": entity_id, "tags": tags})
        # A quoted field with a line break spans more physical lines.
        line += 1 + sum(value.count("\n") for value in row.values())
    # The last unit may be cut short by the row count: its missing entities have no pair.
    drawn = {entity.id for entity, _ in planned}
    hard_negatives = [
        {"a": a, "b": b, "kind": kind}
        for a, b, kind in units.hard_negatives
        if a in drawn and b in drawn
    ]
    truth: dict[str, object] = {
        "generator": "generator C",
        "seed": seed,
        "records": len(rows),
        "lines": lines,
        "hard_negatives": hard_negatives,
    }
    return Generated([row for row, _, _ in rows], truth, len(planned), len(hard_negatives))


def write(rows: list[dict[str, str]], truth: dict[str, object], out: Path, seed: int) -> Path:
    """The CSV as Excel saves it (BOM, ``;``, CRLF) and its truth next to it; the CSV's path."""
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path = out / f"generator_c_seed{seed}.csv"
    csv_path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    truth_path = csv_path.with_suffix(".truth.json")
    truth_path.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return csv_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="rows in the file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    generated = generate(args.records, args.seed)
    path = write(generated.rows, generated.truth, args.out, args.seed)
    print(
        f"wrote {path} ({len(generated.rows)} rows, {generated.entities} entities, "
        f"{generated.hard_negatives} hard negatives)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
