"""The in-memory identity index: holder rows, the holders of each key, and claims.

It keeps what the SQL adapter keeps (``customer_identities`` rows with their
``last_seen_at``, and ``identity_claims``), plus the holders of each key as a
set, so a look-up costs a dict read. All three are staged like every other
memory table (:mod:`customer_core.adapters.memory_staging`); at commit, under
the store's lock, :meth:`MemoryIdentityIndex.check_commit` refuses a claim
another transaction took meanwhile and rebases the holder sets on what others
committed, so two transactions adding holders to one shared line both count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from customer_core.adapters.memory_staging import Staging
from customer_core.adapters.shared import IdentityPlan, duplicate_identity
from customer_core.domain.model.identity import IdentityKey

__all__ = ["ClaimRow", "HolderRow", "IdentityTables", "MemoryIdentityIndex"]

HolderRow = tuple[str, IdentityKey, str]  # (tenant_id, key, customer_id)
ClaimRow = tuple[str, IdentityKey]  # (tenant_id, key)


class IdentityTables:
    """The committed identity tables of a :class:`~customer_core.adapters.memory.MemoryStore`."""

    def __init__(self) -> None:
        self.rows: dict[HolderRow, datetime | None] = {}  # value: last seen
        self.holders: dict[ClaimRow, frozenset[str]] = {}
        self.claims: dict[ClaimRow, bool] = {}


class MemoryIdentityIndex:
    """One transaction's view of the identity tables."""

    def __init__(self, staging: Staging, tables: IdentityTables) -> None:
        self._rows = staging.overlay(tables.rows)
        self._holders = staging.overlay(tables.holders)
        self._claims = staging.overlay(tables.claims)
        # Claims that must fail when another transaction took them first
        # (exclusive keys, and every key of a first_holder write).
        self._strict: set[ClaimRow] = set()
        # Claims this transaction released (a deleted holder): retaking one is no race.
        self._released: set[ClaimRow] = set()

    def holders(
        self, tenant_id: str, keys: Iterable[IdentityKey]
    ) -> dict[IdentityKey, tuple[str, ...]]:
        found = {}
        for key in keys:
            ids = self._holders.get((tenant_id, key))
            if ids:
                found[key] = tuple(sorted(ids))
        return found

    def last_seen(self, tenant_id: str, key: IdentityKey, customer_id: str) -> datetime | None:
        return self._rows.get((tenant_id, key, customer_id))

    def apply(self, tenant_id: str, plan: IdentityPlan) -> None:
        """Stage the rows and claims of ``plan`` (already checked against these holders)."""
        for customer_id, key in plan.removed:
            self._rows.remove((tenant_id, key, customer_id))
            self._set_holders(tenant_id, key, self._held(tenant_id, key) - {customer_id})
        for customer_id, key in plan.added:
            self._rows.put((tenant_id, key, customer_id), None)
            self._set_holders(tenant_id, key, self._held(tenant_id, key) | {customer_id})
        for key in plan.claimed:
            self._claims.put((tenant_id, key), True)
            if plan.must_claim(key):
                self._strict.add((tenant_id, key))
        for key in plan.released:
            self._claims.remove((tenant_id, key))
            self._released.add((tenant_id, key))

    def mark_seen(
        self, tenant_id: str, customer_id: str, keys: Iterable[IdentityKey], at: datetime
    ) -> None:
        for key in keys:
            row = (tenant_id, key, customer_id)
            if key.kind.shareable and row in self._rows:
                self._rows.put(row, at)

    def check_commit(self) -> None:
        """Under the store's lock: refuse a lost claim race, rebase the holder sets."""
        for row in self._claims.written():
            taken = self._claims.get(row) is not None
            if (
                taken
                and row in self._strict
                and row not in self._released
                and self._claims.committed(row) is not None
            ):
                # Another transaction gave the key its first holder after we read it.
                holders = self._holders.committed(row) or frozenset({""})
                raise duplicate_identity(row[1], min(holders))
        changes: dict[tuple[str, IdentityKey], dict[str, bool]] = {}
        for tenant_id, key, customer_id in self._rows.written():
            present = (tenant_id, key, customer_id) in self._rows
            changes.setdefault((tenant_id, key), {})[customer_id] = present
        for (tenant_id, key), delta in changes.items():
            ids = set(self._holders.committed((tenant_id, key)) or ())
            ids |= {cid for cid, present in delta.items() if present}
            ids -= {cid for cid, present in delta.items() if not present}
            self._set_holders(tenant_id, key, frozenset(ids))

    def _held(self, tenant_id: str, key: IdentityKey) -> frozenset[str]:
        return self._holders.get((tenant_id, key)) or frozenset()

    def _set_holders(self, tenant_id: str, key: IdentityKey, ids: frozenset[str]) -> None:
        if ids:
            self._holders.put((tenant_id, key), ids)
        else:
            self._holders.remove((tenant_id, key))
