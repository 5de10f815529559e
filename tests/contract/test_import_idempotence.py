"""Importing again what is already there changes nothing, on every storage.

The same file again, a reordered copy with blank lines, and the library's
own export: 0 created, 0 updated. The file is the demo's messy rows (a
customer again in other spellings, near duplicates) and the hard cases: a
household's landline, a couple's e-mail, rows without any identifier (twice
the same), one customer's rows with different spellings of the name, note
and address.
"""

from __future__ import annotations

import io
import random
import uuid
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tenants import tenant_and_admin
from test_import_batches import messy_files

from customer_core import Actor, CustomerCore
from customer_core.demo import demo_csv
from customer_core.io import Exporter, Importer, ImportReport
from customer_core.ports import UnitOfWorkFactory

HARD_CASES: list[dict[str, str]] = [
    # A household's landline: Ana and Bruno are two customers sharing it.
    {
        "Nome": "Ana Lima",
        "E-mail": "ana.lima@exemplo.com.br",
        "DDD": "11",
        "Telefone": "3333-4444",
        "CPF/CNPJ": "529.982.247-25",
        "Rua": "Rua A",
        "Cidade": "Recife",
        "Estado": "PE",
    },
    {"Nome": "Bruno Lima", "Telefone": "(11) 3333-4444", "CPF/CNPJ": "390.533.447-05"},
    # A couple's e-mail.
    {"Nome": "Carla Dias", "E-mail": "casal@exemplo.com.br"},
    {"Nome": "Davi Rocha", "E-mail": "casal@exemplo.com.br"},
    # Rows without any identifier, one of them twice: two customers of that name.
    {"Nome": "Maria Silva", "Rua": "Rua B", "Cidade": "Natal", "Estado": "RN"},
    {"Nome": "Maria Silva", "Rua": "Rua B", "Cidade": "Natal", "Estado": "RN"},
    {"Nome": "José Santos"},
    # One customer, three spellings, far apart once the file is shuffled.
    {"Nome": "ELIS REGINA", "E-mail": "elis@exemplo.com.br", "Observação": "primeira"},
    {
        "Nome": "Elis Regina Costa",
        "E-mail": "ELIS@exemplo.com.br",
        "Telefone": "21 98765-4321",
        "Rua": "Rua C",
        "Cidade": "Rio de Janeiro",
        "Observação": "segunda",
    },
    {
        "Nome": "Elis R. Costa",
        "Telefone": "(21) 98765 4321",
        "Rua": "Rua C",
        "Número": "10",
        "Cidade": "Rio de Janeiro",
        "CEP": "20000-000",
    },
]


