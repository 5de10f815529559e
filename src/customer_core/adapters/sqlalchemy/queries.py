"""The domain's scopes, filters and search queries compiled to SQL expressions.

Visibility is part of the ``WHERE`` clause of every read and bulk write, never
a filter applied after fetching. Each function mirrors, clause for clause, the
Python definition the memory adapter evaluates:
:meth:`~customer_core.domain.rules.visibility.VisibilityScope.allows`,
:func:`~customer_core.domain.rules.visibility.matches_filter` and
:func:`~customer_core.domain.matching.search.search_rank`. Derived values
(the relationship type, the search key) are computed in Python when a
customer is written and stored in columns, so no rule is re-encoded here.

>>> from customer_core.domain.rules.visibility import VisibilityScope
>>> print(visible(VisibilityScope(tenant_id="t", unassigned=True, responsible_id="u1")))
customers.tenant_id = :tenant_id_1 AND (customers.responsible_id = :responsible_id_1 OR customers.portfolio_id IS NULL)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Insert,
    Select,
    Table,
    and_,
    case,
    exists,
    false,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite

from customer_core.adapters.sqlalchemy.tables import customer_identities, customers
from customer_core.domain.matching.search import SearchQuery
from customer_core.domain.model.customer import IdentityKey, IdentityKind
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope

__all__ = [
    "after_key",
    "chunks",
    "key_in",
    "matching",
    "search_rank",
    "upsert",
    "visible",
    "visible_customer_ids",
]

T = TypeVar("T")

#: Items per ``IN`` list or batch: far below every driver's bound-parameter limit.
CHUNK = 500

c = customers.c


def chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    return (items[n : n + CHUNK] for n in range(0, len(items), CHUNK))


def per_kind(table: Table, keys: Collection[IdentityKey]) -> list[ColumnElement[bool]]:
    """One ``kind = :k AND key IN (...)`` condition per identity kind among ``keys``.

    Callers run one statement per condition (a ``UNION ALL`` for reads): each
    is a plain range on the ``(tenant_id, kind, key)`` index. An ``OR`` of
    them, or a ``(kind, key) IN`` list of tuples, lets SQLite fall back to
    scanning every identity of the tenant, which made imports quadratic.
    """
    by_kind: dict[str, list[str]] = {}
    for k in keys:
        by_kind.setdefault(k.kind.value, []).append(k.key)
    return [
        and_(table.c.kind == kind, table.c.key.in_(sorted(values)))
        for kind, values in sorted(by_kind.items())
    ]


def key_in(table: Table, keys: Collection[IdentityKey]) -> ColumnElement[bool]:
    """``(kind, key) IN (...)`` as one condition, for small correlated subqueries."""
    conditions = per_kind(table, keys)
    return or_(*conditions) if conditions else false()


def select_by_keys(
    table: Table, keys: Collection[IdentityKey], *columns: Any, where: ColumnElement[bool]
) -> list[Select[Any]]:
    """One SELECT of ``columns`` per identity kind among ``keys`` (see :func:`per_kind`)."""
    return [select(*columns).where(where, condition) for condition in per_kind(table, keys)]


def upsert(dialect: str, table: Table, *, update: Sequence[str]) -> Insert:
    """An INSERT that, on a duplicate primary key, updates ``update`` or (empty) does nothing.

    SQL has no portable spelling, so this is the one place that picks the
    dialect's. On MariaDB "do nothing" assigns a key column to itself:
    ``INSERT IGNORE`` would also silence other errors.
    """
    if dialect in ("mysql", "mariadb"):
        on_mysql = mysql.insert(table)
        if update:
            return on_mysql.on_duplicate_key_update({n: on_mysql.inserted[n] for n in update})
        first = table.primary_key.columns[0]
        return on_mysql.on_duplicate_key_update({first.name: first})
    on_conflict = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    keys = list(table.primary_key.columns)
    if update:
        return on_conflict.on_conflict_do_update(
            index_elements=keys, set_={n: on_conflict.excluded[n] for n in update}
        )
    return on_conflict.on_conflict_do_nothing(index_elements=keys)


def visible(scope: VisibilityScope) -> ColumnElement[bool]:
    """The customers of the scope's tenant that the scope sees."""
    tenant: ColumnElement[bool] = c.tenant_id == scope.tenant_id
    if scope.everything:
        return tenant
    seen: list[ColumnElement[bool]] = []
    if scope.responsible_id is not None:
        seen.append(c.responsible_id == scope.responsible_id)
    if scope.unassigned:
        seen.append(c.portfolio_id.is_(None))
    if scope.any_portfolio:
        seen.append(c.portfolio_id.is_not(None))
    elif scope.portfolio_ids:
        seen.append(c.portfolio_id.in_(sorted(scope.portfolio_ids)))
    return and_(tenant, or_(false(), *seen))


