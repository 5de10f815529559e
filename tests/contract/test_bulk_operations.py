"""Bulk actions (transfer, remove from portfolio, bulk delete, bulk conversation).

Who may run each one, per role and preset; that a batch mixing visible,
invisible and unknown ids changes exactly the visible ones; that every move
leaves its audit event (``customer.portfolio_changed`` with from, to, actor
and time) in the outbox; and that a failure in the middle of a batch leaves
nothing changed. On the memory adapter and every SQL dialect.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import pytest
from leak_helpers import (
    OPEN,
    RESTRICTED,
    Boom,
    Event,
    allowed_bulk,
    fail_on_event,
    fresh_tenant,
    outbox_events,
    sees,
    snapshot,
    store_world,
)
from sqlalchemy import event

from customer_core import Actor, NotFound, PermissionDenied, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.memory_customers import MemoryCustomerRepository
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.queries import CHUNK
from customer_core.domain.model.actor import Permission, Role
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.portfolio import Portfolio
from customer_core.errors import InvalidOperation, RuleViolation
from customer_core.ports import UnitOfWorkFactory
from customer_core.services import PortfolioService
from customer_core.testing.fakes import FixedClock

NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
CLOCK_TIME = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

#: Portfolio id -> (members, owner). s1 and s2 are sellers with a personal
#: portfolio; "sup" works in s2's; pc is where transfers go.
PORTFOLIOS: dict[str, tuple[frozenset[str], str | None]] = {
    "pa": (frozenset({"s1"}), "s1"),
    "pb": (frozenset({"s2", "sup"}), "s2"),
    "pc": (frozenset({"s3"}), None),
}
#: Customer id -> (portfolio, responsible).
CUSTOMERS: dict[str, tuple[str | None, str | None]] = {
    "a1": ("pa", None),
    "a2": ("pa", None),
    "b1": ("pb", "s2"),
    "b2": ("pb", None),
    "u1": (None, None),
    "r1": (None, "s1"),
}
#: Every bulk call asks for all of them and for an id that does not exist.
BATCH = [*CUSTOMERS, "missing"]
USER_OF = {Role.SELLER: "s1", Role.SUPERVISOR: "sup", Role.ADMIN: "adm"}

OPERATIONS = (
    "transfer",
    "transfer_to_seller",
    "remove_from_portfolio",
    "bulk_delete",
    "start_conversations",
)
GRANTS: tuple[frozenset[Permission], ...] = (
    frozenset(),
    frozenset({Permission.ASSIGN_PORTFOLIO}),
    frozenset({Permission.BULK_CONVERSATION}),
)
PRESETS = {"open": OPEN, "restricted": RESTRICTED}


class World:
    """The fixed world above in a fresh tenant, and a decoy tenant with the same ids."""

    def __init__(self, storage: UnitOfWorkFactory, *, extra: int = 0) -> None:
        self.storage = storage
        self.tenant = fresh_tenant()
        self.decoy = fresh_tenant()
        self.portfolios = {
            (tenant, pid): Portfolio(
                id=pid, tenant_id=tenant, name=pid.upper(), member_ids=members, owner_id=owner
            )
            for tenant in (self.tenant, self.decoy)
            for pid, (members, owner) in PORTFOLIOS.items()
        }
        self.customers = [
            Customer.create(
                id=cid,
                tenant_id=tenant,
                name=f"Cliente {cid}",
                now=NOW,
                portfolio_id=portfolio,
                responsible_id=responsible,
            )
            for tenant in (self.tenant, self.decoy)
            for cid, (portfolio, responsible) in CUSTOMERS.items()
        ]
        # Extra customers in pa, for batches larger than one SQL chunk.
        self.customers += [
            Customer.create(
                id=f"m{n:04d}", tenant_id=self.tenant, name=f"Massa {n}", now=NOW, portfolio_id="pa"
            )
            for n in range(extra)
        ]
        store_world(storage, self.portfolios.values(), self.customers)
        self.before = snapshot(storage, self.tenant)
        self.decoy_before = snapshot(storage, self.decoy)

    def actor(self, role: Role, grants: frozenset[Permission]) -> Actor:
        return Actor(tenant_id=self.tenant, user_id=USER_OF[role], role=role, permissions=grants)

    def visible(self, actor: Actor, *, restricted: bool) -> list[str]:
        """The ids of BATCH the oracle lets ``actor`` see, in batch order."""
        mine = {c.id: c for c in self.customers if c.tenant_id == self.tenant}
        return [
            cid
            for cid in BATCH
            if cid in mine and sees(actor, mine[cid], self.portfolios, restricted=restricted)
        ]

    def events(self) -> list[Event]:
        return outbox_events(self.storage, self.tenant)

    def assert_unchanged(self) -> None:
        assert snapshot(self.storage, self.tenant) == self.before
        assert self.events() == []
        self.assert_decoy_unchanged()

    def assert_decoy_unchanged(self) -> None:
        assert snapshot(self.storage, self.decoy) == self.decoy_before
        assert outbox_events(self.storage, self.decoy) == []


class Starter:
    """A ConversationStarter that remembers its calls (or fails, when told to)."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[tuple[str, tuple[str, ...], str, str | None]] = []
        self.fail = fail

    def start(
        self, tenant_id: str, customer_ids: Sequence[str], /, *, template: str, team: str | None
    ) -> None:
        if self.fail:
            raise Boom("the messaging service is down")
        self.calls.append((tenant_id, tuple(customer_ids), template, team))


