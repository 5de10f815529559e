"""Library calls inside the host's transaction: the host's rows and the customers commit together.

The contract of :meth:`customer_core.CustomerCore.unit_of_work` on every SQL
dialect: one commit for both, one rollback for both, a failed library call that
leaves the host's transaction usable, events only after the host's commit, and
calls that commit on their own (imports, erasures, anonymizations) refused.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from customer_core import Actor, CustomerCore
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine
from customer_core.domain.model.privacy import AuditEntry
from customer_core.errors import Code, Conflict, InvalidOperation, NotFound
from customer_core.ports import DomainEvent

_host_metadata = MetaData()
#: The host's own table: an order per customer, as a shop would keep it.
orders = Table(
    "host_orders",
    _host_metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", Integer, primary_key=True),
    Column("customer_id", String(64), nullable=False),
)


class Recorder:
    """A publisher that keeps what it is handed."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent], /) -> None:
        self.events.extend(events)


@pytest.fixture
def engine(sql_engine: Engine) -> Iterator[Engine]:
    # The host's table lives for one test: the schema checks of other tests
    # compare the session's database with the library's tables only.
    _host_metadata.create_all(sql_engine)
    yield sql_engine
    _host_metadata.drop_all(sql_engine)


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def core(engine: Engine, recorder: Recorder) -> CustomerCore:
    return CustomerCore.over(SqlStorage(engine), publisher=recorder)


def _admin(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="u1", role="admin")


def _order_count(engine: Engine, tenant: str) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(orders).where(orders.c.tenant_id == tenant)).all())


def _trail(core: CustomerCore, tenant: str, customer_id: str) -> list[AuditEntry]:
    with core.storage() as uow:
        return list(uow.audit.about(tenant, customer_id))


def _phone() -> str:
    return f"11 9{uuid.uuid4().int % 10**8:08d}"


def test_commit_together(
    core: CustomerCore, engine: Engine, tenant: str, recorder: Recorder
) -> None:
    admin = _admin(tenant)
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection):
            ana = core.customers.register(tenant, admin, name="Ana", phones=[_phone()])
            connection.execute(insert(orders).values(tenant_id=tenant, id=1, customer_id=ana.id))
            # Read back in the same transaction, before the host commits.
            assert core.customers.get(tenant, admin, ana.id).name == "Ana"
        assert recorder.events == []  # nothing is committed yet
        assert _order_count(engine, tenant) == 0
        connection.commit()
    assert [e.name for e in recorder.events] == ["customer.registered"]
    assert core.customers.get(tenant, admin, ana.id).name == "Ana"
    assert _order_count(engine, tenant) == 1
    # The change's audit entry committed with it, in the host's transaction.
    assert [(e.action, e.actor_id) for e in _trail(core, tenant, ana.id)] == [
        ("customer.registered", "u1")
    ]


def test_roll_back_together(
    core: CustomerCore, engine: Engine, tenant: str, recorder: Recorder
) -> None:
    admin = _admin(tenant)
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection):
            ana = core.customers.register(tenant, admin, name="Ana", phones=[_phone()])
            connection.execute(insert(orders).values(tenant_id=tenant, id=1, customer_id=ana.id))
        connection.rollback()
    with pytest.raises(NotFound):
        core.customers.get(tenant, admin, ana.id)
    assert _order_count(engine, tenant) == 0
    assert recorder.events == []
    assert _trail(core, tenant, ana.id) == []  # rolled back with the change
    # The events of the rolled back transaction are gone, not waiting for the next commit.
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection):
            core.customers.register(tenant, admin, name="Bia")
        connection.commit()
    assert [e.name for e in recorder.events] == ["customer.registered"]


def test_exception_in_block_rolls_back_with_the_host(
    core: CustomerCore, engine: Engine, tenant: str
) -> None:
    admin = _admin(tenant)
    with (
        pytest.raises(RuntimeError, match="host failed"),
        engine.begin() as connection,
        core.unit_of_work(connection=connection),
    ):
        ana = core.customers.register(tenant, admin, name="Ana")
        raise RuntimeError("host failed")
    with pytest.raises(NotFound):
        core.customers.get(tenant, admin, ana.id)


