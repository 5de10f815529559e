"""The domain's scopes, filters and search queries compiled to SQL expressions.

Visibility is part of the ``WHERE`` clause of every read and bulk write, never
a filter applied after fetching. Each function mirrors, clause for clause, the
Python definition the memory adapter evaluates:
:meth:`~customer_core.domain.rules.visibility.VisibilityScope.allows`,
:func:`~customer_core.domain.rules.visibility.matches_filter` and
:func:`~customer_core.domain.matching.search.search_rank` (as
:func:`search_ranks`). Derived values (the relationship type, the search key)
are computed in Python when a customer is written and stored in columns, so
no rule is re-encoded here.

>>> from customer_core.domain.rules.visibility import VisibilityScope
>>> print(visible(VisibilityScope(tenant_id="t", unassigned=True, responsible_id="u1")))
customers.tenant_id = :tenant_id_1 AND (customers.responsible_id = :responsible_id_1 OR customers.portfolio_id IS NULL)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Insert,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite

from customer_core.adapters.sqlalchemy.tables import (
    customer_blocks,
    customer_identities,
    customers,
)
from customer_core.domain.matching.search import SearchQuery
from customer_core.domain.model.customer import IdentityKey, IdentityKind
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope

__all__ = [
    "FEW",
    "Ranks",
    "after_key",
    "chunks",
    "matching",
    "responsible_outside",
    "search_ranks",
    "starts_with",
    "unblocked",
    "upsert",
    "visible",
    "visible_customer_ids",
    "visible_parts",
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


def visible(scope: VisibilityScope, table: FromClause = customers) -> ColumnElement[bool]:
    """The customers of the scope's tenant that the scope sees (``table``: an alias of them)."""
    tenant: ColumnElement[bool] = table.c.tenant_id == scope.tenant_id
    seen = _seen_by(scope, table)
    if seen is None:
        return tenant
    return and_(tenant, or_(false(), *seen))


def _seen_by(scope: VisibilityScope, table: FromClause) -> list[ColumnElement[bool]] | None:
    """The alternatives of the scope within its tenant; ``None``: the whole tenant."""
    c = table.c
    if scope.everything:
        return None
    seen: list[ColumnElement[bool]] = []
    if scope.responsible_id is not None:
        seen.append(c.responsible_id == scope.responsible_id)
    if scope.unassigned:
        seen.append(c.portfolio_id.is_(None))
    if scope.any_portfolio:
        seen.append(c.portfolio_id.is_not(None))
    elif scope.portfolio_ids:
        seen.append(c.portfolio_id.in_(sorted(scope.portfolio_ids)))
    return seen


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
    """Every field of the filter except ``text`` (searching is :func:`search_ranks`'s job)."""
    owned = _owned_by(customer_filter)
    return and_(
        true(),
        *_plain_filter(customer_filter),
        *([or_(*owned)] if owned else []),
        *_not_blocked(customer_filter),
    )


def unblocked(table: FromClause = customers) -> ColumnElement[bool]:
    """Not blocked (LGPD Art. 18 IV): no row in ``customer_blocks``, a primary-key probe."""
    b = customer_blocks.c
    return ~exists().where(b.tenant_id == table.c.tenant_id, b.customer_id == table.c.id)


def _plain_filter(customer_filter: CustomerFilter) -> list[ColumnElement[bool]]:
    """The clauses of :func:`matching` but the owner's (``owner_id``)."""
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
    return clauses


def _not_blocked(customer_filter: CustomerFilter) -> list[ColumnElement[bool]]:
    """:func:`unblocked` unless the filter includes blocked customers; always put last,
    after the cheap clauses (MariaDB evaluates a condition's parts in their order)."""
    return [] if customer_filter.include_blocked else [unblocked()]


def _owned_by(customer_filter: CustomerFilter) -> list[ColumnElement[bool]]:
    """The alternatives of the owner clause ("my portfolio"); none without ``owner_id``."""
    f = customer_filter
    if f.owner_id is None:
        return []
    return [c.responsible_id == f.owner_id, c.portfolio_id.in_(sorted(f.owner_portfolio_ids))]


