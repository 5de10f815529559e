"""The identity index: who holds which keys, and writing an
:class:`~customer_core.adapters.shared.IdentityPlan` (holder rows and claims).

Both users of the index, the repository's writes
(:class:`~.repository.SqlCustomerRepository`) and the scoped bulk deletion
(:class:`~.visibility.VisibleCustomers`), read it with
:func:`identities_of` and change it through a plan.

The plan (made by the same function for every adapter) says which holder rows
of ``customer_identities`` go and come, and which keys of ``identity_claims``
are released or claimed. The statements run in this order, each set-based and
sorted by key (concurrent writers lock index entries in one order):

1. delete the holder rows that go;
2. release the claims of keys left without a holder -- guarded in SQL, so a
   holder another transaction added meanwhile keeps its key's claim;
3. insert the new holder rows;
4. claim: a plain INSERT where the claim must be ours (an exclusive key, or a
   ``first_holder`` write) -- the primary key then refuses a second holder,
   whatever the race -- and an INSERT that skips an existing claim for a
   shareable key anyone may share.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import zip_longest
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, select, tuple_, union_all

from customer_core.adapters.shared import IdentityPlan, plan_identities
from customer_core.adapters.sqlalchemy.errors import Writes
from customer_core.adapters.sqlalchemy.mapping import identity_key
from customer_core.adapters.sqlalchemy.queries import chunks, select_by_keys, upsert
from customer_core.adapters.sqlalchemy.tables import customer_identities, identity_claims
from customer_core.domain.model.identity import IdentityKey

__all__ = ["forget_identities", "identities_of", "write_identities"]

i, k = customer_identities.c, identity_claims.c


def _claim_rows(tenant_id: str, keys: list[IdentityKey]) -> list[dict[str, str]]:
    return [{"tenant_id": tenant_id, "kind": key.kind.value, "key": key.key} for key in keys]


def write_identities(writes: Writes, tenant_id: str, plan: IdentityPlan) -> None:
    """Apply ``plan`` to the tenant's identity rows and claims (see the module docstring)."""
    removed = sorted((customer_id, key.kind.value, key.key) for customer_id, key in plan.removed)
    for doomed in chunks(removed):
        writes.execute(
            delete(customer_identities).where(
                i.tenant_id == tenant_id, tuple_(i.customer_id, i.kind, i.key).in_(doomed)
            )
        )
    for chunk in chunks([(key.kind.value, key.key) for key in plan.released]):
        held = (
            select(i.customer_id)
            .where(i.tenant_id == k.tenant_id, i.kind == k.kind, i.key == k.key)
            .correlate(identity_claims)
        )
        writes.execute(
            delete(identity_claims).where(
                k.tenant_id == tenant_id, tuple_(k.kind, k.key).in_(chunk), ~exists(held)
            )
        )
    if plan.added:
        rows: list[dict[str, Any]] = [
            {"tenant_id": tenant_id, "kind": key.kind.value, "key": key.key, "customer_id": cid}
            for cid, key in sorted(plan.added, key=lambda a: (a[1].kind.value, a[1].key, a[0]))
        ]
        writes.insert_many(insert(customer_identities), rows)
    ours = [key for key in plan.claimed if plan.must_claim(key)]
    shared = [key for key in plan.claimed if not plan.must_claim(key)]
    if ours:
        writes.insert_many(insert(identity_claims), _claim_rows(tenant_id, ours))
    if shared:
        dialect = writes.connection.dialect.name
        writes.insert_many(
            upsert(dialect, identity_claims, update=[]), _claim_rows(tenant_id, shared)
        )


def identities_of(
    connection: Connection,
    tenant_id: str,
    customer_ids: Sequence[str],
    keys: Collection[IdentityKey],
) -> tuple[dict[str, set[IdentityKey]], dict[IdentityKey, set[str]]]:
    """The stored keys of ``customer_ids``, and who holds any of them or of ``keys``.

    Each query is a UNION ALL rather than an OR, so each half uses its own
    index; a batch of one takes one round trip.
    """
    owned: dict[str, set[IdentityKey]] = {}
    holders: dict[IdentityKey, set[str]] = {}
    wanted = set(customer_ids)
    columns = (i.kind, i.key, i.customer_id)
    sorted_keys = sorted(keys, key=lambda k: (k.kind.value, k.key))
    for ids, part in zip_longest(chunks(customer_ids), chunks(sorted_keys), fillvalue=()):
        queries = []
        if ids:
            queries.append(select(*columns).where(i.tenant_id == tenant_id, i.customer_id.in_(ids)))
        if part:
            queries += select_by_keys(
                customer_identities, part, *columns, where=i.tenant_id == tenant_id
            )
        for kind, key, holder in connection.execute(union_all(*queries)):
            identity = identity_key(kind, key)
            holders.setdefault(identity, set()).add(holder)
            if holder in wanted:
                owned.setdefault(holder, set()).add(identity)
    return owned, holders


def forget_identities(writes: Writes, tenant_id: str, customer_ids: Sequence[str]) -> None:
    """Delete the holder rows of customers about to go, and the claims left unheld."""
    for chunk in chunks(customer_ids):
        owned, holders = identities_of(writes.connection, tenant_id, chunk, ())
        plan = plan_identities([(cid, owned.get(cid, ()), ()) for cid in chunk], holders)
        write_identities(writes, tenant_id, plan)
