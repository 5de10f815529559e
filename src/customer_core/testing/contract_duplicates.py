"""Contract for the duplicate report's reads: exact clusters, match records and inbound
hints under visibility.

Mixed into :class:`customer_core.testing.contract.StorageContract`; the same
``uow_factory`` fixture drives it. An adapter may compute the clusters any
way it likes (the SQL adapter reads its identity index), but the result must
be :func:`~customer_core.domain.matching.duplicates.exact_clusters` of the
customers the scope sees; likewise the match records (the SQL adapter builds
them from the stored parts) must be ``MatchRecord.of`` each customer the
scope sees, blocked ones left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_core.domain.matching.duplicates import Cluster, Evidence, MatchRecord, exact_clusters
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.records import DuplicateHint
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import MessengerApp, MessengerId
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.domain.values.tax_id import Cnpj, Cpf, cpf_check_digits
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.records import NOW

__all__ = ["DuplicatesContract"]

#: Few lines and roots, so that random customers share them often.
_PHONES = ("11 98765-4321", "11 3333-4444", "21 99876-5432")
_WHATSAPP = ("5511987654321", "551187654321", "551133334444", "5521998765432", "12345678")
_CNPJS = ("11.222.333/0001-81", "11.222.333/0002-62", "11.444.777/0001-61")
#: Names one customer can have, and others the conflicting-evidence rule keeps apart.
_NAMES = ("Ana Lima", "Ana M. Lima", "Ana Lima Júnior", "Bruno Lima")


def _stored_whatsapp(digits: str) -> MessengerId:
    """A WhatsApp id as storage may hold it: ``12345678``, no line, which parse
    refuses now, may have been stored before; the adapters must still index it."""
    return MessengerId(MessengerApp.WHATSAPP, digits)


@st.composite
def _tenants(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to 8 customers' fields, each identifier held once (as the unique index requires)."""
    taken: set[str] = set()

    def fresh(values: list[str], key: Callable[[str], str] = str) -> tuple[str, ...]:
        kept = {key(v): v for v in values if key(v) not in taken}
        taken.update(kept)
        return tuple(kept.values())

    def phone(text: str) -> str:
        return Phone.parse(text).match_key

    def whatsapp(text: str) -> str:
        return _stored_whatsapp(text).match_key

    people = []
    for _ in range(draw(st.integers(0, 8))):
        company = draw(st.booleans())
        cnpj = fresh(draw(st.lists(st.sampled_from(_CNPJS), max_size=1))) if company else ()
        people.append(
            {
                "kind": CustomerKind.COMPANY if company else CustomerKind.PERSON,
                "phones": fresh(draw(st.lists(st.sampled_from(_PHONES), max_size=2)), phone),
                "whatsapp": fresh(draw(st.lists(st.sampled_from(_WHATSAPP), max_size=2)), whatsapp),
                "tax_id": Cnpj.parse(cnpj[0]) if cnpj else None,
                "portfolio": draw(st.sampled_from((None, "mine", "other"))),
                "name": draw(st.sampled_from(_NAMES)),
            }
        )
    return people


