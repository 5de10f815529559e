"""The service boundary: every id a public method is given is checked before storage is asked.

A database coerces what it is handed (MariaDB compares a text id with the
number ``1`` numerically and deleted a whole tenant that way; PostgreSQL
raises a driver error), so no id may reach a query unchecked. Rather than
trusting each method to remember, :class:`~customer_core.services.base.ServiceBase`
wraps every public method of every service with :func:`checking_ids`, which
finds the id parameters **by name**:

- ``tenant_id`` and every ``*_id``: one id (``None`` only where the
  parameter's default is ``None`` or :data:`~customer_core.UNSET`; a
  parameter whose default is ``UNSET`` may also be given ``UNSET``, "left
  out", as in :meth:`CustomerService.update
  <customer_core.services.CustomerService.update>`);
- every ``*_ids``: a list of ids (a lone id is checked as one; the method
  decides whether it accepts one); any iterable is read once, so the method
  receives a list (``messenger_ids`` and ``external_ids`` are values, not
  record ids);
- ``actor``: an :class:`~customer_core.Actor` (whose own ids its constructor
  checked), of the ``tenant_id`` given (else ``wrong_tenant``, before
  anything is read or written: an import into another tenant is refused even
  when every row is bad).

What an id is: :mod:`customer_core.domain.values.ids`. A wrong id raises
:class:`~customer_core.errors.InvalidValue` with the parameter's name as
``field``, before anything else the method does.

>>> def get(self, tenant_id, customer_id, /):
...     return customer_id
>>> checked = checking_ids(get)
>>> checked(None, "loja", "c-1")
'c-1'
>>> checked(None, "loja", 1)
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [customer_id]: expected an id: ...

Where the default is :data:`~customer_core.UNSET` (a field of a partial
update), ``None`` clears the field and ``UNSET`` leaves it as it is:

>>> from customer_core import UNSET
>>> def assign(self, tenant_id, /, *, portfolio_id=UNSET):
...     return portfolio_id
>>> checked = checking_ids(assign)
>>> [checked(None, "loja", portfolio_id=given) for given in ("p-1", None, UNSET)]
['p-1', None, UNSET]
>>> checked(None, "loja", portfolio_id="")
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [portfolio_id]: expected an id: ...
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NamedTuple, TypeVar

from customer_core.domain.model.actor import Actor
from customer_core.domain.values.ids import check_id, check_ids
from customer_core.errors import Code, InvalidOperation, InvalidValue
from customer_core.services.arguments import argument_check
from customer_core.unset import UNSET

__all__ = ["CURRENT_TENANT", "IdParameter", "checking", "checking_ids", "id_parameters"]

F = TypeVar("F", bound=Callable[..., Any])
Check = Callable[[object], object]

_CHECKED = "__customer_core_checks__"

#: The tenant of the public service call running in this context (thread or
#: task), set by :func:`checking_ids`: a per-tenant preset is chosen by it.
CURRENT_TENANT: ContextVar[str | None] = ContextVar("customer_core_tenant", default=None)


class _Kind(enum.Enum):
    ID = "id"
    IDS = "ids"
    ACTOR = "actor"


class IdParameter(NamedTuple):
    """An id parameter of a function: where it is passed and what it must hold."""

    name: str
    kind: _Kind
    position: int | None  # index when it can be passed positionally
    optional: bool  # it accepts None: its default is None or UNSET
    unset: bool = False  # its default is UNSET (so it accepts UNSET too)


#: Named like ids, but they hold other systems' identifiers of the customer
#: or its CPF/CNPJ (values the method parses), not ids of records of this library.
_VALUES = frozenset({"messenger_ids", "external_ids", "tax_id"})


def _kind(name: str) -> _Kind | None:
    if name in _VALUES:
        return None
    if name == "actor":
        return _Kind.ACTOR
    if name.endswith("_ids"):
        return _Kind.IDS
    if name == "tenant_id" or name.endswith("_id"):
        return _Kind.ID
    return None


def id_parameters(function: Callable[..., Any]) -> tuple[IdParameter, ...]:
    """The parameters of ``function`` that :func:`checking_ids` checks."""
    found = []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    for index, parameter in enumerate(inspect.signature(function).parameters.values()):
        kind = _kind(parameter.name)
        if kind is None or parameter.kind in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
        ):
            continue
        found.append(
            IdParameter(
                name=parameter.name,
                kind=kind,
                position=index if parameter.kind in positional else None,
                optional=parameter.default is None or parameter.default is UNSET,
                unset=parameter.default is UNSET,
            )
        )
    return tuple(found)


def _checked(parameter: IdParameter, value: object) -> object:
    """``value`` as the method receives it, or :class:`InvalidValue`."""
    if value is None and parameter.optional:
        return None
    if value is UNSET and parameter.unset:
        return UNSET
    if parameter.kind is _Kind.ID:
        return check_id(value, parameter.name)
    if parameter.kind is _Kind.IDS:
        return (
            check_id(value, parameter.name)
            if isinstance(value, str)
            else check_ids(value, parameter.name)
        )
    if not isinstance(value, Actor):
        raise InvalidValue("expected an Actor", code=Code.INVALID_VALUE, field=parameter.name)
    return value


def _id_check(parameter: IdParameter) -> Check:
    return functools.partial(_checked, parameter)


def _then(first: Check, second: Check) -> Check:
    return lambda value: second(first(value))


def checking(function: F, *, ids: bool = True, arguments: bool = True) -> F:
    """``function`` checking, in one pass planned once, its ids (this module) and the rest of
    its arguments (:mod:`~customer_core.services.arguments`), then running with
    :data:`CURRENT_TENANT` set to its tenant. A public service method is wrapped once.

    When several arguments are wrong, a wrong id is reported first, then an actor of
    another tenant, then the other arguments, in order."""
    if hasattr(function, _CHECKED):
        return function
    id_checks = {p.name: _id_check(p) for p in id_parameters(function)} if ids else {}
    parameters = list(inspect.signature(function).parameters.values())
    plan: dict[str, Check] = {}
    for parameter in parameters:
        found = [
            check
            for check in (
                id_checks.get(parameter.name),
                argument_check(parameter) if arguments else None,
            )
            if check is not None
        ]
        if found:
            plan[parameter.name] = found[0] if len(found) == 1 else _then(*found)
    if not plan:
        return function

    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    by_position = tuple(plan.get(p.name) for p in parameters if p.kind in positional)
    by_name = {
        p.name: plan[p.name]
        for p in parameters
        if p.name in plan and p.kind is not inspect.Parameter.POSITIONAL_ONLY
    }
    ids_by_position = tuple(id_checks.get(p.name) for p in parameters if p.kind in positional)
    names = [p.name for p in parameters]
    tenant_at = _position(names, by_position, "tenant_id") if "tenant_id" in id_checks else None
    actor_at = _position(names, by_position, "actor") if "actor" in id_checks else None
    tenant_given, actor_given = "tenant_id" in id_checks, "actor" in id_checks

    def check_tenant(args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
        tenant = _given(args, kwargs, tenant_at, "tenant_id")
        if actor_given:
            actor = _given(args, kwargs, actor_at, "actor")
            if isinstance(actor, Actor) and actor.tenant_id != tenant:
                raise InvalidOperation(
                    "the actor does not belong to this tenant",
                    code=Code.WRONG_TENANT,
                    field="tenant_id",
                )
        return tenant

    def ids_first(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """On a refused argument: a wrong id, then a wrong tenant, is the error reported."""
        for check, value in zip(ids_by_position, args, strict=False):
            if check is not None:
                check(value)
        for name, value in kwargs.items():
            if name in id_checks:
                id_checks[name](value)
        if tenant_given:
            check_tenant(args, kwargs)

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            if args:
                args = (
                    tuple(
                        value if check is None else check(value)
                        for check, value in zip(by_position, args, strict=False)
                    )
                    + args[len(by_position) :]
                )
            for name, value in kwargs.items():
                check = by_name.get(name)
                if check is not None:
                    kwargs[name] = check(value)
        except InvalidValue:
            ids_first(args, kwargs)
            raise
        if not tenant_given:
            return function(*args, **kwargs)
        tenant = check_tenant(args, kwargs)
        if not isinstance(tenant, str):
            return function(*args, **kwargs)
        token = CURRENT_TENANT.set(tenant)
        try:
            return function(*args, **kwargs)
        finally:
            CURRENT_TENANT.reset(token)

    setattr(checked, _CHECKED, tuple(id_parameters(function)) if ids else ())
    return checked  # type: ignore[return-value]  # same signature: functools.wraps


def checking_ids(function: F) -> F:
    """``function`` checking its id parameters first (see the module docstring)."""
    return checking(function, arguments=False)


def _position(names: list[str], by_position: tuple[object, ...], name: str) -> int | None:
    """Where ``name`` may be passed positionally, if it may."""
    index = names.index(name)
    return index if index < len(by_position) else None


def _given(args: tuple[Any, ...], kwargs: dict[str, Any], at: int | None, name: str) -> object:
    if at is not None and at < len(args):
        return args[at]
    return kwargs.get(name)