def visible_customer_ids(scope: VisibilityScope, /) -> Select[tuple[str]]:
    """The ids of the customers ``scope`` sees, for the host's own queries.

    Host applications filter their tickets or conversations by the same rule
    as the customer list, in SQL (ids are per tenant: filter the tenant too)::

        scope = directory.visibility(tenant_id, actor)
        select(tickets).where(
            tickets.c.tenant_id == tenant_id,
            tickets.c.customer_id.in_(visible_customer_ids(scope)),
        )
    """
    return select(c.id).where(visible(scope))


def matching(customer_filter: CustomerFilter) -> ColumnElement[bool]:
    """Every field of the filter except ``text`` (searching is :func:`search_rank`'s job)."""
    f = customer_filter
    clauses: list[ColumnElement[bool]] = []
    if f.relationship_type is not None:
        clauses.append(c.relationship_type == f.relationship_type.value)
    if f.status is not None:
        clauses.append(c.status == f.status)
    if f.portfolio_id is not None:
        clauses.append(c.portfolio_id == f.portfolio_id)
    if f.unassigned:
        clauses.append(c.portfolio_id.is_(None))
    if f.responsible_id is not None:
        clauses.append(c.responsible_id == f.responsible_id)
    if f.owner_id is not None:
        clauses.append(
            or_(
                c.responsible_id == f.owner_id,
                c.portfolio_id.in_(sorted(f.owner_portfolio_ids)),
            )
        )
    return and_(true(), *clauses)


def after_key(after: tuple[str, str]) -> ColumnElement[bool]:
    """Keyset pagination after ``(search key, id)``, in the order of :func:`find`."""
    key, customer_id = after
    return or_(c.search_name > key, and_(c.search_name == key, c.id > customer_id))


def search_candidates(query: SearchQuery, tenant_id: str) -> ColumnElement[bool]:
    """A cheap, index-friendly superset of the customers :func:`search_rank` ranks.

    Identity and e-mail matches are ``id IN`` subqueries on the tenant's
    identity index (not correlated per row, which made PostgreSQL scan every
    tenant's identities); name matches need every token somewhere in the key.
    Adding it to the WHERE lets the databases skip non-candidates early; the
    rank then orders what is left.
    """
    i = customer_identities.c
    candidates: list[ColumnElement[bool]] = []
    if query.identity_keys:
        selects = select_by_keys(
            customer_identities, query.identity_keys, i.customer_id, where=i.tenant_id == tenant_id
        )
        candidates.append(c.id.in_(union_all(*selects)))
    if query.name_tokens:
        candidates.append(
            and_(*(c.search_name.contains(token, autoescape=True) for token in query.name_tokens))
        )
    if query.email_fragment:
        candidates.append(
            c.id.in_(
                select(i.customer_id).where(
                    i.tenant_id == tenant_id,
                    i.kind == IdentityKind.EMAIL.value,
                    i.key.contains(query.email_fragment, autoescape=True),
                )
            )
        )
    return or_(*candidates) if candidates else false()


def search_rank(query: SearchQuery) -> ColumnElement[int | None]:
    """The rank of a customer for ``query`` (0 best), NULL when it does not match.

    The search key is stored folded, with single spaces between words, so
    "a word starts with the token" is "the key starts with it, or contains
    it after a space".
    """
    ranks: list[tuple[ColumnElement[bool], int]] = []
    i = customer_identities.c
    if query.identity_keys:
        held = exists().where(
            i.tenant_id == c.tenant_id,
            i.customer_id == c.id,
            key_in(customer_identities, query.identity_keys),
        )
        ranks.append((held, 0))
    if query.name_tokens:
        ranks.append((c.search_name.startswith(query.name_prefix, autoescape=True), 1))
        every_word = and_(
            *(
                or_(
                    c.search_name.startswith(token, autoescape=True),
                    c.search_name.contains(" " + token, autoescape=True),
                )
                for token in query.name_tokens
            )
        )
        ranks.append((every_word, 2))
    if query.email_fragment:
        email = exists().where(
            i.tenant_id == c.tenant_id,
            i.customer_id == c.id,
            i.kind == IdentityKind.EMAIL.value,
            i.key.contains(query.email_fragment, autoescape=True),
        )
        ranks.append((email, 3))
    if not ranks:
        return case((false(), 0), else_=None)
    return case(*ranks, else_=None)
