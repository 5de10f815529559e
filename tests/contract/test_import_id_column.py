"""An upsert by the export's id column never writes one customer's data onto another's.

The export carries each customer's id; sorting one column of it alone in a
spreadsheet slides the ids onto other customers' rows. A row whose id names
a customer its evidence conflicts with (another person's name, another
CPF/CNPJ, a company for a person) is a ``conflict``: nothing changes, the
other rows are imported, every backend alike.
"""

from __future__ import annotations

import csv
import io
import uuid

from customer_core import Actor
from customer_core.errors import Code
from customer_core.io import Exporter, Importer, RowOutcome
from customer_core.ports import UnitOfWorkFactory

FILE = (
    "Nome;E-mail;Telefone;CPF/CNPJ\n"
    "Ana Lima;ana1@x.com.br;(11) 98765-1001;\n"
    "Ana Lima;ana2@x.com.br;(11) 98765-1002;\n"
    "Luana Costa;luana@x.com.br;(11) 98765-1004;123.456.789-09\n"
    "Maria Silva;maria@x.com.br;(11) 98765-1003;529.982.247-25\n"
    "Maria Silva ME;;(11) 98765-1003;\n"
)


def _stored(storage: UnitOfWorkFactory, tenant: str) -> list[tuple[object, ...]]:
    with storage() as uow:
        customers = uow.customers.list_page(tenant, limit=100)
    return sorted(
        (c.name, c.tax_id, tuple(e.address for e in c.emails), tuple(p.e164 for p in c.phones))
        for c in customers
    )


def test_ids_slid_onto_other_rows_change_nothing(storage: UnitOfWorkFactory) -> None:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    importer = Importer(storage)
    importer.run(tenant, admin, io.BytesIO(FILE.encode()))
    before = _stored(storage, tenant)
    exported = io.StringIO()
    Exporter(storage).run(tenant, admin, exported)
    header, *rows = list(csv.reader(io.StringIO(exported.getvalue()), delimiter=";"))
    column = header.index("ID do cliente")
    ids = [row[column] for row in rows]
    for row, slid in zip(rows, ids[1:] + ids[:1], strict=True):  # the id column sorted alone
        row[column] = slid
    edited = io.StringIO()
    csv.writer(edited, delimiter=";").writerows([header, *rows])
    for batch_size in (1, 5000):
        outcomes: list[RowOutcome] = []
        report = importer.run(
            tenant,
            admin,
            io.BytesIO(edited.getvalue().encode()),
            mode="upsert",
            batch_size=batch_size,
            on_row=outcomes.append,
        )
        assert _stored(storage, tenant) == before
        assert report.updated == 0 and report.created == 0
        assert {o.outcome for o in outcomes} <= {"conflict", "unchanged"}
        conflicts = [o for o in outcomes if o.outcome == "conflict"]
        assert conflicts
        # Each names the customer its id column named: the one to look at.
        assert {o.customer_id for o in conflicts} <= set(ids)
        assert all(o.customer_id for o in conflicts)
        assert {e.code for e in report.errors} == {Code.CONFLICTING_EVIDENCE}
        assert {e.column for e in report.errors} == {"customer_id"}
