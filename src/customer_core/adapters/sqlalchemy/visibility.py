"""Customer reads and bulk writes under a visibility scope.

:class:`VisibleCustomers` is the collaborator
:class:`~.repository.SqlCustomerRepository` hands its scoped methods to, on
the same connection: every query here carries the scope in its ``WHERE``
clause (:func:`.queries.visible`), so what an actor may not see is never
fetched, counted, moved or deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    case,
    delete,
    false,
    func,
    or_,
    select,
    union,
    union_all,
    update,
)

from customer_core.adapters.shared import not_found
from customer_core.adapters.sqlalchemy.blocks import forget_blocks
from customer_core.adapters.sqlalchemy.claims import forget_identities
from customer_core.adapters.sqlalchemy.clusters import cluster_keys
from customer_core.adapters.sqlalchemy.errors import GuardedRepository
from customer_core.adapters.sqlalchemy.mapping import (
    LOADED,
    MATCHED,
    load_customers,
    match_record_from_row,
)
from customer_core.adapters.sqlalchemy.queries import (
    FEW,
    Ranks,
    after_key,
    chunks,
    matching,
    responsible_outside,
    search_ranks,
    visible,
    visible_parts,
)
from customer_core.adapters.sqlalchemy.tables import customer_blocks, customers
from customer_core.domain.matching.duplicates import Cluster, MatchRecord, exact_clusters
from customer_core.domain.matching.search import SearchQuery
from customer_core.domain.model.customer import Customer, RelationshipType
from customer_core.domain.model.records import Assignment
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope

__all__ = ["VisibleCustomers"]

c = customers.c
#: Customers per page of :meth:`VisibleCustomers.match_records`.
MATCHED_PAGE = 2000


def _responsible_after(
    before: str | None,
    fields: frozenset[str],
    responsible_id: str | None,
    keep_responsibles: frozenset[str] | None,
) -> str | None:
    """What :meth:`VisibleCustomers.assign` leaves as the responsible user (as its UPDATE does)."""
    if "responsible_id" in fields:
        return responsible_id
    if keep_responsibles is not None and before not in keep_responsibles:
        return None
    return before


def _narrow(scope: VisibilityScope, customer_filter: CustomerFilter) -> bool:
    """Whether the rows are picked by portfolio or responsible user (a seller's share)."""
    f = customer_filter
    by_scope = not (scope.everything or scope.any_portfolio or scope.unassigned)
    by_filter = any(v is not None for v in (f.portfolio_id, f.owner_id, f.responsible_id))
    return by_scope or by_filter


#: The query for the next page of some ranks: (ranks, excluded, limit) -> query.
PageQuery = Callable[[Ranks, Sequence[ColumnElement[bool]], int], Select[Any]]


def _rank_of(ranks: Sequence[ColumnElement[bool]]) -> list[ColumnElement[Any]]:
    """The sort key that puts ``ranks`` (conditions, best first) in order; none for one."""
    if len(ranks) == 1:
        return []
    best_first = [(condition, n) for n, condition in enumerate(ranks[:-1])]
    return [case(*best_first, else_=len(ranks) - 1)]


def _share(scope: VisibilityScope, ask: Callable[..., Any]) -> VisibilityScope:
    """The scope a seller's search reads its parts from: without "responsible
    = me" when no customer of the seller is outside its other parts
    (:func:`.queries.responsible_outside`), so one index is read instead of
    two; the page's rows are still checked against the whole scope."""
    question = responsible_outside(scope)
    if question is None or ask(*question):
        return scope
    return attrs.evolve(scope, responsible_id=None)


def _page_query(
    scope: VisibilityScope,
    customer_filter: CustomerFilter,
    ask: Callable[..., Any],
) -> PageQuery:
    """How :meth:`VisibleCustomers.search` asks for the next page of some ranks.

    The query it makes takes ``(ranks, excluded, limit)``: the first
    ``limit`` customers that meet one of ``ranks`` and none of ``excluded``,
    by rank then search key. Whatever does not depend on the ranks is made
    once per search: building SQLAlchemy expressions costs about as much as
    a small query.

    The page's ids, search keys and ranks are picked first from the entries
    of an index that holds all three: ``(tenant_id, search_name, id)`` over
    the tenant, ``(tenant_id, portfolio_id | responsible_id, search_name,
    id)`` over a seller's share (one ``SELECT`` per part of it,
    :func:`.queries.visible_parts`, united). The name words are checked on
    those entries (an index-only scan on PostgreSQL, a covering index on
    SQLite) without reading the wide rows and their documents. Then only
    the page's rows are read, by primary key, in the same statement (one
    snapshot: the rows read are those picked). Ranks that name customers by
    id are read by primary key straight away.
    """
    shown = and_(visible(scope), matching(customer_filter))
    narrow = _narrow(scope, customer_filter)
    # Over a share, rows found by id are sorted by a computed key, which
    # keeps the planners from walking the whole tenant's name index instead.
    key = c.search_name.concat("") if narrow else c.search_name
    parts: list[ColumnElement[bool]] = []  # made when first needed

    def by_id(ranks: Ranks, excluded: Sequence[ColumnElement[bool]], limit: int) -> Select[Any]:
        conditions = ranks.conditions
        return (
            select(*LOADED)
            .where(shown, or_(*conditions), *excluded)
            .order_by(*_rank_of(conditions), key, c.id)
            .limit(limit)
        )

    def page(ranks: Ranks, excluded: Sequence[ColumnElement[bool]], limit: int) -> Select[Any]:
        if ranks.by_id:
            return by_id(ranks, excluded, limit)
        if not parts:  # [false()]: a scope that sees nothing
            share = visible_parts(_share(scope, ask), customer_filter) if narrow else [shown]
            parts.extend(share or [false()])
        conditions = ranks.conditions
        rank = [order.label("rank") for order in _rank_of(conditions)]
        # The words first: the scope's last clause is the NOT EXISTS of blocked
        # customers (queries.unblocked), which MariaDB would otherwise probe for
        # every entry of the index range before a word rules it out.
        picks = [
            select(c.id, c.search_name, *rank).where(or_(*conditions), *excluded, part)
            for part in parts
        ]
        first: Select[Any] | CompoundSelect[Any]
        if len(picks) > 1:
            united = union(*picks)
            columns = united.selected_columns
            order = [columns.rank] if rank else []
            first = united.order_by(*order, columns.search_name, columns.id)
        else:
            # A single part of a share is sorted by a computed key, which keeps
            # the planners from walking the whole tenant's name index instead.
            first = picks[0].order_by(*rank, key, c.id)
        picked = first.limit(limit).subquery("page")
        return (
            select(*LOADED)
            .select_from(customers.join(picked, c.id == picked.c.id))
            .where(shown)
            .order_by(*([picked.c.rank] if rank else []), picked.c.search_name, picked.c.id)
        )

    return page


class VisibleCustomers(GuardedRepository):
    """The visibility-scoped queries of the customer repository."""

    def _load(self, query: Select[Any]) -> list[Customer]:
        return load_customers(self._connection, query)

    def get_visible(self, scope: VisibilityScope, customer_id: str, /) -> Customer:
        found = self._load(select(*LOADED).where(visible(scope), c.id == customer_id))
        if not found:
            raise not_found()
        return found[0]

    def find(
        self,
        scope: VisibilityScope,
        customer_filter: CustomerFilter,
        /,
        *,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> Sequence[Customer]:
        query = select(*LOADED).where(visible(scope), matching(customer_filter))
        if after is not None:
            query = query.where(after_key(after))
        return self._load(query.order_by(c.search_name, c.id).limit(limit))

    def search(
        self,
        scope: VisibilityScope,
        query: SearchQuery,
        customer_filter: CustomerFilter,
        /,
        *,
        limit: int = 50,
    ) -> Sequence[Customer]:
        # One query per rank, best first, each taking what the page still
        # misses: a search box usually fills from the cheap ranks and the
        # scan-heavy ones (a partial e-mail) never run. Customers already found
        # are left out by id, not by "matches a better rank": under READ
        # COMMITTED each query sees its own moment, and a customer renamed
        # between two of them must come once, not twice or never.
        page_query = _page_query(scope, customer_filter, self._connection.scalar)
        narrow = _narrow(scope, customer_filter)
        found: list[Customer] = []
        for ranks in search_ranks(query, scope.tenant_id, narrow=narrow):
            if len(found) >= limit:
                break
            if ranks.candidates is not None:
                few = self._connection.scalars(ranks.candidates.limit(FEW)).all()
                if len(few) < FEW:
                    if not few:
                        continue
                    ranks = ranks.by_ids(few)
            seen = [customer.id for customer in found]
            excluded = [c.id.not_in(seen)] if seen else []
            found += self._load(page_query(ranks, excluded, limit - len(found)))
        return found

    def count_by_relationship(
        self, scope: VisibilityScope, customer_filter: CustomerFilter, /
    ) -> dict[RelationshipType, int]:
        # Blocked customers are counted apart and taken off, in the same
        # statement: a NOT EXISTS probe per row made the count five times slower
        # on SQLite, where joining the few block rows to their customers is a
        # lookup each.
        every = attrs.evolve(customer_filter, include_blocked=True)
        shown = and_(visible(scope), matching(every))
        parts = [
            select(c.relationship_type.label("type"), func.count().label("total"))
            .where(shown)
            .group_by(c.relationship_type)
        ]
        if not customer_filter.include_blocked:
            b = customer_blocks.c
            parts.append(
                select(c.relationship_type, -func.count())
                .select_from(
                    customer_blocks.join(
                        customers, and_(c.tenant_id == b.tenant_id, c.id == b.customer_id)
                    )
                )
                .where(b.tenant_id == scope.tenant_id, shown)
                .group_by(c.relationship_type)
            )
        both = union_all(*parts).subquery("counted")
        rows = self._connection.execute(
            select(both.c.type, func.sum(both.c.total)).group_by(both.c.type)
        )
        counts = dict.fromkeys(RelationshipType, 0)
        for relationship_type, total in rows:
            counts[RelationshipType(relationship_type)] = int(total)
        return counts

    def exact_clusters(self, scope: VisibilityScope, /) -> Sequence[Cluster]:
        return exact_clusters(cluster_keys(self._connection, scope))

    def match_records(self, scope: VisibilityScope, /) -> Iterator[MatchRecord]:
        # Pages in id order, each a range of the primary key: neither the rows nor
        # rebuilt customers are ever all in memory, and no server-side cursor is
        # needed (PostgreSQL reads in autocommit mode, where it has none).
        shown = select(*MATCHED).where(visible(scope), matching(CustomerFilter())).order_by(c.id)
        after: str | None = None
        while True:
            query = shown if after is None else shown.where(c.id > after)
            rows = self._connection.execute(query.limit(MATCHED_PAGE)).all()
            yield from map(match_record_from_row, rows)
            if len(rows) < MATCHED_PAGE:
                return
            after = rows[-1][0]

    def _locked_visible(
        self, scope: VisibilityScope, customer_ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        """Visible ones among ``customer_ids``, with portfolio and responsible; rows locked.

        ``FOR UPDATE`` keeps the "from" side of an assignment true until commit
        (SQLite has no row locks, but the unit of work holds its write lock).
        """
        found: dict[str, tuple[str | None, str | None]] = {}
        for chunk in chunks(customer_ids):
            rows = self._connection.execute(
                select(c.id, c.portfolio_id, c.responsible_id)
                .where(visible(scope), c.id.in_(chunk))
                .with_for_update()
            )
            found.update({cid: (portfolio, responsible) for cid, portfolio, responsible in rows})
        return found

    def assign(
        self,
        scope: VisibilityScope,
        customer_ids: Sequence[str],
        /,
        *,
        portfolio_id: str | None,
        responsible_id: str | None,
        fields: frozenset[str],
        now: datetime,
        keep_responsibles: frozenset[str] | None = None,
    ) -> Sequence[Assignment]:
        wanted = list(dict.fromkeys(customer_ids))
        # Column-owned fields only (see mapping.COLUMN_OWNED): one UPDATE per
        # chunk of ids, without rewriting each document.
        values: dict[str, Any] = {"updated_at": now, "version": c.version + 1}
        if "portfolio_id" in fields:
            values["portfolio_id"] = portfolio_id
        if "responsible_id" in fields:
            values["responsible_id"] = responsible_id
        elif keep_responsibles is not None:
            values["responsible_id"] = case(
                (c.responsible_id.in_(sorted(keep_responsibles)), c.responsible_id), else_=None
            )
        with self._writing({}) as writes:
            before = self._locked_visible(scope, wanted)
            moved = [cid for cid in wanted if cid in before]
            for chunk in chunks(moved):
                writes.execute(
                    update(customers)
                    .where(c.tenant_id == scope.tenant_id, c.id.in_(chunk))
                    .values(values)
                )
        return [
            Assignment(
                cid,
                before[cid][0],
                values.get("portfolio_id", before[cid][0]),
                before[cid][1],
                _responsible_after(before[cid][1], fields, responsible_id, keep_responsibles),
            )
            for cid in moved
        ]

    def delete_visible(
        self, scope: VisibilityScope, customer_ids: Sequence[str], /
    ) -> Sequence[str]:
        wanted = list(dict.fromkeys(customer_ids))
        with self._writing({}) as writes:
            found = self._locked_visible(scope, wanted)
            deleted = [cid for cid in wanted if cid in found]
            forget_identities(writes, scope.tenant_id, deleted)
            forget_blocks(writes, scope.tenant_id, deleted)
            for chunk in chunks(deleted):
                writes.execute(
                    delete(customers).where(c.tenant_id == scope.tenant_id, c.id.in_(chunk))
                )
        return deleted
