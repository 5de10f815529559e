"""Customer and portfolio repositories over one SQLAlchemy ``Connection``.

They run in the transaction of their :class:`~.unit_of_work.SqlUnitOfWork`
and implement :class:`~customer_core.ports.CustomerRepository` and
:class:`~customer_core.ports.PortfolioRepository` (the latter lives in
:mod:`.portfolios`). Every statement is scoped by ``tenant_id``. The customer
repository is composed of two collaborators on its connection: the
visibility-scoped queries (:class:`~.visibility.VisibleCustomers`), which it
hands its scoped methods to, and the identity index (:mod:`.claims`), which
its writes and the scoped deletion both keep in step.

Writes are set-based: :meth:`~SqlCustomerRepository.add` and
:meth:`~SqlCustomerRepository.save` are batches of one, so imports and single
edits share one code path and a batch costs the same few statements as one
record. Each batch is one :func:`~.errors.guarded_write` (a SAVEPOINT): the
rules checked before writing give clear errors, and the database constraints
behind them settle races between transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TypeVar

import attrs
from sqlalchemy import Connection, bindparam, delete, func, insert, select, tuple_, update

from customer_core.adapters.shared import (
    as_added,
    duplicate_identity,
    not_found,
    plan_identities,
)
from customer_core.adapters.sqlalchemy.blocks import blocked_among, forget_blocks, sync_blocks
from customer_core.adapters.sqlalchemy.claims import (
    forget_identities,
    identities_of,
    write_identities,
)
from customer_core.adapters.sqlalchemy.driver_reads import read_rows
from customer_core.adapters.sqlalchemy.errors import GuardedRepository, Handlers, Writes
from customer_core.adapters.sqlalchemy.lookups import GET_CUSTOMER, holders_query, look_up_query
from customer_core.adapters.sqlalchemy.mapping import (
    LOADED,
    customer_from_row,
    customer_row,
    identity_key,
    load_customers,
)
from customer_core.adapters.sqlalchemy.portfolios import SqlPortfolioRepository
from customer_core.adapters.sqlalchemy.queries import chunks
from customer_core.adapters.sqlalchemy.tables import (
    customer_blocks,
    customer_identities,
    customers,
    identity_claims,
)
from customer_core.adapters.sqlalchemy.visibility import VisibleCustomers
from customer_core.domain.matching.duplicates import Cluster, MatchRecord
from customer_core.domain.matching.search import SearchQuery
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.model.records import Assignment
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import Code, Conflict, CustomerCoreError, VersionConflict
from customer_core.ports import KeyLookup

__all__ = ["SqlCustomerRepository", "SqlPortfolioRepository"]

T = TypeVar("T")
Holders = dict[IdentityKey, tuple[str, ...]]

c, i = customers.c, customer_identities.c
_CUSTOMERS_PK = str(customers.primary_key.name)
_CLAIMS_PK = str(identity_claims.primary_key.name)
#: Columns a save rewrites (all but the primary key), bound as ``v_<column>``.
_REWRITTEN = [col.name for col in customers.columns if not col.primary_key]


def _by_tenant(items: Iterable[T], tenant_of: Callable[[T], str]) -> dict[str, list[T]]:
    """Items grouped by tenant, in order: no statement spans tenants."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(tenant_of(item), []).append(item)
    return groups


