"""LGPD rights on every storage: erasure leaves nothing of the person, on memory, SQLite,
PostgreSQL and MariaDB; anonymization, subject export and consent behave alike on each."""

from __future__ import annotations

import json
import pickle
import random
import sqlite3
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from sqlalchemy import Engine, select
from tenants import new_tenant

from customer_core import Actor, CustomerCore, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine, upgrade
from customer_core.adapters.sqlalchemy.engine import truncate_wal
from customer_core.adapters.sqlalchemy.tables import metadata
from customer_core.errors import (
    Code,
    InvalidOperation,
    MissingRequiredField,
    NotFound,
    PermissionDenied,
)
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.fakes import RecordingPublisher
from customer_core.testing.strategies import cpf_check_digits

KEY = b"a key the host keeps outside the db"
NAME = "Zuleica Brandão Quintanilha"


@attrs.frozen
class Person:
    """Values of one person, unique to the test (so a scan of shared tables finds only them)."""

    name: str
    cpf: str
    mobile: str
    email: str
    street: str

    @classmethod
    def new(cls) -> Person:
        rng = random.Random(uuid.uuid4().int)
        body = "".join(rng.choice("0123456789") for _ in range(9))
        tag = uuid.uuid4().hex[:8]
        return cls(
            name=f"{NAME} {tag.translate(str.maketrans('0123456789', 'ghijklmnop'))}",
            cpf=body + cpf_check_digits(body),
            mobile=f"9{rng.randint(60000000, 99999999)}",
            email=f"zuleica.{tag}@exemplo.com.br",
            street=f"Rua das Acácias {tag}",
        )

    def needles(self) -> dict[str, bytes]:
        """Every form a value of the person may take in a file or a row."""
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", self.name) if not unicodedata.combining(c)
        )
        forms = {
            "name": self.name,
            "name lower": self.name.lower(),
            "name folded": folded,
            "name folded lower": folded.lower(),
            "name json": json.dumps(self.name)[1:-1],
            "cpf": self.cpf,
            "mobile": self.mobile,
            "email": self.email,
            "street json": json.dumps(self.street)[1:-1],
        }
        found = {label: text.encode() for label, text in forms.items()}
        found["name utf-16"] = self.name.encode("utf-16-le")
        return found


def _core(storage: UnitOfWorkFactory, **options: Any) -> CustomerCore:
    return CustomerCore.over(storage, preset=presets.OMNICHANNEL, **options)


def _dpo(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])


def _world(core: CustomerCore, tenant: str, person: Person) -> dict[str, str]:
    """The person, a duplicate merged into them, a household sharing their landline,
    their consent, their spam flag: every table gets a row about them."""
    dpo = _dpo(tenant)
    landline = f"11 3{random.randint(1000000, 9999999)}"
    ana = core.customers.register(
        tenant,
        dpo,
        name=person.name,
        tax_id=person.cpf,
        phones=[f"11 {person.mobile}", landline],
        emails=[person.email],
        addresses=[{"street": person.street, "neighborhood": "Centro", "city": "Recife"}],
        note=f"cliente {person.name}",
    )
    twin = core.customers.register(tenant, dpo, name=person.name, emails=[f"outro.{person.email}"])
    core.identity.merge(tenant, dpo, ana.id, twin.id)
    house = core.customers.register(tenant, dpo, name="Otávio Pereira", phones=[landline])
    # The person as a company's contact, beside the household member on the landline.
    shop = core.customers.register(
        tenant,
        dpo,
        name="Doces Finos ME",
        kind="company",
        contacts=[
            {"name": person.name, "phones": [f"11 {person.mobile}"], "emails": [person.email]},
            {"name": "Otávio Pereira", "phones": [landline]},
        ],
    )
    core.privacy.grant_consent(
        tenant,
        dpo,
        ana.id,
        purpose="marketing_email",
        source="site signup form",
        evidence=f"checkbox ticked by {person.email}",
    )
    core.identity.mark_spammer(tenant, dpo, ana.id)
    # A reviewer's decision whose reason names the person.
    core.identity.dismiss(
        tenant, dpo, [ana.id, house.id], f"{person.name} e Otávio moram juntos, não são a mesma"
    )
    return {"ana": ana.id, "house": house.id, "shop": shop.id, "landline": landline}


def _memory_bytes(store: MemoryStore) -> bytes:
    tables = {k: v for k, v in vars(store).items() if k != "lock"}
    return pickle.dumps(tables)


def _sql_rows(engine: Engine) -> bytes:
    """Every row of every table, as text: a table scan for the person's values."""
    parts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
                parts.append(str(tuple(row)))
    return "\n".join(parts).encode()


