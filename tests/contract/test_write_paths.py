"""Who may move a customer is one rule, whatever the path: examples and a random probe.

Issue 21 #2: in open mode a seller took over another seller's customer with
``update(responsible_id=<itself>)``; in restricted mode a seller refused by
``update(responsible_id=…)`` could ``transfer(to_seller_id=…)``. The examples
pin those down; the probe then runs random sequences of writes (update of the
portfolio or the responsible user, transfers, removals, registrations,
portfolio edits and deletions) by random actors over the random worlds of the
read probe, and after every call compares the whole store with an
independent model: the visibility oracle and ``may_move`` of
``leak_helpers``, written from DESIGN §5 and the seeds. On the memory adapter
and every SQL dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leak_helpers import fresh_tenant, may_move, sees, snapshot, store_world
from test_visibility_leak import NOW, USERS, WorldDraft, materialise, worlds

from customer_core import Actor, CustomerCore, NotFound, PermissionDenied, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.domain.model.actor import Permission, Role
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.portfolio import Portfolio
from customer_core.errors import InvalidOperation
from customer_core.ports import UnitOfWorkFactory

#: The two modes; the sales app's required channels are relaxed so that a
#: registration needs a name only (the probe is about assignment).
OPEN = presets.OMNICHAT.evolve(registration=presets.DEFAULT.registration)
RESTRICTED = presets.HELPDESK_PORTFOLIO


def _small_world(storage: UnitOfWorkFactory) -> tuple[str, dict[str, Customer]]:
    """Portfolios pa (s1's own) and pb (s2's own); c1 is s2's customer, u1 unassigned."""
    tenant = fresh_tenant()
    portfolios = [
        Portfolio(id="pa", tenant_id=tenant, name="A", member_ids={"s1"}, owner_id="s1"),
        Portfolio(id="pb", tenant_id=tenant, name="B", member_ids={"s2"}, owner_id="s2"),
    ]
    customers = {
        cid: Customer.create(
            id=cid,
            tenant_id=tenant,
            name=f"Cliente {cid}",
            now=NOW,
            portfolio_id=portfolio,
            responsible_id=responsible,
        )
        for cid, portfolio, responsible in (("c1", "pb", "s2"), ("u1", None, None))
    }
    store_world(storage, portfolios, list(customers.values()))
    return tenant, customers


def _assignments(storage: UnitOfWorkFactory, tenant: str) -> dict[str, tuple[Any, ...]]:
    return {cid: row[:2] for cid, row in snapshot(storage, tenant).items()}


def test_an_open_mode_seller_cannot_take_over_a_customer(storage: UnitOfWorkFactory) -> None:
    tenant, _ = _small_world(storage)
    core = CustomerCore.over(storage, preset=OPEN)
    seller = Actor(tenant_id=tenant, user_id="s1")
    before = _assignments(storage, tenant)
    for customer_id in ("c1", "u1"):  # another seller's customer, and an unassigned one
        with pytest.raises(PermissionDenied) as refused:
            core.customers.update(tenant, seller, customer_id, responsible_id="s1")
        assert refused.value.field == "responsible_id"
    assert _assignments(storage, tenant) == before
    # A seller saving a new customer of its own may still name itself.
    own = core.customers.register(tenant, seller, name="Nova", responsible_id="s1")
    assert own.responsible_id == "s1"
    # A supervisor moves customers; a form that sends the current value back is no change.
    supervisor = Actor(tenant_id=tenant, user_id="sup", role=Role.SUPERVISOR)
    assert core.customers.update(tenant, supervisor, "c1", responsible_id="s1").responsible_id
    assert core.customers.update(tenant, seller, "c1", responsible_id="s1", note="ok").note == "ok"


