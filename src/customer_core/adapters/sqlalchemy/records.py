"""The identity service's records: spam/VIP lists, merge audit entries, duplicate hints.

Implement :class:`~customer_core.ports.IdentityListRepository`,
:class:`~customer_core.ports.MergeRepository` and
:class:`~customer_core.ports.DuplicateHintRepository` in the transaction of
the unit of work, every statement scoped by ``tenant_id``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, insert, or_, select, union_all, update

from customer_core.adapters.shared import not_found
from customer_core.adapters.sqlalchemy.errors import GuardedRepository, Handlers
from customer_core.adapters.sqlalchemy.lookups import listed_query
from customer_core.adapters.sqlalchemy.mapping import (
    hint_from_row,
    hint_row,
    identity_key,
    merge_from_row,
    merge_row,
)
from customer_core.adapters.sqlalchemy.queries import (
    chunks,
    per_kind,
    upsert,
    visible,
)
from customer_core.adapters.sqlalchemy.tables import (
    customers,
    duplicate_hints,
    identity_lists,
    merges,
)
from customer_core.domain.model.customer import IdentityKey
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.errors import Code, Conflict

__all__ = ["SqlDuplicateHints", "SqlIdentityLists", "SqlMerges"]

lists = identity_lists.c
_h = duplicate_hints.c


def _unique(keys: Iterable[IdentityKey]) -> list[IdentityKey]:
    # Sorted: concurrent writers then lock index entries in the same order.
    return sorted(set(keys), key=lambda k: (k.kind.value, k.key))


class SqlIdentityLists(GuardedRepository):
    """Lists of identity keys; adding a listed key again re-points it to ``customer_id``."""

    def add(
        self,
        tenant_id: str,
        list_name: str,
        keys: Iterable[IdentityKey],
        /,
        *,
        customer_id: str | None,
    ) -> None:
        rows = [
            {
                "tenant_id": tenant_id,
                "list_name": list_name,
                "kind": k.kind.value,
                "key": k.key,
                "customer_id": customer_id,
            }
            for k in _unique(keys)
        ]
        if not rows:
            return
        statement = upsert(self._connection.dialect.name, identity_lists, update=["customer_id"])
        with self._writing({}) as writes:
            writes.execute(statement, rows)

    def remove(self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /) -> None:
        with self._writing({}) as writes:
            for chunk in chunks(_unique(keys)):
                for condition in per_kind(identity_lists, chunk):
                    writes.execute(
                        delete(identity_lists).where(
                            lists.tenant_id == tenant_id,
                            lists.list_name == list_name,
                            condition,
                        )
                    )

    def listed(
        self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /
    ) -> set[IdentityKey]:
        return self.listed_in(tenant_id, (list_name,), keys)[list_name]

    def listed_in(
        self, tenant_id: str, list_names: Collection[str], keys: Iterable[IdentityKey], /
    ) -> dict[str, set[IdentityKey]]:
        found: dict[str, set[IdentityKey]] = {name: set() for name in list_names}
        for chunk in chunks(_unique(keys)):
            query = listed_query(tenant_id, found, chunk)
            if query is not None:
                for name, kind, key in self._connection.execute(*query):
                    found[name].add(identity_key(kind, key))
        return found

    def entries_of(self, tenant_id: str, customer_id: str, /) -> dict[str, set[IdentityKey]]:
        found: dict[str, set[IdentityKey]] = {}
        rows = self._connection.execute(
            select(lists.list_name, lists.kind, lists.key).where(
                lists.tenant_id == tenant_id, lists.customer_id == customer_id
            )
        )
        for name, kind, key in rows:
            found.setdefault(name, set()).add(identity_key(kind, key))
        return found


class SqlMerges(GuardedRepository):
    """Merge audit entries; the records before the merge are stored as documents."""

    def add(self, record: MergeRecord, /) -> None:
        handlers: Handlers = {
            str(merges.primary_key.name): lambda: Conflict(
                "a merge with this id exists", code=Code.CONFLICT, field="id"
            )
        }
        with self._writing(handlers) as writes:
            writes.execute(insert(merges), merge_row(record))

    def get(self, tenant_id: str, merge_id: str, /) -> MergeRecord:
        row = (
            self._connection.execute(
                select(merges).where(merges.c.tenant_id == tenant_id, merges.c.id == merge_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise not_found("merge")
        return merge_from_row(row)

    def mark_undone(self, tenant_id: str, merge_id: str, at: datetime, /) -> None:
        with self._writing({}) as writes:
            updated = writes.execute(
                update(merges)
                .where(merges.c.tenant_id == tenant_id, merges.c.id == merge_id)
                .values(undone_at=at)
            )
            if updated.rowcount == 0:
                raise not_found("merge")

    def in_force(self, tenant_id: str, /) -> Sequence[MergeRecord]:
        rows = self._connection.execute(
            select(merges)
            .where(merges.c.tenant_id == tenant_id, merges.c.undone_at.is_(None))
            .order_by(merges.c.merged_at, merges.c.id)
        ).mappings()
        return [merge_from_row(row) for row in rows]

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[MergeRecord]:
        rows = self._connection.execute(
            select(merges)
            .where(merges.c.tenant_id == tenant_id, _mentions(customer_id))
            .order_by(merges.c.merged_at, merges.c.id)
        ).mappings()
        return [merge_from_row(row) for row in rows]

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        with self._writing({}) as writes:
            deleted = writes.execute(
                delete(merges).where(merges.c.tenant_id == tenant_id, _mentions(customer_id))
            )
        return int(deleted.rowcount)


def _mentions(customer_id: str) -> Any:
    return or_(merges.c.survivor_id == customer_id, merges.c.absorbed_id == customer_id)


class SqlDuplicateHints(GuardedRepository):
    """Pairs to review; the same pair and reason is stored once, the first time."""

    def add(self, hint: DuplicateHint, /) -> None:
        statement = upsert(self._connection.dialect.name, duplicate_hints, update=[])
        with self._writing({}) as writes:
            writes.execute(statement, hint_row(hint))

    def list_all(self, tenant_id: str, /) -> Sequence[DuplicateHint]:
        return self._list(select(duplicate_hints).where(_h.tenant_id == tenant_id))

    def list_visible(self, scope: VisibilityScope, /) -> Sequence[DuplicateHint]:
        # Joins, not "id IN (visible ids)": that would list every visible customer.
        one, other = customers.alias("one"), customers.alias("other")
        both = duplicate_hints.join(
            one, and_(one.c.tenant_id == _h.tenant_id, one.c.id == _h.customer_id)
        ).join(other, and_(other.c.tenant_id == _h.tenant_id, other.c.id == _h.other_id))
        return self._list(
            select(duplicate_hints)
            .select_from(both)
            .where(_h.tenant_id == scope.tenant_id, visible(scope, one), visible(scope, other))
        )

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[DuplicateHint]:
        # A pair is keyed (tenant_id, lower_id, upper_id): each side of the
        # union reads its own column, never both (a pair's ids differ): the
        # lower side is a primary-key range, the upper one its own index.
        sides = union_all(
            select(duplicate_hints).where(_h.tenant_id == tenant_id, _h.lower_id == customer_id),
            select(duplicate_hints).where(_h.tenant_id == tenant_id, _h.upper_id == customer_id),
        ).subquery()
        ordered = select(sides).order_by(
            sides.c.noted_at, sides.c.lower_id, sides.c.upper_id, sides.c.reason
        )
        return [hint_from_row(row) for row in self._connection.execute(ordered).mappings()]

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        with self._writing({}) as writes:
            deleted = writes.execute(
                # customer_id/other_id are lower_id/upper_id as given: the indexed pair.
                delete(duplicate_hints).where(
                    _h.tenant_id == tenant_id,
                    or_(_h.lower_id == customer_id, _h.upper_id == customer_id),
                )
            )
        return int(deleted.rowcount)

    def _list(self, query: Select[Any]) -> list[DuplicateHint]:
        ordered = query.order_by(_h.noted_at, _h.lower_id, _h.upper_id, _h.reason)
        return [hint_from_row(row) for row in self._connection.execute(ordered).mappings()]
