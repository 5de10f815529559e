"""Shared by the visibility leak test and the bulk operation tests.

The oracle below is written from the text of DESIGN §5 (and §2 for tenants
and relationship types), clause by clause. It deliberately does not call
``scope_for``, ``VisibilityScope.allows``, ``matches_filter`` or
``check_action``: it is what those are checked against.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import select

from customer_core import Actor, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import outbox
from customer_core.domain.model.actor import Permission, Role
from customer_core.domain.model.customer import Customer, RelationshipType, Source
from customer_core.domain.model.portfolio import Portfolio
from customer_core.ports import DomainEvent, DuplicateHint, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "OPEN",
    "RESTRICTED",
    "Boom",
    "Event",
    "PortfolioIndex",
    "allowed_bulk",
    "fail_on_event",
    "fresh_tenant",
    "in_portfolio_of",
    "may_move",
    "my_portfolio_owner",
    "outbox_events",
    "relationship",
    "sees",
    "snapshot",
    "store_world",
]

#: The two visibility modes: seed 003 (restricted) and seed 002 (open).
RESTRICTED = presets.HELPDESK_PORTFOLIO
OPEN = presets.OMNICHAT

#: Portfolios by (tenant, portfolio id).
PortfolioIndex = Mapping[tuple[str, str], Portfolio]


def fresh_tenant() -> str:
    """A tenant id no other example or test uses (the SQL databases are shared)."""
    return f"t-{uuid.uuid4().hex[:12]}"


# -- the oracle (DESIGN §5) ------------------------------------------------------------


def sees(actor: Actor, customer: Customer, portfolios: PortfolioIndex, *, restricted: bool) -> bool:
    """Whether ``actor`` may see ``customer``, read straight from DESIGN §5.

    A portfolio's owner counts as one of its members: an owned portfolio is
    "a seller's personal portfolio" (§2), the seller is in it.
    """
    # §2: everything is tenant-scoped; no query spans tenants.
    if customer.tenant_id != actor.tenant_id:
        return False
    # open: "everyone in the tenant sees every customer".
    if not restricted:
        return True
    # restricted: "admins see everything".
    if actor.role is Role.ADMIN:
        return True
    # "A customer's responsible seller always sees it."
    if customer.responsible_id is not None and customer.responsible_id == actor.user_id:
        return True
    # "Customers without a portfolio are invisible unless ... view_unassigned"
    # ("it opens the unassigned ones, not other portfolios").
    if customer.portfolio_id is None:
        return Permission.VIEW_UNASSIGNED in actor.permissions
    # "Supervisors may be given view_all_portfolios" (a permission: whoever has it).
    if Permission.VIEW_ALL_PORTFOLIOS in actor.permissions:
        return True
    # "an agent sees the customers ... of the portfolios it is a member of".
    portfolio = portfolios[(customer.tenant_id, customer.portfolio_id)]
    return actor.user_id in portfolio.member_ids or portfolio.owner_id == actor.user_id


def in_portfolio_of(seller_id: str, customer: Customer, portfolios: PortfolioIndex) -> bool:
    """Seed 002's "portfolio of a seller": customers it is responsible for or in its own portfolio."""
    if customer.responsible_id == seller_id:
        return True
    if customer.portfolio_id is None:
        return False
    return portfolios[(customer.tenant_id, customer.portfolio_id)].owner_id == seller_id


def my_portfolio_owner(
    actor: Actor, my_portfolio: bool | None, seller_id: str | None, *, restricted: bool
) -> str | None:
    """Whose portfolio the list is filtered by, or ``None`` for no filter.

    open: "'My portfolio' is a *filter*, on by default for sellers, and anyone
    may filter by another seller's portfolio" (choosing one replaces "mine").
    restricted has no such default: agents work from what they can see.
    """
    if seller_id is not None:
        return seller_id
    if my_portfolio is None:
        my_portfolio = not restricted and actor.role is Role.SELLER
    return actor.user_id if my_portfolio else None


def relationship(customer: Customer) -> RelationshipType:
    """§2: inactive → Inactive; has purchased → Active; self-registered → Lead; else Contact."""
    if customer.status == "inactive":
        return RelationshipType.INACTIVE
    if customer.first_purchase_at is not None:
        return RelationshipType.ACTIVE
    if customer.source is Source.SELF_REGISTERED:
        return RelationshipType.LEAD
    return RelationshipType.CONTACT


