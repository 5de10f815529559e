"""Contract for dismissals: decisions kept, undone, and listed under visibility.

Mixed into :class:`customer_core.testing.contract.StorageContract`; the same
``uow_factory`` fixture drives it, with the customers of the duplicates
contract (two portfolios, some customers unassigned).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs
import pytest

from customer_core.domain.model.dismissals import REASON_REMOVED, Dismissal, DismissalKind
from customer_core.errors import Conflict, NotFound
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.contract_duplicates import _Tenant
from customer_core.testing.records import NOW

__all__ = ["DismissalsContract"]


def _dismissal(tenant: _Tenant, *names: str, minutes: int = 0, **fields: object) -> Dismissal:
    return Dismissal(
        id=f"d-{uuid.uuid4().hex[:10]}",
        tenant_id=tenant.tenant,
        customer_ids=tuple(tenant.id(n) for n in names),
        reason=f"reviewed {' and '.join(names)}",
        actor_id="u1",
        dismissed_at=NOW + timedelta(minutes=minutes),
        **fields,  # type: ignore[arg-type]
    )


class DismissalsContract:
    """Dismissals: stored whole, undone without being lost, listed when every member is seen."""

    @pytest.fixture
    def reviewed(self, uow_factory: UnitOfWorkFactory) -> _Tenant:
        return _Tenant(uow_factory, f"t-{uuid.uuid4().hex[:12]}")

    def test_a_dismissal_is_stored_whole(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        group = _dismissal(reviewed, "f-hq", "f-far", "f-branch", kind=DismissalKind.SAME_GROUP)
        with uow_factory() as uow:
            uow.dismissals.add(group)
            uow.commit()
        with uow_factory() as uow:
            found = uow.dismissals.get(reviewed.tenant, group.id)
            assert found == group
            assert found.customer_ids == tuple(sorted(group.customer_ids))
            with pytest.raises(NotFound):
                uow.dismissals.get(reviewed.tenant + "x", group.id)
            with pytest.raises(NotFound):
                uow.dismissals.get(reviewed.tenant, "d-missing")
            with pytest.raises(Conflict):
                uow.dismissals.add(group)

    def test_the_dismissals_about_a_customer_are_found_and_forgotten(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        pair = _dismissal(reviewed, "a-phone", "a-whatsapp")
        undone = _dismissal(reviewed, "a-phone", "b-phone", minutes=1)
        others = _dismissal(reviewed, "b-phone", "b-whatsapp", minutes=2)
        with uow_factory() as uow:
            for dismissal in (pair, undone, others):
                uow.dismissals.add(dismissal)
            uow.dismissals.mark_undone(reviewed.tenant, undone.id, NOW, "u2")
            uow.commit()
        a_phone = reviewed.id("a-phone")
        with uow_factory() as uow:
            assert [d.id for d in uow.dismissals.about(reviewed.tenant, a_phone)] == [
                pair.id,
                undone.id,
            ]
            assert uow.dismissals.about(reviewed.tenant + "x", a_phone) == []
            assert uow.dismissals.forget(reviewed.tenant + "x", a_phone) == 0
            assert uow.dismissals.forget(reviewed.tenant, a_phone) == 2
            uow.commit()
        with uow_factory() as uow:
            assert uow.dismissals.about(reviewed.tenant, a_phone) == []
            assert uow.dismissals.in_force(reviewed.tenant) == [others]
            with pytest.raises(NotFound):
                uow.dismissals.get(reviewed.tenant, undone.id)

    def test_forgetting_a_customer_keeps_the_decision_about_the_others(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        trio = _dismissal(reviewed, "a-phone", "b-phone", "b-whatsapp")
        undone = _dismissal(reviewed, "a-phone", "a-whatsapp", "f-hq", minutes=1)
        with uow_factory() as uow:
            uow.dismissals.add(trio)
            uow.dismissals.add(undone)
            uow.dismissals.mark_undone(reviewed.tenant, undone.id, NOW, "u2")
            uow.commit()
        a_phone = reviewed.id("a-phone")
        with uow_factory() as uow:
            assert uow.dismissals.forget(reviewed.tenant, a_phone) == 2
            uow.commit()
        with uow_factory() as uow:
            assert uow.dismissals.about(reviewed.tenant, a_phone) == []
            # The others stay kept apart, in force or undone as they were; the
            # reason goes with the person (it may name them).
            assert uow.dismissals.get(reviewed.tenant, trio.id) == attrs.evolve(
                trio,
                customer_ids=(reviewed.id("b-phone"), reviewed.id("b-whatsapp")),
                reason=REASON_REMOVED,
            )
            assert uow.dismissals.in_force(reviewed.tenant) == [
                uow.dismissals.get(reviewed.tenant, trio.id)
            ]
            left = uow.dismissals.get(reviewed.tenant, undone.id)
            assert left.customer_ids == tuple(
                sorted([reviewed.id("a-whatsapp"), reviewed.id("f-hq")])
            )
            assert (left.undone_by, left.reason) == ("u2", REASON_REMOVED)
            # Forgetting one more leaves a single customer: the decision goes.
            assert uow.dismissals.forget(reviewed.tenant, reviewed.id("b-phone")) == 1
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.dismissals.get(reviewed.tenant, trio.id)
            assert uow.dismissals.get(reviewed.tenant, undone.id) == left

    def test_undone_dismissals_are_kept_but_no_longer_in_force(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        later = _dismissal(reviewed, "b-phone", "b-whatsapp", minutes=5)
        first = _dismissal(reviewed, "a-phone", "a-whatsapp")
        with uow_factory() as uow:
            uow.dismissals.add(later)
            uow.dismissals.add(first)
            uow.commit()
        with uow_factory() as uow:
            assert uow.dismissals.in_force(reviewed.tenant) == [first, later]
            assert uow.dismissals.in_force(reviewed.tenant + "x") == []
            uow.dismissals.mark_undone(reviewed.tenant, first.id, NOW + timedelta(hours=1), "u2")
            with pytest.raises(NotFound):
                uow.dismissals.mark_undone(reviewed.tenant + "x", first.id, NOW, "u2")
            uow.commit()
        with uow_factory() as uow:
            assert uow.dismissals.in_force(reviewed.tenant) == [later]
            undone = uow.dismissals.get(reviewed.tenant, first.id)
            assert (undone.undone_at, undone.undone_by) == (NOW + timedelta(hours=1), "u2")
            assert not undone.in_force

    def test_an_uncommitted_dismissal_leaves_no_trace(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        with uow_factory() as uow:
            uow.dismissals.add(_dismissal(reviewed, "a-phone", "a-whatsapp"))
            assert len(uow.dismissals.in_force(reviewed.tenant)) == 1  # read your writes
        with uow_factory() as uow:
            assert uow.dismissals.in_force(reviewed.tenant) == []

    def test_dismissals_are_listed_when_every_customer_is_visible(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        mine = _dismissal(reviewed, "a-phone", "a-whatsapp")  # both in "mine"
        across = _dismissal(reviewed, "b-phone", "b-whatsapp", minutes=1)  # other + mine
        unassigned = _dismissal(reviewed, "f-hq", "f-branch", minutes=2)  # none + mine
        undone = _dismissal(reviewed, "h-cpf", "h-cpf2", minutes=3)  # both unassigned
        with uow_factory() as uow:
            for dismissal in (mine, across, unassigned, undone):
                uow.dismissals.add(dismissal)
            uow.dismissals.mark_undone(reviewed.tenant, undone.id, NOW, "u1")
            uow.commit()
        undone = attrs.evolve(undone, undone_at=NOW, undone_by="u1")
        everything, in_mine, mine_and_unassigned, _, nothing, other_tenant = reviewed.scopes()
        with uow_factory() as uow:
            assert uow.dismissals.list_visible(everything) == [mine, across, unassigned]
            assert uow.dismissals.list_visible(everything, undone=True) == [
                mine,
                across,
                unassigned,
                undone,
            ]
            assert uow.dismissals.list_visible(in_mine) == [mine]
            assert uow.dismissals.list_visible(mine_and_unassigned) == [mine, unassigned]
            assert uow.dismissals.list_visible(mine_and_unassigned, undone=True) == [
                mine,
                unassigned,
                undone,
            ]
            assert uow.dismissals.list_visible(nothing) == []
            assert uow.dismissals.list_visible(other_tenant) == []

    def test_a_dismissal_naming_a_deleted_customer_is_not_listed(
        self, uow_factory: UnitOfWorkFactory, reviewed: _Tenant
    ) -> None:
        dismissal = _dismissal(reviewed, "a-phone", "a-whatsapp")
        with uow_factory() as uow:
            uow.dismissals.add(dismissal)
            uow.customers.delete(reviewed.tenant, reviewed.id("a-phone"))
            uow.commit()
        everything = reviewed.scopes()[0]
        with uow_factory() as uow:
            assert uow.dismissals.list_visible(everything) == []
            assert uow.dismissals.in_force(reviewed.tenant) == [dismissal]
