"""The audit trail on every storage: each kind of change, export and bulk hand-out leaves
an entry with its actor, action and customer, and no entry holds a personal value.

One scenario per backend (memory, SQLite, PostgreSQL, MariaDB) runs every
audited action once; each test then checks one action kind in its trail.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import pytest
from sqlalchemy import Engine, select

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import audit_log
from customer_core.domain.model.privacy import AuditEntry
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.strategies import cpf_check_digits

KEY = b"a key the host keeps outside the db"
BACKENDS = [
    pytest.param("memory"),
    pytest.param("sqlite"),
    pytest.param("postgresql", marks=pytest.mark.postgresql),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]


@attrs.frozen
class Person:
    """Values unique to one run, so a scan of the trail can only find them if leaked."""

    name: str
    cpf: str
    mobile: str
    email: str

    @classmethod
    def new(cls, first: str) -> Person:
        rng = random.Random(uuid.uuid4().int)
        body = "".join(rng.choice("0123456789") for _ in range(9))
        tag = uuid.uuid4().hex[:8]
        return cls(
            name=f"{first} Quintanilha {tag.translate(str.maketrans('0123456789', 'ghijklmnop'))}",
            cpf=body + cpf_check_digits(body),
            mobile=f"9{rng.randint(60000000, 99999999)}",
            email=f"{first.lower()}.{tag}@exemplo.com.br",
        )

    def needles(self) -> list[str]:
        return [self.name, self.name.lower(), self.cpf, self.mobile, self.email]


@attrs.frozen
class Scenario:
    storage: UnitOfWorkFactory
    core: CustomerCore
    tenant: str
    ids: dict[str, str]
    people: Sequence[Person]

    def entries(self) -> list[AuditEntry]:
        """Every entry of the tenant, those about no customer included (read below the port)."""
        if isinstance(self.storage, MemoryStore):
            found = [e for e in self.storage.audit.values() if e.tenant_id == self.tenant]
        else:
            assert isinstance(self.storage, SqlStorage)
            with self.storage.engine.connect() as connection:
                rows = connection.execute(
                    select(audit_log).where(audit_log.c.tenant_id == self.tenant)
                ).mappings()
                found = [
                    AuditEntry(**{**row, "details": dict(row["details"] or {})}) for row in rows
                ]
        return sorted(found, key=lambda e: (e.at, e.id))


class Starter:
    def start(self, tenant_id: str, customer_ids: Sequence[str], /, **_: Any) -> None:
        pass


def _csv(*rows: tuple[str, str, str]) -> io.BytesIO:
    lines = ["Nome;E-mail;Telefone", *(";".join(row) for row in rows)]
    return io.BytesIO("\r\n".join(lines).encode("utf-8"))


def _run(storage: UnitOfWorkFactory) -> Scenario:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    ana, bia, caio, duda = (Person.new(n) for n in ("Ana", "Bia", "Caio", "Duda"))
    core = CustomerCore.over(storage, preset=presets.OMNICHANNEL, privacy_key=KEY)
    dpo = Actor(
        tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy", "bulk_conversation"]
    )
    ids: dict[str, str] = {}

    def register(person: Person) -> str:
        return core.customers.register(
            tenant,
            dpo,
            name=person.name,
            tax_id=person.cpf,
            phones=[f"11 {person.mobile}"],
            emails=[person.email],
        ).id

    ids["ana"], ids["bia"], ids["caio"] = register(ana), register(bia), register(caio)
    core.customers.update(tenant, dpo, ids["ana"], note=f"fala com {ana.name}")
    core.customers.change_status(tenant, dpo, ids["ana"], "inactive")
    twin = core.customers.register(tenant, dpo, name=ana.name, emails=[f"x.{ana.email}"])
    ids["twin"] = twin.id
    merge = core.identity.merge(tenant, dpo, ids["ana"], twin.id)
    core.identity.unmerge(tenant, dpo, merge.id)
    dismissal = core.identity.dismiss(tenant, dpo, [ids["ana"], ids["bia"]], "irmas")
    core.identity.undo_dismissal(tenant, dpo, dismissal.id)
    portfolio = core.portfolios.create(tenant, dpo, name="Norte")
    core.portfolios.transfer(tenant, dpo, [ids["ana"]], to_portfolio_id=portfolio.id)
    core.portfolios.remove_from_portfolio(tenant, dpo, [ids["ana"]])
    south = core.portfolios.create(tenant, dpo, name="Sul")
    ids["south"] = south.id
    core.portfolios.transfer(tenant, dpo, [ids["bia"]], to_portfolio_id=south.id)
    assert core.portfolios.delete(tenant, dpo, south.id) == 1
    core.portfolios.bulk_delete(tenant, dpo, [twin.id])
    core.customers.delete(tenant, dpo, ids["caio"])
    went: dict[str, str | None] = {}
    report = core.importer.run(
        tenant,
        dpo,
        _csv(
            (duda.name, duda.email, f"11 {duda.mobile}"),
            (bia.name, bia.email, f"11 {Person.new('Eva').mobile}"),
        ),
        mode="upsert",
        on_row=lambda row: went.update({row.outcome: row.customer_id}),
    )
    assert (report.created, report.updated) == (1, 1)
    assert went["updated"] == ids["bia"]
    ids["duda"] = str(went["created"])
    core.exporter.run(tenant, dpo, io.StringIO(), status="inactive")
    core.portfolios.start_conversations(
        tenant, dpo, [ids["ana"], ids["bia"]], starter=Starter(), template="Oi"
    )
    core.privacy.grant_consent(
        tenant, dpo, ids["ana"], purpose="marketing_email", source="site", evidence=ana.email
    )
    core.privacy.revoke_consent(
        tenant, dpo, ids["ana"], purpose="marketing_email", source="chat", evidence=ana.name
    )
    core.identity.resolve_inbound(
        tenant, "whatsapp", {"phone": f"11 {ana.mobile}", "email": f"novo.{ana.email}"}
    )
    new = core.identity.resolve_inbound(tenant, "email", {"email": f"outro.{bia.email}"})
    ids["inbound"] = new.customer.id
    core.identity.block(tenant, dpo, {"phone": f"11 {bia.mobile}"})  # held: about Bia
    core.identity.block(tenant, dpo, {"email": f"promo.{duda.email}"})  # held by nobody
    core.identity.mark_spammer(tenant, dpo, ids["bia"])
    core.privacy.export_subject(tenant, dpo, ids["ana"])
    core.privacy.anonymize(tenant, dpo, ids["duda"])
    core.privacy.erase(tenant, dpo, ids["ana"], reason="art18_request")
    return Scenario(storage, core, tenant, ids, (ana, bia, caio, duda))


@pytest.fixture(scope="module", params=BACKENDS)
def scenario(request: pytest.FixtureRequest) -> Iterator[Scenario]:
    if request.param == "memory":
        yield _run(MemoryStore())
        return
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    yield _run(SqlStorage(engine))


# action, the customer it is about, its actor (None: the system), details it must hold.
CHANGES: list[tuple[str, str, str | None, dict[str, Any]]] = [
    ("customer.registered", "ana", "dpo", {"source": "staff"}),
    ("customer.updated", "ana", "dpo", {"fields": "note"}),
    ("customer.status_changed", "ana", "dpo", {"status": "inactive"}),
    ("customer.merged", "ana", "dpo", {}),
    ("customer.merged", "twin", "dpo", {}),
    ("customer.unmerged", "twin", "dpo", {}),
    ("customer.duplicate_dismissed", "bia", "dpo", {}),
    ("customer.dismissal_undone", "ana", "dpo", {}),
    ("customer.portfolio_changed", "ana", "dpo", {}),
    ("customer.deleted", "twin", "dpo", {"bulk": True}),
    ("customer.deleted", "caio", "dpo", {}),
    ("customer.registered", "duda", "dpo", {"source": "import"}),
    ("customer.updated", "bia", "dpo", {"source": "import"}),
    ("consent.granted", "ana", "dpo", {"purpose": "marketing_email"}),
    ("consent.revoked", "ana", "dpo", {"purpose": "marketing_email", "count": 1}),
    ("customer.updated", "ana", None, {"source": "inbound", "fields": "emails"}),
    ("customer.registered", "inbound", None, {"source": "inbound"}),
    ("identifiers.spam_listed", "bia", "dpo", {"kinds": "phone", "keys": 1}),
    ("customer.spam_set", "bia", "dpo", {}),
    ("privacy.export", "ana", "dpo", {}),
    ("customer.anonymized", "duda", "dpo", {}),
    ("customer.erased", "ana", "dpo", {"reason": "art18_request"}),
]


@pytest.mark.parametrize(
    ("action", "who", "actor", "details"), CHANGES, ids=[f"{c[0]}-{c[1]}" for c in CHANGES]
)
def test_each_change_is_in_the_customers_trail(
    scenario: Scenario, action: str, who: str, actor: str | None, details: dict[str, Any]
) -> None:
    dpo = Actor(tenant_id=scenario.tenant, user_id="dpo", role="admin", permissions=["privacy"])
    customer_id = scenario.ids[who]
    with scenario.storage() as uow:
        trail = list(uow.audit.about(scenario.tenant, customer_id))
    if who in ("ana", "bia"):  # the service reads the same trail (an erased one too)
        assert list(scenario.core.privacy.audit_trail(scenario.tenant, dpo, customer_id)) == trail
    found = [e for e in trail if e.action == action and e.actor_id == actor]
    assert found, [(e.action, e.actor_id) for e in trail]
    assert any(details.items() <= dict(e.details).items() for e in found)


def test_the_subject_export_names_no_other_customer(scenario: Scenario) -> None:
    """A merge's and a dismissal's entries are in Bia's export without whom they named."""
    dpo = Actor(tenant_id=scenario.tenant, user_id="dpo", role="admin", permissions=["privacy"])
    export = scenario.core.privacy.export_subject(scenario.tenant, dpo, scenario.ids["bia"])
    actions = [e["action"] for e in export["audit"]]
    assert "customer.duplicate_dismissed" in actions
    others = {v for k, v in scenario.ids.items() if k not in ("bia", "south")}
    assert not [e for e in export["audit"] if others & {str(v) for v in e["details"].values()}]
    assert not [e for e in export["audit"] if "customer_ids" in e["details"]]


