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
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import MessengerId
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import DuplicateIdentity, NotFound, VersionConflict
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing import strategies
from customer_core.testing.contract_dismissals import DismissalsContract
from customer_core.testing.contract_duplicates import DuplicatesContract
from customer_core.testing.contract_ids import ServiceIdsContract
from customer_core.testing.contract_phones import PhoneLinesContract
from customer_core.testing.contract_privacy import PrivacyContract
from customer_core.testing.contract_queries import VisibilityContract

__all__ = ["StorageContract"]

NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=timezone.utc)
_LINE = IdentityKey(IdentityKind.PHONE, "5511987654321")


def _customer(tenant: str, name: str = "Ana Lima", **fields: Any) -> Customer:
    return Customer.create(id=uuid.uuid4().hex, tenant_id=tenant, name=name, now=NOW, **fields)


class StorageContract(
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
        customer = _customer(
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
        customer = _customer(tenant)
        with uow_factory() as uow:
            uow.customers.add(customer)
        with pytest.raises(RuntimeError), uow_factory() as uow:
            uow.customers.add(_customer(tenant))
            raise RuntimeError("boom")
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 0
            with pytest.raises(NotFound):
                uow.customers.get(tenant, customer.id)

    def test_unknown_or_other_tenant_is_not_found(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        customer = _customer(tenant)
        with uow_factory() as uow:
            uow.customers.add(customer)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.customers.get(tenant, "missing")
            with pytest.raises(NotFound):
                uow.customers.get(tenant + "-other", customer.id)

    # -- identity index -----------------------------------------------------

    def test_an_exclusive_identity_belongs_to_one_customer(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        first = _customer(tenant, tax_id=Cpf.parse("529.982.247-25"))
        with uow_factory() as uow:
            uow.customers.add(first)
            uow.commit()
        # The same CPF typed another way, with a free e-mail besides.
        second = _customer(
            tenant,
            name="Ana L.",
            tax_id=Cpf.parse("52998224725"),
            emails=(Email.parse("other@x.com"),),
        )
        with uow_factory() as uow, pytest.raises(DuplicateIdentity) as info:
            uow.customers.add(second)
        assert info.value.field == "tax_id"
        assert info.value.details["holder_id"] == first.id
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1
            assert (
                uow.customers.holders(tenant, [IdentityKey(IdentityKind.EMAIL, "other@x.com")])
                == {}
            )

    def test_a_phone_line_and_an_email_may_be_shared(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        landline = Phone.parse("(11) 3333-4444")
        ana = _customer(tenant, phones=(landline,), emails=(Email.parse("casa@x.com"),))
        # The same line typed another way: one line key, two holders (a household).
        bruno = _customer(
            tenant,
            name="Bruno Lima",
            phones=(Phone.parse("+55 11 3333-4444"),),
            emails=(Email.parse("CASA@x.com"),),
        )
        with uow_factory() as uow:
            uow.customers.add(ana)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.add(bruno)
            uow.commit()
        line = IdentityKey(IdentityKind.PHONE, landline.match_key)
        mail = IdentityKey(IdentityKind.EMAIL, "casa@x.com")
        with uow_factory() as uow:
            both = tuple(sorted((ana.id, bruno.id)))
            assert uow.customers.holders(tenant, [line, mail]) == {line: both, mail: both}
            found = uow.customers.look_up(tenant, [line])
            assert [c.id for c in found.holding[line]] == list(both)

    def test_a_first_holder_write_fails_when_the_line_is_held(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        mobile = Phone.parse("11 98765-4321")
        with uow_factory() as uow:
            uow.customers.add(_customer(tenant, phones=(mobile,)))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateIdentity):
            uow.customers.add(
                _customer(tenant, name="Bia", phones=(Phone.parse("11 8765-4321"),)),
                first_holder=True,
            )
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1

    def test_concurrent_first_holders_of_a_new_line_one_wins(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        # Both decided to create "the customer of this new line" before either
        # committed; the second writes after the first committed (one writer
        # at a time: SQLite serializes writers anyway).
        first, second = uow_factory(), uow_factory()
        with first, second:
            assert second.customers.holders(tenant, [_LINE]) == {}
            first.customers.add(
                _customer(tenant, phones=(Phone.parse("11 98765-4321"),)), first_holder=True
            )
            first.commit()
            with pytest.raises(DuplicateIdentity):
                # The same new line as a WhatsApp id, from another process.
                second.customers.add(
                    _customer(
                        tenant,
                        name="Ana (WhatsApp)",
                        messenger_ids=(MessengerId.parse("whatsapp", "5511987654321"),),
                    ),
                    first_holder=True,
                )
                second.commit()
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1

    def test_mark_seen_is_read_back_by_look_up(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        landline = Phone.parse("(11) 3333-4444")
        ana = _customer(tenant, phones=(landline,))
        bruno = _customer(tenant, name="Bruno", phones=(landline,))
        line = IdentityKey(IdentityKind.PHONE, landline.match_key)
        with uow_factory() as uow:
            uow.customers.add_many([ana, bruno])
            uow.commit()
        with uow_factory() as uow:
            uow.customers.mark_seen(tenant, bruno.id, [line], NOW)
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.look_up(tenant, [line]).last_seen == {(line, bruno.id): NOW}

    def test_look_up_reads_holders_and_lists_together(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        phone = Phone.parse("+55 11 98765-4321")
        ana = _customer(tenant, phones=(phone,), emails=(Email.parse("ana@x.com"),))
        bia = _customer(tenant, name="Bia", emails=(Email.parse("bia@x.com"),))
        line = IdentityKey(IdentityKind.PHONE, phone.match_key)
        ana_mail, bia_mail = (IdentityKey(IdentityKind.EMAIL, f"{n}@x.com") for n in ("ana", "bia"))
        nobody = IdentityKey(IdentityKind.EMAIL, "nobody@x.com")
        with uow_factory() as uow:
            uow.customers.add_many([ana, bia])
            uow.lists.add(tenant, "spam", [line, nobody], customer_id=None)
            uow.lists.add(tenant, "vip", [bia_mail], customer_id=bia.id)
            uow.commit()
        keys = [line, ana_mail, bia_mail, nobody]
        with uow_factory() as uow:
            found = uow.customers.look_up(tenant, keys, lists=("spam", "vip", "other"))
            assert {k: tuple(c.id for c in cs) for k, cs in found.holding.items()} == {
                line: (ana.id,),
                ana_mail: (ana.id,),
                bia_mail: (bia.id,),
            }
            assert found.holding[line] == (uow.customers.get(tenant, ana.id),)
            assert found.listed == {"spam": {line, nobody}, "vip": {bia_mail}, "other": set()}
            assert uow.customers.look_up(tenant, keys).listed == {}
            # Writes of the same transaction are seen; other tenants are not.
            uow.lists.remove(tenant, "spam", [nobody])
            assert uow.customers.look_up(tenant, [nobody], lists=("spam",)).listed["spam"] == set()
            other = uow.customers.look_up(tenant + "x", keys, lists=("spam",))
            assert other.holding == {}
            assert other.listed == {"spam": set()}

    def test_email_identity_is_case_insensitive(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        with uow_factory() as uow:
            uow.customers.add(_customer(tenant, emails=(Email.parse("ana@x.com"),)))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateIdentity):
            uow.customers.add(
                _customer(tenant, emails=(Email.parse("ANA@X.COM"),)), first_holder=True
            )

    def test_two_new_customers_in_one_transaction_cannot_share_a_key(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        with uow_factory() as uow:
            uow.customers.add(_customer(tenant, tax_id=tax_id))
            with pytest.raises(DuplicateIdentity) as info:
                uow.customers.add(_customer(tenant, tax_id=tax_id))
            assert info.value.field == "tax_id"

    def test_tenants_are_isolated(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        phone = Phone.parse("11 98765-4321")
        with uow_factory() as uow:
            uow.customers.add(_customer(tenant, phones=(phone,)))
            uow.customers.add(_customer(tenant + "-b", phones=(phone,)))
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1
            assert uow.customers.count(tenant + "-b") == 1
            uow.customers.delete(tenant + "-b", uow.customers.list_page(tenant + "-b")[0].id)
            uow.commit()

    def test_saving_frees_removed_keys_and_claims_new_ones(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        phone = Phone.parse("11 98765-4321")
        owner = _customer(tenant, phones=(phone,))
        other = _customer(tenant, name="Bia")
        with uow_factory() as uow:
            owner = uow.customers.add(owner)
            other = uow.customers.add(other)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.save(owner.remove_phone(phone.match_key), expected_version=1)
            uow.customers.save(attrs.evolve(other, phones=(phone,)), expected_version=1)
            uow.commit()
        with uow_factory() as uow:
            holders = uow.customers.holders(
                tenant, [IdentityKey(IdentityKind.PHONE, phone.match_key)]
            )
            assert holders == {IdentityKey(IdentityKind.PHONE, phone.match_key): (other.id,)}

    def test_saving_a_key_held_by_another_writes_nothing(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        holder = _customer(tenant, tax_id=tax_id)
        other = _customer(tenant, name="Bia", note="before")
        with uow_factory() as uow:
            uow.customers.add(holder)
            other = uow.customers.add(other)
            uow.commit()
        changed = attrs.evolve(other, tax_id=tax_id, note="after")
        with uow_factory() as uow, pytest.raises(DuplicateIdentity) as info:
            uow.customers.save(changed, expected_version=1)
        assert info.value.details["holder_id"] == holder.id
        with uow_factory() as uow:
            assert uow.customers.get(tenant, other.id).note == "before"

    def test_delete_frees_keys(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        gone = _customer(tenant, tax_id=tax_id)
        with uow_factory() as uow:
            uow.customers.add(gone)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.delete(tenant, gone.id)
            uow.customers.add(_customer(tenant, tax_id=tax_id))
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.customers.get(tenant, gone.id)
            with pytest.raises(NotFound):
                uow.customers.delete(tenant, gone.id)
            assert uow.customers.count(tenant) == 1

    # -- optimistic locking -------------------------------------------------

    def test_stale_version_is_refused(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        customer = _customer(tenant, note="v1")
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
        customer = _customer(tenant)
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
                uow.customers.add(_customer(tenant, name=f"Cliente {i}"))
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
        customer = _customer(tenant)
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
        uow, customer = uow_factory(), _customer(tenant)
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
        uow, customer = uow_factory(), _customer(tenant)
        with uow:
            uow.customers.add(customer)
            with pytest.raises(RuntimeError, match="already open"):
                uow.__enter__()
            uow.commit()  # the refused entry changed nothing
        with uow:  # once its block has ended, it may begin a new transaction
            assert uow.customers.get(tenant, customer.id).version == 1
            uow.customers.add(_customer(tenant, name="Bia"))
        with uow:
            assert uow.customers.count(tenant) == 1

    # -- portfolios ---------------------------------------------------------

    def test_portfolios_and_unassignment_on_delete(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        portfolio = Portfolio(
            id=uuid.uuid4().hex, tenant_id=tenant, name="Sul", member_ids={"u1", "u2"}
        )
        member = _customer(tenant, portfolio_id=portfolio.id)
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