def _leftovers(storage: UnitOfWorkFactory, person: Person) -> list[str]:
    held = (
        _memory_bytes(storage) if isinstance(storage, MemoryStore) else _sql_rows(storage.engine)  # type: ignore[attr-defined]
    )
    return [label for label, needle in person.needles().items() if needle in held]


def test_erasure_leaves_nothing_of_the_person_in_any_table(storage: UnitOfWorkFactory) -> None:
    tenant, person = new_tenant(), Person.new()
    publisher = RecordingPublisher()
    core = _core(storage, privacy_key=KEY, publisher=publisher)
    world = _world(core, tenant, person)
    dpo = _dpo(tenant)
    assert {"name", "cpf", "mobile", "email"} <= set(_leftovers(storage, person))

    erasure = core.privacy.erase(tenant, dpo, world["ana"], reason="art18_request")

    assert _leftovers(storage, person) == []
    assert (erasure.merges, erasure.consents, erasure.kept_shared) == (1, 1, 1)
    assert erasure.dismissals == 1
    assert erasure.blocklisted >= 3  # CPF, mobile, e-mails: as keyed hashes
    with pytest.raises(NotFound):
        core.customers.get(tenant, dpo, world["ana"])
    # The household keeps its landline, and finds it.
    house = core.customers.get(tenant, dpo, world["house"])
    assert len(house.phones) == 1
    # Their entry as the company's contact went; the household member's stays.
    shop = core.customers.get(tenant, dpo, world["shop"])
    assert [c.name for c in shop.contacts] == ["Otávio Pereira"]
    assert erasure.company_contacts == 1
    # Still blocked: a message from the erased spammer's mobile is spam.
    again = core.identity.resolve_inbound(tenant, "whatsapp", {"phone": f"11 {person.mobile}"})
    assert again.spam
    # The event and the audit entry say what happened, without personal data.
    erased = [e for e in publisher.published if e.name == "customer.erased"]
    assert [e.customer_id for e in erased] == [world["ana"]]
    assert person.email not in repr(erased) and person.cpf not in repr(erased)
    trail = core.privacy.audit_trail(tenant, dpo, world["ana"])
    assert [e.action for e in trail][-1] == "customer.erased"
    assert trail[-1].details["reason"] == "art18_request"


def test_erasing_a_spammer_needs_the_privacy_key(storage: UnitOfWorkFactory) -> None:
    tenant, person = new_tenant(), Person.new()
    core = _core(storage)  # no key
    world = _world(core, tenant, person)
    dpo = _dpo(tenant)
    before = core.privacy.export_subject(tenant, dpo, world["ana"])["record"]
    with pytest.raises(InvalidOperation) as refused:
        core.privacy.erase(tenant, dpo, world["ana"])
    assert refused.value.code is Code.PRIVACY_KEY_REQUIRED
    assert core.privacy.export_subject(tenant, dpo, world["ana"])["record"] == before
    actions = [e.action for e in core.privacy.audit_trail(tenant, dpo, world["ana"])]
    assert "privacy.erase_refused" in actions


