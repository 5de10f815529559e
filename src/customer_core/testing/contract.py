"""The storage contract: one pytest suite every adapter must pass.

Subclass :class:`StorageContract` in a test module and provide a
``uow_factory`` fixture returning a callable that opens a
:class:`~customer_core.ports.UnitOfWork` on your storage::

    import pytest
    from customer_core.testing.contract import StorageContract

    class TestMyAdapter(StorageContract):
        @pytest.fixture
        def uow_factory(self):
            return MyUnitOfWork.factory(...)

Each test works in a tenant of its own (a random id), so the suite can run
against a shared database. Requires ``pytest`` and ``hypothesis``
(``customer-core[test]``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from customer_core.domain.model.customer import Customer
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import NotFound, VersionConflict
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing import strategies
from customer_core.testing.contract_dismissals import DismissalsContract
from customer_core.testing.contract_duplicates import DuplicatesContract
from customer_core.testing.contract_identities import IdentityIndexContract
from customer_core.testing.contract_ids import ServiceIdsContract
from customer_core.testing.contract_phones import PhoneLinesContract
from customer_core.testing.contract_privacy import PrivacyContract
from customer_core.testing.contract_queries import VisibilityContract
from customer_core.testing.records import NOW, new_customer

__all__ = ["StorageContract"]


class StorageContract(
    IdentityIndexContract,
    VisibilityContract,
    DuplicatesContract,
    DismissalsContract,
    ServiceIdsContract,
    PhoneLinesContract,
    PrivacyContract,
):
    """Behaviour every storage adapter must have. Override ``uow_factory``."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError("provide a uow_factory fixture for your adapter")

    @pytest.fixture
    def tenant(self) -> str:
        return f"t-{uuid.uuid4().hex[:12]}"

    # -- basics -------------------------------------------------------------

    def test_add_then_get_round_trips(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        customer = new_customer(
            tenant,
            tax_id=Cpf.parse("529.982.247-25"),
            phones=(Phone.parse("(11) 98765-4321"), Phone.parse("11 3333-4444 ramal 2")),
            emails=(Email.parse("Ana.Lima@Exemplo.com"),),
        )
        with uow_factory() as uow:
            stored = uow.customers.add(customer)
            uow.commit()
        assert stored.version == 1
        with uow_factory() as uow:
            loaded = uow.customers.get(tenant, customer.id)
        assert loaded == attrs.evolve(customer, version=1)
        assert loaded.phones[1].extension == "2"
        assert str(loaded.emails[0]) == "Ana.Lima@exemplo.com"

    def test_nothing_is_written_without_commit(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        customer = new_customer(tenant)
        with uow_factory() as uow:
            uow.customers.add(customer)
        with pytest.raises(RuntimeError), uow_factory() as uow:
            uow.customers.add(new_customer(tenant))
            raise RuntimeError("boom")
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 0
            with pytest.raises(NotFound):
                uow.customers.get(tenant, customer.id)

    def test_unknown_or_other_tenant_is_not_found(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        customer = new_customer(tenant)
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.customers.get(tenant, "missing")
            with pytest.raises(NotFound):
                uow.customers.get(tenant + "-other", customer.id)

    # -- optimistic locking -------------------------------------------------

    def test_stale_version_is_refused(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        customer = new_customer(tenant, note="v1")
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.commit()
        with uow_factory() as uow:
            current = uow.customers.get(tenant, customer.id)
            saved = uow.customers.save(attrs.evolve(current, note="v2"), expected_version=1)
            uow.commit()
        assert saved.version == 2
        with uow_factory() as uow, pytest.raises(VersionConflict):
            uow.customers.save(attrs.evolve(current, note="stale"), expected_version=1)
        with uow_factory() as uow:
            stored = uow.customers.get(tenant, customer.id)
            assert (stored.note, stored.version) == ("v2", 2)

    def test_concurrent_writers_one_wins(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        customer = new_customer(tenant)
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.commit()
        first, second = uow_factory(), uow_factory()
        with first, second:
            a = first.customers.get(tenant, customer.id)
            b = second.customers.get(tenant, customer.id)
            first.customers.save(attrs.evolve(a, note="first"), expected_version=a.version)
            first.commit()
            with pytest.raises(VersionConflict):
                second.customers.save(attrs.evolve(b, note="second"), expected_version=b.version)
                second.commit()
        with uow_factory() as uow:
            assert uow.customers.get(tenant, customer.id).note == "first"

    # -- listing ------------------------------------------------------------

    def test_list_page_is_ordered_and_paginated(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        with uow_factory() as uow:
            for i in range(7):
                uow.customers.add(new_customer(tenant, name=f"Cliente {i}"))
            uow.commit()
        with uow_factory() as uow:
            seen: list[str] = []
            after = None
            while page := uow.customers.list_page(tenant, after=after, limit=3):
                seen += [c.id for c in page]
                after = page[-1].id
            assert seen == sorted(seen)
            assert len(seen) == uow.customers.count(tenant) == 7

    # -- events -------------------------------------------------------------

    def test_events_are_committed_with_the_change(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        customer = new_customer(tenant)
        event = DomainEvent(
            name="customer.registered", tenant_id=tenant, customer_id=customer.id, occurred_at=NOW
        )
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.record(event)
            uow.commit()
            assert list(uow.committed_events()) == [event]
        with uow_factory() as uow:
            uow.record(attrs.evolve(event, name="customer.updated"))
            uow.rollback()
            assert list(uow.committed_events()) == []

    # -- the with block -----------------------------------------------------

    def test_a_unit_of_work_is_used_inside_its_with_block(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        uow, customer = uow_factory(), new_customer(tenant)
        event = DomainEvent(
            name="customer.registered", tenant_id=tenant, customer_id=customer.id, occurred_at=NOW
        )

        def refused_outside_the_block() -> None:
            outside = "use the unit of work in a with block"
            for repository in (
                "customers",
                "portfolios",
                "lists",
                "merges",
                "hints",
                "dismissals",
            ):
                with pytest.raises(RuntimeError, match=outside):
                    getattr(uow, repository)
            with pytest.raises(RuntimeError, match=outside):
                uow.commit()
            with pytest.raises(RuntimeError, match=outside):
                uow.rollback()

        refused_outside_the_block()  # before __enter__
        with uow:
            uow.customers.add(customer)
            uow.record(event)
            uow.commit()
        refused_outside_the_block()  # after __exit__
        assert list(uow.committed_events()) == [event]  # for publishing after the block
        with uow_factory() as other:
            assert other.customers.get(tenant, customer.id).version == 1

    def test_a_unit_of_work_is_open_once_at_a_time(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        uow, customer = uow_factory(), new_customer(tenant)
        with uow:
            uow.customers.add(customer)
            with pytest.raises(RuntimeError, match="already open"):
                uow.__enter__()
            uow.commit()  # the refused entry changed nothing
        with uow:  # once its block has ended, it may begin a new transaction
            assert uow.customers.get(tenant, customer.id).version == 1
            uow.customers.add(new_customer(tenant, name="Bia"))
        with uow:
            assert uow.customers.count(tenant) == 1

    # -- portfolios ---------------------------------------------------------

    def test_portfolios_and_unassignment_on_delete(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        portfolio = Portfolio(
            id=uuid.uuid4().hex, tenant_id=tenant, name="Sul", member_ids={"u1", "u2"}
        )
        member = new_customer(tenant, portfolio_id=portfolio.id)
        with uow_factory() as uow:
            uow.portfolios.add(portfolio)
            uow.customers.add(member)
            uow.commit()
        with uow_factory() as uow:
            assert uow.portfolios.get(tenant, portfolio.id) == portfolio
            renamed = attrs.evolve(portfolio, name="Sul e Sudeste", member_ids={"u3"})
            uow.portfolios.save(renamed)
            uow.commit()
        with uow_factory() as uow:
            assert uow.portfolios.list_all(tenant) == [renamed]
            assert list(uow.portfolios.delete(tenant, portfolio.id)) == [member.id]
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.get(tenant, member.id).portfolio_id is None
            with pytest.raises(NotFound):
                uow.portfolios.get(tenant, portfolio.id)

    def test_portfolio_ids_of_a_user_are_those_for_user_loads(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        def portfolio(name: str, members: set[str], owner: str | None) -> Portfolio:
            return Portfolio(
                id=uuid.uuid4().hex, tenant_id=tenant, name=name, member_ids=members, owner_id=owner
            )

        member = portfolio("Norte", {"u1", "u2"}, None)
        owned = portfolio("Sul", set(), "u1")
        both = portfolio("Leste", {"u1"}, "u1")
        other = portfolio("Oeste", {"u2"}, "u2")
        elsewhere = attrs.evolve(member, tenant_id=tenant + "x")
        with uow_factory() as uow:
            for p in (member, owned, both, other, elsewhere):
                uow.portfolios.add(p)
            uow.commit()
        with uow_factory() as uow:
            for user in ("u1", "u2", "u3"):
                loaded = {p.id for p in uow.portfolios.for_user(tenant, user)}
                assert uow.portfolios.ids_for_user(tenant, user) == loaded
            assert uow.portfolios.ids_for_user(tenant, "u1") == {member.id, owned.id, both.id}
            assert uow.portfolios.ids_owned_by(tenant, "u1") == {owned.id, both.id}
            assert uow.portfolios.ids_owned_by(tenant, "u3") == frozenset()

    # -- whole records ------------------------------------------------------

    @settings(
        max_examples=15,
        deadline=timedelta(seconds=5),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(customer=strategies.customers())
    def test_any_valid_customer_round_trips(
        self, uow_factory: UnitOfWorkFactory, customer: Customer
    ) -> None:
        customer = attrs.evolve(customer, tenant_id=f"t-{uuid.uuid4().hex[:12]}")
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.get(customer.tenant_id, customer.id) == attrs.evolve(
                customer, version=1
            )
