"""Every id of every public method is checked before storage is asked: the contract.

A database coerces what it is handed: MariaDB compares a text id with the
number ``1`` numerically (``delete(tenant, supervisor, 1)`` deleted a whole
tenant), PostgreSQL raises a driver error, and a ``PAD SPACE`` collation finds
``'loja'`` equal to ``'loja '``. So every public method of every service that
:class:`~customer_core.CustomerCore` wires must refuse a wrong id with
:class:`~customer_core.errors.InvalidValue` (code ``invalid_value``, the
parameter's name as ``field``) and leave the store exactly as it was.

The methods are found **by introspection**, so a new public method is covered
without editing this suite; its id parameters are found by name (``tenant_id``,
``*_id``, ``*_ids`` and ``actor``), as the services' boundary finds them
(:mod:`customer_core.services.boundary`). :class:`ServiceIdsContract` is part
of :class:`~customer_core.testing.contract.StorageContract`.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.errors import InvalidValue
from customer_core.facade import CustomerCore
from customer_core.ports import UnitOfWorkFactory
from customer_core.services.base import ServiceBase
from customer_core.unset import UNSET

__all__ = [
    "BAD_IDS",
    "ServiceIdsContract",
    "id_parameter_names",
    "public_service_methods",
    "tenant_snapshot",
]

#: Values that are not ids: other types, and text a database may compare loosely.
BAD_IDS: tuple[object, ...] = (
    1,
    0,
    -1,
    1.0,
    float("nan"),
    True,
    False,
    b"c-1",
    bytearray(b"c-1"),
    ["c-1"],
    ("c-1",),
    {"id": "c-1"},
    "",
    " ",
    "c-1 ",
    " c-1",
    "c-1\n",
    "c-1\t",
    "c\x00-1",
    "c-1\u00a0",
    "x" * 65,
)
#: What is not an actor.
BAD_ACTORS: tuple[object, ...] = (None, 1, "admin", {"tenant_id": "t", "user_id": "u"}, object())
#: Named like ids, but they hold other systems' identifiers or a CPF/CNPJ (values),
#: not record ids: a wrong one is that value's error (``invalid_tax_id``...).
_VALUE_PARAMETERS = frozenset({"messenger_ids", "external_ids", "tax_id"})


def id_parameter_names(method: Callable[..., Any]) -> list[str]:
    """The parameters of ``method`` that hold record ids or the actor, by name."""
    names = []
    for parameter in inspect.signature(method).parameters.values():
        name = parameter.name
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in _VALUE_PARAMETERS:
            continue
        if name in ("tenant_id", "actor") or name.endswith(("_id", "_ids")):
            names.append(name)
    return names


def public_service_methods(core: CustomerCore) -> Iterator[tuple[str, Callable[..., Any]]]:
    """``("service.method", bound method)`` for every public method of every wired service."""
    for field in attrs.fields(type(core)):
        service = getattr(core, field.name)
        if not isinstance(service, ServiceBase):
            continue
        for name, _ in inspect.getmembers(type(service), inspect.isfunction):
            if not name.startswith("_"):
                yield f"{field.name}.{name}", getattr(service, name)


class _Sentinel:
    """Stands for every argument that is not an id: the ids are checked before it is used."""

    def __repr__(self) -> str:
        return "<not an id>"


class ServiceIdsContract:
    """Wrong ids on every public method of every service: ``invalid_value``, nothing stored."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError("provide a uow_factory fixture for your adapter")

    def test_every_public_method_refuses_wrong_ids_and_changes_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        core = CustomerCore.over(uow_factory)
        tenant = f"t-{uuid.uuid4().hex[:12]}"
        admin = Actor(tenant_id=tenant, user_id="u-admin", role="admin")
        portfolio = core.portfolios.create(tenant, admin, name="Sul", member_ids=["u-seller"])
        ana = core.customers.register(
            tenant, admin, name="Ana Lima", phones=["11 98765-4321"], portfolio_id=portfolio.id
        )
        bia = core.customers.register(tenant, admin, name="Bia Lima", emails=["bia@exemplo.com"])
        valid = {
            "tenant_id": tenant,
            "actor": admin,
            "portfolio_id": portfolio.id,
            "to_portfolio_id": portfolio.id,
            "survivor_id": ana.id,
        }
        before = tenant_snapshot(core, tenant, admin)
        checked = 0
        methods = list(public_service_methods(core))
        assert methods, "no public service method found"
        for label, method in methods:
            names = id_parameter_names(method)
            for name in names:
                for bad in _bad_values(name, method):
                    call = _call(method, names, valid, ana.id, bia.id, bad_name=name, bad=bad)
                    try:
                        call()
                    except InvalidValue as refused:
                        error = refused
                    else:
                        pytest.fail(f"{label}({name}={bad!r}) did not refuse the id")
                    assert (error.code, error.field) == ("invalid_value", name), (
                        f"{label}({name}={bad!r}) raised {error.code} on {error.field}"
                    )
                    checked += 1
            assert tenant_snapshot(core, tenant, admin) == before, f"{label} changed the store"
        assert checked > 500  # every service, not a few

    def test_actor_refuses_wrong_ids(self) -> None:
        for bad in BAD_IDS:
            with pytest.raises(InvalidValue) as caught:
                Actor(tenant_id=bad, user_id="u1")  # type: ignore[arg-type]
            assert caught.value.field == "tenant_id"
            with pytest.raises(InvalidValue) as caught:
                Actor(tenant_id="t", user_id=bad)  # type: ignore[arg-type]
            assert caught.value.field == "user_id"


def _bad_values(name: str, method: Callable[..., Any]) -> tuple[object, ...]:
    if name == "actor":
        return BAD_ACTORS
    parameter = inspect.signature(method).parameters[name]
    optional = parameter.default is None or parameter.default is UNSET  # None clears
    values = BAD_IDS if optional else (*BAD_IDS, None)
    if name.endswith("_ids"):
        # A list holding a wrong id, and wrong things instead of a list;
        # text is one id for some methods, so only wrong text is used.
        listed = tuple([bad] for bad in values if not isinstance(bad, list | tuple))
        return (*listed, *(v for v in values if not isinstance(v, str | list | tuple)))
    return values


def _call(
    method: Callable[..., Any],
    names: list[str],
    valid: dict[str, object],
    first_id: str,
    second_id: str,
    *,
    bad_name: str,
    bad: object,
) -> Callable[[], Any]:
    """``method`` called with ``bad`` for ``bad_name``, valid ids elsewhere, sentinels for the rest."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for parameter in inspect.signature(method).parameters.values():
        name = parameter.name
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name == bad_name:
            value: object = bad
        elif name in names:
            default = [second_id] if name.endswith("_ids") else first_id
            value = valid.get(name, default)
        elif parameter.default is not inspect.Parameter.empty:
            continue
        else:
            value = _Sentinel()
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    return lambda: method(*args, **kwargs)


def tenant_snapshot(core: CustomerCore, tenant: str, admin: Actor) -> object:
    """Everything of the tenant an admin can read: customers (whole records) and portfolios."""
    customers: list[Customer] = []
    cursor = None
    while True:
        page = core.directory.list(tenant, admin, cursor=cursor, limit=100)
        customers.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    portfolios = sorted(core.portfolios.list_all(tenant, admin), key=lambda p: p.id)
    return sorted(customers, key=lambda c: c.id), portfolios