class _Tenant:
    """Customers sharing lines and CNPJ roots, some in a portfolio the agent is not in."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, tenant: str, drawn: list[dict[str, Any]] | None = None
    ) -> None:
        self.tenant = tenant
        self.mine = Portfolio(id=f"pm-{tenant}", tenant_id=tenant, name="Mine", member_ids={"u1"})
        self.other = Portfolio(id=f"po-{tenant}", tenant_id=tenant, name="Other")
        mine, other = self.mine.id, self.other.id
        if drawn is not None:
            self._store(uow_factory, [self._drawn(n, fields) for n, fields in enumerate(drawn)])
            return
        acme = ("11.222.333/0001-81", "11.222.333/0002-62", "11.222.333/0003-43")
        self.customers = [
            # A line held as a phone and, with no ninth digit, as a WhatsApp id: a cluster.
            self._new("a-phone", phones=("11 98765-4321",), portfolio_id=mine),
            self._new("a-whatsapp", whatsapp=("551187654321",), portfolio_id=mine),
            # The same, across portfolios: a cluster only for who sees both.
            self._new("b-phone", phones=("21 99876-5432",), portfolio_id=other),
            self._new("b-whatsapp", whatsapp=("5521998765432",), portfolio_id=mine),
            # A company's line as a person's WhatsApp id: the owner's line, no cluster.
            self._new("c-firm", phones=("31 99123-4567",), kind=CustomerKind.COMPANY),
            self._new("c-owner", whatsapp=("5531991234567",)),
            # One's own phone as its WhatsApp id; a WhatsApp id that is no valid phone.
            self._new("d-self", phones=("41 99111-2222",), whatsapp=("5541991112222",)),
            self._new("e-invalid", whatsapp=("12345678",)),
            # Companies in both portfolios sharing a CNPJ root, one with a root of its own.
            self._new("f-hq", tax_id=Cnpj.parse(acme[0]), kind=CustomerKind.COMPANY),
            self._new(
                "f-branch", tax_id=Cnpj.parse(acme[1]), kind=CustomerKind.COMPANY, portfolio_id=mine
            ),
            self._new(
                "f-far", tax_id=Cnpj.parse(acme[2]), kind=CustomerKind.COMPANY, portfolio_id=other
            ),
            self._new(
                "g-alone", tax_id=Cnpj.parse("11.444.777/0001-61"), kind=CustomerKind.COMPANY
            ),
            # Two CPFs with the same first 8 digits: a CPF has no root.
            self._new("h-cpf", tax_id=Cpf.parse("529.982.247-25")),
            self._new("h-cpf2", tax_id=Cpf.parse("52998224" + "8" + cpf_check_digits("529982248"))),
            # One line, holders the conflicting-evidence rule keeps apart: no cluster.
            self._new("i-mother", phones=("51 99123-0000",), name="Maria Souza"),
            self._new("i-daughter", whatsapp=("5551991230000",), name="Joana Souza"),
            self._new("j-father", phones=("51 99123-1111",), name="José Pereira"),
            self._new("j-son", whatsapp=("5551991231111",), name="José Pereira Júnior"),
        ]
        self._store(uow_factory, self.customers)

    def _store(self, uow_factory: UnitOfWorkFactory, customers: list[Customer]) -> None:
        self.customers = customers
        with uow_factory() as uow:
            uow.portfolios.add(self.mine)
            uow.portfolios.add(self.other)
            uow.customers.add_many(customers)
            uow.commit()

    def _drawn(self, n: int, fields: dict[str, Any]) -> Customer:
        portfolio = {"mine": self.mine.id, "other": self.other.id}.get(fields["portfolio"])
        return self._new(
            f"c{n}",
            phones=fields["phones"],
            whatsapp=fields["whatsapp"],
            kind=fields["kind"],
            tax_id=fields["tax_id"],
            portfolio_id=portfolio,
            name=fields["name"],
        )

    def _new(
        self,
        label: str,
        *,
        phones: tuple[str, ...] = (),
        whatsapp: tuple[str, ...] = (),
        name: str = "Ana Lima",
        **fields: Any,
    ) -> Customer:
        return Customer.create(
            id=f"{label}-{uuid.uuid4().hex[:6]}",
            tenant_id=self.tenant,
            name=name,
            now=NOW,
            phones=tuple(Phone.parse(p) for p in phones),
            messenger_ids=tuple(_stored_whatsapp(w) for w in whatsapp),
            **fields,
        )

    def add(self, uow_factory: UnitOfWorkFactory, customer: Customer) -> Customer:
        """Store one more customer of the tenant."""
        with uow_factory() as uow:
            stored = uow.customers.add(customer)
            uow.commit()
        self.customers.append(stored)
        return stored

    def id(self, label: str) -> str:
        return next(c.id for c in self.customers if c.id.rpartition("-")[0] == label)

    def scopes(self) -> list[VisibilityScope]:
        t = self.tenant
        return [
            VisibilityScope(tenant_id=t, everything=True),
            VisibilityScope(tenant_id=t, portfolio_ids=frozenset({self.mine.id})),
            VisibilityScope(tenant_id=t, portfolio_ids=frozenset({self.mine.id}), unassigned=True),
            VisibilityScope(tenant_id=t, any_portfolio=True),
            VisibilityScope(tenant_id=t),
            VisibilityScope(tenant_id=t + "x", everything=True),
        ]

    def expected(self, scope: VisibilityScope) -> list[Cluster]:
        seen = [c for c in self.customers if c.tenant_id == scope.tenant_id]
        return exact_clusters(c for c in seen if scope.allows_customer(c))


class DuplicatesContract:
    """Exact clusters and duplicate hints, with the visibility scope applied by storage."""

    @pytest.fixture
    def sharing(self, uow_factory: UnitOfWorkFactory) -> _Tenant:
        return _Tenant(uow_factory, f"t-{uuid.uuid4().hex[:12]}")

    def test_exact_clusters_are_those_of_the_visible_customers(
        self, uow_factory: UnitOfWorkFactory, sharing: _Tenant
    ) -> None:
        with uow_factory() as uow:
            for scope in sharing.scopes():
                assert uow.customers.exact_clusters(scope) == sharing.expected(scope), scope

    @settings(
        max_examples=25,
        deadline=timedelta(seconds=10),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(drawn=_tenants())
    def test_exact_clusters_of_random_tenants(
        self, uow_factory: UnitOfWorkFactory, drawn: list[dict[str, Any]]
    ) -> None:
        world = _Tenant(uow_factory, f"t-{uuid.uuid4().hex[:12]}", drawn)
        with uow_factory() as uow:
            for scope in world.scopes():
                assert uow.customers.exact_clusters(scope) == world.expected(scope), scope

    def test_exact_clusters_shared_lines_and_roots(
        self, uow_factory: UnitOfWorkFactory, sharing: _Tenant
    ) -> None:
        def line(detail: str, *names: str) -> Cluster:
            ids = tuple(sorted(sharing.id(n) for n in names))
            return Cluster(ids, (Evidence("same_phone_line", detail, 1.0),))

        def root(*names: str) -> Cluster:
            ids = tuple(sorted(sharing.id(n) for n in names))
            return Cluster(ids, (Evidence("same_cnpj_root", "11222333", 1.0),))

        everything, mine, mine_unassigned = sharing.scopes()[:3]
        with uow_factory() as uow:
            assert set(uow.customers.exact_clusters(everything)) == {
                line("+5511987654321", "a-phone", "a-whatsapp"),
                line("+5521998765432", "b-phone", "b-whatsapp"),
                root("f-hq", "f-branch", "f-far"),
            }
            assert uow.customers.exact_clusters(mine) == [
                line("+5511987654321", "a-phone", "a-whatsapp")
            ]
            assert set(uow.customers.exact_clusters(mine_unassigned)) == {
                line("+5511987654321", "a-phone", "a-whatsapp"),
                root("f-hq", "f-branch"),
            }

    def test_exact_clusters_follow_uncommitted_changes(
        self, uow_factory: UnitOfWorkFactory, sharing: _Tenant
    ) -> None:
        everything = sharing.scopes()[0]
        with uow_factory() as uow:
            uow.customers.delete(sharing.tenant, sharing.id("a-phone"))
            assert len(uow.customers.exact_clusters(everything)) == 2

    def test_match_records_are_those_of_the_visible_customers(
        self, uow_factory: UnitOfWorkFactory, sharing: _Tenant
    ) -> None:
        # Besides the tenant's lines and tax ids: every part a match record reads.
        full = sharing.add(
            uow_factory,
            Customer.create(
                id=f"k-full-{uuid.uuid4().hex[:6]}",
                tenant_id=sharing.tenant,
                name="Padaria Pão Quente Ltda",
                trade_name="Pão Quente",
                kind=CustomerKind.COMPANY,
                now=NOW,
                phones=(
                    Phone.parse("11 3333-4444"),  # a landline
                    Phone.parse("+55 31 7123-4567"),  # an 8-digit mobile kept as typed
                    Phone.parse("11 97777-0000 (recado)"),  # someone else's: no identity
                    Phone.parse("+1 212 555 0123", type=PhoneType.WORK),
                ),
                messenger_ids=(
                    MessengerId.parse("whatsapp", "5511955554444"),
                    MessengerId.parse("telegram", "padaria"),
                ),
                emails=(Email.parse("Contato@Padaria.com.br"), Email.parse("pao@gmail.com")),
                addresses=(
                    Address.create(street="Rua A", number="1", city="São Paulo", cep="01001-000"),
                    Address.create(street="Rua B", number="2"),  # no city, no CEP
                ),
            ),
        )
        blocked = sharing.add(
            uow_factory,
            attrs.evolve(
                sharing.customers[0],
                id=f"k-blocked-{uuid.uuid4().hex[:6]}",
                phones=(),
                messenger_ids=(),
                blocked_at=NOW,
                blocked_reason="accuracy_contested",
            ),
        )

        def expected(scope: VisibilityScope, customers: Iterable[Customer]) -> list[MatchRecord]:
            seen = [c for c in customers if c.tenant_id == scope.tenant_id and not c.blocked]
            return sorted(
                (MatchRecord.of(c) for c in seen if scope.allows_customer(c)), key=lambda r: r.id
            )

        def read(scope: VisibilityScope) -> list[MatchRecord]:
            return sorted(uow.customers.match_records(scope), key=lambda r: r.id)

        with uow_factory() as uow:
            for scope in sharing.scopes():
                assert read(scope) == expected(scope, sharing.customers), scope
            everything = sharing.scopes()[0]
            assert full.id in {r.id for r in read(everything)}
            assert blocked.id not in {r.id for r in read(everything)}
            # Uncommitted changes are read too.
            uow.customers.delete(sharing.tenant, full.id)
            current = uow.customers.get(sharing.tenant, sharing.customers[0].id)
            renamed = attrs.evolve(current, name="Ana Maria Lima")
            uow.customers.save(renamed, expected_version=current.version)
            left = [renamed, *(c for c in sharing.customers[1:] if c.id != full.id)]
            assert read(everything) == expected(everything, left)

    def test_hints_are_listed_when_both_customers_are_visible(
        self, uow_factory: UnitOfWorkFactory, sharing: _Tenant
    ) -> None:
        pairs = [("a-phone", "b-whatsapp"), ("a-whatsapp", "b-phone"), ("f-hq", "c-owner")]
        hints = [
            DuplicateHint(
                tenant_id=sharing.tenant,
                customer_id=sharing.id(x),
                other_id=sharing.id(y),
                reason="inbound:whatsapp",
                noted_at=NOW + timedelta(minutes=n),
            )
            for n, (x, y) in enumerate(pairs)
        ]
        with uow_factory() as uow:
            for hint in reversed(hints):
                uow.hints.add(hint)
            uow.commit()
        everything, mine, mine_unassigned, _, nothing, other_tenant = sharing.scopes()
        with uow_factory() as uow:
            assert uow.hints.list_visible(everything) == hints
            assert uow.hints.list_visible(mine) == [hints[0]]
            assert uow.hints.list_visible(mine_unassigned) == [hints[0], hints[2]]
            assert uow.hints.list_visible(nothing) == []
            assert uow.hints.list_visible(other_tenant) == []
