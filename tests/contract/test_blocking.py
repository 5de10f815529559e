"""LGPD blocking (Art. 18 IV) on every storage: a blocked customer is kept and readable,
never processed, and left out of lists, searches, exports and the duplicate report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from tenants import new_tenant

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import customer_blocks
from customer_core.errors import Code, CustomerCoreError, InvalidOperation, NotFound
from customer_core.ports import UnitOfWorkFactory

MOBILE = "11 98765-4321"


def _core(storage: UnitOfWorkFactory) -> CustomerCore:
    return CustomerCore.over(storage, preset=presets.OMNICHANNEL, privacy_key=b"k" * 32)


def _dpo(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])


def _blocked_pair(core: CustomerCore, tenant: str) -> tuple[str, str]:
    """A blocked customer and an unblocked twin whose WhatsApp is her mobile (an exact cluster)."""
    dpo = _dpo(tenant)
    ana = core.customers.register(
        tenant, dpo, name="Ana Lima", phones=[MOBILE], emails=["ana@x.com"]
    )
    twin = core.customers.register(
        tenant, dpo, name="Ana Lima", messenger_ids=[("whatsapp", "5511987654321")]
    )
    core.privacy.block(tenant, dpo, ana.id, reason="accuracy_contested")
    return ana.id, twin.id


def _blocked_code(run: Callable[[], Any]) -> Code:
    with pytest.raises(CustomerCoreError) as refused:
        run()
    assert refused.value.field == "customer_id"
    return refused.value.code


def test_a_blocked_customer_is_kept_readable_and_marked(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana, _ = _blocked_pair(core, tenant)

    kept = core.customers.get(tenant, dpo, ana)
    assert kept.blocked and kept.blocked_reason == "accuracy_contested"
    export = core.privacy.export_subject(tenant, dpo, ana)
    assert export["record"]["name"] == "Ana Lima"
    assert export["blocked"]["reason"] == "accuracy_contested"
    trail = core.privacy.audit_trail(tenant, dpo, ana)
    assert [e.action for e in trail][-2:] == ["customer.blocked", "privacy.export"]
    assert trail[-2].details.get("reason") == "accuracy_contested"
    with pytest.raises(InvalidOperation) as twice:
        core.privacy.block(tenant, dpo, ana, reason="again")
    assert twice.value.code is Code.INVALID_OPERATION


def test_blocking_needs_the_permission_and_obeys_visibility(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO)
    dpo = _dpo(tenant)
    ana = core.customers.register(tenant, dpo, name="Ana Lima", emails=["ana@x.com"])
    plain_admin = Actor(tenant_id=tenant, user_id="boss", role="admin")
    agent = Actor(tenant_id=tenant, user_id="ag", permissions=["privacy"])
    with pytest.raises(CustomerCoreError) as denied:
        core.privacy.block(tenant, plain_admin, ana.id, reason="x")
    assert denied.value.code is Code.PERMISSION_DENIED
    with pytest.raises(NotFound):  # restricted: the agent does not see unassigned customers
        core.privacy.block(tenant, agent, ana.id, reason="x")
    core.privacy.block(tenant, dpo, ana.id, reason="x")
    with pytest.raises(NotFound):
        core.privacy.unblock(tenant, agent, ana.id)
    assert core.customers.get(tenant, dpo, ana.id).blocked


def test_every_processing_write_refuses_a_blocked_customer(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana, twin = _blocked_pair(core, tenant)
    shop = core.customers.register(tenant, dpo, name="Doces ME", kind="company")
    core.privacy.block(tenant, dpo, shop.id, reason="accuracy_contested")
    before = core.customers.get(tenant, dpo, ana)
    c, i = core.customers, core.identity
    writes: dict[str, Callable[[], Any]] = {
        "update": lambda: c.update(tenant, dpo, ana, name="Ana Souza"),
        "change_status": lambda: c.change_status(tenant, dpo, ana, "inactive"),
        "record_purchase": lambda: c.record_purchase(tenant, dpo, ana),
        "add_phone": lambda: c.add_phone(tenant, dpo, ana, "11 3333-4444"),
        "add_email": lambda: c.add_email(tenant, dpo, ana, "ana.lima@y.com"),
        "add_contact": lambda: c.add_contact(tenant, dpo, shop.id, {"name": "Rui Gomes"}),
        "set_password": lambda: c.set_password(tenant, dpo, ana, "uma senha longa 123"),
        "create_reset_token": lambda: c.create_reset_token(tenant, dpo, ana),
        "delete": lambda: c.delete(tenant, dpo, ana),
        "mark_spammer": lambda: i.mark_spammer(tenant, dpo, ana),
        "merge into it": lambda: i.merge(tenant, dpo, ana, twin),
        "merge it away": lambda: i.merge(tenant, dpo, twin, ana),
        "dismiss": lambda: i.dismiss(tenant, dpo, [ana, twin], "irmãs"),
    }
    refused = {name: _blocked_code(run) for name, run in writes.items()}
    assert refused == dict.fromkeys(writes, Code.BLOCKED)
    assert core.customers.get(tenant, dpo, ana) == before
    assert core.customers.get(tenant, dpo, twin).version == 1

    core.privacy.unblock(tenant, dpo, ana)  # processed again
    assert core.customers.update(tenant, dpo, ana, name="Ana Souza").name == "Ana Souza"


def test_bulk_moves_and_conversations_skip_and_report_a_blocked_customer(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana, twin = _blocked_pair(core, tenant)
    south = core.portfolios.create(tenant, dpo, name="Sul")
    moved = core.portfolios.transfer(tenant, dpo, [ana, twin], to_portfolio_id=south.id)
    assert moved.outcomes == {ana: "blocked", twin: "done"}
    assert core.customers.get(tenant, dpo, ana).portfolio_id is None
    removed = core.portfolios.remove_from_portfolio(tenant, dpo, [ana, twin])
    assert removed.outcomes == {ana: "blocked", twin: "done"}

    started: list[list[str]] = []

    class Starter:
        def start(self, tenant_id: str, customer_ids: Any, /, **_: Any) -> None:
            started.append(list(customer_ids))

    boss = Actor(tenant_id=tenant, user_id="s1", role="admin", permissions=["bulk_conversation"])
    sent = core.portfolios.start_conversations(
        tenant, boss, [ana, twin], starter=Starter(), template="Oi"
    )
    assert started == [[twin]]
    assert sent.outcomes == {ana: "blocked", twin: "done"}
    deleted = core.portfolios.bulk_delete(tenant, dpo, [ana, twin])
    assert deleted.outcomes == {ana: "blocked", twin: "done"}
    assert core.customers.get(tenant, dpo, ana).blocked


def test_an_inbound_message_for_a_blocked_customer_changes_nothing(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana = core.customers.register(tenant, dpo, name="Ana Lima", emails=["ana@x.com"])
    core.privacy.block(tenant, dpo, ana.id, reason="accuracy_contested")
    before = core.customers.get(tenant, dpo, ana.id)

    found = core.identity.resolve_inbound(
        tenant, "email", {"email": "ana@x.com", "phone": MOBILE}, display_name="Ana Lima"
    )

    assert (found.outcome, found.customer.id, found.attached) == ("blocked", ana.id, ())
    assert core.customers.get(tenant, dpo, ana.id) == before  # no identifier attached
    with storage() as uow:
        assert uow.customers.count(tenant) == 1  # no duplicate made


def test_reads_leave_a_blocked_customer_out(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana, twin = _blocked_pair(core, tenant)
    core.customers.register(tenant, dpo, name="Bruno Dias", phones=["11 3333-4444"])

    listed = [x.id for x in core.directory.list(tenant, dpo).items]
    assert ana not in listed and twin in listed
    assert [x.id for x in core.directory.search(tenant, dpo, "Ana Lima")] == [twin]
    assert core.directory.search(tenant, dpo, "ana@x.com") == []
    assert sum(core.directory.counts(tenant, dpo).values()) == 2
    assert core.privacy.export_subject(tenant, dpo, twin)["other_records"] == [
        {"customer_id": ana, "matched_on": ["phone"]}  # the subject's own records: all of them
    ]
    sheet = io.StringIO(newline="")
    assert core.exporter.run(tenant, dpo, sheet) == 2
    assert "Ana Lima" in sheet.getvalue()  # the twin's row
    assert len(list(csv.reader(io.StringIO(sheet.getvalue()), delimiter=";"))) == 3
    assert core.identity.exact_clusters(tenant, dpo) == ()
    report = core.identity.duplicate_report(tenant, dpo)
    assert not [c for c in report.clusters if ana in c.ids]
    assert not [s for s in report.suggestions if ana in s.ids]
    # A company and its blocked branch (one CNPJ root) are no group either.
    head = core.customers.register(
        tenant, dpo, name="Doces Finos", kind="company", tax_id="11.222.333/0001-81"
    )
    branch = core.customers.register(
        tenant, dpo, name="Doces Finos", kind="company", tax_id="11.222.333/0002-62"
    )
    assert [g.ids for g in core.identity.duplicate_report(tenant, dpo).groups] == [
        tuple(sorted([head.id, branch.id]))
    ]
    core.privacy.block(tenant, dpo, branch.id, reason="accuracy_contested")
    assert core.identity.duplicate_report(tenant, dpo).groups == ()

    core.privacy.unblock(tenant, dpo, ana)
    assert ana in [x.id for x in core.directory.list(tenant, dpo).items]
    assert [sorted(cl.ids) for cl in core.identity.exact_clusters(tenant, dpo)] == [
        sorted([ana, twin])
    ]


def test_a_blocked_customer_can_still_be_anonymized_and_erased(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana, twin = _blocked_pair(core, tenant)
    anonymous = core.privacy.anonymize(tenant, dpo, ana)
    assert anonymous.blocked and anonymous.phones == ()
    core.privacy.erase(tenant, dpo, ana)
    with pytest.raises(NotFound):
        core.customers.get(tenant, dpo, ana)
    core.privacy.block(tenant, dpo, twin, reason="accuracy_contested")
    core.privacy.erase(tenant, dpo, twin)
    if isinstance(storage, SqlStorage):  # no block row outlives its customer
        with storage.engine.connect() as connection:
            rows = connection.scalar(
                select(func.count())
                .select_from(customer_blocks)
                .where(customer_blocks.c.tenant_id == tenant)
            )
        assert rows == 0


def test_imports_and_logins_leave_a_blocked_customer_alone(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core, dpo = _core(storage), _dpo(tenant)
    ana = core.customers.register(tenant, dpo, name="Ana Lima", emails=["ana@x.com"])
    core.customers.set_password(tenant, dpo, ana.id, "uma senha longa 123")
    assert core.customers.authenticate(tenant, "ana@x.com", "uma senha longa 123") is not None
    core.privacy.block(tenant, dpo, ana.id, reason="accuracy_contested")
    before = core.customers.get(tenant, dpo, ana.id)

    assert core.customers.authenticate(tenant, "ana@x.com", "uma senha longa 123") is None
    assert core.customers.request_password_reset(tenant, "ana@x.com") is None
    sheet = "Nome;E-mail;Observação\nAna Lima;ana@x.com;nova nota\n".encode()
    report = core.importer.run(tenant, dpo, io.BytesIO(sheet), mode="upsert")

    assert (report.updated, report.created) == (0, 0)
    assert [(e.line, e.code) for e in report.errors] == [(2, Code.BLOCKED.value)]
    assert core.customers.get(tenant, dpo, ana.id) == before