def test_a_restricted_seller_refused_by_update_is_refused_by_transfer(
    storage: UnitOfWorkFactory,
) -> None:
    tenant, _ = _small_world(storage)
    core = CustomerCore.over(storage, preset=RESTRICTED)
    seller = Actor(tenant_id=tenant, user_id="s2", permissions=[Permission.ASSIGN_PORTFOLIO])
    before = _assignments(storage, tenant)
    calls: list[Callable[[], object]] = [
        lambda: core.customers.update(tenant, seller, "c1", responsible_id="s1"),
        lambda: core.portfolios.transfer(tenant, seller, ["c1"], to_seller_id="s1"),
        lambda: core.customers.update(tenant, seller, "c1", responsible_id=None),
        lambda: core.portfolios.remove_from_portfolio(tenant, seller, ["c1"]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.field == "responsible_id"
    assert _assignments(storage, tenant) == before
    # Neither path hands a customer over to a portfolio the seller cannot see (s1's).
    with pytest.raises(NotFound) as by_update:
        core.customers.update(tenant, seller, "c1", portfolio_id="pa")
    with pytest.raises(NotFound) as by_transfer:
        core.portfolios.transfer(tenant, seller, ["c1"], to_portfolio_id="pa")
    assert (by_update.value.field, by_transfer.value.field) == ("portfolio_id", "to_portfolio_id")
    assert _assignments(storage, tenant) == before


# -- the random probe -----------------------------------------------------------

_ids = st.lists(st.integers(0, 9), min_size=1, max_size=4)
_target = st.none() | st.sampled_from(["self", *USERS])
_portfolio = st.none() | st.integers(0, 3)  # 3 never exists: a missing portfolio
_operations = st.one_of(
    st.tuples(st.just("update_responsible"), st.integers(0, 9), _target),
    st.tuples(st.just("update_portfolio"), st.integers(0, 9), _portfolio),
    st.tuples(st.just("transfer"), _ids, st.integers(0, 3)),
    st.tuples(st.just("transfer_to_seller"), _ids, st.sampled_from(["self", *USERS])),
    st.tuples(st.just("remove"), _ids),
    st.tuples(st.just("register"), _portfolio, _target),
    st.tuples(
        st.just("portfolio_members"), st.integers(0, 3), st.frozensets(st.sampled_from(USERS))
    ),
    st.tuples(st.just("portfolio_delete"), st.integers(0, 3)),
)
_actors = st.tuples(
    st.sampled_from(USERS),
    st.sampled_from(list(Role)),
    st.frozensets(st.sampled_from(list(Permission))),
)


@attrs.define
class Model:
    """The home tenant as the oracle expects it: customers and portfolios."""

    tenant: str
    restricted: bool
    customers: dict[str, Customer]
    portfolios: dict[str, Portfolio]

    def index(self) -> dict[tuple[str, str], Portfolio]:
        return {(self.tenant, pid): p for pid, p in self.portfolios.items()}

    def sees(self, actor: Actor, customer_id: str) -> bool:
        customer = self.customers.get(customer_id)
        return customer is not None and sees(
            actor, customer, self.index(), restricted=self.restricted
        )

    def sees_portfolio(self, actor: Actor, portfolio_id: str) -> bool:
        """DESIGN §5 for portfolios: the ones whose customers the actor may see as such."""
        portfolio = self.portfolios.get(portfolio_id)
        if portfolio is None:
            return False
        if not self.restricted or actor.role is Role.ADMIN:
            return True
        if Permission.VIEW_ALL_PORTFOLIOS in actor.permissions:
            return True
        return actor.user_id in portfolio.member_ids or portfolio.owner_id == actor.user_id

    def move(self, customer_id: str, **fields: Any) -> None:
        self.customers[customer_id] = attrs.evolve(self.customers[customer_id], **fields)


def _user(actor: Actor, target: str | None) -> str | None:
    return actor.user_id if target == "self" else target


def _change(value: str | None) -> str:
    return "clear" if value is None else "set"


class Probe:
    """One call, its expected outcome from the model, then the whole store compared."""

    def __init__(self, storage: UnitOfWorkFactory, model: Model, decoys: list[str]) -> None:
        self.storage = storage
        self.model = model
        self.core = CustomerCore.over(storage, preset=RESTRICTED if model.restricted else OPEN)
        self.decoys = {t: snapshot(storage, t) for t in decoys}
        self.new = 0

    def customer_id(self, n: int) -> str:
        ids = sorted(self.model.customers)
        return ids[n % len(ids)] if ids else "nobody"

    def run(self, actor: Actor, op: tuple[Any, ...]) -> None:
        expected, call, apply = self.plan(actor, op)
        context = f"{op} by {actor!r} ({'restricted' if self.model.restricted else 'open'})"
        if expected is None:
            call()
            apply()
        else:
            with pytest.raises(expected):
                call()
        self.compare(context)

    def plan(
        self, actor: Actor, op: tuple[Any, ...]
    ) -> tuple[type[Exception] | None, Callable[[], object], Callable[[], None]]:
        m, core, tenant = self.model, self.core, self.model.tenant
        restricted = m.restricted
        kind = op[0]
        call: Callable[[], object]

        def nothing() -> None:
            return None

        if kind in ("update_responsible", "update_portfolio"):
            cid = self.customer_id(op[1])
            field = "responsible_id" if kind == "update_responsible" else "portfolio_id"
            value = _user(actor, op[2]) if field == "responsible_id" else _pid(op[2])
            update: dict[str, Any] = {field: value}
            call = lambda: core.customers.update(tenant, actor, cid, **update)  # noqa: E731
            if not m.sees(actor, cid):
                return NotFound, call, nothing
            if getattr(m.customers[cid], field) == value:
                return None, call, nothing
            change: dict[str, Any] = {field.removesuffix("_id"): _change(value)}
            if not may_move(actor, restricted=restricted, **change):
                return PermissionDenied, call, nothing
            if (
                field == "portfolio_id"
                and value is not None
                and not m.sees_portfolio(actor, value)  # missing or invisible, as transfer
            ):
                return NotFound, call, nothing
            return None, call, lambda: m.move(cid, **{field: value})
        if kind in ("transfer", "transfer_to_seller", "remove"):
            ids = list(dict.fromkeys(self.customer_id(n) for n in op[1]))
            visible = [cid for cid in ids if m.sees(actor, cid)]
            kept: dict[str, str | None] = {}  # a transfer's responsible per customer
            if kind == "remove":
                call = lambda: core.portfolios.remove_from_portfolio(tenant, actor, ids)  # noqa: E731
                if not may_move(
                    actor, restricted=restricted, portfolio="clear", responsible="clear"
                ):
                    return PermissionDenied, call, nothing
                fields: dict[str, Any] = {"portfolio_id": None, "responsible_id": None}
            elif kind == "transfer":
                pid = _pid(op[2])
                call = lambda: core.portfolios.transfer(tenant, actor, ids, to_portfolio_id=pid)  # noqa: E731
                if not may_move(actor, restricted=restricted, portfolio="set"):
                    return PermissionDenied, call, nothing
                if pid is None or not m.sees_portfolio(actor, pid):  # missing or invisible
                    return NotFound, call, nothing
                # A responsible who is no member or owner of the target is cleared.
                team = m.portfolios[pid].member_ids | {m.portfolios[pid].owner_id}
                fields = {"portfolio_id": pid}
                kept = {
                    cid: m.customers[cid].responsible_id
                    if m.customers[cid].responsible_id in team
                    else None
                    for cid in visible
                }
            else:
                seller = _user(actor, op[2])
                call = lambda: core.portfolios.transfer(tenant, actor, ids, to_seller_id=seller)  # noqa: E731
                # "the seller's own portfolio when there is one"; several are ambiguous.
                owned = [p for p in m.portfolios.values() if p.owner_id == seller]
                fields = {"responsible_id": seller}
                if not may_move(actor, restricted=restricted, responsible="set"):
                    return PermissionDenied, call, nothing
                if len(owned) > 1:
                    return InvalidOperation, call, nothing
                if owned and not m.sees_portfolio(actor, owned[0].id):
                    return NotFound, call, nothing
                if owned:
                    fields["portfolio_id"] = owned[0].id
                if owned and not may_move(
                    actor, restricted=restricted, portfolio="set", responsible="set"
                ):
                    return PermissionDenied, call, nothing

            def apply() -> None:
                for cid in visible:
                    m.move(cid, **fields)
                    if kind == "transfer":
                        m.move(cid, responsible_id=kept[cid])

            return None, call, apply
        if kind == "register":
            pid, responsible = _pid(op[1]), _user(actor, op[2])
            self.new += 1
            name = f"Novo {self.new}"
            call = lambda: core.customers.register(  # noqa: E731
                tenant, actor, name=name, portfolio_id=pid, responsible_id=responsible
            )
            allowed = may_move(
                actor,
                restricted=restricted,
                portfolio=None if pid is None else "set",
                responsible=None
                if responsible is None
                else ("self" if responsible == actor.user_id else "set"),
                own_new_record=True,
            )
            if not allowed:
                return PermissionDenied, call, nothing
            if pid is not None and not m.sees_portfolio(actor, pid):  # missing or invisible
                return NotFound, call, nothing
            registered: list[Customer] = []

            def register() -> object:
                customer = call()
                assert isinstance(customer, Customer)
                registered.append(customer)
                return customer

            def add() -> None:
                m.customers[registered[0].id] = registered[0]

            return None, register, add
        # Portfolio management: supervisors and admins, on the portfolios they see.
        pid = _pid(op[1])
        assert pid is not None
        manager = actor.role in (Role.SUPERVISOR, Role.ADMIN)
        if kind == "portfolio_members":
            members = op[2]
            call = lambda: core.portfolios.update(tenant, actor, pid, member_ids=members)  # noqa: E731

            def apply_members() -> None:
                m.portfolios[pid] = attrs.evolve(m.portfolios[pid], member_ids=members)

            apply = apply_members
        else:
            call = lambda: core.portfolios.delete(tenant, actor, pid)  # noqa: E731

            def apply_delete() -> None:
                del m.portfolios[pid]
                for cid, customer in list(m.customers.items()):
                    if customer.portfolio_id == pid:  # unassigned, never deleted
                        m.move(cid, portfolio_id=None, responsible_id=None)

            apply = apply_delete
        if not manager:
            return PermissionDenied, call, nothing
        if not m.sees_portfolio(actor, pid):
            return NotFound, call, nothing
        return None, call, apply

    def compare(self, context: str) -> None:
        m = self.model
        stored = {cid: row[:2] for cid, row in snapshot(self.storage, m.tenant).items()}
        assert stored == {
            cid: (c.portfolio_id, c.responsible_id) for cid, c in m.customers.items()
        }, context
        with self.storage() as uow:
            portfolios = {
                p.id: (p.member_ids, p.owner_id) for p in uow.portfolios.list_all(m.tenant)
            }
        assert portfolios == {pid: (p.member_ids, p.owner_id) for pid, p in m.portfolios.items()}, (
            context
        )
        for tenant, before in self.decoys.items():
            assert snapshot(self.storage, tenant) == before, f"{context}: tenant {tenant}"


def _pid(index: int | None) -> str | None:
    return None if index is None else f"p{index}"


def test_no_write_path_moves_a_customer_the_rule_forbids(storage: UnitOfWorkFactory) -> None:
    memory = isinstance(storage, MemoryStore)

    @settings(
        max_examples=60 if memory else 12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        draft=worlds(),
        restricted=st.booleans(),
        steps=st.lists(st.tuples(_actors, _operations), min_size=1, max_size=8),
    )
    def probe(draft: WorldDraft, restricted: bool, steps: list[Any]) -> None:
        world = materialise(draft)
        store_world(storage, world.portfolios.values(), world.customers, world.hints)
        home = world.home
        model = Model(
            tenant=home,
            restricted=restricted,
            customers={c.id: c for c in world.customers if c.tenant_id == home},
            portfolios={pid: p for (t, pid), p in world.portfolios.items() if t == home},
        )
        run = Probe(storage, model, list(world.tenants[1:]))
        for (user, role, permissions), op in steps:
            actor = Actor(tenant_id=home, user_id=user, role=role, permissions=permissions)
            run.run(actor, op)

    probe()
