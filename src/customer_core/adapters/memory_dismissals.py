"""The in-memory dismissals: decisions that customers are not duplicates.

Staged like the other memory repositories
(:mod:`customer_core.adapters.memory_records`): a dismissal is visible to the
rest of the store only once its unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from customer_core.adapters.memory_customers import MemoryCustomerRepository
from customer_core.adapters.memory_staging import Staging, TenantKey
from customer_core.adapters.shared import not_found
from customer_core.domain.model.dismissals import Dismissal
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import Code, Conflict

__all__ = ["MemoryDismissals"]


def _oldest_first(dismissal: Dismissal) -> tuple[datetime, str]:
    return dismissal.dismissed_at, dismissal.id


class MemoryDismissals:
    def __init__(
        self,
        staging: Staging,
        dismissals: dict[TenantKey, Dismissal],
        customers: MemoryCustomerRepository,
    ) -> None:
        self._dismissals = staging.overlay(dismissals)
        self._customers = customers

    def add(self, dismissal: Dismissal, /) -> None:
        key = (dismissal.tenant_id, dismissal.id)
        if key in self._dismissals:
            raise Conflict("a dismissal with this id exists", code=Code.CONFLICT, field="id")
        self._dismissals.put(key, dismissal)

    def get(self, tenant_id: str, dismissal_id: str, /) -> Dismissal:
        found = self._dismissals.get((tenant_id, dismissal_id))
        if found is None:
            raise not_found("dismissal")
        return found

    def mark_undone(self, tenant_id: str, dismissal_id: str, at: datetime, by: str, /) -> None:
        dismissal = self.get(tenant_id, dismissal_id)
        self._dismissals.put(
            (tenant_id, dismissal_id), attrs.evolve(dismissal, undone_at=at, undone_by=by)
        )

    def in_force(self, tenant_id: str, /) -> Sequence[Dismissal]:
        found = [d for d in self._dismissals.in_tenant(tenant_id).values() if d.in_force]
        return sorted(found, key=_oldest_first)

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Dismissal]:
        found = self._dismissals.in_tenant(tenant_id).values()
        return sorted((d for d in found if customer_id in d.customer_ids), key=_oldest_first)

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        naming = self.about(tenant_id, customer_id)
        for dismissal in naming:
            left = dismissal.without(customer_id)
            if left is None:
                self._dismissals.remove((tenant_id, dismissal.id))
            else:
                self._dismissals.put((tenant_id, dismissal.id), left)
        return len(naming)

    def list_visible(
        self, scope: VisibilityScope, /, *, undone: bool = False
    ) -> Sequence[Dismissal]:
        seen = {c.id for c in self._customers.visible(scope, CustomerFilter())}
        found = [
            d
            for d in self._dismissals.in_tenant(scope.tenant_id).values()
            if (undone or d.in_force) and seen.issuperset(d.customer_ids)
        ]
        return sorted(found, key=_oldest_first)
