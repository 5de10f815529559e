"""An export imported into a fresh tenant gives the same phones, on every storage.

Issue review-4 #6: the export wrote each phone's national form, so an
extension (*ramal*) was lost and a *recado* number (someone else's line, to
leave messages with) came back as the customer's own line, identity evidence
that docs/concepts.md says it never is. The main phone's extension is
written in the ``Telefone`` column beside ``DDI``/``DDD``. What the template
cannot carry (a home/work type, a second address) is said in
docs/howto/import-csv.md.
"""

from __future__ import annotations

import io

from tenants import tenant_and_admin

from customer_core import Actor, CustomerCore, presets
from customer_core.domain.model.customer import Customer
from customer_core.ports import UnitOfWorkFactory

#: Each customer's phones, the first one the main phone (DDI / DDD / Telefone columns).
PHONES: dict[str, list[str | dict[str, str]]] = {
    "Ana Lima": ["11 98765-4321", "11 3333-4444 ramal 25", "(11) 2222-3333 recado"],
    "Beto Dias": ["11 3333-5555 ramal 7", "+1 212 555 0123 ext 4", "21 2222-1111 recado"],
    "Caio Reis": ["(11) 2222-3336 recado", "11 97777-0000"],
    "Duda Melo": ["+44 20 7946 0958 x 12"],
    "Eva Lins": [{"number": "11 3333-4445", "type": "fax"}, "11 3333-4446 ramal 3 fax"],
}


def _phones(customer: Customer) -> list[tuple[str, str, str | None, bool]]:
    return sorted((p.e164, p.type.value, p.extension, p.message_number) for p in customer.phones)


def _by_name(core: CustomerCore, tenant: str, admin: Actor) -> dict[str, Customer]:
    page = core.directory.list(tenant, admin, limit=50)
    return {c.name: c for c in page.items}


def test_an_export_reimports_to_the_same_phones(storage: UnitOfWorkFactory) -> None:
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    tenant, admin = tenant_and_admin()
    for name, phones in PHONES.items():
        core.customers.register(tenant, admin, name=name, phones=phones)
    out = io.StringIO()
    assert core.exporter.run(tenant, admin, out) == len(PHONES)

    fresh, fresh_admin = tenant_and_admin()
    report = core.importer.run(fresh, fresh_admin, io.BytesIO(out.getvalue().encode()))
    assert (report.created, report.failed, report.warnings) == (len(PHONES), 0, ())

    before = {n: _phones(c) for n, c in _by_name(core, tenant, admin).items()}
    after = {n: _phones(c) for n, c in _by_name(core, fresh, fresh_admin).items()}
    assert after == before
    assert ("+551133334444", "landline", "25", False) in after["Ana Lima"]
    assert ("+551122223336", "other", None, True) in after["Caio Reis"]  # a main recado line
    assert after["Eva Lins"] == [
        ("+551133334445", "fax", None, False),
        ("+551133334446", "fax", "3", False),
    ]
    # A recado number gives no identity key: the two tenants' Caio share no line key.
    caio = _by_name(core, fresh, fresh_admin)["Caio Reis"]
    assert [p.e164 for p in caio.phones if p.is_identity] == ["+5511977770000"]

    # And the same file upserted into the first tenant changes nothing.
    again = core.importer.run(tenant, admin, io.BytesIO(out.getvalue().encode()), mode="upsert")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(PHONES))
