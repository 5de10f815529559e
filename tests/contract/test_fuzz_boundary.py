"""Every public method, driven with wrong types and odd text: only our errors escape.

The methods are found by introspection
(:func:`customer_core.testing.contract_ids.public_service_methods`: every
public method of every service :class:`~customer_core.CustomerCore` wires),
so a new method is fuzzed without editing this file. Each parameter in turn
(and a few at once) gets wrong types (numbers, ``None``, lists, dicts,
bytes), odd text (lone surrogates, NUL, right-to-left and zero-width marks,
a 1 MB string), odd options (``mode="replace"``, ``batch_size="10"``,
``kind=None``, ``merge(choices=[...])``) and random actors, the other
parameters holding valid values. Whatever happens, only a
:class:`~customer_core.errors.CustomerCoreError` may escape, and a refused
call leaves the store (customers, portfolios, events) exactly as it was.

On the memory adapter and SQLite (the others run the same code above the
adapter; the id contract covers their coercions). Deterministic: a fixed
sweep of every odd value through every parameter on memory, then
hypothesis with ``derandomize``.
"""

from __future__ import annotations

import inspect
import io
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from customer_core import Actor, CustomerCore, CustomerCoreError, InvalidValue, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import outbox
from customer_core.defaults import ScryptPasswordHasher
from customer_core.domain.model.actor import Permission, Role
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.contract_ids import public_service_methods, tenant_snapshot

MEGABYTE = "x" * 1_000_000
#: scrypt at a cost a test can afford: thousands of calls hash or verify a password.
CHEAP_HASHER = ScryptPasswordHasher(n=2**4)

#: Wrong types, odd text and odd options; each goes into every parameter.
ODD: tuple[object, ...] = (
    None,
    0,
    -1,
    10**30,
    1.5,
    float("nan"),
    True,
    b"ana",
    b"\xff\xfe\x00",
    bytearray(b"a"),
    [],
    [None],
    [1, 2],
    ["\ud800"],
    [{"name": 1}],
    {},
    {"a": 1},
    {"street": "\x00"},
    {1: "a"},
    ("a", "b", "c"),
    {"x"},
    object(),
    "",
    " ",
    "\ud800",
    "Ana\udcff",
    "a\x00b",
    "\u202eanA",  # right-to-left override
    "\u200b",  # zero-width space
    "\u200f\u200e\ufeff",
    "ana@\u200bx.com",
    "1" * 300,
    MEGABYTE,
    "replace",
    "10",
    "survivor",
)


class Starter:
    """A ConversationStarter that does nothing."""

    def start(self, tenant_id: str, ids: Any, /, *, template: str, team: str | None) -> None:
        return None


class World:
    """A fresh tenant with a portfolio and two customers, and valid values by parameter name."""

    def __init__(self, core: CustomerCore) -> None:
        self.core = core
        self.tenant = f"t-{uuid.uuid4().hex[:12]}"
        self.admin = Actor(tenant_id=self.tenant, user_id="adm", role=Role.ADMIN)
        self.portfolio = core.portfolios.create(
            self.tenant, self.admin, name="Sul", member_ids=["s1"]
        )
        self.ana = core.customers.register(
            self.tenant,
            self.admin,
            name="Ana Lima",
            phones=["11 98765-4321"],
            emails=["ana@exemplo.com"],
            addresses=[{"street": "Rua A", "city": "Recife"}],
            portfolio_id=self.portfolio.id,
        )
        self.bia = core.customers.register(
            self.tenant, self.admin, name="Bia Lima", emails=["bia@exemplo.com"]
        )

    def valid(self, name: str) -> object:
        """A valid value for a required parameter (fresh streams each time)."""
        table: dict[str, Callable[[], object]] = {
            "tenant_id": lambda: self.tenant,
            "actor": lambda: self.admin,
            "customer_id": lambda: self.ana.id,
            "survivor_id": lambda: self.ana.id,
            "absorbed_ids": lambda: [self.bia.id],
            "portfolio_id": lambda: self.portfolio.id,
            "customer_ids": lambda: [self.ana.id],
            "contact_id": lambda: "c-none",
            "merge_id": lambda: "m-none",
            "address": lambda: {"street": "Rua B", "city": "Recife"},
            "contact": lambda: {"name": "Zé"},
            "email": lambda: "ana2@exemplo.com",
            "old": lambda: "ana@exemplo.com",
            "new": lambda: "ana3@exemplo.com",
            "external": lambda: ("erp", "1"),
            "messenger": lambda: ("whatsapp", "5511987654321"),
            "profile": lambda: ("instagram", "ana"),
            "website": lambda: "https://exemplo.com",
            "phone": lambda: "11 98765-4322",
            "login": lambda: "ana@exemplo.com",
            "password": lambda: "segredo123",
            "new_password": lambda: "outrasenha1",
            "token": lambda: "no-token",
            "status": lambda: "active",
            "change": lambda: lambda customer: customer,
            "index": lambda: 0,
            "text": lambda: "ana",
            "identifiers": lambda: {"phone": "11 98765-4321"},
            "channel": lambda: "whatsapp",
            "source": lambda: io.BytesIO("nome;telefone\nZé;11 98765-4329\n".encode()),
            "stream": io.StringIO,
            "starter": Starter,
            "template": lambda: "oi",
            "name": lambda: "Ana",
            "reason": lambda: "revisado: pessoas diferentes",
            "dismissal_id": lambda: "d-none",
            "purpose": lambda: "marketing_email",
            "evidence": lambda: "formulário do site",
        }
        return table[name]()

    def state(self) -> object:
        storage = self.core.storage
        if isinstance(storage, MemoryStore):
            events: int | None = len(storage.outbox)  # every tenant's: stricter, cheap
        else:
            assert isinstance(storage, SqlStorage)
            with storage.engine.connect() as connection:
                events = connection.scalar(
                    select(func.count())
                    .select_from(outbox)
                    .where(outbox.c.tenant_id == self.tenant)
                )
        return tenant_snapshot(self.core, self.tenant, self.admin), events


