"""Search returns what the memory adapter returns, in the same order, on every SQL backend.

The SQL adapter runs one query per rank (over a seller's share, one for both
name ranks, ranked in SQL), best first, leaves out customers an earlier query
found and stops once the limit is filled (queries.search_ranks); the memory
adapter ranks every customer with the domain's ``search_rank``.
Small limits make the early stop and the exclusion of customers found matter.
"""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leak_helpers import fresh_tenant, store_world
from sqlalchemy import Engine, event

from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage, visibility
from customer_core.adapters.sqlalchemy.queries import responsible_outside
from customer_core.domain.matching.search import parse_search
from customer_core.domain.model.customer import Customer
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import parse_tax_id
from customer_core.ports import UnitOfWorkFactory

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
#: Few words, sharing prefixes, so that texts match at several ranks at once.
WORDS = ["Ana", "Anabela", "Silva", "Silvano", "Sá", "Souza", "Maria", "Mariana", "da", "Sil"]

names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
texts = st.one_of(
    st.lists(
        st.sampled_from(["ana", "sil", "silva", "sa", "mar", "maria s", "da", "an", "so"]),
        min_size=1,
        max_size=3,
    ).map(" ".join),
    st.sampled_from(
        [
            *("(11) 98765-0001", "5511987650002", "ana1", "@exemplo", "98765-0003", "8765-00"),
            *("0001", "(11) 9876", "011 98765", "529.982", "52998224725"),
        ]
    ),
)


def _customer(tenant: str, n: int, name: str) -> Customer:
    return Customer.create(
        id=f"c{n:03d}",
        tenant_id=tenant,
        name=name,
        now=NOW,
        phones=(Phone.parse(f"+55 11 98765-{n:04d}"),),
        emails=(Email.parse(f"{name.split()[0].lower()}{n}@exemplo.com.br"),),
        portfolio_id=("p", "q", None)[n % 3],
        responsible_id="u" if n % 4 == 0 else None,
        tax_id=parse_tax_id(_cpf(529982200 + n)) if n % 2 else None,
    )


def _cpf(base: int) -> str:
    """A valid CPF of nine digits ``base`` (its check digits worked out)."""
    digits = [int(d) for d in f"{base:09d}"]
    for weight in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(weight, 1, -1), strict=False))
        digits.append(total * 10 % 11 % 10)
    return "".join(map(str, digits))


#: Who searches: the whole tenant, or a seller's share, by scope and/or by
#: the "my portfolio" filter (the adapter reads a share another way).
SEARCHERS = [
    (VisibilityScope(tenant_id="", everything=True), CustomerFilter()),
    (VisibilityScope(tenant_id="", portfolio_ids=frozenset({"p"}), responsible_id="u"), None),
    (VisibilityScope(tenant_id="", responsible_id="u"), CustomerFilter()),
    (
        VisibilityScope(tenant_id="", everything=True),
        CustomerFilter(owner_id="u", owner_portfolio_ids=frozenset({"q"})),
    ),
    (
        VisibilityScope(tenant_id="", portfolio_ids=frozenset({"p", "q"}), responsible_id="u"),
        CustomerFilter(owner_id="u", owner_portfolio_ids=frozenset({"q"})),
    ),
    (VisibilityScope(tenant_id="", everything=True), CustomerFilter(portfolio_id="q")),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    people=st.lists(names, min_size=1, max_size=25),
    queries=st.lists(
        st.tuples(
            texts,
            st.integers(min_value=1, max_value=8),
            st.integers(min_value=0, max_value=len(SEARCHERS) - 1),
        ),
        max_size=6,
    ),
)
def test_search_matches_memory_in_order(
    storage: UnitOfWorkFactory, people: list[str], queries: list[tuple[str, int, int]]
) -> None:
    tenant = fresh_tenant()
    customers = [_customer(tenant, n, name) for n, name in enumerate(people)]
    reference = MemoryStore()
    store_world(storage, [], customers)
    store_world(reference, [], customers)
    for text, limit, searcher in queries:
        template, customer_filter = SEARCHERS[searcher]
        scope = attrs.evolve(template, tenant_id=tenant)
        by = customer_filter or CustomerFilter()
        query = parse_search(text)
        with reference() as memory, storage() as uow:
            expected = [c.id for c in memory.customers.search(scope, query, by, limit=limit)]
            found = [c.id for c in uow.customers.search(scope, query, by, limit=limit)]
        assert found == expected, (text, limit, scope, by)


