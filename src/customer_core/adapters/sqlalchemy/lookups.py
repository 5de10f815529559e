"""Look-ups by identity key, pre-built: the statements of every inbound message.

Resolving a message reads the identity index and the spam/VIP lists for a
handful of keys. Building a SQLAlchemy statement costs more than running it
on an index, so each statement here is built once per *shape* (the identity
kinds and how many keys of each) with bound parameters, and reused: the
object keeps its memoized cache key and SQLAlchemy its compiled form. Each
function returns the statement with its parameters, or ``None`` for no keys.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Executable,
    FromClause,
    Select,
    Table,
    and_,
    bindparam,
    null,
    select,
    type_coerce,
    union_all,
)

from customer_core.adapters.sqlalchemy.mapping import LOADED
from customer_core.adapters.sqlalchemy.tables import customer_identities, customers, identity_lists
from customer_core.domain.model.customer import IdentityKey

__all__ = ["GET_CUSTOMER", "holders_query", "listed_query", "look_up_query"]

c = customers.c

#: One customer by id: built once, so SQLAlchemy reuses its cache key and compiled form.
GET_CUSTOMER = select(*LOADED).where(
    c.tenant_id == bindparam("tenant_id"), c.id == bindparam("customer_id")
)


#: Up to this many keys of a kind are bound one by one; more go in one expanding
#: parameter. Expanding rewrites the SQL at every execution, which costs as much
#: as running a small look-up, while a few fixed shapes compile once each.
FIXED_KEYS = 4

_Shape = tuple[tuple[str, int], ...]  # (kind, number of keys or 0 for expanding)


def _grouped(keys: Iterable[IdentityKey]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for k in keys:
        grouped.setdefault(k.kind.value, []).append(k.key)
    return {kind: sorted(grouped[kind]) for kind in sorted(grouped)}


def _shape_and_parameters(keys: Iterable[IdentityKey]) -> tuple[_Shape, dict[str, Any]]:
    shape: list[tuple[str, int]] = []
    parameters: dict[str, Any] = {}
    for n, (kind, values) in enumerate(_grouped(keys).items()):
        if len(values) <= FIXED_KEYS:
            shape.append((kind, len(values)))
            parameters.update({f"k{n}_{j}": value for j, value in enumerate(values)})
        else:
            shape.append((kind, 0))
            parameters[f"k{n}"] = values
    return tuple(shape), parameters


def _per_kind_selects(
    table: Table,
    shape: _Shape,
    columns: Sequence[Any],
    where: ColumnElement[bool],
    source: FromClause | None = None,
) -> list[Select[Any]]:
    """One SELECT per kind (see :func:`.queries.per_kind`), keys bound as ``k<n>_<j>`` or
    ``k<n>``."""
    selects = []
    for n, (kind, count) in enumerate(shape):
        key = table.c.key
        condition: ColumnElement[bool]
        if count == 0:
            condition = key.in_(bindparam(f"k{n}", expanding=True))
        elif count == 1:
            condition = key == bindparam(f"k{n}_0")
        else:
            condition = key.in_([bindparam(f"k{n}_{j}") for j in range(count)])
        query = select(*columns).select_from(source if source is not None else table)
        selects.append(query.where(where, table.c.kind == kind, condition))
    return selects


def _union(selects: list[Select[Any]]) -> Select[Any] | CompoundSelect[Any]:
    # Flat: SQLite refuses a parenthesized compound inside another.
    return selects[0] if len(selects) == 1 else union_all(*selects)


# Statements are built once per shape and reused: building one costs more than
# running it on an index, and a reused object keeps its memoized cache key.


@lru_cache(maxsize=256)
def _holders_statement(shape: _Shape) -> Select[Any] | CompoundSelect[Any]:
    i = customer_identities.c
    where = i.tenant_id == bindparam("tenant_id")
    return _union(
        _per_kind_selects(customer_identities, shape, (i.kind, i.key, i.customer_id), where)
    )


def _on_lists(names: int) -> ColumnElement[bool]:
    """The tenant's entries on ``names`` lists, bound as ``list_<j>``."""
    lists = identity_lists.c
    return and_(
        lists.tenant_id == bindparam("tenant_id"),
        lists.list_name.in_([bindparam(f"list_{j}") for j in range(names)]),
    )


@lru_cache(maxsize=256)
def _listed_statement(shape: _Shape, names: int) -> Select[Any] | CompoundSelect[Any]:
    lists = identity_lists.c
    columns = (lists.list_name, lists.kind, lists.key)
    return _union(_per_kind_selects(identity_lists, shape, columns, _on_lists(names)))


def holders_query(
    tenant_id: str, keys: Collection[IdentityKey]
) -> tuple[Executable, dict[str, Any]] | None:
    """``(kind, key, customer_id)`` of the held ``keys``, with its parameters (None: no keys)."""
    shape, parameters = _shape_and_parameters(keys)
    if not shape:
        return None
    return _holders_statement(shape), {"tenant_id": tenant_id, **parameters}


def listed_query(
    tenant_id: str, list_names: Collection[str], keys: Collection[IdentityKey]
) -> tuple[Executable, dict[str, Any]] | None:
    """``(list_name, kind, key)`` of ``keys`` on the lists, with its parameters."""
    shape, parameters = _shape_and_parameters(keys)
    names = sorted(set(list_names))
    if not shape or not names:
        return None
    parameters.update({f"list_{j}": name for j, name in enumerate(names)})
    return _listed_statement(shape, len(names)), {"tenant_id": tenant_id, **parameters}


@lru_cache(maxsize=256)
def _look_up_statement(shape: _Shape, names: int) -> Select[Any] | CompoundSelect[Any]:
    # Holder rows first (their columns type the result), then list rows, told
    # apart by list_name: NULL on holder rows, never NULL on list rows.
    i, lists = customer_identities.c, identity_lists.c
    held = customer_identities.join(
        customers, and_(c.tenant_id == i.tenant_id, c.id == i.customer_id)
    )
    no_list = type_coerce(null(), lists.list_name.type).label("list_name")
    holders = _per_kind_selects(
        customer_identities,
        shape,
        (no_list, i.kind, i.key, i.customer_id, i.last_seen_at, *LOADED),
        i.tenant_id == bindparam("tenant_id"),
        held,
    )
    listed = _per_kind_selects(
        identity_lists,
        shape,
        (
            lists.list_name,
            lists.kind,
            lists.key,
            lists.customer_id,
            type_coerce(null(), i.last_seen_at.type).label("last_seen_at"),
            *(type_coerce(null(), column.type).label(column.name) for column in LOADED),
        ),
        _on_lists(names),
    )
    return _union(holders + listed if names else holders)


def look_up_query(
    tenant_id: str, keys: Collection[IdentityKey], list_names: Collection[str]
) -> tuple[Executable, dict[str, Any]] | None:
    """Holders of ``keys`` joined to their :data:`.mapping.LOADED` columns, then the keys
    on ``list_names``: rows of ``(list_name, kind, key, customer_id, last_seen_at, *LOADED)``."""
    shape, parameters = _shape_and_parameters(keys)
    if not shape:
        return None
    names = sorted(set(list_names))
    parameters.update({f"list_{j}": name for j, name in enumerate(names)})
    return _look_up_statement(shape, len(names)), {"tenant_id": tenant_id, **parameters}
