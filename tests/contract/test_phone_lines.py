"""One line, one phone: merges and imports keep the richer phone and say what they leave out.

Issue review-4 #7: a merge of a record holding ``11 3333-4444`` with one
holding it as a work phone at extension 25 kept the survivor's bare line (the
type and the extension gone); an import row with two extensions of one line
kept the first and dropped the second without a word. A customer holds each
line once (its identity key, DESIGN §4, and what the limits count), so:

- the same line twice keeps the richer phone: an extension over none, a
  chosen type (home, work, fax) over an inferred one;
- two different extensions: the first (the survivor's, the stored one, the
  row's first) stays, and the other is reported: ``MergeRecord.phones_not_kept``,
  an import warning naming the value (people reached at other extensions are
  a company's contacts);
- ``register``/``add_phone`` refuse the line twice (``duplicate_identifier``).
"""

from __future__ import annotations

import io

import pytest
from tenants import tenant_and_admin

from customer_core import Actor, CustomerCore, presets
from customer_core.domain.model.customer import Customer
from customer_core.errors import Code, DuplicateIdentifier
from customer_core.io import ImportReport
from customer_core.ports import UnitOfWorkFactory

LINE = "+551133334444"


def _phones(customer: Customer) -> list[tuple[str, str, str | None]]:
    return [(p.e164, p.type.value, p.extension) for p in customer.phones]


def test_a_merge_keeps_the_richer_phone_and_reports_another_extension(
    storage: UnitOfWorkFactory,
) -> None:
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    customers, identity = core.customers, core.identity
    tenant, admin = tenant_and_admin()
    ana = customers.register(tenant, admin, name="Ana Lima", phones=["11 3333-4444"])
    work = {"number": "11 3333-4444", "type": "work", "extension": "25"}
    beto = customers.register(tenant, admin, name="Ana Lima", phones=[work])

    first = identity.merge(tenant, admin, ana.id, beto.id)
    assert _phones(customers.get(tenant, admin, ana.id)) == [(LINE, "work", "25")]
    assert first.phones_not_kept == ()

    other = customers.register(tenant, admin, name="Ana Lima", phones=["11 3333-4444 ramal 30"])
    second = identity.merge(tenant, admin, ana.id, other.id)
    assert _phones(customers.get(tenant, admin, ana.id)) == [(LINE, "work", "25")]
    assert [(p.e164, p.extension) for p in second.phones_not_kept] == [(LINE, "30")]
    # The merge record, read back from the storage, says it too.
    with storage() as uow:
        stored = uow.merges.get(tenant, second.id)
    assert [p.extension for p in stored.phones_not_kept] == ["30"]

    # Unmerged, each record has its own phone back.
    identity.unmerge(tenant, admin, second.id)
    identity.unmerge(tenant, admin, first.id)
    assert _phones(customers.get(tenant, admin, ana.id)) == [(LINE, "landline", None)]
    assert _phones(customers.get(tenant, admin, beto.id)) == [(LINE, "work", "25")]
    assert _phones(customers.get(tenant, admin, other.id)) == [(LINE, "landline", "30")]


def test_a_merge_takes_no_type_the_preset_refuses(storage: UnitOfWorkFactory) -> None:
    tenant, admin = tenant_and_admin()
    card = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    strict = CustomerCore.over(storage, preset=presets.OMNICHANNEL)  # landline and mobile only
    ana = strict.customers.register(tenant, admin, name="Ana Lima", phones=["11 3333-4444"])
    fax = {"number": "11 3333-4444", "type": "fax", "extension": "9"}
    bia = card.customers.register(tenant, admin, name="Ana Lima", phones=[fax])

    record = strict.identity.merge(tenant, admin, ana.id, bia.id)
    assert _phones(strict.customers.get(tenant, admin, ana.id)) == [(LINE, "landline", "9")]
    assert [p.type.value for p in record.phones_not_kept] == ["fax"]


def _run(core: CustomerCore, tenant: str, admin: Actor, text: str, mode: str) -> ImportReport:
    return core.importer.run(tenant, admin, io.BytesIO(text.encode()), mode=mode)


def test_an_import_keeps_one_phone_per_line_and_warns_of_another_extension(
    storage: UnitOfWorkFactory,
) -> None:
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    tenant, admin = tenant_and_admin()
    header = "Nome;E-mail;Telefone;Outros telefones\n"
    report = _run(
        core,
        tenant,
        admin,
        header
        + "Beto Dias;beto@x.com;11 3333-4444 ramal 25;11 3333-4444 ramal 30\n"
        + "Caio Reis;caio@x.com;11 3333-5555;11 3333-5555 ramal 7\n"
        + "Duda Melo;duda@x.com;11 3333-6666 ramal 1;\n"
        + "Duda Melo;duda@x.com;11 3333-6666 ramal 2;\n",
        "create",
    )
    assert (report.created, report.failed) == (3, 0)
    assert [(w.line, w.header, w.code, w.value) for w in report.warnings] == [
        (2, "Outros telefones", Code.DUPLICATE_IDENTIFIER, "11 3333-4444 ramal 30"),
        (5, None, Code.DUPLICATE_IDENTIFIER, "11 3333-6666 ramal 2"),
    ]
    found = {c.name: _phones(c) for c in core.directory.list(tenant, admin).items}
    assert found == {
        "Beto Dias": [(LINE, "landline", "25")],
        "Caio Reis": [("+551133335555", "landline", "7")],  # the extension over none
        "Duda Melo": [("+551133336666", "landline", "1")],
    }

    # An upsert fills in an extension stored without one, and warns of another one.
    ana = core.customers.register(tenant, admin, name="Ana Lima", phones=["11 3333-7777"])
    filled = _run(core, tenant, admin, "Nome;Telefone\nAna Lima;11 3333-7777 ramal 5\n", "upsert")
    assert (filled.updated, filled.warnings) == (1, ())
    other = _run(core, tenant, admin, "Nome;Telefone\nAna Lima;11 3333-7777 ramal 6\n", "upsert")
    assert (other.updated, other.unchanged) == (0, 1)
    assert [(w.code, w.value) for w in other.warnings] == [
        (Code.DUPLICATE_IDENTIFIER, "11 3333-7777 ramal 6")
    ]
    assert _phones(core.customers.get(tenant, admin, ana.id)) == [
        ("+551133337777", "landline", "5")
    ]


def test_the_same_line_twice_on_a_record_is_refused_with_what_to_do(
    storage: UnitOfWorkFactory,
) -> None:
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD)
    tenant, admin = tenant_and_admin()
    ana = core.customers.register(tenant, admin, name="Ana Lima", phones=["11 3333-4444"])
    with pytest.raises(DuplicateIdentifier) as added:
        core.customers.add_phone(tenant, admin, ana.id, "11 3333-4444 ramal 99")
    with pytest.raises(DuplicateIdentifier) as registered:
        core.customers.register(
            tenant, admin, name="Bia", phones=["11 3333-5555 ramal 1", "11 3333-5555 ramal 2"]
        )
    for refused in (added.value, registered.value):
        assert (refused.code, refused.field) == (Code.DUPLICATE_IDENTIFIER, "phones")
        assert "replace it to change its extension" in refused.message
    # Replacing the phone is how its extension changes.
    core.customers.replace_phone(tenant, admin, ana.id, "11 3333-4444", "11 3333-4444 ramal 99")
    assert _phones(core.customers.get(tenant, admin, ana.id)) == [(LINE, "landline", "99")]