def visible_parts(
    scope: VisibilityScope, customer_filter: CustomerFilter
) -> list[ColumnElement[bool]]:
    """``visible(scope) AND matching(customer_filter)`` as alternatives without ``OR``.

    A row passes both exactly when it meets one of the parts (it may meet
    several). Each part is a conjunction that one index can answer, e.g.
    ``responsible_id = :me`` or ``portfolio_id IN (:mine)``: a query per part,
    united, reads only index entries where an ``OR`` of them would make
    PostgreSQL combine bitmaps and read every row of the share.
    """
    tenant = c.tenant_id == scope.tenant_id
    seen = _seen_by(scope, customers)
    owned = _owned_by(customer_filter)
    plain = _plain_filter(customer_filter)
    last = _not_blocked(customer_filter)
    return [
        and_(tenant, *by_scope, *by_owner, *plain, *last)
        for by_scope in ([[s] for s in seen] if seen is not None else [[]])
        for by_owner in ([[o] for o in owned] or [[]])
    ]


def responsible_outside(
    scope: VisibilityScope, /
) -> tuple[Select[tuple[bool]], dict[str, Any]] | None:
    """Whether the scope's user is responsible for customers its other parts do not show.

    A seller sees its portfolios' customers and the customers it is
    responsible for, usually all within those portfolios. When none is
    outside, the parts of the share without "responsible = me" show the
    same customers, and a search reads one index instead of two. The
    question is asked as one ``EXISTS`` per gap around the portfolio ids
    (no portfolio, before the first id, between two, after the last), each
    a seek on ``(tenant_id, responsible_id, portfolio_id, ...)``. Returns
    the statement with its parameters; ``None``: there is nothing to ask (no
    responsible user, or no other part).
    """
    if scope.everything or scope.responsible_id is None:
        return None
    if not (scope.portfolio_ids or scope.any_portfolio or scope.unassigned):
        return None
    ids = sorted(scope.portfolio_ids)
    statement = _outside_statement(
        None if scope.any_portfolio else len(ids), null_gap=not scope.unassigned
    )
    parameters = {f"p{n}": portfolio for n, portfolio in enumerate(ids)}
    return statement, {"tenant_id": scope.tenant_id, "user": scope.responsible_id, **parameters}


@lru_cache(maxsize=64)
def _outside_statement(portfolios: int | None, *, null_gap: bool) -> Select[tuple[bool]]:
    """:func:`responsible_outside`'s statement for ``portfolios`` ids (``None``: any
    portfolio is seen), built once per shape: building it costs more than running it."""
    mine = and_(c.tenant_id == bindparam("tenant_id"), c.responsible_id == bindparam("user"))
    gaps: list[ColumnElement[bool]] = [c.portfolio_id.is_(None)] if null_gap else []
    if portfolios is not None:
        bounds: list[str | None] = [None, *(f"p{n}" for n in range(portfolios)), None]
        for low, high in pairwise(bounds):
            gaps.append(
                and_(
                    c.portfolio_id.is_not(None),
                    *([c.portfolio_id > bindparam(low)] if low is not None else []),
                    *([c.portfolio_id < bindparam(high)] if high is not None else []),
                )
            )
    return select(or_(false(), *(exists().where(mine, gap) for gap in gaps)))


def after_key(after: tuple[str, str]) -> ColumnElement[bool]:
    """Keyset pagination after ``(search key, id)``, in the order of :func:`find`."""
    key, customer_id = after
    return or_(c.search_name > key, and_(c.search_name == key, c.id > customer_id))


class Ranks(NamedTuple):
    """The conditions of the ranks one search query looks for, best first."""

    conditions: list[ColumnElement[bool]]
    #: They name a few customers by id (identity matches): read those by
    #: primary key rather than scanning anything.
    by_id: bool = False
    #: The ids of the customers that may meet the conditions, when there may
    #: be few of them: the caller reads up to :data:`FEW` of them first and,
    #: if that is all, looks those up by id instead (:meth:`by_ids`).
    candidates: Select[Any] | None = None

    def by_ids(self, ids: Collection[str]) -> Ranks:
        """The same ranks over the customers ``ids`` (from :attr:`candidates`)."""
        return Ranks([and_(c.id.in_(sorted(ids)), *self.conditions)], by_id=True)