class _SameId:
    """Gives every new record the same id: the second customer is refused by the database."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex

    def new_id(self) -> str:
        return self.id


def test_a_failed_call_undoes_only_itself(engine: Engine, tenant: str) -> None:
    core = CustomerCore.over(SqlStorage(engine), ids=_SameId())
    admin = _admin(tenant)
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection):
            ana = core.customers.register(tenant, admin, name="Ana")
            with pytest.raises(Conflict):  # the primary key refused it
                core.customers.register(tenant, admin, name="Bia")
            # The host's transaction is still usable (PostgreSQL would abort it).
            connection.execute(insert(orders).values(tenant_id=tenant, id=1, customer_id=ana.id))
        connection.commit()
    assert core.customers.get(tenant, admin, ana.id).name == "Ana"
    assert _order_count(engine, tenant) == 1
    assert [c.name for c in core.directory.search(tenant, admin, "Ana")] == ["Ana"]
    assert list(core.directory.search(tenant, admin, "Bia")) == []


def test_session(core: CustomerCore, engine: Engine, tenant: str, recorder: Recorder) -> None:
    admin = _admin(tenant)
    with Session(engine) as session:
        with core.unit_of_work(session=session):
            ana = core.customers.register(tenant, admin, name="Ana")
            session.execute(insert(orders).values(tenant_id=tenant, id=1, customer_id=ana.id))
        assert recorder.events == []
        session.commit()
    assert [e.name for e in recorder.events] == ["customer.registered"]
    assert _order_count(engine, tenant) == 1
    with Session(engine) as session:
        with core.unit_of_work(session=session):
            bia = core.customers.register(tenant, admin, name="Bia")
        session.rollback()
    with pytest.raises(NotFound):
        core.customers.get(tenant, admin, bia.id)
    assert len(recorder.events) == 1


def test_imports_refuse_to_run_in_a_host_transaction(
    core: CustomerCore, engine: Engine, tenant: str
) -> None:
    admin = _admin(tenant)
    sheet = io.BytesIO(b"nome,telefone\nAna,11 98765-4321\n")
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection), pytest.raises(InvalidOperation) as refused:
            core.importer.run(tenant, admin, sheet)
        connection.commit()
    assert refused.value.code is Code.INVALID_OPERATION
    assert refused.value.field == "transaction"
    assert list(core.directory.search(tenant, admin, "Ana")) == []
    # Outside the block the same import runs.
    sheet.seek(0)
    assert core.importer.run(tenant, admin, sheet).created == 1


@pytest.mark.parametrize("right", ["erase", "anonymize"])
def test_erasure_and_anonymization_refuse_to_run_in_a_host_transaction(
    engine: Engine, tenant: str, right: str
) -> None:
    # Both commit on their own, then overwrite what the old rows left (SQLite's
    # secure delete and WAL checkpoint): before the host's commit, that cleanup
    # would run too early and leave the person's old values in the file.
    core = CustomerCore.over(SqlStorage(engine), privacy_key=b"a key the host keeps apart")
    dpo = Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])
    ana = core.customers.register(tenant, dpo, name="Ana Quixabeira", phones=[_phone()])
    run = getattr(core.privacy, right)
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection), pytest.raises(InvalidOperation) as refused:
            run(tenant, dpo, ana.id)
        connection.commit()
    assert (refused.value.code, refused.value.field) == (Code.INVALID_OPERATION, "transaction")
    assert "batches" not in str(refused.value)  # neither commits in batches
    assert core.customers.get(tenant, dpo, ana.id) == ana
    # Outside the block the same call runs.
    run(tenant, dpo, ana.id)
    assert list(core.directory.search(tenant, dpo, "Quixabeira")) == []


def test_calls_outside_the_block_commit_on_their_own(
    core: CustomerCore, engine: Engine, tenant: str
) -> None:
    admin = _admin(tenant)
    with engine.connect() as connection:
        with core.unit_of_work(connection=connection):
            pass
        ana = core.customers.register(tenant, admin, name="Ana")  # its own transaction
        connection.rollback()
    assert core.customers.get(tenant, admin, ana.id).name == "Ana"


def test_wrong_hosts_are_refused(core: CustomerCore, engine: Engine) -> None:
    with pytest.raises(InvalidOperation) as neither:
        core.unit_of_work()
    assert neither.value.field == "connection"
    with pytest.raises(InvalidOperation):
        core.unit_of_work(connection="not a connection").__enter__()
    memory = CustomerCore.over(MemoryStore())
    with engine.connect() as connection, pytest.raises(InvalidOperation, match="SQL storage"):
        memory.unit_of_work(connection=connection)


def test_sqlite_needs_the_adapters_engine(tmp_path: object) -> None:
    import sqlalchemy

    path = f"{tmp_path}/host.db"
    core = CustomerCore.over(SqlStorage(create_engine(f"sqlite:///{path}")))
    plain = sqlalchemy.create_engine(f"sqlite:///{path}")
    with plain.connect() as connection, pytest.raises(InvalidOperation, match="create_engine"):
        core.unit_of_work(connection=connection).__enter__()
    plain.dispose()
    core.close()
