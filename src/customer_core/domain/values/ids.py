"""Record ids: tenants, customers, portfolios, users, merge records.

An id is text chosen by the library (customer and merge ids) or by the host
application (tenant and user ids). Every public entry point checks each id it
is given before any storage is asked, because a database coerces what it is
handed: MariaDB compares a text column with the number ``1`` numerically (so
``1`` matches every id that reads as 1, or 0 -- the whole tenant), and a
``PAD SPACE`` collation makes ``'loja'`` equal ``'loja '``. So an id is text,
non-empty, at most :data:`MAX_ID_LENGTH` characters, printable (no control
characters) and without leading or trailing whitespace.

>>> check_id("c-000001", "customer_id")
'c-000001'
>>> check_id(1, "customer_id")
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [customer_id]: expected an id: text of 1 to 64 printable characters, without surrounding spaces
>>> check_id("loja ", "tenant_id")
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [tenant_id]: expected an id: text of 1 to 64 printable characters, without surrounding spaces
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeGuard

from customer_core.errors import Code, InvalidValue

__all__ = ["MAX_ID_LENGTH", "check_id", "check_ids", "is_id"]

#: Longest id (what the SQL schema stores).
MAX_ID_LENGTH = 64

_MESSAGE = (
    f"expected an id: text of 1 to {MAX_ID_LENGTH} printable characters, without surrounding spaces"
)


def is_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` is usable as an id (see the module docstring)."""
    return (
        type(value) is str  # a str subclass could compare or hash differently
        and 0 < len(value) <= MAX_ID_LENGTH
        and value.isprintable()
        and value.strip() == value
    )


def check_id(value: object, field: str) -> str:
    """``value`` if it is an id, else :class:`~customer_core.errors.InvalidValue` on ``field``."""
    if not is_id(value):
        raise InvalidValue(_MESSAGE, code=Code.INVALID_VALUE, field=field)
    return value


def check_ids(values: object, field: str) -> list[str]:
    """Every id of a list (or other iterable that is not text), checked, in order.

    A lone string is refused: ``"u42"`` is not the list ``["u42"]``, and
    iterating it would give one id per character; so is a mapping (its keys
    are not a list of ids someone meant).
    """
    if isinstance(values, str | bytes | bytearray | Mapping) or not isinstance(values, Iterable):
        raise InvalidValue("expected a list of ids", code=Code.INVALID_VALUE, field=field)
    return [check_id(value, field) for value in values]