Method = tuple[str, Callable[..., Any]]


def _parameters(method: Callable[..., Any]) -> list[inspect.Parameter]:
    return [
        p
        for p in inspect.signature(method).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _call(world: World, method: Callable[..., Any], odd: dict[str, object]) -> Any:
    """``method`` with the ``odd`` values, valid values for the other required parameters."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for parameter in _parameters(method):
        if parameter.name in odd:
            value = odd[parameter.name]
        elif parameter.default is inspect.Parameter.empty:
            value = world.valid(parameter.name)
        else:
            continue
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    return method(*args, **kwargs)


def _only_our_errors(world: World, label: str, method: Callable[..., Any], odd: Any) -> str:
    """``"refused"`` or ``"done"``; anything but our error fails the test."""
    before = world.state()
    try:
        _call(world, method, odd)
    except CustomerCoreError:
        assert world.state() == before, f"{label}({_shown(odd)}) refused but changed the store"
        return "refused"
    except Exception as leak:  # the point: nothing else may escape
        pytest.fail(f"{label}({_shown(odd)}) leaked {type(leak).__name__}: {leak!s:.200}")
    return "done"


def _shown(odd: dict[str, object]) -> str:
    return ", ".join(f"{k}={v!r:.40}" for k, v in odd.items())


@pytest.fixture(params=["memory", "sqlite"])
def core(request: pytest.FixtureRequest) -> CustomerCore:
    storage: UnitOfWorkFactory
    if request.param == "memory":
        storage = MemoryStore()
    else:
        engine: Engine = request.getfixturevalue("sqlite_engine")
        storage = SqlStorage(engine)
    return CustomerCore.over(storage, preset=presets.DEFAULT, hasher=CHEAP_HASHER)


def test_every_odd_value_in_every_parameter_gets_our_error() -> None:
    """The fixed sweep, on memory: each odd value through each parameter of each method."""
    core = CustomerCore.over(MemoryStore(), preset=presets.DEFAULT, hasher=CHEAP_HASHER)
    world = World(core)
    methods = dict(public_service_methods(core))
    outcomes: Counter[str] = Counter()
    for label, method in methods.items():
        world = World(core)  # a small tenant per method: what succeeded before is not in the way
        for parameter in _parameters(method):
            for value in ODD:
                outcomes[_only_our_errors(world, label, method, {parameter.name: value})] += 1
                if not _intact(world):
                    world = World(core)  # a call that succeeded deleted or merged one
    # Every method, every parameter; and odd text a field may hold (RTL marks) is stored.
    assert outcomes["refused"] > 5000, outcomes
    assert outcomes["done"] > 300, outcomes


def _intact(world: World) -> bool:
    try:
        world.core.customers.get(world.tenant, world.admin, world.ana.id)
        world.core.customers.get(world.tenant, world.admin, world.bia.id)
        world.core.portfolios.get(world.tenant, world.admin, world.portfolio.id)
    except CustomerCoreError:
        return False
    return True


#: Every preset: their required fields, statuses and access rules take other paths.
PRESETS = [
    presets.DEFAULT,
    presets.OMNICHANNEL,
    presets.HELPDESK_CARD,
    presets.OMNICHAT.evolve(registration=presets.DEFAULT.registration),
    presets.HELPDESK_PORTFOLIO,
    presets.ERP_SHOP.evolve(registration=presets.DEFAULT.registration),
]

#: Odd values, also generated: any text (surrogates and controls included), nested lists and dicts.
_odd_text = st.text(st.characters(codec=None, categories=["Cs", "Cc", "Cf", "Lu", "Nd", "Zs"]))
#: A file of random bytes (undecodable, NULs, no header) where a stream is read.
_odd_files = st.binary(max_size=200).map(io.BytesIO)
_odd = st.recursive(
    st.sampled_from(ODD)
    | _odd_text
    | st.integers()
    | st.floats()
    | st.binary(max_size=8)
    | _odd_files,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_odd_text, inner, max_size=3),
    max_leaves=6,
)
_actors = st.tuples(
    st.sampled_from(["adm", "s1", "sup"]),
    st.sampled_from(list(Role)),
    st.frozensets(st.sampled_from(list(Permission))),
    st.booleans(),  # of another tenant
)


def test_random_odd_arguments_and_actors_get_our_error(core: CustomerCore) -> None:
    methods = sorted(public_service_methods(core))
    memory = isinstance(core.storage, MemoryStore)
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=400 if memory else 120,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        preset = data.draw(st.sampled_from(PRESETS), label="preset")
        wired = CustomerCore.over(core.storage, preset=preset, hasher=CHEAP_HASHER)
        world = World(wired)
        label, _ = data.draw(st.sampled_from(methods), label="method")
        method = dict(public_service_methods(wired))[label]
        names = [p.name for p in _parameters(method) if p.name not in ("tenant_id", "actor")]
        chosen = (
            data.draw(st.sets(st.sampled_from(names), max_size=3), label="odd") if names else set()
        )
        odd: dict[str, object] = {name: data.draw(_odd, label=name) for name in chosen}
        user, role, permissions, elsewhere = data.draw(_actors, label="actor")
        tenant = f"{world.tenant}-b" if elsewhere else world.tenant
        odd["actor"] = Actor(tenant_id=tenant, user_id=user, role=role, permissions=permissions)
        outcomes[_only_our_errors(world, label, method, odd)] += 1

    fuzz()
    assert outcomes["refused"] and outcomes["done"], outcomes


#: The leaks issue 19 lists, one by one: each is ``invalid_value`` on its parameter.
NAMED_CASES: dict[str, tuple[str, dict[str, object]]] = {
    "import mode": ("importer.run", {"mode": "replace"}),
    "import batch size as text": ("importer.run", {"batch_size": "10"}),
    "import encoding with a NUL": ("importer.run", {"encoding": "utf\x008"}),
    "import from a file name with a lone surrogate": ("importer.run", {"source": "\ud800.csv"}),
    "import delimiter of two characters": ("importer.run", {"delimiter": ";;"}),
    "import from a text stream": ("importer.run", {"source": io.StringIO("Nome\nAna\n")}),
    "register an unknown kind": ("customers.register", {"name": "Ana", "kind": "robot"}),
    "register a name with a lone surrogate": ("customers.register", {"name": "An\ud800a"}),
    "register phones as a number": ("customers.register", {"name": "Ana", "phones": 11}),
    "merge choices as a list": ("identity.merge", {"choices": ["name"]}),
    "password with a lone surrogate": ("customers.set_password", {"password": "\udc80abcdefgh"}),
    "authenticate with a number": ("customers.authenticate", {"password": 123456}),
    "export to nothing": ("exporter.run", {"stream": None}),
    "search a NUL": ("directory.search", {"text": "ana\x00"}),
    "remove address None": ("customers.remove_address", {"index": None}),
}


@pytest.mark.parametrize("case", list(NAMED_CASES))
def test_the_listed_leaks_are_invalid_values(core: CustomerCore, case: str) -> None:
    label, odd = NAMED_CASES[case]
    world = World(core)
    method = dict(public_service_methods(core))[label]
    before = world.state()
    with pytest.raises(InvalidValue) as refused:
        _call(world, method, odd)
    assert refused.value.code == "invalid_value"
    assert refused.value.field in odd, refused.value.field
    assert world.state() == before
