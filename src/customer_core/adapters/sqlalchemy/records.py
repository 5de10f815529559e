"""The identity service's records: spam/VIP lists, merge audit entries, duplicate hints.

Implement :class:`~customer_core.ports.IdentityListRepository`,
:class:`~customer_core.ports.MergeRepository` and
:class:`~customer_core.ports.DuplicateHintRepository` in the transaction of
the unit of work, every statement scoped by ``tenant_id``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update

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
from customer_core.adapters.sqlalchemy.queries import chunks, per_kind, upsert
from customer_core.adapters.sqlalchemy.tables import duplicate_hints, identity_lists, merges
from customer_core.domain.model.customer import IdentityKey
from customer_core.errors import Conflict
from customer_core.ports import DuplicateHint, MergeRecord

__all__ = ["SqlDuplicateHints", "SqlIdentityLists", "SqlMerges"]

lists = identity_lists.c


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


class SqlMerges(GuardedRepository):
    """Merge audit entries; the records before the merge are stored as documents."""

    def add(self, record: MergeRecord, /) -> None:
        handlers: Handlers = {
            str(merges.primary_key.name): lambda: Conflict(
                "a merge with this id exists", code="conflict", field="id"
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


class SqlDuplicateHints(GuardedRepository):
    """Pairs to review; the same pair and reason is stored once, the first time."""

    def add(self, hint: DuplicateHint, /) -> None:
        statement = upsert(self._connection.dialect.name, duplicate_hints, update=[])
        with self._writing({}) as writes:
            writes.execute(statement, hint_row(hint))

    def list_all(self, tenant_id: str, /) -> Sequence[DuplicateHint]:
        h = duplicate_hints.c
        rows = self._connection.execute(
            select(duplicate_hints)
            .where(h.tenant_id == tenant_id)
            .order_by(h.noted_at, h.lower_id, h.upper_id, h.reason)
        ).mappings()
        return [hint_from_row(row) for row in rows]
