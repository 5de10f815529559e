"""Dismissals in SQL: a decision per row, its customers in ``dismissal_members``.

Implements :class:`~customer_core.ports.DismissalRepository` in the
transaction of the unit of work, every statement scoped by ``tenant_id``.
Listing under a visibility scope is one query: a dismissal is listed unless
one of its members is not a customer the scope sees (``NOT EXISTS``), so
nothing about customers outside the scope is read into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, insert, select, update

from customer_core.adapters.shared import not_found
from customer_core.adapters.sqlalchemy.errors import GuardedRepository, Handlers
from customer_core.adapters.sqlalchemy.queries import visible
from customer_core.adapters.sqlalchemy.tables import customers, dismissal_members, dismissals
from customer_core.domain.model.dismissals import REASON_REMOVED, Dismissal, DismissalKind
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.errors import Code, Conflict

__all__ = ["SqlDismissals"]

_d = dismissals.c
_m = dismissal_members.c


def _hidden_member(scope: VisibilityScope) -> ColumnElement[bool]:
    """Whether the dismissal of the outer query names a customer ``scope`` does not see."""
    member = dismissal_members.alias("member")
    seen = select(customers.c.id).where(
        customers.c.tenant_id == member.c.tenant_id,
        customers.c.id == member.c.customer_id,
        visible(scope),
    )
    return exists(
        select(member.c.customer_id).where(
            member.c.tenant_id == _d.tenant_id,
            member.c.dismissal_id == _d.id,
            ~exists(seen),
        )
    )


class SqlDismissals(GuardedRepository):
    """Decisions that customers are not duplicates; undone ones are kept, marked."""

    def add(self, dismissal: Dismissal, /) -> None:
        handlers: Handlers = {
            str(dismissals.primary_key.name): lambda: Conflict(
                "a dismissal with this id exists", code=Code.CONFLICT, field="id"
            )
        }
        row = {
            "tenant_id": dismissal.tenant_id,
            "id": dismissal.id,
            "kind": dismissal.kind.value,
            "reason": dismissal.reason,
            "actor_id": dismissal.actor_id,
            "dismissed_at": dismissal.dismissed_at,
            "undone_at": dismissal.undone_at,
            "undone_by": dismissal.undone_by,
        }
        members = [
            {"tenant_id": dismissal.tenant_id, "dismissal_id": dismissal.id, "customer_id": c}
            for c in dismissal.customer_ids
        ]
        with self._writing(handlers) as writes:
            writes.execute(insert(dismissals), row)
            writes.execute(insert(dismissal_members), members)

    def get(self, tenant_id: str, dismissal_id: str, /) -> Dismissal:
        found = self._load(_d.tenant_id == tenant_id, _d.id == dismissal_id)
        if not found:
            raise not_found("dismissal")
        return found[0]

    def mark_undone(self, tenant_id: str, dismissal_id: str, at: datetime, by: str, /) -> None:
        with self._writing({}) as writes:
            updated = writes.execute(
                update(dismissals)
                .where(_d.tenant_id == tenant_id, _d.id == dismissal_id)
                .values(undone_at=at, undone_by=by)
            )
            if updated.rowcount == 0:
                raise not_found("dismissal")

    def in_force(self, tenant_id: str, /) -> Sequence[Dismissal]:
        return self._load(_d.tenant_id == tenant_id, _d.undone_at.is_(None))

    def list_visible(
        self, scope: VisibilityScope, /, *, undone: bool = False
    ) -> Sequence[Dismissal]:
        conditions = [_d.tenant_id == scope.tenant_id, ~_hidden_member(scope)]
        if not undone:
            conditions.append(_d.undone_at.is_(None))
        return self._load(*conditions)

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Dismissal]:
        return self._load(
            _d.tenant_id == tenant_id, _d.id.in_(self._naming(tenant_id, customer_id))
        )

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        naming = self.about(tenant_id, customer_id)
        if not naming:
            return 0
        # What is left of each decision is the domain's rule (Dismissal.without).
        gone = [d.id for d in naming if d.without(customer_id) is None]
        kept = [d.id for d in naming if d.without(customer_id) is not None]
        with self._writing({}) as writes:
            if gone:
                writes.execute(
                    delete(dismissal_members).where(
                        _m.tenant_id == tenant_id, _m.dismissal_id.in_(gone)
                    )
                )
                writes.execute(delete(dismissals).where(_d.tenant_id == tenant_id, _d.id.in_(gone)))
            if kept:
                writes.execute(
                    delete(dismissal_members).where(
                        _m.tenant_id == tenant_id,
                        _m.dismissal_id.in_(kept),
                        _m.customer_id == customer_id,
                    )
                )
                writes.execute(
                    update(dismissals)
                    .where(_d.tenant_id == tenant_id, _d.id.in_(kept))
                    .values(reason=REASON_REMOVED)
                )
        return len(naming)

    @staticmethod
    def _naming(tenant_id: str, customer_id: str) -> Any:
        """The ids of the dismissals ``customer_id`` is one of the customers of."""
        return select(_m.dismissal_id).where(
            _m.tenant_id == tenant_id, _m.customer_id == customer_id
        )

    def _load(self, *conditions: ColumnElement[bool]) -> list[Dismissal]:
        """The dismissals meeting ``conditions``, oldest first, with their members."""
        with_members = dismissals.join(
            dismissal_members, and_(_m.tenant_id == _d.tenant_id, _m.dismissal_id == _d.id)
        )
        query = (
            select(dismissals, _m.customer_id)
            .select_from(with_members)
            .where(*conditions)
            .order_by(_d.dismissed_at, _d.id, _m.customer_id)
        )
        rows = self._connection.execute(query).mappings()
        found = []
        for _, group in groupby(rows, key=lambda r: r["id"]):
            members: list[Any] = list(group)
            first = members[0]
            found.append(
                Dismissal(
                    id=first["id"],
                    tenant_id=first["tenant_id"],
                    customer_ids=tuple(r["customer_id"] for r in members),
                    kind=DismissalKind(first["kind"]),
                    reason=first["reason"],
                    actor_id=first["actor_id"],
                    dismissed_at=first["dismissed_at"],
                    undone_at=first["undone_at"],
                    undone_by=first["undone_by"],
                )
            )
        return found