def test_a_retention_hold_refuses_erasure_and_anonymization_with_its_reason(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = new_tenant()
    held: set[str] = set()
    core = _core(
        storage,
        privacy_key=KEY,
        retention_hold=lambda t, c: "notas fiscais até 2031" if c in held else None,
    )
    dpo = _dpo(tenant)
    ana = core.customers.register(tenant, dpo, name="Ana Lima", emails=["ana@x.com"])
    held.add(ana.id)
    for run in (core.privacy.erase, core.privacy.anonymize):
        with pytest.raises(InvalidOperation, match="notas fiscais") as refused:
            run(tenant, dpo, ana.id)
        assert refused.value.code is Code.RETENTION_HOLD
    assert core.customers.get(tenant, dpo, ana.id) == ana


def test_privacy_needs_the_permission_and_obeys_visibility(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_PORTFOLIO, privacy_key=KEY)
    admin = _dpo(tenant)
    ana = core.customers.register(tenant, admin, name="Ana Lima", emails=["ana@x.com"])
    plain_admin = Actor(tenant_id=tenant, user_id="boss", role="admin")
    agent = Actor(tenant_id=tenant, user_id="ag", permissions=["privacy"])
    for run in (core.privacy.erase, core.privacy.anonymize, core.privacy.export_subject):
        with pytest.raises(PermissionDenied):
            run(tenant, plain_admin, ana.id)
        with pytest.raises(NotFound):  # restricted: the agent does not see unassigned customers
            run(tenant, agent, ana.id)
    with pytest.raises(NotFound):
        core.privacy.consents(tenant, agent, ana.id)
    assert core.customers.get(tenant, admin, ana.id) == ana


def test_anonymization_keeps_relationship_and_dates_and_drops_every_personal_value(
    storage: UnitOfWorkFactory,
) -> None:
    tenant, person = new_tenant(), Person.new()
    core = _core(storage, privacy_key=KEY)
    world = _world(core, tenant, person)
    dpo = _dpo(tenant)
    before = core.customers.get(tenant, dpo, world["ana"])
    counts = core.directory.counts(tenant, dpo)

    anonymous = core.privacy.anonymize(tenant, dpo, world["ana"])

    assert anonymous.anonymized_at is not None
    assert (anonymous.relationship_type, anonymous.created_at, anonymous.status) == (
        before.relationship_type,
        before.created_at,
        before.status,
    )
    assert core.directory.counts(tenant, dpo) == counts
    assert anonymous.identity_keys() == ()
    assert _leftovers(storage, person) == []
    # OMNICHAT requires phone, e-mail and address: the anonymized record is exempt.
    anonymous.check(presets.OMNICHAT.contact, presets.OMNICHAT.registration)
    with pytest.raises(MissingRequiredField):
        attrs.evolve(anonymous, anonymized_at=None).check(
            presets.OMNICHAT.contact, presets.OMNICHAT.registration
        )
    changed = core.customers.change_status(tenant, dpo, anonymous.id, "inactive")
    assert changed.status == "inactive"


def test_subject_export_holds_everything_and_nothing_of_other_people(
    storage: UnitOfWorkFactory,
) -> None:
    tenant, person = new_tenant(), Person.new()
    core = _core(storage, privacy_key=KEY)
    dpo = _dpo(tenant)
    ana = core.customers.register(
        tenant, dpo, name=person.name, tax_id=person.cpf, phones=[f"11 {person.mobile}"]
    )
    other = core.customers.register(tenant, dpo, name="Bernardo Antunes", emails=["b@x.com"])
    core.identity.merge(tenant, dpo, ana.id, other.id, choices={"name": "survivor"})
    again = core.customers.register(tenant, dpo, name=person.name, phones=[f"11 {person.mobile}"])
    core.privacy.grant_consent(
        tenant, dpo, ana.id, purpose="whatsapp_messages", source="chat", evidence="msg 42"
    )
    shop = core.customers.register(
        tenant,
        dpo,
        name="Quintanilha Doces ME",
        kind="company",
        contacts=[
            {"name": person.name, "phones": [f"11 {person.mobile}"]},
            {"name": "Rita Souza", "phones": [f"11 {person.mobile}"]},  # shares it: not her
        ],
    )

    export = core.privacy.export_subject(tenant, dpo, ana.id)

    text = json.dumps(export, ensure_ascii=False)
    assert person.name in text and person.cpf in text
    assert "Bernardo" not in text  # the absorbed record is another person's
    assert [m["role"] for m in export["merges"]] == ["survivor"]
    # Not the survivor as merged: it mixes both records (each side's part is in its own export).
    assert set(export["merges"][0]) == {
        "merge_id",
        "role",
        "merged_at",
        "undone_at",
        "actor_id",
        "record_before",
    }
    assert [c["purpose"] for c in export["consents"]] == ["whatsapp_messages"]
    assert {"kind": "tax_id", "key": person.cpf} in export["identifiers"]
    assert export["other_records"] == [{"customer_id": again.id, "matched_on": ["phone"]}]
    assert export["origin"]["source"] == "staff"
    assert export["company_contacts"] == [
        {"company_id": shop.id, "contact_id": shop.contacts[0].id, "matched_on": ["phone"]}
    ]
    assert [e["action"] for e in export["audit"]] == [
        "customer.registered",
        "customer.merged",
        "consent.granted",
        "privacy.export",
    ]
    assert "password_hash" not in export["record"]


def test_consent_is_a_record_and_a_revocation_is_honoured(storage: UnitOfWorkFactory) -> None:
    tenant = new_tenant()
    core = _core(storage)
    dpo = _dpo(tenant)
    boss = Actor(
        tenant_id=tenant, user_id="s1", role="supervisor", permissions=["bulk_conversation"]
    )
    ids = [
        core.customers.register(tenant, dpo, name=n, phones=[p]).id
        for n, p in (("Ana", "11 98765-4321"), ("Bia", "11 98765-4322"), ("Caio", "11 98765-4323"))
    ]
    kw: dict[str, Any] = {"purpose": "whatsapp_messages"}
    core.privacy.grant_consent(tenant, dpo, ids[0], source="form", evidence="f-1", **kw)
    core.privacy.grant_consent(tenant, dpo, ids[1], source="form", evidence="f-2", **kw)
    revoked = core.privacy.revoke_consent(
        tenant, dpo, ids[1], source="whatsapp", evidence="message 'PARAR' id w-9", **kw
    )
    assert [(c.revocation_source, c.revocation_evidence) for c in revoked] == [
        ("whatsapp", "message 'PARAR' id w-9")
    ]
    history = core.privacy.consents(tenant, dpo, ids[1])
    assert [(c.evidence, c.in_force) for c in history] == [("f-2", False)]

    started: list[list[str]] = []

    class Starter:
        def start(self, tenant_id: str, customer_ids: Any, /, **_: Any) -> None:
            started.append(list(customer_ids))

    result = core.portfolios.start_conversations(
        tenant, boss, ids, starter=Starter(), template="Oi"
    )
    assert started == [[ids[0], ids[2]]]
    assert result.outcomes[ids[1]] == "no_consent"
    core.portfolios.start_conversations(
        tenant, boss, ids, starter=Starter(), template="Oi", require_consent=True
    )
    assert started[-1] == [ids[0]]


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[Path, Engine]]:
    path = tmp_path / "erasure.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    try:
        yield path, engine
    finally:
        engine.dispose()