def _file(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _counts(report: ImportReport) -> tuple[int, int, int]:
    return report.created, report.updated, report.failed


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def test_importing_what_is_there_changes_nothing(storage: UnitOfWorkFactory, tenant: str) -> None:
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    header, *rows = demo_csv(150).splitlines()
    columns = header.lstrip("\ufeff").split(";")
    rows += [";".join(case.get(c, "") for c in columns) for case in HARD_CASES]
    importer = Importer(storage)
    first = importer.run(tenant, admin, io.BytesIO(_file([header, *rows])), mode="upsert")
    assert first.failed == 0, first.errors
    with storage() as uow:
        stored = uow.customers.count(tenant)
    assert stored == first.created

    again = importer.run(tenant, admin, io.BytesIO(_file([header, *rows])), mode="upsert")
    assert _counts(again) == (0, 0, 0)
    assert again.unchanged == first.created
    created = importer.run(tenant, admin, io.BytesIO(_file([header, *rows])))
    assert (created.created, created.skipped, created.failed) == (0, first.created, 0)

    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    for at in range(0, len(shuffled), 9):
        shuffled.insert(at, "")
    reordered = importer.run(tenant, admin, io.BytesIO(_file([header, *shuffled])), mode="upsert")
    assert _counts(reordered) == (0, 0, 0), reordered.errors

    out = io.StringIO()
    assert Exporter(storage).run(tenant, admin, out) == stored
    exported = importer.run(tenant, admin, io.BytesIO(out.getvalue().encode()), mode="upsert")
    assert _counts(exported) == (0, 0, 0), exported.errors
    assert exported.unchanged == stored
    with storage() as uow:
        assert uow.customers.count(tenant) == stored


def test_a_shuffled_copy_of_a_messy_file_changes_nothing(
    storage: UnitOfWorkFactory, request: pytest.FixtureRequest
) -> None:
    # Files drawn from small pools of names, CPFs, phones and e-mails (see
    # test_import_batches): households, couples, spellings, homonyms.
    backend = request.node.callspec.params["storage"]
    if backend not in ("memory", "sqlite"):
        pytest.skip("the servers run the fixed file above; the drawn ones run on two backends")

    @settings(
        max_examples=30,
        deadline=timedelta(seconds=30),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(messy_files(), st.randoms(use_true_random=False))
    def run(file: tuple[str, list[dict[str, Any]]], shuffler: random.Random) -> None:
        text, _stored = file
        header, *rows = text.splitlines()
        tenant, admin = tenant_and_admin()
        importer = Importer(storage)
        importer.run(tenant, admin, io.BytesIO(_file([header, *rows])), mode="upsert")
        # Rows without any identifier are found again by their content and their
        # occurrence among rows of the same content (the content key): two that
        # differ only in the note would swap notes. They keep their relative order.
        bare = [row for row in rows if not any(row.split(";")[1:4])]
        shuffler.shuffle(rows)
        kept = iter(bare)
        rows = [next(kept) if row in bare else row for row in rows]
        again = importer.run(tenant, admin, io.BytesIO(_file([header, *rows])), mode="upsert")
        assert (again.created, again.updated) == (0, 0), text

    run()


def _contents(storage: UnitOfWorkFactory, tenant: str) -> list[tuple[Any, ...]]:
    """Each customer of ``tenant`` as what a user sees of it, ids and lines aside."""
    with storage() as uow:
        customers = uow.customers.list_page(tenant, limit=10_000)
    return sorted(
        (
            c.name,
            str(c.kind),
            c.tax_id.digits if c.tax_id else "",
            tuple(p.e164 for p in c.phones),
            tuple(e.address for e in c.emails),
            tuple(repr(a) for a in c.addresses),
            c.note or "",
        )
        for c in customers
    )


def test_a_shuffled_file_makes_the_same_customers(
    storage: UnitOfWorkFactory, request: pytest.FixtureRequest
) -> None:
    # Which row's name, primary phone or address a customer takes is a function
    # of the rows: the CPF row's "Ana Lima" and its landline first, in either order.
    backend = request.node.callspec.params["storage"]
    if backend not in ("memory", "sqlite"):
        pytest.skip("a property of the grouping, not of the storage: run on two backends")
    pair = ["Ana Lima;(11) 3333-4444;0055 11 98765 4321;529.982.247-25", "ANA LIMA;;11 8765-4321;"]
    header = "Nome;Telefone;Celular;CPF"
    seen = []
    for rows in (pair, pair[::-1]):
        tenant, admin = tenant_and_admin()
        Importer(storage).run(tenant, admin, io.BytesIO(_file([header, *rows])))
        seen.append(_contents(storage, tenant))
    assert seen[0] == seen[1]
    assert [(name, phones[0]) for name, _, _, phones, *_ in seen[0]] == [
        ("Ana Lima", "+551133334444")
    ]

    @settings(
        max_examples=25,
        deadline=timedelta(seconds=30),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(messy_files(), st.randoms(use_true_random=False))
    def run(file: tuple[str, list[dict[str, Any]]], shuffler: random.Random) -> None:
        text, _stored = file
        header, *rows = text.splitlines()
        shuffled = rows[:]
        shuffler.shuffle(shuffled)
        contents = []
        for lines in (rows, shuffled):
            tenant, admin = tenant_and_admin()
            Importer(storage).run(tenant, admin, io.BytesIO(_file([header, *lines])))
            contents.append(_contents(storage, tenant))
        assert contents[0] == contents[1], text

    run()


def test_the_own_export_of_registered_addresses_changes_nothing(
    storage: UnitOfWorkFactory, tenant: str
) -> None:
    # The export writes the first address (a default one here) in the columns the
    # import reads as the delivery address: the same place, typed otherwise, is no
    # change (it replaced the stored delivery address, or added a copy of the first).
    core = CustomerCore.over(storage)
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    ana = core.customers.register(
        tenant,
        admin,
        name="Ana Lima",
        emails=["ana@x.com"],
        addresses=[
            {"street": "Rua A", "city": "Recife"},
            {"street": "Rua B", "city": "Olinda", "type": "delivery"},
        ],
    )
    bia = core.customers.register(
        tenant, admin, name="Bia Souza", emails=["bia@x.com"], addresses=[{"street": "Rua Ç"}]
    )
    out = io.StringIO()
    Exporter(storage).run(tenant, admin, out)
    report = Importer(storage).run(
        tenant, admin, io.BytesIO(out.getvalue().encode()), mode="upsert"
    )
    assert _counts(report) == (0, 0, 0) and report.unchanged == 2, report.errors
    for before in (ana, bia):
        assert core.customers.get(tenant, admin, before.id).addresses == before.addresses
