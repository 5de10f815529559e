"""Read paths: list, search and count customers, always under the actor's visibility.

"My portfolio" follows the sales-app rule: on by default for sellers, off for
supervisors and admins; choosing another seller's portfolio turns it off.

>>> from customer_core import Actor, presets
>>> from customer_core.adapters.memory import MemoryStore
>>> from customer_core.services import CustomerDirectory, CustomerService
>>> store = MemoryStore()
>>> customers = CustomerService(store, preset=presets.OMNICHAT)
>>> directory = CustomerDirectory(store, preset=presets.OMNICHAT)
>>> admin = Actor(tenant_id="loja", user_id="boss", role="admin")
>>> _ = customers.register("loja", admin, name="João da Silva", phones=["11 98765-4321"],
...     emails=["joao@x.com"], addresses=[{"street": "R. A", "neighborhood": "B", "city": "C"}])
>>> [c.name for c in directory.search("loja", admin, "joao")]
['João da Silva']
>>> [c.name for c in directory.search("loja", admin, "+55 11 8765 4321")]
['João da Silva']
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

import attrs

from customer_core.domain.matching.search import parse_search, search_key
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.rules.visibility import (
    CustomerFilter,
    VisibilityScope,
    my_portfolio_default,
)
from customer_core.domain.values.ids import check_id
from customer_core.errors import Code, InvalidValue
from customer_core.ports import UnitOfWork
from customer_core.services.base import ServiceBase

__all__ = ["CustomerDirectory", "Page"]

_MAX_LIMIT = 500


@attrs.frozen
class Page:
    """One page of a list; pass ``next_cursor`` back to get the next one."""

    items: Sequence[Customer]
    next_cursor: str | None


def _encode_cursor(customer: Customer) -> str:
    raw = json.dumps([search_key(customer), customer.id]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        if not isinstance(cursor, str):
            raise TypeError(cursor)
        key, customer_id = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, TypeError) as exc:
        raise InvalidValue(
            "the cursor is not valid", code=Code.INVALID_VALUE, field="cursor"
        ) from exc
    return str(key), str(customer_id)


def _check_limit(limit: int) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= _MAX_LIMIT:
        raise InvalidValue(
            f"limit must be 1 to {_MAX_LIMIT}", code=Code.INVALID_VALUE, field="limit"
        )
    return limit


class CustomerDirectory(ServiceBase):
    """List, search and count; every method takes the tenant and the actor."""

    def visibility(self, tenant_id: str, actor: Actor, /) -> VisibilityScope:
        """The actor's scope, for host apps that filter their own tickets by the same rule.

        Memory hosts call :meth:`VisibilityScope.allows`; SQL hosts pass it to
        ``customer_core.adapters.sqlalchemy.visible_customer_ids``.
        """
        with self.uow_factory() as uow:
            return self._scope(uow, tenant_id, actor)

    def _filter(
        self,
        uow: UnitOfWork,
        actor: Actor,
        tenant_id: str,
        *,
        my_portfolio: bool | None,
        seller_id: str | None,
        base: CustomerFilter | None = None,
    ) -> CustomerFilter:
        if my_portfolio is not None and not isinstance(my_portfolio, bool):
            raise InvalidValue(
                "my_portfolio is true or false", code=Code.INVALID_VALUE, field="my_portfolio"
            )
        if seller_id is not None:
            owner: str | None = check_id(seller_id, "seller_id")  # "my portfolio" off
        elif my_portfolio is None:
            owner = actor.user_id if my_portfolio_default(actor, self.preset.access) else None
        else:
            owner = actor.user_id if my_portfolio else None
        owned: frozenset[str] = frozenset()
        if owner is not None:
            owned = uow.portfolios.ids_owned_by(tenant_id, owner)
        return attrs.evolve(base or CustomerFilter(), owner_id=owner, owner_portfolio_ids=owned)

    def list(
        self,
        tenant_id: str,
        actor: Actor,
        /,
        *,
        relationship_type: RelationshipType | str | None = None,
        status: str | None = None,
        portfolio_id: str | None = None,
        unassigned: bool = False,
        responsible_id: str | None = None,
        my_portfolio: bool | None = None,
        seller_id: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page:
        """A page of visible customers in name order (keyset pagination: stable under inserts)."""
        try:
            kind = RelationshipType(relationship_type) if relationship_type is not None else None
        except ValueError as exc:
            raise InvalidValue(
                f"unknown relationship type {relationship_type!r}",
                code=Code.INVALID_VALUE,
                field="relationship_type",
            ) from exc
        limit = _check_limit(limit)
        after = _decode_cursor(cursor) if cursor else None
        for field, value in (
            ("status", status),
            ("portfolio_id", portfolio_id),
            ("responsible_id", responsible_id),
        ):
            if value is not None:
                check_id(value, field)  # a wrong type would silently match nothing
        if not isinstance(unassigned, bool):
            raise InvalidValue(
                "unassigned is true or false", code=Code.INVALID_VALUE, field="unassigned"
            )
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            customer_filter = self._filter(
                uow,
                actor,
                tenant_id,
                my_portfolio=my_portfolio,
                seller_id=seller_id,
                base=CustomerFilter(
                    relationship_type=kind,
                    status=status,
                    portfolio_id=portfolio_id,
                    unassigned=unassigned,
                    responsible_id=responsible_id,
                ),
            )
            items = uow.customers.find(scope, customer_filter, after=after, limit=limit + 1)
        more = len(items) > limit
        items = list(items[:limit])
        return Page(items, _encode_cursor(items[-1]) if more else None)

    def search(
        self,
        tenant_id: str,
        actor: Actor,
        text: str,
        /,
        *,
        my_portfolio: bool | None = None,
        seller_id: str | None = None,
        limit: int = 20,
    ) -> Sequence[Customer]:
        """Name, surname, e-mail (partial), phone (any format, with its area code) or a whole
        CPF/CNPJ (formatted or not), best match first."""
        query = parse_search(text, region=self.preset.default_region)
        limit = _check_limit(limit)
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            customer_filter = self._filter(
                uow, actor, tenant_id, my_portfolio=my_portfolio, seller_id=seller_id
            )
            return uow.customers.search(scope, query, customer_filter, limit=limit)

    def shared_with(
        self, tenant_id: str, actor: Actor, customer_id: str, /
    ) -> dict[IdentityKey, tuple[str, ...]]:
        """The other customers the actor can see that share each of the customer's lines or e-mails.

        A household's landline, a couple's e-mail, an owner's mobile shared with
        their company: shown on the card ("shared with 2"), computed when asked
        and only among the customers the actor may see, never stored on the
        record. Keys nobody else (visible) holds are absent.

        >>> from customer_core import connect, Actor
        >>> core = connect("memory://")
        >>> admin = Actor(tenant_id="t", user_id="u", role="admin")
        >>> ana = core.customers.register("t", admin, name="Ana Lima", phones=["11 3333-4444"])
        >>> bruno = core.customers.register("t", admin, name="Bruno Lima", phones=["11 3333-4444"])
        >>> [(k.kind.value, ids == (bruno.id,)) for k, ids in
        ...  core.directory.shared_with("t", admin, ana.id).items()]
        [('phone', True)]
        """
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            customer = uow.customers.get_visible(scope, customer_id)
            shareable = [k for k in customer.identity_keys() if k.kind.shareable]
            holders = uow.customers.holders(tenant_id, shareable)
            others = {h for ids in holders.values() for h in ids if h != customer.id}
            seen = {
                cid
                for cid, c in uow.customers.get_many(tenant_id, others).items()
                if scope.allows_customer(c)
            }
        shared = {k: tuple(h for h in ids if h in seen) for k, ids in holders.items()}
        return {k: ids for k, ids in shared.items() if ids}

    def counts(
        self,
        tenant_id: str,
        actor: Actor,
        /,
        *,
        my_portfolio: bool | None = None,
        seller_id: str | None = None,
    ) -> dict[RelationshipType, int]:
        """Visible customers per relationship type (the active/leads/contacts/inactive tabs)."""
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            customer_filter = self._filter(
                uow, actor, tenant_id, my_portfolio=my_portfolio, seller_id=seller_id
            )
            return uow.customers.count_by_relationship(scope, customer_filter)