class SqlCustomerRepository(GuardedRepository):
    """Customers of every tenant, with the ``customer_identities`` index kept in step."""

    def __init__(self, connection: Connection, *, before_write: Callable[[], None]) -> None:
        super().__init__(connection, before_write=before_write)
        self._visible = VisibleCustomers(connection, before_write=before_write)

    def _taken(self, batch: Sequence[Customer]) -> CustomerCoreError:
        """The error for a claim another transaction took first: find its holder."""
        for tenant_id, group in _by_tenant(batch, lambda b: b.tenant_id).items():
            holders = self.holders(tenant_id, [k for b in group for k in b.identity_keys()])
            for customer in group:
                for key in customer.identity_keys():
                    others = [h for h in holders.get(key, ()) if h != customer.id]
                    if others:
                        return duplicate_identity(key, others[0])
        return Conflict(
            "an identifier changed hands while saving; try again", code=Code.CONFLICT, field="id"
        )

    # -- writes -------------------------------------------------------------

    def add(self, customer: Customer, /, *, first_holder: bool = False) -> Customer:
        return self._add_many([customer], first_holder=first_holder)[0]

    def save(self, customer: Customer, /, *, expected_version: int) -> Customer:
        return self.save_many([(customer, expected_version)])[0]

    def add_many(self, batch: Sequence[Customer], /) -> Sequence[Customer]:
        return self._add_many(batch, first_holder=False)

    def _add_many(self, batch: Sequence[Customer], *, first_holder: bool) -> Sequence[Customer]:
        stored = [as_added(customer) for customer in batch]
        handlers: Handlers = {
            _CUSTOMERS_PK: lambda: Conflict(
                "a customer with this id exists", code=Code.CONFLICT, field="id"
            ),
            _CLAIMS_PK: lambda: self._taken(stored),
        }
        with self._writing(handlers) as writes:
            for tenant_id, group in _by_tenant(stored, lambda s: s.tenant_id).items():
                # New customers: no read first. The plan catches a key given twice
                # in the batch; the claims' primary key, a key someone else holds.
                plan = plan_identities(
                    [(s.id, (), s.identity_keys()) for s in group], {}, strict=first_holder
                )
                writes.insert_many(insert(customers), [customer_row(s) for s in group])
                write_identities(writes, tenant_id, plan)
                sync_blocks(writes, tenant_id, group, ())
        return stored

    def save_many(self, changes: Sequence[tuple[Customer, int]], /) -> Sequence[Customer]:
        batch = [
            (attrs.evolve(change, version=expected + 1), expected) for change, expected in changes
        ]
        stored = [s for s, _ in batch]
        with self._writing({_CLAIMS_PK: lambda: self._taken(stored)}) as writes:
            for tenant_id, group in _by_tenant(batch, lambda b: b[0].tenant_id).items():
                ids = list(dict.fromkeys(s.id for s, _ in group))
                versions, had_block = self._lock_versions(tenant_id, ids)
                before, holders = identities_of(
                    self._connection,
                    tenant_id,
                    ids,
                    {k for s, _ in group for k in s.identity_keys()},
                )
                owned = {cid: set(keys) for cid, keys in before.items()}
                steps = []
                for customer, expected in group:
                    current = versions.get(customer.id)
                    if current is None:
                        raise not_found()
                    if current != expected:
                        raise _version_conflict()
                    versions[customer.id] = expected + 1
                    new = set(customer.identity_keys())
                    steps.append((customer.id, owned.get(customer.id, set()), new))
                    owned[customer.id] = new
                plan = plan_identities(steps, holders)
                self._rewrite(writes, tenant_id, group)
                write_identities(writes, tenant_id, plan)
                sync_blocks(writes, tenant_id, [s for s, _ in group], had_block)
        return stored

    def _lock_versions(self, tenant_id: str, ids: Sequence[str]) -> tuple[dict[str, int], set[str]]:
        """Current versions, rows locked until commit so the checks below stay true,
        and which of them have a block row (:mod:`.blocks`), read in the same statement."""
        versions: dict[str, int] = {}
        had_block: set[str] = set()
        for chunk in chunks(ids):
            rows = self._connection.execute(
                select(c.id, c.version, blocked_among())
                .where(c.tenant_id == tenant_id, c.id.in_(chunk))
                .with_for_update()
            )
            for cid, version, blocked in rows:
                versions[cid] = version
                if blocked:
                    had_block.add(cid)
        return versions, had_block

    @staticmethod
    def _rewrite(writes: Writes, tenant_id: str, group: Sequence[tuple[Customer, int]]) -> None:
        """One executemany UPDATE; ``version = expected`` is still the race backstop."""
        statement = (
            update(customers)
            .where(
                c.tenant_id == tenant_id,
                c.id == bindparam("w_id"),
                c.version == bindparam("w_expected"),
            )
            .values({name: bindparam(f"v_{name}") for name in _REWRITTEN})
        )
        params = []
        for customer, expected in group:
            row = customer_row(customer)
            params.append(
                {"w_id": customer.id, "w_expected": expected}
                | {f"v_{name}": row[name] for name in _REWRITTEN}
            )
        if writes.execute(statement, params).rowcount != len(params):
            raise _version_conflict()

    def delete(self, tenant_id: str, customer_id: str, /) -> None:
        with self._writing({}) as writes:
            forget_identities(writes, tenant_id, [customer_id])
            forget_blocks(writes, tenant_id, [customer_id])
            deleted = writes.execute(
                delete(customers).where(c.tenant_id == tenant_id, c.id == customer_id)
            )
            if deleted.rowcount == 0:
                raise not_found()

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
        return self._visible.assign(
            scope,
            customer_ids,
            portfolio_id=portfolio_id,
            responsible_id=responsible_id,
            fields=fields,
            now=now,
            keep_responsibles=keep_responsibles,
        )

    def delete_visible(
        self, scope: VisibilityScope, customer_ids: Sequence[str], /
    ) -> Sequence[str]:
        return self._visible.delete_visible(scope, customer_ids)

    # -- reads --------------------------------------------------------------

    def get_visible(self, scope: VisibilityScope, customer_id: str, /) -> Customer:
        return self._visible.get_visible(scope, customer_id)

    def find(
        self,
        scope: VisibilityScope,
        customer_filter: CustomerFilter,
        /,
        *,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> Sequence[Customer]:
        return self._visible.find(scope, customer_filter, after=after, limit=limit)

    def search(
        self,
        scope: VisibilityScope,
        query: SearchQuery,
        customer_filter: CustomerFilter,
        /,
        *,
        limit: int = 50,
    ) -> Sequence[Customer]:
        return self._visible.search(scope, query, customer_filter, limit=limit)

    def count_by_relationship(
        self, scope: VisibilityScope, customer_filter: CustomerFilter, /
    ) -> dict[RelationshipType, int]:
        return self._visible.count_by_relationship(scope, customer_filter)

    def blocked_among(self, tenant_id: str, customer_ids: Iterable[str], /) -> frozenset[str]:
        found: set[str] = set()
        for chunk in chunks(list(dict.fromkeys(customer_ids))):
            found.update(
                self._connection.scalars(
                    select(customer_blocks.c.customer_id).where(
                        customer_blocks.c.tenant_id == tenant_id,
                        customer_blocks.c.customer_id.in_(chunk),
                    )
                )
            )
        return frozenset(found)

    def exact_clusters(self, scope: VisibilityScope, /) -> Sequence[Cluster]:
        return self._visible.exact_clusters(scope)

    def match_records(self, scope: VisibilityScope, /) -> Iterator[MatchRecord]:
        return self._visible.match_records(scope)

    def get(self, tenant_id: str, customer_id: str, /) -> Customer:
        found = load_customers(
            self._connection, GET_CUSTOMER, {"tenant_id": tenant_id, "customer_id": customer_id}
        )
        if not found:
            raise not_found()
        return found[0]

    def get_many(self, tenant_id: str, customer_ids: Iterable[str], /) -> dict[str, Customer]:
        found: dict[str, Customer] = {}
        for chunk in chunks(list(dict.fromkeys(customer_ids))):
            loaded = load_customers(
                self._connection, select(*LOADED).where(c.tenant_id == tenant_id, c.id.in_(chunk))
            )
            found.update({customer.id: customer for customer in loaded})
        return found

    def holders(self, tenant_id: str, keys: Iterable[IdentityKey], /) -> Holders:
        found: dict[IdentityKey, list[str]] = {}
        for chunk in chunks(list(dict.fromkeys(keys))):
            query = holders_query(tenant_id, chunk)
            if query is not None:
                for kind, key, holder in self._connection.execute(*query):
                    found.setdefault(identity_key(kind, key), []).append(holder)
        return {key: tuple(sorted(ids)) for key, ids in found.items()}

    def mark_seen(
        self, tenant_id: str, customer_id: str, keys: Iterable[IdentityKey], at: datetime, /
    ) -> None:
        shared = sorted({(k.kind.value, k.key) for k in keys if k.kind.shareable})
        if not shared:
            return
        with self._writing({}) as writes:
            for chunk in chunks(shared):
                writes.execute(
                    update(customer_identities)
                    .where(
                        i.tenant_id == tenant_id,
                        i.customer_id == customer_id,
                        tuple_(i.kind, i.key).in_(chunk),
                    )
                    .values(last_seen_at=at)
                )

    def look_up(
        self, tenant_id: str, keys: Iterable[IdentityKey], /, *, lists: Collection[str] = ()
    ) -> KeyLookup:
        holding: dict[IdentityKey, list[Customer]] = {}
        listed: dict[str, set[IdentityKey]] = {name: set() for name in lists}
        last_seen: dict[tuple[IdentityKey, str], datetime] = {}
        loaded: dict[str, Customer] = {}
        for chunk in chunks(sorted(set(keys), key=lambda k: (k.kind.value, k.key))):
            query = look_up_query(tenant_id, chunk, listed)
            if query is None:
                continue
            for row in read_rows(self._connection, *query):
                key = identity_key(row["kind"], row["key"])
                if row["list_name"] is not None:
                    listed[row["list_name"]].add(key)
                    continue
                holder = row["customer_id"]
                if holder not in loaded:  # one row per key it holds: rebuild it once
                    loaded[holder] = customer_from_row(row)
                holding.setdefault(key, []).append(loaded[holder])
                if row["last_seen_at"] is not None:
                    last_seen[key, holder] = row["last_seen_at"]
        return KeyLookup(
            {key: tuple(sorted(found, key=lambda h: h.id)) for key, found in holding.items()},
            listed,
            last_seen,
        )

    def list_page(
        self, tenant_id: str, /, *, after: str | None = None, limit: int = 100
    ) -> Sequence[Customer]:
        query = select(*LOADED).where(c.tenant_id == tenant_id)
        if after is not None:
            query = query.where(c.id > after)
        return load_customers(self._connection, query.order_by(c.id).limit(limit))

    def count(self, tenant_id: str, /) -> int:
        total = self._connection.scalar(
            select(func.count()).select_from(customers).where(c.tenant_id == tenant_id)
        )
        return int(total or 0)


def _version_conflict() -> VersionConflict:
    return VersionConflict(
        "the customer changed since it was read", code=Code.VERSION_CONFLICT, field="version"
    )
