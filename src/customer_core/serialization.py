"""Customers and reports as JSON-ready data and back, and the customer's JSON Schema.

The domain classes have no ``to_dict``: serialization happens at the edge,
with the package's cattrs converter (the one the SQL adapter stores documents
with, here writing every field). :func:`unstructure` turns a customer, an
import report, a duplicate report or any other record the library returns
into dicts, lists, strings, numbers and booleans; :func:`structure` reads such
data back and refuses what is not valid with an
:class:`~customer_core.errors.InvalidValue` naming the field.

>>> from datetime import datetime, timezone
>>> import json
>>> from customer_core import Customer, Phone
>>> ana = Customer.create(id="c1", tenant_id="loja", name="Ana",
...     phones=(Phone.parse("11 98765-4321"),), now=datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> data = unstructure(ana)
>>> data["phones"]
[{'e164': '+5511987654321', 'type': 'mobile', 'extension': None, 'typed': '11 98765-4321', 'message_number': False}]
>>> data["created_at"], data["note"]
('2026-01-01T00:00:00+00:00', None)
>>> structure(json.loads(json.dumps(data)), Customer) == ana
True

Values are written in their canonical form (an E.164 phone, a CPF's digits)
and read back only in that form: a document is what :func:`unstructure`
wrote, not user input to parse (build customers from input with the services,
which parse and validate each value).

A customer's secrets, its password hash and reset token, are never written:
they stay in storage. Reading a document gives a customer without them.

:func:`customer_schema` is the JSON Schema (draft 2020-12) of what
:func:`unstructure` writes for a customer, for API descriptions (OpenAPI 3.1
takes it as is) and for clients that validate what they receive.
"""

from __future__ import annotations

import enum
import types
from datetime import datetime
from functools import cache
from typing import Any, Type, TypeVar, Union, get_args, get_origin  # noqa: UP035

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from customer_core.adapters.serialization import make_converter
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import Code, CustomerCoreError, InvalidValue

__all__ = ["SECRET_FIELDS", "converter", "customer_schema", "structure", "unstructure"]

T = TypeVar("T")

#: Customer fields never written by :func:`unstructure` nor read by :func:`structure`.
SECRET_FIELDS = ("password_hash", "reset_token_hash", "reset_token_expires_at")

_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def converter() -> cattrs.Converter:
    """The cattrs converter of this module: every field written, secrets left out.

    Register hooks for your own classes on a :meth:`~cattrs.Converter.copy`,
    not on this shared one.
    """
    edge = make_converter(edge=True)
    # cattrs makes text of anything (str(None) == "None"): data from outside must be text.
    edge.register_structure_hook(str, _text)
    edge.register_structure_hook(
        str | None, lambda value, _: None if value is None else _text(value, str)
    )
    omit = override(omit=True)
    edge.register_unstructure_hook(
        Customer,
        make_dict_unstructure_fn(
            Customer,
            edge,
            password_hash=omit,
            reset_token_hash=omit,
            reset_token_expires_at=omit,
        ),
    )
    edge.register_structure_hook(
        Customer,
        make_dict_structure_fn(
            Customer,
            edge,
            password_hash=omit,
            reset_token_hash=omit,
            reset_token_expires_at=omit,
        ),
    )
    return edge