def test_sqlite_file_and_wal_hold_no_byte_of_the_erased_person(
    sqlite_file: tuple[Path, Engine],
) -> None:
    path, engine = sqlite_file
    tenant, person = new_tenant(), Person.new()
    storage = SqlStorage(engine)
    core = _core(storage, privacy_key=KEY)
    world = _world(core, tenant, person)
    dpo = _dpo(tenant)
    for n in range(5):  # rewritten rows leave old versions behind unless zeroed
        core.customers.update(tenant, dpo, world["ana"], note=f"nota {n} de {person.name}")
    wal = path.with_name(path.name + "-wal")

    def file_bytes() -> bytes:
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert {"name", "cpf", "email"} <= {
        label for label, needle in person.needles().items() if needle in file_bytes()
    }
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1

    erasure = core.privacy.erase(tenant, dpo, world["ana"])

    assert erasure.storage_purged
    assert not wal.exists() or wal.stat().st_size == 0
    held = file_bytes()
    assert [label for label, needle in person.needles().items() if needle in held] == []
    assert b"Ot\xc3\xa1vio Pereira" in held  # the household is still there


def test_the_wal_checkpoint_waits_for_readers_then_truncates(
    sqlite_file: tuple[Path, Engine],
) -> None:
    path, engine = sqlite_file
    core = _core(SqlStorage(engine))
    tenant = new_tenant()
    dpo = _dpo(tenant)
    core.customers.register(tenant, dpo, name="Ana Lima")
    wal = path.with_name(path.name + "-wal")
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM customers").fetchone()  # holds its snapshot
        core.customers.register(tenant, dpo, name="Bia Souza")  # a commit the reader predates
        assert truncate_wal(engine, attempts=2) is False
        assert wal.stat().st_size > 0
        reader.execute("COMMIT")
        assert truncate_wal(engine) is True
        assert wal.stat().st_size == 0
    finally:
        reader.close()


def test_the_subject_export_says_which_file_and_line_an_import_came_from(
    storage: UnitOfWorkFactory, tmp_path: Path
) -> None:
    tenant = new_tenant()
    core = _core(storage)
    dpo = _dpo(tenant)
    sheet = tmp_path / "clientes_maio.csv"
    sheet.write_bytes(
        b"Nome;CPF;E-mail\n"
        b"Bia Reis;;bia@x.com\n"
        b'Ana Lima;529.982.247-25;"ana@x.com"\n'
        b"\n"
        b"Ana Lima;52998224725;ana.lima@y.com\n"
    )
    assert core.importer.run(tenant, dpo, str(sheet)).created == 2
    [ana] = core.directory.search(tenant, dpo, "529.982.247-25")

    origin = core.privacy.export_subject(tenant, dpo, ana.id)["origin"]

    # The base name only (no directory of the importing machine), and the
    # physical line of the group's first row.
    assert (origin["source"], origin["file"], origin["line"]) == ("import", "clientes_maio.csv", 3)
    # A Path is named alike; the directories stay out.
    second = tmp_path / "junho.csv"
    second.write_bytes(b"Nome;E-mail\nCaio Dias;caio@x.com\n")
    core.importer.run(tenant, dpo, second)
    [caio] = core.directory.search(tenant, dpo, "caio@x.com")
    origin = core.privacy.export_subject(tenant, dpo, caio.id)["origin"]
    assert (origin["file"], origin["line"]) == ("junho.csv", 2)
    staff = core.customers.register(tenant, dpo, name="Dora Dias")
    assert core.privacy.export_subject(tenant, dpo, staff.id)["origin"]["file"] is None
