"""Undoing merges in another order than they were made, on memory, SQLite, PostgreSQL and MariaDB.

A later merge into the same survivor keeps a snapshot of the survivor that
holds what the earlier merge brought in (a CPF, say). Undoing the earlier one
first is refused, naming the later merge to undo first; newest first, every
undo works and both customers come back whole.
"""

from __future__ import annotations

import pytest
from tenants import tenant_and_admin

from customer_core import Actor, Customer, CustomerCore, InvalidOperation, presets
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.fakes import FixedClock

CPF = "529.982.247-25"


def _core(storage: UnitOfWorkFactory) -> CustomerCore:
    # One frozen clock: merges made in one instant are told apart by the survivor's version.
    return CustomerCore.over(storage, preset=presets.HELPDESK_CARD, clock=FixedClock())


def _joao_b_c(core: CustomerCore, tenant: str, admin: Actor) -> tuple[Customer, ...]:
    register = core.customers.register
    return (
        register(tenant, admin, name="João da Silva", phones=["(11) 98765-4321"]),
        register(tenant, admin, name="Joao Silva", tax_id=CPF),
        register(
            tenant,
            admin,
            name="J. Silva",
            messenger_ids=[("whatsapp", "551187654321")],
            note="from c",
        ),
    )


def _refused(core: CustomerCore, tenant: str, admin: Actor, merge_id: str) -> InvalidOperation:
    with pytest.raises(InvalidOperation) as refused:
        core.identity.unmerge(tenant, admin, merge_id)
    assert (refused.value.code, refused.value.field) == ("invalid_operation", "merge_id")
    return refused.value


def _keys(customer: Customer) -> set[str]:
    return {str(key) for key in customer.identity_keys()}


def test_an_earlier_merge_waits_for_the_later_one_into_the_same_survivor(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _joao_b_c(core, tenant, admin)
    first = core.identity.merge(tenant, admin, a.id, b.id)
    second = core.identity.merge(tenant, admin, a.id, c.id)
    merged = core.customers.get(tenant, admin, a.id)

    error = _refused(core, tenant, admin, first.id)
    assert error.details == {"later_merge_id": second.id}
    assert second.id in error.message
    assert core.customers.get(tenant, admin, a.id) == merged  # nothing was undone

    survivor, restored_c = core.identity.unmerge(tenant, admin, second.id)
    assert (restored_c.id, restored_c.note, _keys(restored_c)) == (c.id, "from c", _keys(c))
    assert str(survivor.tax_id) == CPF  # b is still merged in
    survivor, restored_b = core.identity.unmerge(tenant, admin, first.id)
    assert (restored_b.id, str(restored_b.tax_id)) == (b.id, CPF)
    assert (survivor.tax_id, survivor.note, _keys(survivor)) == (None, None, _keys(a))


def test_the_steps_of_one_merge_call_are_undone_newest_first(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _joao_b_c(core, tenant, admin)
    last = core.identity.merge(tenant, admin, a.id, [b.id, c.id])
    with storage() as uow:
        (step_b,) = uow.merges.about(tenant, b.id)

    assert _refused(core, tenant, admin, step_b.id).details == {"later_merge_id": last.id}
    assert core.identity.unmerge(tenant, admin, last.id)[1].id == c.id
    survivor, restored_b = core.identity.unmerge(tenant, admin, step_b.id)
    assert (restored_b.id, survivor.tax_id, _keys(survivor)) == (b.id, None, _keys(a))


def test_a_survivor_merged_into_a_third_customer_comes_back_first(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _joao_b_c(core, tenant, admin)
    d = core.customers.register(tenant, admin, name="João S.", emails=["joao.s@exemplo.com"])
    first = core.identity.merge(tenant, admin, a.id, b.id)
    second = core.identity.merge(tenant, admin, a.id, c.id)
    into_d = core.identity.merge(tenant, admin, d.id, a.id)

    # a lives on in d: the merge into d comes first, whatever the versions say.
    assert _refused(core, tenant, admin, first.id).details == {"later_merge_id": into_d.id}
    assert _refused(core, tenant, admin, second.id).details == {"later_merge_id": into_d.id}
    survivor_d, restored_a = core.identity.unmerge(tenant, admin, into_d.id)
    assert (restored_a.id, str(restored_a.tax_id), survivor_d.tax_id) == (a.id, CPF, None)
    assert _refused(core, tenant, admin, first.id).details == {"later_merge_id": second.id}
    assert core.identity.unmerge(tenant, admin, second.id)[1].id == c.id
    survivor_a, restored_b = core.identity.unmerge(tenant, admin, first.id)
    assert (survivor_a.tax_id, str(restored_b.tax_id)) == (None, CPF)
    assert _keys(survivor_a) == _keys(a) and _keys(survivor_d) == _keys(d)


def test_an_undone_later_merge_no_longer_holds_the_earlier_one_back(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _joao_b_c(core, tenant, admin)
    first = core.identity.merge(tenant, admin, a.id, b.id)
    second = core.identity.merge(tenant, admin, a.id, c.id)
    core.identity.unmerge(tenant, admin, second.id)
    core.identity.unmerge(tenant, admin, first.id)
    again = core.identity.merge(tenant, admin, a.id, c.id)  # c merged again, b stays apart
    with pytest.raises(InvalidOperation, match="already_undone"):
        core.identity.unmerge(tenant, admin, first.id)
    survivor, restored_c = core.identity.unmerge(tenant, admin, again.id)
    assert (restored_c.id, _keys(survivor)) == (c.id, _keys(a))