def may_move(
    actor: Actor,
    *,
    restricted: bool,
    portfolio: str | None = None,
    responsible: str | None = None,
    own_new_record: bool = False,
) -> bool:
    """Whether ``actor`` may write a customer's portfolio and/or responsible user.

    ``portfolio`` and ``responsible`` are ``"set"``, ``"clear"`` or ``None``
    (not written). Read from DESIGN §5, the seeds and issue 21 #2 ("one rule,
    used by every path"):

    - open (seed 002): "transfer and remove-from-portfolio (supervisor, admin),
      setting the responsible user (supervisor, admin)"; the "Usuário
      responsável" field "só está visível/disponível para supervisor/administrador".
    - restricted (seed 003): setting a customer's portfolio needs the permission
      "Definir carteira de clientes para cliente" (``assign_portfolio``); admins
      may do anything. The responsible user is still set by supervisors and admins.
    - ``assign_portfolio`` sets portfolios in either mode.
    - A seller saving a *new* customer may name itself responsible: it takes
      nobody's customer. Taking over an existing one is a change like any other.
    """
    manager = actor.role in (Role.SUPERVISOR, Role.ADMIN)
    if portfolio is not None and Permission.ASSIGN_PORTFOLIO not in actor.permissions:
        if restricted and actor.role is not Role.ADMIN:
            return False
        if not restricted and not manager:
            return False
    if responsible is not None and not manager:
        return own_new_record and responsible == "self"
    return True


def allowed_bulk(operation: str, actor: Actor, *, restricted: bool) -> bool:
    """Who may run each bulk action (DESIGN §5 and the presets' seed notes).

    The moves are judged by what they write (:func:`may_move`): a transfer to
    a portfolio sets the portfolio; a transfer to a seller who owns a
    portfolio sets both; removal clears both. Delete is admin-only; bulk
    conversation is a granted permission.
    """
    if operation == "transfer":
        return may_move(actor, restricted=restricted, portfolio="set")
    if operation == "transfer_to_seller":
        return may_move(actor, restricted=restricted, portfolio="set", responsible="set")
    if operation == "remove_from_portfolio":
        return may_move(actor, restricted=restricted, portfolio="clear", responsible="clear")
    if operation == "bulk_delete":
        return actor.role is Role.ADMIN
    if operation == "start_conversations":
        return Permission.BULK_CONVERSATION in actor.permissions
    raise AssertionError(f"unknown operation {operation}")


# -- writing a world and reading it back -------------------------------------------------


def store_world(
    storage: UnitOfWorkFactory,
    portfolios: Iterable[Portfolio],
    customers: Sequence[Customer],
    hints: Iterable[DuplicateHint] = (),
) -> None:
    """Everything in one transaction, through the repositories (no events)."""
    with storage() as uow:
        for portfolio in portfolios:
            uow.portfolios.add(portfolio)
        if customers:
            uow.customers.add_many(customers)
        for hint in hints:
            uow.hints.add(hint)
        uow.commit()


def snapshot(storage: UnitOfWorkFactory, tenant: str) -> dict[str, tuple[Any, ...]]:
    """Every customer of ``tenant`` as (portfolio, responsible, version), read without a scope."""
    found: dict[str, tuple[Any, ...]] = {}
    with storage() as uow:
        after: str | None = None
        while page := uow.customers.list_page(tenant, after=after, limit=500):
            found.update({c.id: (c.portfolio_id, c.responsible_id, c.version) for c in page})
            after = page[-1].id
    return found


@attrs.frozen
class Event:
    """An outbox row, as both adapters can give it back."""

    name: str
    customer_id: str | None
    actor_id: str | None
    occurred_at: datetime
    data: Mapping[str, Any]


def outbox_events(storage: UnitOfWorkFactory, tenant: str) -> list[Event]:
    """The tenant's committed events: the ``outbox`` table on SQL, the store's list in memory."""
    if isinstance(storage, MemoryStore):
        return [
            Event(e.name, e.customer_id, e.actor_id, e.occurred_at, dict(e.data))
            for e in storage.outbox
            if e.tenant_id == tenant
        ]
    assert isinstance(storage, SqlStorage)
    with storage.engine.connect() as connection:
        rows = connection.execute(select(outbox).where(outbox.c.tenant_id == tenant)).mappings()
        return [
            Event(r["name"], r["customer_id"], r["actor_id"], r["occurred_at"], dict(r["data"]))
            for r in rows
        ]


class Boom(Exception):
    """The failure the tests inject."""


def fail_on_event(storage: UnitOfWorkFactory, number: int) -> UnitOfWorkFactory:
    """A factory whose units of work fail when the ``number``-th event is recorded.

    The service records its events after the set-based write, so this fails a
    bulk action in the middle of its batch, with the rows already changed in
    the open transaction.
    """
    recorded = 0

    def open_unit() -> UnitOfWork:
        uow = storage()
        real: Callable[[DomainEvent], None] = uow.record

        def record(event: DomainEvent, /) -> None:
            nonlocal recorded
            recorded += 1
            if recorded == number:
                raise Boom(f"event {number} could not be written")
            real(event)

        setattr(uow, "record", record)  # noqa: B010  (mypy forbids assigning a method)
        return uow

    return open_unit