def _service(storage: UnitOfWorkFactory, preset: presets.Preset) -> PortfolioService:
    return PortfolioService(storage, preset=preset, clock=FixedClock(CLOCK_TIME))


def _run(
    service: PortfolioService, operation: str, tenant: str, actor: Actor, starter: Starter
) -> Any:
    """One bulk call on the whole BATCH (seven ids: under the conversation limit of ten)."""
    if operation == "transfer":
        return service.transfer(tenant, actor, BATCH, to_portfolio_id="pc")
    if operation == "transfer_to_seller":
        return service.transfer(tenant, actor, BATCH, to_seller_id="s2")
    if operation == "remove_from_portfolio":
        return service.remove_from_portfolio(tenant, actor, BATCH)
    if operation == "bulk_delete":
        return service.bulk_delete(tenant, actor, BATCH)
    return service.start_conversations(tenant, actor, BATCH, starter=starter, template="oi")


def _moves(operation: str) -> dict[str, tuple[str | None, str | None]]:
    """Where each moving operation sends a customer: (portfolio, responsible) per id."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for cid, (_, responsible) in CUSTOMERS.items():
        if operation == "transfer":
            # A responsible who is no member or owner of pc is cleared.
            members, owner = PORTFOLIOS["pc"]
            kept = responsible in members or responsible == owner
            out[cid] = ("pc", responsible if kept else None)
        elif operation == "transfer_to_seller":
            out[cid] = ("pb", "s2")  # the seller's own portfolio, and the seller
        else:
            out[cid] = (None, None)
    return out


def _matrix() -> Iterator[Any]:
    for operation in OPERATIONS:
        for preset in PRESETS:
            for role in Role:
                for grants in GRANTS:
                    names = "+".join(sorted(p.value for p in grants)) or "no_grant"
                    yield pytest.param(
                        operation,
                        preset,
                        role,
                        grants,
                        id=f"{operation}-{preset}-{role.value}-{names}",
                    )


@pytest.mark.parametrize(("operation", "preset", "role", "grants"), list(_matrix()))
def test_permission_matrix_and_partial_batches(
    storage: UnitOfWorkFactory,
    operation: str,
    preset: str,
    role: Role,
    grants: frozenset[Permission],
) -> None:
    restricted = preset == "restricted"
    world = World(storage)
    actor = world.actor(role, grants)
    service = _service(storage, PRESETS[preset])
    starter = Starter()
    if not allowed_bulk(operation, actor, restricted=restricted):
        with pytest.raises(PermissionDenied):
            _run(service, operation, world.tenant, actor, starter)
        assert starter.calls == []
        world.assert_unchanged()
        return

    if operation == "transfer" and restricted and role is not Role.ADMIN:
        # Nobody but the admin sees pc under restricted visibility: it is not found.
        with pytest.raises(NotFound) as refused:
            _run(service, operation, world.tenant, actor, starter)
        assert refused.value.field == "to_portfolio_id"
        world.assert_unchanged()
        return

    result = _run(service, operation, world.tenant, actor, starter)
    visible = world.visible(actor, restricted=restricted)
    assert visible, "each actor sees part of the batch"
    hidden = [cid for cid in BATCH if cid not in visible]
    after = snapshot(storage, world.tenant)
    events = world.events()
    world.assert_decoy_unchanged()
    # What the actor cannot see is left exactly as it was.
    for cid in hidden:
        assert after.get(cid) == world.before.get(cid), cid

    if operation == "start_conversations":
        assert starter.calls == [(world.tenant, tuple(visible), "oi", None)]
        assert after == world.before
        assert not [e for e in events if e.name.startswith("customer.")]
        assert list(result.done) == visible
        return

    if operation == "bulk_delete":
        assert set(after) == set(world.before) - set(visible)
        assert sorted(
            (e.name, e.customer_id, e.actor_id, e.data["bulk"]) for e in events
        ) == sorted(("customer.deleted", cid, actor.user_id, True) for cid in visible)
        assert {e.occurred_at for e in events} == {CLOCK_TIME}
        assert list(result.done) == visible
        return

    to = _moves(operation)
    expected = [(cid, *CUSTOMERS[cid], *to[cid]) for cid in visible]
    got = [
        (
            a.customer_id,
            a.from_portfolio_id,
            a.from_responsible_id,
            a.to_portfolio_id,
            a.to_responsible_id,
        )
        for a in result
    ]
    # (id, from portfolio, from responsible, to portfolio, to responsible)
    assert got == expected
    for cid in visible:
        assert after[cid] == (*to[cid], 2), cid
    audit = sorted(
        (
            e.customer_id,
            e.actor_id,
            e.occurred_at,
            e.data["from_portfolio_id"],
            e.data["from_responsible_id"],
            e.data["to_portfolio_id"],
            e.data["to_responsible_id"],
        )
        for e in events
        if e.name == "customer.portfolio_changed"
    )
    assert audit == sorted(
        (cid, actor.user_id, CLOCK_TIME, *CUSTOMERS[cid], *to[cid]) for cid in visible
    )
    assert [e.name for e in events] == ["customer.portfolio_changed"] * len(visible)


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("operation", ["transfer", "remove_from_portfolio", "bulk_delete"])
def test_a_failure_while_writing_the_audit_trail_rolls_the_whole_batch_back(
    storage: UnitOfWorkFactory, operation: str, number: int
) -> None:
    """The rows are already changed in the transaction when the event write fails."""
    world = World(storage)
    admin = world.actor(Role.ADMIN, frozenset())
    failing = _service(fail_on_event(storage, number), OPEN)
    with pytest.raises(Boom):
        _run(failing, operation, world.tenant, admin, Starter())
    world.assert_unchanged()
    # Nothing is left locked or half-done: the same call then goes through.
    _run(_service(storage, OPEN), operation, world.tenant, admin, Starter())
    assert snapshot(storage, world.tenant) != world.before
    assert len(world.events()) == len(CUSTOMERS)


def test_a_failing_conversation_starter_changes_nothing(storage: UnitOfWorkFactory) -> None:
    world = World(storage)
    granted = world.actor(Role.SELLER, frozenset({Permission.BULK_CONVERSATION}))
    with pytest.raises(Boom):
        _run(
            _service(storage, OPEN),
            "start_conversations",
            world.tenant,
            granted,
            Starter(fail=True),
        )
    world.assert_unchanged()


def test_bulk_conversation_refuses_more_than_the_preset_allows(
    storage: UnitOfWorkFactory,
) -> None:
    world = World(storage)
    granted = world.actor(Role.ADMIN, frozenset({Permission.BULK_CONVERSATION}))
    starter = Starter()
    ids = [*CUSTOMERS, *(f"x{n}" for n in range(OPEN.access.bulk_conversation_max))]
    with pytest.raises(RuleViolation):
        _service(storage, OPEN).start_conversations(
            world.tenant, granted, ids, starter=starter, template="oi"
        )
    assert starter.calls == []
    world.assert_unchanged()


def _fail_in_second_chunk(storage: UnitOfWorkFactory) -> tuple[UnitOfWorkFactory, Any]:
    """A storage whose bulk write fails after its first chunk of rows was written.

    SQL: the second ``UPDATE customers`` statement of the batch (one per
    CHUNK ids) raises. Memory: the save of the customer after the first
    chunk raises.
    """
    if isinstance(storage, SqlStorage):
        engine = storage.engine
        updates = 0

        def before(
            conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
        ) -> None:
            nonlocal updates
            if statement.lstrip().upper().startswith("UPDATE CUSTOMERS"):
                updates += 1
                if updates == 2:
                    raise Boom("the second chunk could not be written")

        event.listen(engine, "before_cursor_execute", before)
        return storage, lambda: event.remove(engine, "before_cursor_execute", before)

    assert isinstance(storage, MemoryStore)
    real = MemoryCustomerRepository.save
    saves = 0

    def save(
        self: MemoryCustomerRepository, customer: Customer, /, *, expected_version: int
    ) -> Customer:
        nonlocal saves
        saves += 1
        if saves == CHUNK + 1:
            raise Boom("the second chunk could not be written")
        return real(self, customer, expected_version=expected_version)

    setattr(MemoryCustomerRepository, "save", save)  # noqa: B010
    return storage, lambda: setattr(MemoryCustomerRepository, "save", real)


def test_a_storage_failure_in_a_later_chunk_leaves_nothing_changed(
    storage: UnitOfWorkFactory,
) -> None:
    world = World(storage, extra=CHUNK + 20)
    admin = world.actor(Role.ADMIN, frozenset())
    ids = [cid for cid in world.before if cid.startswith("m")]
    assert len(ids) == CHUNK + 20
    failing, restore = _fail_in_second_chunk(storage)
    try:
        with pytest.raises(Exception) as info:  # the driver may wrap it
            _service(failing, OPEN).transfer(world.tenant, admin, ids, to_portfolio_id="pc")
    finally:
        restore()
    chain: list[BaseException] = []
    error: BaseException | None = info.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, Boom) for e in chain), chain
    world.assert_unchanged()
    moved = _service(storage, OPEN).transfer(world.tenant, admin, ids, to_portfolio_id="pc")
    assert len(moved) == len(ids)
    assert {snapshot(storage, world.tenant)[cid][0] for cid in ids} == {"pc"}


def test_invisible_and_unknown_ids_are_reported_alike(storage: UnitOfWorkFactory) -> None:
    """A restricted seller learns nothing from a batch: hidden and missing look the same."""
    world = World(storage)
    seller = world.actor(Role.SELLER, frozenset({Permission.ASSIGN_PORTFOLIO}))
    service = _service(storage, RESTRICTED)
    result = service.transfer(world.tenant, seller, ["b1", "missing"], to_portfolio_id="pa")
    assert list(result) == []
    assert result.outcomes == {"b1": "not_visible", "missing": "not_visible"}
    world.assert_unchanged()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_naming_another_tenant_is_refused(storage: UnitOfWorkFactory, operation: str) -> None:
    """An admin of one tenant cannot reach into another, even with the same ids."""
    world = World(storage)
    admin = Actor(
        tenant_id=world.tenant,
        user_id="adm",
        role=Role.ADMIN,
        permissions={Permission.BULK_CONVERSATION},
    )
    starter = Starter()
    with pytest.raises(InvalidOperation) as info:
        _run(_service(storage, OPEN), operation, world.decoy, admin, starter)
    assert info.value.code == "wrong_tenant"
    assert starter.calls == []
    world.assert_unchanged()


def test_a_portfolio_of_another_tenant_is_not_found(storage: UnitOfWorkFactory) -> None:
    world = World(storage)
    elsewhere = Portfolio(id="only-there", tenant_id=world.decoy, name="Outra")
    store_world(storage, [elsewhere], [])
    admin = world.actor(Role.ADMIN, frozenset())
    with pytest.raises(NotFound):
        _service(storage, OPEN).transfer(
            world.tenant, admin, list(CUSTOMERS), to_portfolio_id="only-there"
        )
    world.assert_unchanged()
