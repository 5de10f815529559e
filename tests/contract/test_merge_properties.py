"""Merge and unmerge properties, on the memory adapter and on every SQL adapter."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from customer_core import Actor, Customer, CustomerCoreError, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.domain.matching.merge import merge_customers
from customer_core.domain.model.customer import CustomerKind
from customer_core.domain.values.tax_id import Cnpj
from customer_core.ports import UnitOfWorkFactory
from customer_core.services import IdentityService
from customer_core.testing import strategies as cc
from customer_core.testing.fakes import FixedClock, SequentialIds

PAIRS = st.tuples(cc.customers(), cc.customers())


def kind(a: Customer, b: Customer) -> dict[str, Any]:
    """The kind that fits the CPF/CNPJ the merge keeps: a person and a company are
    merged only when it is chosen."""
    kept = a.tax_id or b.tax_id
    company = isinstance(kept, Cnpj) or (kept is None and a.kind is CustomerKind.COMPANY)
    fits = a.kind is (CustomerKind.COMPANY if company else CustomerKind.PERSON) or kept is None
    return {"kind": "survivor" if fits else "absorbed"}


SETTINGS = settings(
    max_examples=20,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _comparable(customer: Customer) -> Customer:
    # Bookkeeping that a round trip legitimately changes.
    return attrs.evolve(customer, version=0, updated_at=customer.created_at)


def _distinct(a: Customer, b: Customer) -> bool:
    return a.id != b.id and not set(a.identity_keys()) & set(b.identity_keys())


@given(PAIRS)
def test_merge_never_loses_an_identifier(pair: tuple[Customer, Customer]) -> None:
    a, b = pair
    assume(_distinct(a, b))
    b = attrs.evolve(b, tenant_id=a.tenant_id)
    if a.kind is not b.kind:  # a person and a company: merged only with the kind chosen
        with pytest.raises(CustomerCoreError, match="conflicting_evidence"):
            merge_customers(a, b, policy=presets.DEFAULT.contact)
    if a.tax_id and b.tax_id:  # different CPFs/CNPJs: refused whatever is chosen
        with pytest.raises(CustomerCoreError, match="conflicting_tax_id"):
            merge_customers(a, b, choices=kind(a, b), policy=presets.DEFAULT.contact)
        return
    merged = merge_customers(a, b, choices=kind(a, b), policy=presets.DEFAULT.contact)
    assert set(a.identity_keys()) | set(b.identity_keys()) <= set(merged.identity_keys())
    assert set(a.addresses) | set(b.addresses) <= set(merged.addresses)


def _merge_and_unmerge(
    storage: UnitOfWorkFactory, a: Customer, b: Customer
) -> tuple[Customer, Customer]:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    a, b = attrs.evolve(a, tenant_id=tenant), attrs.evolve(b, tenant_id=tenant)
    with storage() as uow:
        uow.customers.add_many([a, b])
        uow.commit()
    service = IdentityService(storage, clock=FixedClock(), ids=SequentialIds("m"))
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    record = service.merge(tenant, admin, a.id, b.id, choices=kind(a, b))
    with storage() as uow:
        merged = uow.customers.get(tenant, a.id)
        assert uow.customers.count(tenant) == 1
        assert set(a.identity_keys()) | set(b.identity_keys()) <= set(merged.identity_keys())
    service.unmerge(tenant, admin, record.id)
    with storage() as uow:
        return uow.customers.get(tenant, a.id), uow.customers.get(tenant, b.id)


def _check_round_trip(storage: UnitOfWorkFactory, pair: tuple[Customer, Customer]) -> None:
    a, b = pair
    assume(_distinct(a, b))
    assume(not (a.tax_id and b.tax_id))
    restored_a, restored_b = _merge_and_unmerge(storage, a, b)
    assert _comparable(restored_a) == _comparable(attrs.evolve(a, tenant_id=restored_a.tenant_id))
    assert _comparable(restored_b) == _comparable(attrs.evolve(b, tenant_id=restored_b.tenant_id))


@SETTINGS
@given(PAIRS)
def test_merge_then_unmerge_restores_the_stored_state_memory(
    pair: tuple[Customer, Customer],
) -> None:
    _check_round_trip(MemoryStore(), pair)


@SETTINGS
@given(pair=PAIRS)
def test_merge_then_unmerge_restores_the_stored_state_sql(
    sql_engine: Engine, pair: tuple[Customer, Customer]
) -> None:
    _check_round_trip(SqlStorage(sql_engine), pair)


_DROPPABLE = ("phones", "emails", "social_profiles", "messenger_ids")


def _as_dropped(name: str, item: Any) -> str:
    """How ``drop`` names an identifier: a phone or e-mail as typed, the rest by match key."""
    return item.e164 if name == "phones" else str(item) if name == "emails" else item.match_key


def _in_order_of(restored: Customer, original: Customer) -> Customer:
    # A dropped identifier comes back after what the survivor holds: compare as sets.
    def order(name: str) -> tuple[Any, ...]:
        rank = {item.match_key: n for n, item in enumerate(getattr(original, name))}
        return tuple(sorted(getattr(restored, name), key=lambda i: rank.get(i.match_key, -1)))

    changes: dict[str, Any] = {name: order(name) for name in _DROPPABLE}
    return attrs.evolve(restored, **changes)


def _check_drop_round_trip(
    storage: UnitOfWorkFactory, pair: tuple[Customer, Customer], picks: list[bool]
) -> None:
    a, b = pair
    assume(_distinct(a, b))
    assume(not (a.tax_id and b.tax_id))
    held = [(n, i) for c in (a, b) for n in _DROPPABLE for i in getattr(c, n)]
    assume(len({i.match_key for _, i in held}) == len(held))  # drop names one identifier
    mine = [(n, i) for n in _DROPPABLE for i in getattr(a, n)]
    # Only the first eight are ever dropped: enough to mix kept and dropped ones.
    dropped = [_as_dropped(n, i) for (n, i), pick in zip(mine, picks, strict=False) if pick]
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    a, b = attrs.evolve(a, tenant_id=tenant), attrs.evolve(b, tenant_id=tenant)
    with storage() as uow:
        uow.customers.add_many([a, b])
        uow.commit()
    service = IdentityService(storage, clock=FixedClock(), ids=SequentialIds("m"))
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    record = service.merge(tenant, admin, a.id, b.id, choices=kind(a, b), drop=dropped)
    restored_a, restored_b = service.unmerge(tenant, admin, record.id)
    assert _comparable(_in_order_of(restored_a, a)) == _comparable(a)
    assert _comparable(restored_b) == _comparable(b)


@SETTINGS
@given(PAIRS, st.lists(st.booleans(), min_size=8, max_size=8))
def test_unmerge_gives_back_what_the_merge_dropped_from_the_survivor_memory(
    pair: tuple[Customer, Customer], picks: list[bool]
) -> None:
    _check_drop_round_trip(MemoryStore(), pair, picks)


@SETTINGS
@given(pair=PAIRS, picks=st.lists(st.booleans(), min_size=8, max_size=8))
def test_unmerge_gives_back_what_the_merge_dropped_from_the_survivor_sql(
    sql_engine: Engine, pair: tuple[Customer, Customer], picks: list[bool]
) -> None:
    _check_drop_round_trip(SqlStorage(sql_engine), pair, picks)


def test_memory_and_sql_agree_on_a_merge(sql_engine: Engine) -> None:
    a = Customer.create(id="a", tenant_id="t", name="Ana", now=FixedClock().now(), note="a")
    results = []
    for storage in (MemoryStore(), SqlStorage(sql_engine)):
        tenant = f"t-{uuid.uuid4().hex[:12]}"
        customers = IdentityService(storage, clock=FixedClock(), ids=SequentialIds("m"))
        with storage() as uow:
            uow.customers.add(attrs.evolve(a, tenant_id=tenant))
            uow.customers.add(
                attrs.evolve(
                    a, id="b", tenant_id=tenant, name="Ana Lima", note=None, source=a.source
                )
            )
            uow.commit()
        admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
        customers.merge(tenant, admin, "a", ["b"], choices={"name": "absorbed"})
        with storage() as uow:
            merged = uow.customers.get(tenant, "a")
        results.append(attrs.evolve(merged, tenant_id="t"))
    assert results[0] == results[1]
    assert results[0].name == "Ana Lima"


def test_identifiers_added_after_a_merge_stay_with_the_survivor() -> None:
    from customer_core.services import CustomerService

    store = MemoryStore()
    ids, clock = SequentialIds("c"), FixedClock()
    customers = CustomerService(store, ids=ids, clock=clock)
    identity = IdentityService(store, ids=ids, clock=clock)
    admin = Actor(tenant_id="t", user_id="admin", role="admin")
    a = customers.register("t", admin, name="Ana", phones=["11 98765-4321"])
    b = customers.register("t", admin, name="Ana L.", emails=["ana@x.com"])
    c = customers.register("t", admin, name="Ana Lima", emails=["lima@x.com"])
    first = identity.merge("t", admin, a.id, [b.id, c.id])
    customers.add_phone("t", admin, a.id, "21 99999-0000")
    survivor, restored = identity.unmerge("t", admin, first.id)
    assert restored.id == c.id
    assert {p.national for p in survivor.phones} == {"(11) 98765-4321", "(21) 99999-0000"}
    assert [str(e) for e in survivor.emails] == ["ana@x.com"]  # b is still merged in
    with pytest.raises(CustomerCoreError):
        identity.unmerge("t", admin, first.id)