@pytest.mark.parametrize("share", [False, True], ids=["tenant", "share"])
def test_search_reads_one_snapshot_while_a_customer_is_renamed(
    sql_engine: Engine, share: bool
) -> None:
    """A rename committed while a search runs never shows a customer twice or drops one.

    The search is one statement: under READ COMMITTED (PostgreSQL, MariaDB)
    separate statements per rank would each see another moment.
    """
    storage = SqlStorage(sql_engine)
    tenant = fresh_tenant()
    names = ["Ana Souza", "Bia Ana", "Maria Ana"]
    store_world(
        storage,
        [],
        [
            Customer.create(id=f"c{n}", tenant_id=tenant, name=name, now=NOW, portfolio_id="p")
            for n, name in enumerate(names)
        ],
    )
    renamed: list[bool] = []

    def rename_once(*_: object) -> None:
        if renamed:
            return
        renamed.append(True)
        with storage() as writer:  # another connection, committed at once
            ana = writer.customers.get(tenant, "c0")
            writer.customers.save(attrs.evolve(ana, name="Zeca Ana"), expected_version=ana.version)
            writer.commit()

    scope = (
        VisibilityScope(tenant_id=tenant, portfolio_ids=frozenset({"p"}), responsible_id="u")
        if share
        else VisibilityScope(tenant_id=tenant, everything=True)
    )
    event.listen(sql_engine, "after_cursor_execute", rename_once)
    try:
        with storage() as uow:
            found = uow.customers.search(scope, parse_search("ana"), CustomerFilter(), limit=10)
    finally:
        event.remove(sql_engine, "after_cursor_execute", rename_once)
    ids = [c.id for c in found]
    assert sorted(ids) == ["c0", "c1", "c2"], ids


@pytest.mark.parametrize("few", [1, 3, 1000], ids=["many", "at-the-bound", "few"])
@pytest.mark.parametrize("text", ["@exemplo", "exemplo.com", "ana1", "mariana2"])
def test_partial_email_search_is_the_same_with_few_or_many_candidates(
    sql_engine: Engine, monkeypatch: pytest.MonkeyPatch, few: int, text: str
) -> None:
    """Whole-tenant partial e-mail search: by id when few e-mails contain the text,
    walking the name index when many do; the same customers, in the same order."""
    monkeypatch.setattr(visibility, "FEW", few)
    tenant = fresh_tenant()
    people = ["Ana Souza", "Mariana Sá", "Ana Maria", "Silva Ana", "Mariana Silva", "Sil da Sá"]
    customers = [_customer(tenant, n, name) for n, name in enumerate(people)]
    storage, reference = SqlStorage(sql_engine), MemoryStore()
    store_world(storage, [], customers)
    store_world(reference, [], customers)
    scope = VisibilityScope(tenant_id=tenant, everything=True)
    for by in (CustomerFilter(), CustomerFilter(portfolio_id="q")):
        for limit in (1, 2, 10):
            with reference() as memory, storage() as uow:
                query = parse_search(text)
                expected = [c.id for c in memory.customers.search(scope, query, by, limit=limit)]
                found = [c.id for c in uow.customers.search(scope, query, by, limit=limit)]
            assert found == expected, (text, by, limit)
            assert expected or text == "mariana2"


@pytest.mark.parametrize(
    ("elsewhere", "unassigned_seen", "outside"),
    [
        (None, False, False),  # all of the seller's customers are in its portfolios
        ("", False, True),  # one has no portfolio
        ("", True, False),  # ... which the scope shows anyway
        ("a", False, True),  # before the first of its portfolios
        ("m", False, True),  # between two
        ("z", False, True),  # after the last
    ],
)
def test_a_sellers_customers_outside_its_portfolios_are_found_by_seeks(
    sql_engine: Engine, elsewhere: str | None, unassigned_seen: bool, outside: bool
) -> None:
    tenant = fresh_tenant()
    inside = [
        Customer.create(id=f"c{n}", tenant_id=tenant, name="Ana", now=NOW, portfolio_id=p)
        for n, p in enumerate(["k", "p", "p", "x"])
    ]
    mine = [attrs.evolve(c, responsible_id="u") for c in inside[:2]]
    others = [Customer.create(id="o1", tenant_id=tenant, name="Bia", now=NOW, portfolio_id="m")]
    if elsewhere is not None:
        mine.append(
            Customer.create(
                id="c9",
                tenant_id=tenant,
                name="Ana Costa",
                now=NOW,
                portfolio_id=elsewhere or None,
                responsible_id="u",
            )
        )
    storage = SqlStorage(sql_engine)
    store_world(storage, [], [*mine, *inside[2:], *others])
    scope = VisibilityScope(
        tenant_id=tenant,
        portfolio_ids=frozenset({"k", "p", "x"}),
        unassigned=unassigned_seen,
        responsible_id="u",
    )
    question = responsible_outside(scope)
    assert question is not None
    with storage() as uow, sql_engine.connect() as connection:
        assert bool(connection.scalar(*question)) is outside
        found = {c.id for c in uow.customers.search(scope, parse_search("a"), CustomerFilter())}
    assert found == {c.id for c in [*mine, *inside] if scope.allows_customer(c)}
    assert responsible_outside(attrs.evolve(scope, responsible_id=None)) is None
