"""Contract for the read paths under visibility: get, find, search, counts, bulk writes.

Mixed into :class:`customer_core.testing.contract.StorageContract`; the same
``uow_factory`` fixture drives it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from customer_core.domain.matching.search import parse_search
from customer_core.domain.model.customer import Customer, RelationshipType, Source
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import NotFound
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.records import NOW

__all__ = ["VisibilityContract"]

EVERYTHING = CustomerFilter()


class _World:
    """Portfolios north/south, customers in each, one unassigned, one by responsible."""

    def __init__(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        self.tenant = tenant
        self.north = Portfolio(id=f"pn-{tenant}", tenant_id=tenant, name="Norte", member_ids={"u1"})
        self.south = Portfolio(
            id=f"ps-{tenant}", tenant_id=tenant, name="Sul", member_ids={"u2"}, owner_id="u2"
        )
        self.ana = self._new(
            "Ana Silva", portfolio_id=self.north.id, emails=(Email.parse("ana.silva@acme.com"),)
        )
        self.bruno = self._new(
            "Bruno Souza", portfolio_id=self.south.id, phones=(Phone.parse("+55 11 98765-4321"),)
        )
        self.caio = self._new("Caio Silva", tax_id=Cpf.parse("529.982.247-25"))
        self.dora = self._new(
            "Dóra Lima",
            portfolio_id=self.south.id,
            responsible_id="u1",
            source=Source.SELF_REGISTERED,
        )
        self.eva = self._new(
            "Eva Silvano", portfolio_id=self.south.id, status="inactive", first_purchase_at=NOW
        )
        self.fabio = self._new("Fábio Conceição", portfolio_id=self.north.id, first_purchase_at=NOW)
        with uow_factory() as uow:
            uow.portfolios.add(self.north)
            uow.portfolios.add(self.south)
            for c in self.all:
                uow.customers.add(c)
            uow.commit()

    def _new(self, name: str, **fields: Any) -> Customer:
        return Customer.create(
            id=uuid.uuid4().hex, tenant_id=self.tenant, name=name, now=NOW, **fields
        )

    @property
    def all(self) -> list[Customer]:
        return [self.ana, self.bruno, self.caio, self.dora, self.eva, self.fabio]

    def scope(self, **kw: Any) -> VisibilityScope:
        return VisibilityScope(tenant_id=self.tenant, **kw)

    def agent_u1(self, **kw: Any) -> VisibilityScope:
        return self.scope(portfolio_ids=frozenset({self.north.id}), responsible_id="u1", **kw)


def _names(customers: Any) -> list[str]:
    return [c.name for c in customers]


class VisibilityContract:
    """Visibility is part of every read query and of bulk writes."""

    @pytest.fixture
    def world(self, uow_factory: UnitOfWorkFactory) -> _World:
        return _World(uow_factory, f"t-{uuid.uuid4().hex[:12]}")

    def test_get_visible(self, uow_factory: UnitOfWorkFactory, world: _World) -> None:
        agent = world.agent_u1()
        with uow_factory() as uow:
            assert uow.customers.get_visible(agent, world.ana.id).name == "Ana Silva"
            assert uow.customers.get_visible(agent, world.dora.id).name == "Dóra Lima"
            for hidden in (world.bruno, world.caio):
                with pytest.raises(NotFound):
                    uow.customers.get_visible(agent, hidden.id)
            other_tenant = VisibilityScope(tenant_id=world.tenant + "x", everything=True)
            with pytest.raises(NotFound):
                uow.customers.get_visible(other_tenant, world.ana.id)

    @pytest.mark.parametrize(
        ("scope_kw", "expected"),
        [
            ({}, ["Ana Silva", "Dóra Lima", "Fábio Conceição"]),
            ({"unassigned": True}, ["Ana Silva", "Caio Silva", "Dóra Lima", "Fábio Conceição"]),
        ],
    )
    def test_find_applies_the_scope(
        self,
        uow_factory: UnitOfWorkFactory,
        world: _World,
        scope_kw: dict[str, Any],
        expected: list[str],
    ) -> None:
        with uow_factory() as uow:
            assert _names(uow.customers.find(world.agent_u1(**scope_kw), EVERYTHING)) == expected

    def test_find_scopes_any_portfolio_and_everything(
        self, uow_factory: UnitOfWorkFactory, world: _World
    ) -> None:
        with uow_factory() as uow:
            assigned = uow.customers.find(world.scope(any_portfolio=True), EVERYTHING)
            assert "Caio Silva" not in _names(assigned)
            assert len(assigned) == 5
            assert len(uow.customers.find(world.scope(everything=True), EVERYTHING)) == 6
            assert uow.customers.find(world.scope(), EVERYTHING) == []

    def test_find_pages_in_name_order(self, uow_factory: UnitOfWorkFactory, world: _World) -> None:
        everything = world.scope(everything=True)
        with uow_factory() as uow:
            first = uow.customers.find(everything, EVERYTHING, limit=4)
            last = first[-1]
            from customer_core.domain.matching.search import search_key

            rest = uow.customers.find(everything, EVERYTHING, after=(search_key(last), last.id))
        assert _names(first) + _names(rest) == [
            "Ana Silva",
            "Bruno Souza",
            "Caio Silva",
            "Dóra Lima",
            "Eva Silvano",
            "Fábio Conceição",
        ]

    def test_filters(self, uow_factory: UnitOfWorkFactory, world: _World) -> None:
        everything = world.scope(everything=True)
        cases: list[tuple[CustomerFilter, list[str]]] = [
            (CustomerFilter(relationship_type=RelationshipType.ACTIVE), ["Fábio Conceição"]),
            (CustomerFilter(relationship_type=RelationshipType.LEAD), ["Dóra Lima"]),
            (CustomerFilter(relationship_type=RelationshipType.INACTIVE), ["Eva Silvano"]),
            (
                CustomerFilter(relationship_type=RelationshipType.CONTACT),
                ["Ana Silva", "Bruno Souza", "Caio Silva"],
            ),
            (CustomerFilter(status="inactive"), ["Eva Silvano"]),
            (CustomerFilter(portfolio_id=world.north.id), ["Ana Silva", "Fábio Conceição"]),
            (CustomerFilter(unassigned=True), ["Caio Silva"]),
            (CustomerFilter(responsible_id="u1"), ["Dóra Lima"]),
            (
                CustomerFilter(owner_id="u2", owner_portfolio_ids=frozenset({world.south.id})),
                ["Bruno Souza", "Dóra Lima", "Eva Silvano"],
            ),
            (CustomerFilter(owner_id="u1"), ["Dóra Lima"]),
        ]
        with uow_factory() as uow:
            for customer_filter, expected in cases:
                assert _names(uow.customers.find(everything, customer_filter)) == expected, (
                    customer_filter
                )

    def test_counts_by_relationship(self, uow_factory: UnitOfWorkFactory, world: _World) -> None:
        with uow_factory() as uow:
            counts = uow.customers.count_by_relationship(world.scope(everything=True), EVERYTHING)
            assert counts == {
                RelationshipType.ACTIVE: 1,
                RelationshipType.LEAD: 1,
                RelationshipType.CONTACT: 3,
                RelationshipType.INACTIVE: 1,
            }
            visible = uow.customers.count_by_relationship(world.agent_u1(), EVERYTHING)
            assert sum(visible.values()) == 3

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("silva", ["Ana Silva", "Caio Silva", "Eva Silvano"]),
            ("SILVA ana", ["Ana Silva"]),
            ("caio sil", ["Caio Silva"]),
            ("fabio conceicao", ["Fábio Conceição"]),
            ("dora", ["Dóra Lima"]),
            ("11 8765-4321", ["Bruno Souza"]),
            ("5511987654321", ["Bruno Souza"]),
            ("52998224725", ["Caio Silva"]),
            ("529.982.247-25", ["Caio Silva"]),
            ("ANA.SILVA@ACME.COM", ["Ana Silva"]),
            ("@acme", ["Ana Silva"]),
            ("zzz", []),
        ],
    )
    def test_search(
        self, uow_factory: UnitOfWorkFactory, world: _World, text: str, expected: list[str]
    ) -> None:
        with uow_factory() as uow:
            found = uow.customers.search(
                world.scope(everything=True), parse_search(text), EVERYTHING
            )
        assert _names(found) == expected

    def test_search_ranks_and_respects_visibility(
        self, uow_factory: UnitOfWorkFactory, world: _World
    ) -> None:
        with uow_factory() as uow:
            # Name starting with the text beats a later word matching it.
            silvano = world._new("Silvano Rocha")
            uow.customers.add(silvano)
            uow.commit()
        with uow_factory() as uow:
            ranked = uow.customers.search(
                world.scope(everything=True), parse_search("silva"), EVERYTHING
            )
            assert _names(ranked)[0] == "Silvano Rocha"
            agent = uow.customers.search(world.agent_u1(), parse_search("silva"), EVERYTHING)
            assert _names(agent) == ["Ana Silva"]
            hidden_phone = uow.customers.search(
                world.agent_u1(), parse_search("11 98765-4321"), EVERYTHING
            )
            assert hidden_phone == []

    def test_bulk_assign_moves_only_visible_customers(
        self, uow_factory: UnitOfWorkFactory, world: _World
    ) -> None:
        ids = [world.ana.id, world.bruno.id, "missing"]
        with uow_factory() as uow:
            moved = uow.customers.assign(
                world.agent_u1(),
                ids,
                portfolio_id=world.south.id,
                responsible_id=None,
                fields=frozenset({"portfolio_id"}),
                now=NOW,
            )
            uow.commit()
        assert [(m.customer_id, m.from_portfolio_id, m.to_portfolio_id) for m in moved] == [
            (world.ana.id, world.north.id, world.south.id)
        ]
        with uow_factory() as uow:
            ana = uow.customers.get(world.tenant, world.ana.id)
            assert (ana.portfolio_id, ana.version) == (world.south.id, 2)
            assert uow.customers.get(world.tenant, world.bruno.id).version == 1
            # The moved record is whole and loads the same through every path.
            listed = uow.customers.find(
                world.scope(everything=True), CustomerFilter(portfolio_id=world.south.id)
            )
            assert ana in listed

    def test_bulk_unassign_and_delete(self, uow_factory: UnitOfWorkFactory, world: _World) -> None:
        everything = world.scope(everything=True)
        with uow_factory() as uow:
            uow.customers.assign(
                everything,
                [world.dora.id],
                portfolio_id=None,
                responsible_id=None,
                fields=frozenset({"portfolio_id", "responsible_id"}),
                now=NOW,
            )
            deleted = uow.customers.delete_visible(world.agent_u1(), [world.ana.id, world.bruno.id])
            uow.commit()
        assert list(deleted) == [world.ana.id]
        with uow_factory() as uow:
            dora = uow.customers.get(world.tenant, world.dora.id)
            assert (dora.portfolio_id, dora.responsible_id) == (None, None)
            assert uow.customers.count(world.tenant) == 5
