"""Portfolios (*carteiras*) over one connection; members live in ``portfolio_members``.

Implements :class:`~customer_core.ports.PortfolioRepository`; re-exported by
:mod:`.repository`, next to the customer repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, bindparam, delete, insert, or_, select, true, union, update

from customer_core.adapters.shared import not_found
from customer_core.adapters.sqlalchemy.errors import GuardedRepository, Handlers, Writes
from customer_core.adapters.sqlalchemy.mapping import portfolio_from_rows, portfolio_row
from customer_core.adapters.sqlalchemy.tables import customers, portfolio_members, portfolios
from customer_core.domain.model.portfolio import Portfolio
from customer_core.errors import Code, Conflict

__all__ = ["SqlPortfolioRepository"]

p, m = portfolios.c, portfolio_members.c

# The scope of every restricted actor's request starts with these look-ups:
# built once, SQLAlchemy reuses their cache keys and compiled forms, which
# cost more than running them.
_IDS_OWNED_BY = select(p.id).where(
    p.tenant_id == bindparam("tenant_id"), p.owner_id == bindparam("user_id")
)
# Two index lookups in one statement: (tenant_id, owner_id) and the members'
# (tenant_id, user_id); no portfolio row is read.
_IDS_FOR_USER = union(
    _IDS_OWNED_BY,
    select(m.portfolio_id).where(
        m.tenant_id == bindparam("tenant_id"), m.user_id == bindparam("user_id")
    ),
)


class SqlPortfolioRepository(GuardedRepository):
    """Portfolios of every tenant, each write in a SAVEPOINT (see :mod:`.errors`)."""

    def add(self, portfolio: Portfolio, /) -> None:
        handlers: Handlers = {
            str(portfolios.primary_key.name): lambda: Conflict(
                "a portfolio with this id exists", code=Code.CONFLICT, field="id"
            )
        }
        with self._writing(handlers) as writes:
            writes.execute(insert(portfolios), portfolio_row(portfolio))
            _add_members(writes, portfolio, portfolio.member_ids)

    def save(self, portfolio: Portfolio, /) -> None:
        tenant_id, portfolio_id = portfolio.tenant_id, portfolio.id
        values = portfolio_row(portfolio)
        del values["tenant_id"], values["id"]
        with self._writing({}) as writes:
            updated = writes.execute(
                update(portfolios)
                .where(p.tenant_id == tenant_id, p.id == portfolio_id)
                .values(values)
            )
            if updated.rowcount == 0:
                raise not_found("portfolio")
            current = set(
                self._connection.scalars(
                    select(m.user_id).where(
                        m.tenant_id == tenant_id, m.portfolio_id == portfolio_id
                    )
                )
            )
            if removed := current - portfolio.member_ids:
                writes.execute(
                    delete(portfolio_members).where(
                        m.tenant_id == tenant_id,
                        m.portfolio_id == portfolio_id,
                        m.user_id.in_(sorted(removed)),
                    )
                )
            _add_members(writes, portfolio, portfolio.member_ids - current)

    def delete(self, tenant_id: str, portfolio_id: str, /) -> Sequence[str]:
        with self._writing({}) as writes:
            writes.execute(
                delete(portfolio_members).where(
                    m.tenant_id == tenant_id, m.portfolio_id == portfolio_id
                )
            )
            deleted = writes.execute(
                delete(portfolios).where(p.tenant_id == tenant_id, p.id == portfolio_id)
            )
            if deleted.rowcount == 0:
                raise not_found("portfolio")
            # One set-based statement for any number of customers. Their
            # version moves on, as with any other change, so a concurrent save
            # of one of them gets a VersionConflict instead of undoing this.
            # The documents are not rewritten: portfolio_id is column-owned
            # (see mapping.COLUMN_OWNED). Their ids are read first, locked
            # (no UPDATE ... RETURNING on MariaDB), for their audit entries.
            in_portfolio = (customers.c.tenant_id == tenant_id) & (
                customers.c.portfolio_id == portfolio_id
            )
            unassigned = list(
                writes.connection.execute(
                    select(customers.c.id).where(in_portfolio).with_for_update()
                ).scalars()
            )
            writes.execute(
                update(customers)
                .where(in_portfolio)
                .values(portfolio_id=None, version=customers.c.version + 1)
            )
        return unassigned

    def get(self, tenant_id: str, portfolio_id: str, /) -> Portfolio:
        found = self._load(tenant_id, p.id == portfolio_id)
        if not found:
            raise not_found("portfolio")
        return found[0]

    def list_all(self, tenant_id: str, /) -> Sequence[Portfolio]:
        return self._load(tenant_id, true())

    def for_user(self, tenant_id: str, user_id: str, /) -> Sequence[Portfolio]:
        member_of = select(m.portfolio_id).where(m.tenant_id == tenant_id, m.user_id == user_id)
        return self._load(tenant_id, or_(p.owner_id == user_id, p.id.in_(member_of)))

    def ids_for_user(self, tenant_id: str, user_id: str, /) -> frozenset[str]:
        found = self._connection.scalars(
            _IDS_FOR_USER, {"tenant_id": tenant_id, "user_id": user_id}
        )
        return frozenset(found)

    def ids_owned_by(self, tenant_id: str, owner_id: str, /) -> frozenset[str]:
        found = self._connection.scalars(
            _IDS_OWNED_BY, {"tenant_id": tenant_id, "user_id": owner_id}
        )
        return frozenset(found)

    def _load(self, tenant_id: str, condition: ColumnElement[bool]) -> list[Portfolio]:
        """Portfolios with their members in two queries, whatever their number.

        Sorted by name in Python, as the memory adapter does, so that the
        order does not depend on the database's collation of names.
        """
        query = select(portfolios).where(p.tenant_id == tenant_id, condition).order_by(p.id)
        rows = self._connection.execute(query).mappings().all()
        if not rows:
            return []
        member_ids: dict[str, list[str]] = {}
        members = select(m.portfolio_id, m.user_id).where(
            m.tenant_id == tenant_id, m.portfolio_id.in_([row["id"] for row in rows])
        )
        for portfolio_id, user_id in self._connection.execute(members):
            member_ids.setdefault(portfolio_id, []).append(user_id)
        loaded = [portfolio_from_rows(row, member_ids.get(row["id"], ())) for row in rows]
        return sorted(loaded, key=lambda portfolio: portfolio.name)


def _add_members(writes: Writes, portfolio: Portfolio, user_ids: Iterable[str]) -> None:
    rows = [
        {"tenant_id": portfolio.tenant_id, "portfolio_id": portfolio.id, "user_id": user_id}
        for user_id in sorted(user_ids)
    ]
    if rows:
        writes.execute(insert(portfolio_members), rows)