#: How many candidates (:attr:`Ranks.candidates`) count as few.
FEW = 1000


def search_ranks(query: SearchQuery, tenant_id: str, *, narrow: bool = False) -> list[Ranks]:
    """One condition per rank of :func:`~customer_core.domain.matching.search.search_rank`.

    In rank order, only the ranks the query can reach; a customer ranks by
    the first condition it meets. They come in groups, one per query: the
    caller runs the groups one at a time, best first, each ordered by rank
    and search key and limited to what the page still misses, so a search
    box usually fills from the cheap ranks and the scan-heavy ones never run.
    Each rank is a group of its own, except over a ``narrow`` share, where
    the two name ranks read the same index entries anyway (a range of them
    for "starts with", all of them for the words): one query for both saves
    a round trip and the statement's making, worth more than the range.

    Each condition is index-friendly. Identity matches are ``id IN``
    subqueries on the tenant's identity index (not correlated per row, which
    made PostgreSQL scan every tenant's identities). A partial e-mail, phone
    or tax id is looked for among the tenant's identifiers, or, over a
    ``narrow`` share (a seller's few portfolios), among those of the customers
    the query reads, which beats reading every identifier of the tenant
    (:func:`_held_identity`). "The key starts
    with the text" is a range on the ``(tenant_id, search_name)`` index,
    which the key's code-point collation makes exact.
    """
    i = customer_identities.c
    ranks: list[Ranks] = []
    if query.identity_keys:
        selects = select_by_keys(
            customer_identities,
            query.identity_keys,
            i.customer_id,
            where=i.tenant_id == tenant_id,
        )
        ranks.append(Ranks([c.id.in_(union_all(*selects))], by_id=True))
    if query.name_tokens:
        prefix = starts_with(c.search_name, query.name_prefix)
        words = and_(
            *(
                or_(
                    c.search_name.startswith(token, autoescape=True),
                    c.search_name.contains(" " + token, autoescape=True),
                )
                for token in query.name_tokens
            )
        )
        ranks += [Ranks([prefix, words])] if narrow else [Ranks([prefix]), Ranks([words])]
    if query.email_fragment:
        email = and_(
            i.kind == IdentityKind.EMAIL.value,
            i.key.contains(query.email_fragment, autoescape=True),
        )
        ranks.append(_held_identity(email, tenant_id, narrow=narrow))
    if query.digits:
        numbers = [and_(i.kind == IdentityKind.TAX_ID.value, i.key.contains(query.digits))]
        if query.phone_digits:
            phone = and_(i.kind == IdentityKind.PHONE.value, i.key.contains(query.phone_digits))
            numbers.append(phone)
        ranks.append(_held_identity(or_(*numbers), tenant_id, narrow=narrow))
    return ranks


def _held_identity(identity: ColumnElement[bool], tenant_id: str, *, narrow: bool) -> Ranks:
    """The rank of customers holding an identifier that meets ``identity`` (part of one).

    Over a share, the identifiers of the customers the query reads. Over the
    tenant it depends on how many identifiers meet it: a few ("silva.jr88")
    are found by reading the tenant's identifiers once, then their customers
    by id; many ("gmail.com") are met early while walking the name index in
    order, each customer's identifiers looked up by its id. Either plan alone
    takes seconds at a million customers on the other kind of text.
    """
    i = customer_identities.c
    held = exists().where(i.tenant_id == c.tenant_id, i.customer_id == c.id, identity)
    candidates = None if narrow else select(i.customer_id).where(i.tenant_id == tenant_id, identity)
    return Ranks([held], candidates=candidates)


def starts_with(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range an index on ``column`` can seek.

    ``LIKE 'x%'`` uses no index on SQLite (case-insensitive LIKE against a
    binary key) nor on PostgreSQL without a pattern operator class; for a
    column ordered by code point (:func:`.tables.sortable`) the strings that
    start with ``prefix`` are exactly those from ``prefix`` up to, not
    including, ``prefix`` with its last character incremented. The ``LIKE``
    stays beside the range as the definition.
    """
    like = column.startswith(prefix, autoescape=True)
    if not prefix or ord(prefix[-1]) >= 0xFFFF:
        return like
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper, like)