def _text(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def unstructure(record: Any, /) -> Any:
    """``record`` (a customer, a report, a list of them...) as JSON-ready data.

    >>> from customer_core.io.report import ImportReport
    >>> report = ImportReport(rows_read=2, created=1, updated=0, unchanged=0, skipped=0,
    ...     failed=1, merged_rows=0, errors=(), dry_run=False)
    >>> unstructure(report)["created"]
    1
    """
    return converter().unstructure(record)


# typing.Type, not type: the docs' cross-reference to "type" is ambiguous (a phone's type...).
def structure(data: Any, cls: Type[T], /) -> T:  # noqa: UP006
    """``data`` written by :func:`unstructure`, read back as a ``cls``.

    Data that does not fit is an :class:`~customer_core.errors.InvalidValue`
    whose ``field`` is the top-level field at fault.

    >>> structure({"id": "c1"}, Customer)
    Traceback (most recent call last):
    ...
    customer_core.errors.InvalidValue: invalid_value [tenant_id]: not a valid Customer: ...
    """
    try:
        return converter().structure(data, cls)
    except CustomerCoreError:
        raise
    except cattrs.BaseValidationError as exc:
        problems = cattrs.transform_error(exc)
        leaf = _first_leaf(exc)
        if isinstance(leaf, CustomerCoreError):
            raise leaf from exc
        raise InvalidValue(
            f"not a valid {cls.__name__}: {'; '.join(problems)}",
            code=Code.INVALID_VALUE,
            field=_top_field(problems),
        ) from exc
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise InvalidValue(
            f"not a valid {cls.__name__}: {exc}", code=Code.INVALID_VALUE, field="document"
        ) from exc


def _first_leaf(error: BaseException) -> BaseException:
    inner = getattr(error, "exceptions", None)
    return _first_leaf(inner[0]) if inner else error


def _top_field(problems: list[str]) -> str:
    # cattrs says where: "... @ $.phones[0].e164"; the field is its first step.
    for problem in problems:
        _, _, path = problem.rpartition(" @ $")
        name = path.lstrip(".").split(".")[0].split("[")[0]
        if name:
            return name
    return "document"


@cache
def customer_schema() -> dict[str, Any]:
    """The JSON Schema of a customer as :func:`unstructure` writes it.

    >>> schema = customer_schema()
    >>> schema["properties"]["tax_id"]
    {'anyOf': [{'type': 'string', 'pattern': '^[0-9A-Z]{11}([0-9A-Z]{3})?$'}, {'type': 'null'}]}
    >>> "password_hash" in schema["properties"]
    False
    """
    definitions: dict[str, Any] = {}
    root = _object_schema(Customer, definitions, omit=frozenset(SECRET_FIELDS))
    return {
        "$schema": _SCHEMA_DIALECT,
        "$id": "https://customer-core.invalid/schemas/customer.json",
        "title": "Customer",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _object_schema(
    cls: type, definitions: dict[str, Any], *, omit: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """An attrs class: an object with its fields; those without a default are required."""
    attrs.resolve_types(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if field.name in omit:
            continue
        properties[field.name] = _schema(field.type, definitions)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _schema(type_: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one field's type, as the converter writes it."""
    if type_ in (Cpf, Cnpj):
        # Digits (a CPF has 11, a CNPJ 14; the new CNPJ has letters too).
        return {"type": "string", "pattern": "^[0-9A-Z]{11}([0-9A-Z]{3})?$"}
    origin = get_origin(type_)
    if origin in (Union, types.UnionType):
        options: list[dict[str, Any]] = []
        for arg in get_args(type_):
            option = _schema(arg, definitions)
            if option not in options:  # a CPF and a CNPJ are both strings of digits
                options.append(option)
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin in (tuple, frozenset, list):
        (item, *_) = get_args(type_)
        return {"type": "array", "items": _schema(item, definitions)}
    if origin is dict:
        return {"type": "object"}
    if type_ is type(None):
        return {"type": "null"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is float:
        return {"type": "number"}
    if type_ is str:
        return {"type": "string"}
    if type_ is datetime:
        return {"type": "string", "format": "date-time"}
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return {"enum": [member.value for member in type_]}
    if isinstance(type_, type) and attrs.has(type_):
        name = type_.__name__
        if name not in definitions:
            definitions[name] = {}  # a placeholder first: a class may contain itself
            definitions[name] = {"title": name, **_object_schema(type_, definitions)}
        return {"$ref": f"#/$defs/{name}"}
    if type_ is Any:
        return {}
    raise TypeError(f"no JSON Schema for {type_!r}")  # a new field type: teach it here
