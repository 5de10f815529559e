"""No read path shows a customer DESIGN §5 hides, nor hides one it shows: a property.

Random tenants (the first is the actors' home, the others decoys that reuse
its user ids, portfolio ids, customer ids, phones and CPFs), random
portfolios, members and owners, customers in a portfolio, unassigned and/or
with a responsible seller, and random actors, under both visibility modes.
For every read path the returned set must be exactly what the oracle in
``leak_helpers`` (written from the text of §5) computes: nothing extra,
nothing missing, and ``NotFound`` for what is not visible.

The same property runs on the memory adapter and on every SQL dialect.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leak_helpers import (
    OPEN,
    RESTRICTED,
    PortfolioIndex,
    fresh_tenant,
    in_portfolio_of,
    my_portfolio_owner,
    relationship,
    sees,
    store_world,
)
from stdnum.br import cnpj as stdnum_cnpj

from customer_core import Actor, NotFound, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.domain.matching.duplicates import Cluster, Evidence, suggest_duplicates
from customer_core.domain.model.actor import Permission, Role
from customer_core.domain.model.customer import Customer, CustomerKind, RelationshipType, Source
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cnpj, Cpf, cpf_check_digits
from customer_core.errors import InvalidOperation
from customer_core.io.csv_format import COLUMNS
from customer_core.io.exporter import Exporter
from customer_core.ports import DuplicateHint, UnitOfWorkFactory
from customer_core.services import CustomerDirectory, CustomerService, IdentityService

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)
USERS = ("u0", "u1", "u2", "u3")
FIRST_NAMES = ("Ana", "Bia", "Caio")
SURNAME = "Zanetti"  # every customer's: searching it matches everyone
CEP = "01310100"  # shared by some, so the duplicate report has suggestions to make
CNPJ_ROOT = "11222333"  # every company's: branches of one company, an exact cluster
NAME_COLUMN = list(COLUMNS).index("name")

#: (my_portfolio, seller_id) of the list, search, counts and export calls;
#: ``SELLER`` stands for the example's randomly chosen seller.
SELLER = "<seller>"
FILTERS: tuple[tuple[bool | None, str | None], ...] = (
    (None, None),
    (False, None),
    (True, None),
    (None, SELLER),
)


# -- random worlds ------------------------------------------------------------


@attrs.frozen
class CustomerDraft:
    portfolio: int | None
    responsible: str | None
    first_name: int
    inactive: bool
    purchased: bool
    self_registered: bool
    phone: bool
    tax: str  # "", "cpf" or "cnpj"
    cep: bool
    reuse_id: bool  # in a decoy tenant: the same id as the home tenant's customer


@attrs.frozen
class TenantDraft:
    portfolios: tuple[tuple[frozenset[str], str | None], ...]
    customers: tuple[CustomerDraft, ...]
    hints: tuple[tuple[int, int], ...]


@attrs.frozen
class WorldDraft:
    tenants: tuple[TenantDraft, ...]
    actors: tuple[tuple[str, Role, frozenset[Permission]], ...]
    seller: str
    probe: int


_users = st.sampled_from(USERS)


@st.composite
def _customer_drafts(draw: st.DrawFn, portfolios: int) -> CustomerDraft:
    return CustomerDraft(
        portfolio=draw(st.none() | st.integers(0, portfolios - 1)) if portfolios else None,
        responsible=draw(st.none() | _users),
        first_name=draw(st.integers(0, len(FIRST_NAMES) - 1)),
        inactive=draw(st.booleans()),
        purchased=draw(st.booleans()),
        self_registered=draw(st.booleans()),
        phone=draw(st.booleans()),
        tax=draw(st.sampled_from(["", "cpf", "cnpj"])),
        cep=draw(st.booleans()),
        reuse_id=draw(st.booleans()),
    )


@st.composite
def _tenant_drafts(draw: st.DrawFn, *, home: bool) -> TenantDraft:
    portfolios = draw(
        st.lists(
            st.tuples(st.frozensets(_users, max_size=3), st.none() | _users), min_size=0, max_size=3
        )
    )
    customers = draw(
        st.lists(_customer_drafts(len(portfolios)), min_size=1 if home else 0, max_size=9)
    )
    pairs = st.tuples(st.integers(0, 99), st.integers(0, 99))
    hints = draw(st.lists(pairs, max_size=2)) if len(customers) > 1 else []
    return TenantDraft(tuple(portfolios), tuple(customers), tuple(hints))


_permissions = st.frozensets(
    st.sampled_from([Permission.VIEW_UNASSIGNED, Permission.VIEW_ALL_PORTFOLIOS])
)


@st.composite
def worlds(draw: st.DrawFn) -> WorldDraft:
    decoys = draw(st.integers(1, 2))  # at least two tenants: cross-tenant reads are attempted
    home = draw(_tenant_drafts(home=True))
    tenants = (home, *(draw(_tenant_drafts(home=False)) for _ in range(decoys)))
    actors = draw(
        st.lists(
            st.tuples(_users, st.sampled_from(list(Role)), _permissions), min_size=1, max_size=3
        )
    )
    return WorldDraft(tenants, tuple(actors), draw(_users), draw(st.integers(0, 10**6)))


# -- materialised worlds ------------------------------------------------------


def _cpf(n: int) -> Cpf:
    body = f"{123456000 + n:09d}"
    return Cpf.parse(body + cpf_check_digits(body))


def _cnpj(n: int) -> Cnpj:
    body = f"{CNPJ_ROOT}{n + 1:04d}"
    return Cnpj.parse(body + stdnum_cnpj.calc_check_digits(body))


def _phone(n: int) -> Phone:
    return Phone.parse(f"+5511980{n:06d}")


@attrs.frozen
class World:
    tenants: tuple[str, ...]
    portfolios: PortfolioIndex
    customers: tuple[Customer, ...]
    hints: tuple[DuplicateHint, ...]

    @property
    def home(self) -> str:
        return self.tenants[0]


def _customer(tenant: str, t: int, n: int, draft: CustomerDraft) -> Customer:
    """Same index, same phone/CPF/CNPJ (and often id) in every tenant: leaks would collide."""
    customer_id = f"c{n:02d}" if t == 0 or draft.reuse_id else f"x{t}c{n:02d}"
    address = Address.create(
        street="Av. Paulista", number=str(n), neighborhood="Bela Vista", city="São Paulo", cep=CEP
    )
    tax_id = {"cpf": _cpf(n), "cnpj": _cnpj(n), "": None}[draft.tax]
    return Customer.create(
        id=customer_id,
        tenant_id=tenant,
        name=f"{FIRST_NAMES[draft.first_name]} T{t}C{n:02d} {SURNAME}",
        now=NOW,
        kind=CustomerKind.COMPANY if draft.tax == "cnpj" else CustomerKind.PERSON,
        source=Source.SELF_REGISTERED if draft.self_registered else Source.STAFF,
        tax_id=tax_id,
        phones=(_phone(n),) if draft.phone else (),
        addresses=(address,) if draft.cep else (),
        status="inactive" if draft.inactive else "active",
        first_purchase_at=NOW if draft.purchased else None,
        portfolio_id=f"p{draft.portfolio}" if draft.portfolio is not None else None,
        responsible_id=draft.responsible,
    )


def materialise(draft: WorldDraft) -> World:
    tenants = tuple(fresh_tenant() for _ in draft.tenants)
    portfolios: dict[tuple[str, str], Portfolio] = {}
    customers: list[Customer] = []
    hints: list[DuplicateHint] = []
    for t, (tenant, tenant_draft) in enumerate(zip(tenants, draft.tenants, strict=True)):
        for k, (members, owner) in enumerate(tenant_draft.portfolios):
            portfolio = Portfolio(
                id=f"p{k}",
                tenant_id=tenant,
                name=f"Carteira {k}",
                member_ids=members,
                owner_id=owner,
            )
            portfolios[(tenant, portfolio.id)] = portfolio
        mine = [_customer(tenant, t, n, c) for n, c in enumerate(tenant_draft.customers)]
        customers += mine
        for a, b in tenant_draft.hints:
            left, right = mine[a % len(mine)], mine[b % len(mine)]
            if left.id != right.id:
                hints.append(
                    DuplicateHint(
                        tenant_id=tenant,
                        customer_id=left.id,
                        other_id=right.id,
                        reason="inbound_conflict",
                        noted_at=NOW,
                    )
                )
    return World(tenants, portfolios, tuple(customers), tuple(hints))


# -- the property -------------------------------------------------------------


@attrs.frozen
class Services:
    customers: CustomerService
    directory: CustomerDirectory
    identity: IdentityService
    exporter: Exporter


def _services(storage: UnitOfWorkFactory, preset: presets.Preset) -> Services:
    return Services(
        CustomerService(storage, preset=preset),
        CustomerDirectory(storage, preset=preset),
        IdentityService(storage, preset=preset),
        Exporter(storage, preset=preset),
    )


Key = tuple[str, str]


def _keys(customers: object) -> list[Key]:
    return [(c.tenant_id, c.id) for c in customers]  # type: ignore[attr-defined]


class Check:
    """Every read path for one actor under one preset, against the oracle."""

    def __init__(
        self, world: World, services: Services, actor: Actor, *, restricted: bool, seller: str
    ) -> None:
        self.world = world
        self.services = services
        self.actor = actor
        self.restricted = restricted
        self.seller = seller
        self.visible = [
            c for c in world.customers if sees(actor, c, world.portfolios, restricted=restricted)
        ]

    def expected(self, my_portfolio: bool | None, seller_id: str | None) -> list[Customer]:
        owner = my_portfolio_owner(self.actor, my_portfolio, seller_id, restricted=self.restricted)
        return [
            c
            for c in self.visible
            if owner is None or in_portfolio_of(owner, c, self.world.portfolios)
        ]

    def filters(self) -> list[tuple[bool | None, str | None]]:
        return [(my, self.seller if sid == SELLER else sid) for my, sid in FILTERS]

    def context(self, what: str) -> str:
        mode = "restricted" if self.restricted else "open"
        return f"{what} by {self.actor!r} ({mode})"

    def run(self, probe: int) -> None:
        self.get()
        for my_portfolio, seller_id in self.filters():
            self.list(my_portfolio, seller_id)
            self.search(SURNAME, my_portfolio, seller_id, None)
            self.counts(my_portfolio, seller_id)
            self.export(my_portfolio, seller_id)
        self.probes(probe)
        self.duplicate_report()

    def get(self) -> None:
        home = self.world.home
        visible = {c.id: c for c in self.visible}
        for customer_id in sorted({c.id for c in self.world.customers} | {"nobody"}):
            if customer_id in visible:
                got = self.services.customers.get(home, self.actor, customer_id)
                assert (got.tenant_id, got.id, got.name) == (
                    home,
                    customer_id,
                    visible[customer_id].name,
                ), self.context(f"get {customer_id}")
            else:
                with pytest.raises(NotFound):
                    self.services.customers.get(home, self.actor, customer_id)

    def list(self, my_portfolio: bool | None, seller_id: str | None) -> None:
        seen: list[Key] = []
        cursor: str | None = None
        while True:
            page = self.services.directory.list(
                self.world.home,
                self.actor,
                my_portfolio=my_portfolio,
                seller_id=seller_id,
                cursor=cursor,
                limit=3,
            )
            seen += _keys(page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        expected = _keys(self.expected(my_portfolio, seller_id))
        context = self.context(f"list(my_portfolio={my_portfolio}, seller_id={seller_id})")
        assert len(seen) == len(set(seen)), context  # no page repeats a customer
        assert set(seen) == set(expected), context

    def search(
        self,
        text: str,
        my_portfolio: bool | None,
        seller_id: str | None,
        holds: Key | None,
    ) -> None:
        """``holds``: only the home customer with the probed identity may be found."""
        found = self.services.directory.search(
            self.world.home,
            self.actor,
            text,
            my_portfolio=my_portfolio,
            seller_id=seller_id,
            limit=500,
        )
        expected = _keys(self.expected(my_portfolio, seller_id))
        if holds is not None:
            expected = [k for k in expected if k == holds]
        context = self.context(f"search({text!r}, my_portfolio={my_portfolio}, seller={seller_id})")
        assert sorted(_keys(found)) == sorted(expected), context

    def counts(self, my_portfolio: bool | None, seller_id: str | None) -> None:
        counts = self.services.directory.counts(
            self.world.home, self.actor, my_portfolio=my_portfolio, seller_id=seller_id
        )
        tally = Counter(relationship(c) for c in self.expected(my_portfolio, seller_id))
        assert counts == {kind: tally[kind] for kind in RelationshipType}, self.context("counts")

    def export(self, my_portfolio: bool | None, seller_id: str | None) -> None:
        stream = io.StringIO(newline="")
        written = self.services.exporter.run(
            self.world.home, self.actor, stream, my_portfolio=my_portfolio, seller_id=seller_id
        )
        rows = list(csv.reader(io.StringIO(stream.getvalue(), newline=""), delimiter=";"))[1:]
        names = sorted(row[NAME_COLUMN] for row in rows)
        expected = sorted(c.name for c in self.expected(my_portfolio, seller_id))
        assert (written, names) == (len(expected), expected), self.context("export")

    def probes(self, probe: int) -> None:
        """An exact phone and an exact CPF of one customer of any tenant."""
        with_phone = [c for c in self.world.customers if c.phones]
        with_cpf = [c for c in self.world.customers if isinstance(c.tax_id, Cpf)]
        home = self.world.home
        if with_phone:
            target = with_phone[probe % len(with_phone)]
            key = target.phones[0].match_key
            holders = [
                c
                for c in self.world.customers
                if c.tenant_id == home and any(p.match_key == key for p in c.phones)
            ]
            holds = _keys(holders)[0] if holders else ("", "")
            for my_portfolio in (False, None):
                self.search(target.phones[0].national, my_portfolio, None, holds)
        if with_cpf:
            target = with_cpf[probe % len(with_cpf)]
            assert target.tax_id is not None
            holders = [
                c for c in self.world.customers if c.tenant_id == home and c.tax_id == target.tax_id
            ]
            holds = _keys(holders)[0] if holders else ("", "")
            for my_portfolio in (False, None):
                self.search(target.tax_id.formatted, my_portfolio, None, holds)

    def duplicate_report(self) -> None:
        report = self.services.identity.duplicate_report(self.world.home, self.actor)
        visible_ids = {c.id for c in self.visible}
        companies = sorted(c.id for c in self.visible if isinstance(c.tax_id, Cnpj))
        expected_clusters = [
            Cluster(
                tuple(sorted((h.customer_id, h.other_id))),
                (Evidence("inbound_conflict", h.reason, 1.0),),
            )
            for h in self.world.hints
            if h.tenant_id == self.world.home
            and h.customer_id in visible_ids
            and h.other_id in visible_ids
        ]
        expected_groups = (
            [Cluster(tuple(companies), (Evidence("same_cnpj_root", CNPJ_ROOT, 1.0),))]
            if len(companies) > 1
            else []
        )
        context = self.context("duplicate_report")
        assert set(report.clusters) == set(expected_clusters), context
        assert list(report.groups) == expected_groups, context
        assert {i for s in report.suggestions for i in s.ids} <= visible_ids, context
        expected_suggestions = suggest_duplicates(self.visible)
        assert {(s.ids, s.score) for s in report.suggestions} == {
            (s.ids, s.score) for s in expected_suggestions
        }, context

    def wrong_tenant(self) -> None:
        """Naming another tenant is refused outright, on every path."""
        other = self.world.tenants[1]
        calls: list[Callable[[], object]] = [
            lambda: self.services.customers.get(other, self.actor, "c00"),
            lambda: self.services.directory.list(other, self.actor, my_portfolio=False),
            lambda: self.services.directory.search(other, self.actor, SURNAME),
            lambda: self.services.directory.counts(other, self.actor),
            lambda: self.services.identity.duplicate_report(other, self.actor),
            lambda: self.services.exporter.run(other, self.actor, io.StringIO()),
        ]
        for call in calls:
            with pytest.raises(InvalidOperation) as info:
                call()
            assert info.value.code == "wrong_tenant"


def test_no_read_path_leaks_or_hides_a_customer(storage: UnitOfWorkFactory) -> None:
    memory = isinstance(storage, MemoryStore)

    @settings(
        max_examples=50 if memory else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(draft=worlds())
    def leak_free(draft: WorldDraft) -> None:
        world = materialise(draft)
        store_world(storage, world.portfolios.values(), world.customers, world.hints)
        actors = [
            Actor(tenant_id=world.home, user_id=user, role=role, permissions=permissions)
            for user, role, permissions in draft.actors
        ]
        for preset, restricted in ((RESTRICTED, True), (OPEN, False)):
            services = _services(storage, preset)
            for actor in actors:
                Check(world, services, actor, restricted=restricted, seller=draft.seller).run(
                    draft.probe
                )
        Check(
            world, _services(storage, RESTRICTED), actors[0], restricted=True, seller="u0"
        ).wrong_tenant()

    leak_free()


# -- search texts with SQL metacharacters ---------------------------------------

#: Name -> (e-mail or None, in the seller's portfolio?).
LITERAL_CUSTOMERS: dict[str, tuple[str | None, bool]] = {
    "100% Algodão Ltda": ("vendas100%@algodao.com.br", True),
    "Patrick O'Brien": ("o'brien@example.com", False),
    "Ana_Maria Souza": ("ana_maria@example.com", True),
    "Barra \\ Invertida": (None, False),
    "Robert'); DROP TABLE customers;--": ("bobby@example.com", True),
    "Abigail Bernardes": (None, False),
    "Orlando 1 Silva": (None, True),
    # Decoys a wildcard reading would match: LIKE '%a%b%' and '%_%' match "alba@...".
    "Alba Costa": ("alba@example.com", True),
    "Zeca Pagodinho": ("zeca@example.com", False),
}

#: Text -> the names it must find, taken literally: ``%`` and ``_`` are not
#: wildcards, quotes and comment marks are text. Punctuation-only texts match
#: e-mails that contain them; words match the start of name words.
LITERAL_SEARCHES: dict[str, list[str]] = {
    "%": ["100% Algodão Ltda"],
    "_": ["Ana_Maria Souza"],
    "'": ["Patrick O'Brien"],
    "\\": [],
    ";--": [],
    "' OR 1=1 --": ["Orlando 1 Silva"],  # the words "or", "1": Orlando 1 Silva only
    "a%b": ["Abigail Bernardes"],  # the words "a", "b"; no e-mail contains "a%b"
    "100%": ["100% Algodão Ltda"],  # its e-mail contains "100%"
    "100% Algodão Ltda": ["100% Algodão Ltda"],
    "O'Brien": ["Patrick O'Brien"],
    "Barra \\ Invertida": ["Barra \\ Invertida"],
    "Robert'); DROP TABLE customers;--": ["Robert'); DROP TABLE customers;--"],
}


@pytest.mark.parametrize("text", list(LITERAL_SEARCHES))
def test_search_text_is_taken_literally(storage: UnitOfWorkFactory, text: str) -> None:
    tenant, decoy = fresh_tenant(), fresh_tenant()
    portfolio = Portfolio(id="p", tenant_id=tenant, name="Carteira", member_ids={"s1"})
    customers = [
        Customer.create(
            id=f"c{n}",
            tenant_id=owner,
            name=name,
            now=NOW,
            emails=(Email.parse(email),) if email else (),
            portfolio_id="p" if mine and owner == tenant else None,
        )
        for owner in (tenant, decoy)
        for n, (name, (email, mine)) in enumerate(LITERAL_CUSTOMERS.items())
    ]
    store_world(storage, [portfolio], customers)
    admin = Actor(tenant_id=tenant, user_id="adm", role="admin")
    seller = Actor(tenant_id=tenant, user_id="s1")
    open_directory = CustomerDirectory(storage, preset=OPEN)
    restricted_directory = CustomerDirectory(storage, preset=RESTRICTED)

    found = open_directory.search(tenant, admin, text, limit=500)
    assert sorted(c.name for c in found) == sorted(LITERAL_SEARCHES[text])
    assert {c.tenant_id for c in found} <= {tenant}
    if not any(ch.isalnum() for ch in text):
        # Punctuation only: whatever is found contains the text itself.
        for customer in found:
            assert any(text in str(e) for e in customer.emails), customer.name

    # Under a restricted scope the same text never reaches past the portfolio.
    in_portfolio = [n for n, (_, mine) in LITERAL_CUSTOMERS.items() if mine]
    scoped = restricted_directory.search(tenant, seller, text, limit=500)
    assert sorted(c.name for c in scoped) == sorted(
        n for n in LITERAL_SEARCHES[text] if n in in_portfolio
    )
    # Nothing was executed as SQL: every record is still there.
    everyone = open_directory.list(tenant, admin, my_portfolio=False, limit=500).items
    assert len(everyone) == len(LITERAL_CUSTOMERS)
