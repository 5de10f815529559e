"""Portfolio-scoped search under the visibility filter, on SQLite and PostgreSQL.

The scenario of the issue: ``--customers`` customers (1,000,000 by default)
in 200 portfolios, restricted visibility (``presets.HELPDESK_PORTFOLIO``).
For a name-prefix search ("maria sil"), a surname search ("silva": a later
word of the name), a phone search and a phone without its area code
("96000-0042": part of the numbers) it measures, through
``CustomerDirectory.search``:

- a seller (member and owner of one portfolio, responsible for half of it),
- a supervisor with ``view_all_portfolios``,
- an admin (everything),

and the repository's own ``search`` on one open unit of work (no service,
no scope lookup): with an ``everything`` scope, with the seller's scope, and
with an ``everything`` scope plus a plain portfolio filter that selects the
same rows as the seller's scope. The visibility filter's cost is the seller's
scope against that last one (same rows, same text: only the filter differs).

Every figure is measured in this run; ratios are to the raw repository call
with the ``everything`` scope. Targets from the issue: p50 <= 5 ms, filter
<= 1.2x.

Rows are written set-based with SQLAlchemy Core multi-row inserts, made by
the adapter's own ``mapping`` helpers, so they are exactly what the adapter
writes. After the load the script does what a DBA does after a bulk import:
``ANALYZE`` on SQLite, ``VACUUM ANALYZE`` on PostgreSQL (autovacuum would get
there too, later). The vacuum sets PostgreSQL's visibility map, which the
index-only scans of a seller's search need; without it they read every row
of the share, as a search right after a bulk import does. Each run uses a fresh SQLite file / PostgreSQL schema, dropped at the
end (``--keep`` keeps them, ``--explain`` prints the query plans).

Run: ``python benchmarks/visibility_search.py --customers 100000``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.engine import make_url

from customer_core import Actor, presets
from customer_core.adapters.shared import plan_identities
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine, upgrade
from customer_core.adapters.sqlalchemy.claims import write_identities
from customer_core.adapters.sqlalchemy.errors import Writes
from customer_core.adapters.sqlalchemy.mapping import customer_row, portfolio_row
from customer_core.adapters.sqlalchemy.tables import (
    customers,
    portfolio_members,
    portfolios,
)
from customer_core.domain.matching.search import parse_search
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.domain.values.phone import Phone
from customer_core.services import CustomerDirectory

POSTGRES = os.environ.get(
    "CUSTOMER_CORE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PRESET = presets.HELPDESK_PORTFOLIO
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
TENANT = "bench"
BATCH = 5_000
LIMIT = 20  # what a search box shows
SELLER, SUPERVISOR, ADMIN = "s000", "sup", "adm"

FIRST = [
    "Ana",
    "Antônio",
    "Beatriz",
    "Bruno",
    "Camila",
    "Carlos",
    "Daniela",
    "Diego",
    "Eduarda",
    "Eduardo",
    "Fernanda",
    "Felipe",
    "Gabriela",
    "Gustavo",
    "Helena",
    "Henrique",
    "Isabela",
    "Igor",
    "Juliana",
    "João",
    "Larissa",
    "Lucas",
    "Mariana",
    "Marcos",
    "Natália",
    "Nicolas",
    "Olívia",
    "Otávio",
    "Patrícia",
    "Paulo",
    "Rafaela",
    "Rafael",
    "Sofia",
    "Sérgio",
    "Tatiana",
    "Thiago",
    "Valentina",
    "Vinícius",
    "Yasmin",
    "Wagner",
    "Alice",
    "Arthur",
    "Bianca",
    "Caio",
    "Clara",
    "Davi",
    "Elisa",
    "Enzo",
    "Flávia",
    "Francisco",
    "Giovana",
    "Guilherme",
    "Heloísa",
    "Hugo",
    "Laura",
    "Leonardo",
    "Luíza",
    "Mateus",
    "Maria",
    "José",
]
LAST = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Araújo",
    "Pinto",
    "Correia",
    "Cavalcanti",
    "Monteiro",
    "Moura",
    "Batista",
    "Campos",
    "Borges",
    "Castro",
    "Conceição",
    "Farias",
    "Azevedo",
    "Cunha",
    "Melo",
    "Reis",
    "Medeiros",
    "Duarte",
    "Sales",
    "Brito",
    "Xavier",
    "Vasconcelos",
    "Queiroz",
    "Siqueira",
    "Fonseca",
]


# -- data ---------------------------------------------------------------------


@attrs.frozen
class Person:
    """What the generator decides for one customer (the rest is defaults)."""

    index: int
    name: str
    portfolio: int | None
    responsible: str | None

    @property
    def id(self) -> str:
        return f"c{self.index:08d}"

    @property
    def phone(self) -> str:
        """A valid, unique Brazilian mobile: 9 6xxx-xxxx in 11, 21, 31... (10M per area)."""
        area = (11, 21, 31, 41, 51, 61, 71, 81, 91)[self.index // 10_000_000]
        return f"+55{area}{960_000_000 + self.index % 10_000_000}"


def people(count: int, portfolio_count: int, seed: int) -> Iterator[Person]:
    """10% unassigned; the rest spread over the portfolios, half with the owner responsible."""
    rng = random.Random(seed)
    for index in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
        portfolio = None if rng.random() < 0.1 else rng.randrange(portfolio_count)
        responsible = _owner(portfolio) if portfolio is not None and rng.random() < 0.5 else None
        yield Person(index, name, portfolio, responsible)


def _portfolio_id(number: int) -> str:
    return f"p{number:03d}"


def _owner(number: int) -> str:
    return f"s{number:03d}"


def _customer(person: Person) -> Customer:
    return Customer.create(
        id=person.id,
        tenant_id=TENANT,
        name=person.name,
        now=NOW,
        phones=(Phone.parse(person.phone),),
        portfolio_id=_portfolio_id(person.portfolio) if person.portfolio is not None else None,
        responsible_id=person.responsible,
    )


def load(engine: Engine, count: int, portfolio_count: int, seed: int) -> list[Person]:
    """Write everything with multi-row inserts; returns the people (for picking texts)."""
    everyone: list[Person] = []
    started = time.perf_counter()
    with engine.begin() as connection:
        owned = [
            Portfolio(
                id=_portfolio_id(n),
                tenant_id=TENANT,
                name=f"Carteira {n:03d}",
                member_ids={_owner(n)},
                owner_id=_owner(n),
            )
            for n in range(portfolio_count)
        ]
        connection.execute(insert(portfolios), [portfolio_row(p) for p in owned])
        connection.execute(
            insert(portfolio_members),
            [
                {"tenant_id": TENANT, "portfolio_id": p.id, "user_id": user}
                for p in owned
                for user in sorted(p.member_ids)
            ],
        )
    batch: list[Person] = []
    for person in people(count, portfolio_count, seed):
        everyone.append(person)
        batch.append(person)
        if len(batch) == BATCH:
            _write(engine, batch)
            batch = []
            done = len(everyone)
            if done % (BATCH * 20) == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:>9,} customers written ({rate:,.0f}/s)", flush=True)
    if batch:
        _write(engine, batch)
    # What a DBA runs after a bulk import, and what PostgreSQL's autovacuum
    # does on its own some time after one (it also vacuums tables that only
    # grew): statistics for the planner and, on PostgreSQL, the visibility
    # map, without which an index-only scan still visits every row.
    if engine.dialect.name == "postgresql":
        done = "VACUUM ANALYZE"  # not in a transaction block
        tables = "customers, customer_identities, portfolios, portfolio_members"
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"{done} {tables}"))
    else:
        done = "ANALYZE"
        with engine.begin() as connection:
            connection.execute(text(done))
    print(f"  loaded in {time.perf_counter() - started:,.1f} s (then {done})", flush=True)
    return everyone


def _write(engine: Engine, batch: Sequence[Person]) -> None:
    stored = [attrs.evolve(_customer(p), version=1) for p in batch]  # as add_many stores them
    with engine.begin() as connection:
        connection.execute(insert(customers), [customer_row(c) for c in stored])
        plan = plan_identities([(c.id, (), c.identity_keys()) for c in stored], {})
        write_identities(Writes(connection), TENANT, plan)


# -- databases ----------------------------------------------------------------


@contextmanager
def sqlite_database(keep: bool) -> Iterator[Engine]:
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    path = folder / "customers.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if keep:
            print(f"  kept {path}")
        else:
            for leftover in folder.iterdir():
                leftover.unlink()
            folder.rmdir()


@contextmanager
def postgresql_database(keep: bool) -> Iterator[Engine]:
    admin = create_engine(POSTGRES, connect_args={"connect_timeout": 10})
    schema = f"cc_bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if keep:
            print(f"  kept schema {schema} in {make_url(POSTGRES).database}")
        else:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


DATABASES: dict[str, Callable[[bool], AbstractContextManager[Engine]]] = {
    "sqlite": sqlite_database,
    "postgresql": postgresql_database,
}


# -- measuring ----------------------------------------------------------------


@attrs.frozen
class Timing:
    label: str
    samples: tuple[float, ...]  # milliseconds
    found: int  # rows returned over all calls

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


#: Seconds a group of measurements may take: slow queries get fewer calls (at least MIN_CALLS).
BUDGET = 20.0
MIN_CALLS = 10

Runner = Callable[[str], Sequence[Any]]


def measure(
    runners: Sequence[tuple[str, Runner]], texts: Sequence[str], calls: int
) -> list[Timing]:
    """Up to ``calls`` timed calls of each runner, cycling through ``texts``, within BUDGET.

    The runners take turns call by call, in a rotating order, so that load
    from elsewhere on the machine and cache warmth weigh on all of them alike
    and their ratios stay meaningful.
    """
    for _, run in runners:
        for warm in texts[:3]:
            run(warm)
    samples: list[list[float]] = [[] for _ in runners]
    found = [0] * len(runners)
    deadline = time.perf_counter() + BUDGET
    for n in range(calls):
        if n >= MIN_CALLS and time.perf_counter() > deadline:
            break
        query = texts[n % len(texts)]
        # Who goes first changes every round: the first to read a text's rows
        # pays for bringing them into the cache, the others profit.
        for step in range(len(runners)):
            k = (n + step) % len(runners)
            start = time.perf_counter()
            found[k] += len(runners[k][1](query))
            samples[k].append((time.perf_counter() - start) * 1000)
    return [
        Timing(label, tuple(taken), rows)
        for (label, _), taken, rows in zip(runners, samples, found, strict=True)
    ]


def texts_for(everyone: Sequence[Person], seed: int, count: int) -> dict[str, list[str]]:
    """Half the texts come from the seller's portfolio, half from anywhere."""
    rng = random.Random(seed + 1)
    mine = [p for p in everyone if p.portfolio == 0]
    picked = [rng.choice(mine if n % 2 else everyone) for n in range(count)]
    names, surnames = [], []
    for person in picked:
        first, middle, _ = person.name.split(" ")
        names.append(f"{first} {middle[:3]}")  # "maria sil": a name and the start of a surname
        surnames.append(middle)  # "silva": no name starts with it, a later word does
    phones = [Phone.parse(p.phone).national for p in picked]  # "(11) 96000-0042"
    local = [phone.split(") ")[-1] for phone in phones]  # "96000-0042": no area code
    return {"name prefix": names, "surname": surnames, "phone": phones, "phone, no DDD": local}


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def remember(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def explain(engine: Engine, label: str, run: Callable[[], object]) -> None:
    """Print the plan of the search statement ``run`` executes."""
    with captured_sql(engine) as statements:
        run()
    statement, params = next((s, p) for s, p in statements if "ORDER BY" in s)
    if engine.dialect.name == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(prefix + statement, params).fetchall()
    print(f"\n  plan: {label}")
    for row in plan:
        print("    " + " | ".join(str(v) for v in row))


@attrs.frozen
class Setup:
    """What one backend's measurements share."""

    engine: Engine
    storage: SqlStorage
    directory: CustomerDirectory
    actors: dict[str, Actor]
    seller_scope: VisibilityScope
    calls: int


def _service_call(setup: Setup, actor: Actor) -> Callable[[str], Sequence[Any]]:
    def run(query: str) -> Sequence[Any]:
        return setup.directory.search(TENANT, actor, query, my_portfolio=False, limit=LIMIT)

    return run


def _raw_call(
    repository: Any, scope: VisibilityScope, customer_filter: CustomerFilter
) -> Callable[[str], Sequence[Any]]:
    def run(query: str) -> Sequence[Any]:
        found: Sequence[Any] = repository.search(
            scope, parse_search(query), customer_filter, limit=LIMIT
        )
        return found

    return run


def _row(timing: Timing, baseline: Timing) -> str:
    ratio = timing.p50 / baseline.p50
    target = "ok" if timing.p50 <= 5 else "over 5 ms"
    return (
        f"  {timing.label:<46} {timing.p50:9.2f} {timing.p95:9.2f} {ratio:8.2f}x"
        f"  {timing.found / len(timing.samples):6.1f} {len(timing.samples):6d}  {target}"
    )


def bench_texts(setup: Setup, kind: str, texts: Sequence[str], explain_plans: bool) -> list[str]:
    everything = VisibilityScope(tenant_id=TENANT, everything=True)
    same_rows = CustomerFilter(portfolio_id=_portfolio_id(0))
    seller, supervisor, admin = (_service_call(setup, actor) for actor in setup.actors.values())
    seller_label, supervisor_label, admin_label = setup.actors
    with setup.storage() as uow:
        raw = uow.customers
        by_everything = _raw_call(raw, everything, CustomerFilter())
        by_seller = _raw_call(raw, setup.seller_scope, CustomerFilter())
        by_plain_filter = _raw_call(raw, everything, same_rows)
        # Portfolio-scoped calls, then whole-tenant calls: each group interleaved.
        scoped = measure(
            [
                (seller_label, seller),
                ("raw repository, seller's scope", by_seller),
                ("raw repository, everything + portfolio filter", by_plain_filter),
            ],
            texts,
            setup.calls,
        )
        whole = measure(
            [
                (supervisor_label, supervisor),
                (admin_label, admin),
                ("raw repository, everything scope", by_everything),
            ],
            texts,
            setup.calls,
        )
        if explain_plans:
            explain(setup.engine, f"{kind}, everything scope", lambda: by_everything(texts[0]))
            explain(setup.engine, f"{kind}, seller's scope", lambda: by_seller(texts[0]))
    seller_timing, seller_raw, plain = scoped
    baseline = whole[2]
    lines = [f"{setup.engine.dialect.name} / {kind}"]
    lines += [_row(t, baseline) for t in [seller_timing, *whole[:2], baseline, seller_raw, plain]]
    cost = seller_raw.p50 / plain.p50
    verdict = "ok" if cost <= 1.2 else "over 1.2x"
    label = "visibility filter cost (seller scope / same rows, plain filter)"
    lines.append(f"  {label:<66}{cost:6.2f}x  {verdict}")
    label = "admin / seller, through the service"
    lines.append(f"  {label:<66}{whole[1].p50 / seller_timing.p50:6.2f}x")
    return lines


def bench_backend(name: str, args: argparse.Namespace) -> list[str]:
    print(f"\n== {name}: {args.customers:,} customers in {args.portfolios} portfolios", flush=True)
    with DATABASES[name](args.keep) as engine:
        everyone = load(engine, args.customers, args.portfolios, args.seed)
        for dialect, statement in (sql.split(":", 1) for sql in args.extra_sql):
            if dialect == name:
                print(f"  extra SQL: {statement}", flush=True)
                with engine.begin() as connection:
                    connection.exec_driver_sql(statement)
        storage = SqlStorage(engine)
        directory = CustomerDirectory(storage, preset=PRESET)
        seller = Actor(tenant_id=TENANT, user_id=SELLER)
        actors = {
            "seller (1 portfolio)": seller,
            "supervisor (view_all_portfolios)": Actor(
                tenant_id=TENANT,
                user_id=SUPERVISOR,
                role="supervisor",
                permissions=["view_all_portfolios"],
            ),
            "admin": Actor(tenant_id=TENANT, user_id=ADMIN, role="admin"),
        }
        setup = Setup(
            engine,
            storage,
            directory,
            actors,
            directory.visibility(TENANT, seller),
            args.calls,
        )
        lines: list[str] = []
        for kind, texts in texts_for(everyone, args.seed, 50).items():
            lines += bench_texts(setup, kind, texts, args.explain)
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--portfolios", type=int, default=200)
    parser.add_argument("--calls", type=int, default=200, help="timed calls per measurement")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument(
        "--extra-sql",
        action="append",
        default=[],
        metavar="DIALECT:SQL",
        help="run SQL after loading, e.g. a candidate index: "
        "'postgresql:CREATE INDEX ix ON customer_identities (kind, key)' (repeatable)",
    )
    args = parser.parse_args()
    if args.customers > 90_000_000:
        parser.error("at most 90,000,000 customers (unique phone numbers)")
    report: list[str] = []
    for name in args.backends.split(","):
        try:
            report += bench_backend(name.strip(), args)
        except Exception as exc:  # an unreachable server skips its backend
            report.append(f"{name:<11} skipped: {type(exc).__name__}: {str(exc)[:100]}")
    header = f"  {'':<46} {'p50 ms':>9} {'p95 ms':>9} {'ratio':>9}  {'rows':>6} {'calls':>6}"
    print(
        f"\n{args.customers:,} customers, {args.portfolios} portfolios; up to {args.calls} calls"
        f" or {BUDGET:.0f} s per group of 3 lines (at least {MIN_CALLS} calls);"
    )
    print("ratio = p50 / p50 of the raw repository call with the everything scope;")
    print("rows = average rows returned (limit 20). Targets: p50 <= 5 ms, filter <= 1.2x.")
    print(header)
    for line in report:
        print(line)


if __name__ == "__main__":
    main()