def test_deleting_a_portfolio_is_in_the_trail_of_each_customer_it_unassigned(
    scenario: Scenario,
) -> None:
    with scenario.storage() as uow:
        trail = uow.audit.about(scenario.tenant, scenario.ids["bia"])
    moves = [dict(e.details) for e in trail if e.action == "customer.portfolio_changed"]
    south = scenario.ids["south"]
    assert [(m["from_portfolio_id"], m["to_portfolio_id"]) for m in moves] == [
        (None, south),
        (south, None),
    ]
    (deleted,) = [e for e in scenario.entries() if e.action == "portfolio.deleted"]
    assert dict(deleted.details) == {"portfolio_id": south, "unassigned": 1}


# action, details it must hold: one entry per call, about no customer in particular.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("import.run", {"mode": "upsert", "rows_read": 2, "created": 1, "updated": 1}),
    ("export.csv", {"filters": "status", "complete": True}),
    ("bulk.start_conversations", {"requested": 2, "customers": 2}),
]


@pytest.mark.parametrize(("action", "details"), CALLS, ids=[c[0] for c in CALLS])
def test_a_bulk_call_leaves_one_entry_with_counts(
    scenario: Scenario, action: str, details: dict[str, Any]
) -> None:
    (entry,) = [e for e in scenario.entries() if e.action == action]
    assert (entry.actor_id, entry.customer_id) == ("dpo", None)
    assert details.items() <= dict(entry.details).items()


def test_the_export_counts_the_rows_it_handed_out(scenario: Scenario) -> None:
    (entry,) = [e for e in scenario.entries() if e.action == "export.csv"]
    assert entry.details["customers"] == 1  # only Ana was inactive


def test_no_entry_holds_a_personal_value(scenario: Scenario) -> None:
    entries = scenario.entries()
    assert len(entries) > len(CHANGES)
    text = repr([(e.action, e.actor_id, e.customer_id, dict(e.details)) for e in entries])
    leaked = [n for p in scenario.people for n in p.needles() if n in text]
    assert leaked == []
