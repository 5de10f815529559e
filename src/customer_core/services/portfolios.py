"""Portfolios (*carteiras*) and the bulk actions on customers: transfer, remove, delete.

Every bulk action works on the customers the actor can see (others are
skipped, never revealed), is one set-based write, and leaves an audit trail:
one ``customer.portfolio_changed`` event per customer with who, from, to and
when, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import clean_name
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.privacy import check_purpose
from customer_core.domain.rules.assignment import (
    Reassignment,
    check_manage_portfolios,
    check_reassignment,
)
from customer_core.domain.rules.visibility import (
    Action,
    VisibilityScope,
    check_action,
    with_creator_in_sight,
)
from customer_core.errors import Code, InvalidOperation, InvalidValue
from customer_core.ports import ConversationStarter, UnitOfWork
from customer_core.services.base import ServiceBase, check_tenant, visible_portfolio
from customer_core.services.bulk import (
    BulkResult,
    bulk_ids,
    check_conversation_request,
    id_list,
    optional_id,
    sees,
    visible_blocked,
)
from customer_core.services.inputs import _text
from customer_core.unset import UNSET, Unset

__all__ = ["BulkResult", "PortfolioService"]


class PortfolioService(ServiceBase):
    """Create and manage portfolios; move customers between them."""

    def _manage(self, actor: Actor) -> None:
        check_manage_portfolios(actor, self.preset.access)

    def create(
        self,
        tenant_id: str,
        actor: Actor,
        /,
        *,
        name: str,
        description: str | None = None,
        member_ids: Iterable[str] = (),
        owner_id: str | None = None,
    ) -> Portfolio:
        check_tenant(tenant_id, actor)
        self._manage(actor)
        portfolio = Portfolio(
            id=self.ids.new_id(),
            tenant_id=tenant_id,
            name=clean_name(name, "name") or "",
            description=_text(description, "description"),
            member_ids=frozenset(id_list(member_ids, "member_ids")),
            owner_id=optional_id(owner_id, "owner_id"),
        )
        portfolio = with_creator_in_sight(actor, self.preset.access, portfolio)
        with self.uow_factory() as uow:
            uow.portfolios.add(portfolio)
            uow.record(
                self._new_event(
                    "portfolio.created", actor, tenant_id, None, portfolio_id=portfolio.id
                )
            )
            self._commit(uow)
        return portfolio

    def get(self, tenant_id: str, actor: Actor, portfolio_id: str, /) -> Portfolio:
        """The portfolio, or ``not_found`` when the actor cannot see it."""
        check_tenant(tenant_id, actor)
        with self.uow_factory() as uow:
            return self._visible(uow, tenant_id, actor, portfolio_id)

    def list_all(self, tenant_id: str, actor: Actor, /) -> Sequence[Portfolio]:
        """The portfolios the actor can see (all of them for admins and open mode)."""
        check_tenant(tenant_id, actor)
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            return [p for p in uow.portfolios.list_all(tenant_id) if scope.allows_portfolio(p.id)]

    def _visible(
        self,
        uow: UnitOfWork,
        tenant_id: str,
        actor: Actor,
        portfolio_id: str,
        *,
        field: str = "portfolio_id",
    ) -> Portfolio:
        """A portfolio the actor sees: one it cannot see is ``not_found`` (read, managed or deleted).

        A supervisor without ``view_all_portfolios`` could otherwise add itself
        to another team's portfolio and read its customers, or delete it.
        Missing and invisible are the same error, on ``field`` (the
        parameter that named the portfolio), for every actor.
        """
        return visible_portfolio(uow, self._scope(uow, tenant_id, actor), portfolio_id, field=field)

    def update(
        self,
        tenant_id: str,
        actor: Actor,
        portfolio_id: str,
        /,
        *,
        name: str | None = None,
        description: str | None = None,
        member_ids: Iterable[str] | None = None,
        owner_id: str | Unset | None = UNSET,
    ) -> Portfolio:
        """Change what is given; ``owner_id=None`` clears the owner, left out keeps it."""
        check_tenant(tenant_id, actor)
        self._manage(actor)
        with self.uow_factory() as uow:
            current = self._visible(uow, tenant_id, actor, portfolio_id)
            changed = attrs.evolve(
                current,
                name=(clean_name(name, "name") or current.name)
                if name is not None
                else current.name,
                description=_text(description, "description")
                if description is not None
                else current.description,
                member_ids=frozenset(id_list(member_ids, "member_ids"))
                if member_ids is not None
                else current.member_ids,
                owner_id=current.owner_id
                if owner_id is UNSET
                else optional_id(owner_id, "owner_id"),
            )
            uow.portfolios.save(changed)
            uow.record(
                self._new_event(
                    "portfolio.updated", actor, tenant_id, None, portfolio_id=portfolio_id
                )
            )
            self._commit(uow)
        return changed

    def delete(self, tenant_id: str, actor: Actor, portfolio_id: str, /) -> int:
        """Delete a portfolio; its customers become unassigned (not deleted). Returns how many.

        Unassigned as :meth:`remove_from_portfolio` leaves them: no portfolio
        and no responsible user, so a member of the deleted portfolio who was
        their responsible no longer sees them.
        """
        check_tenant(tenant_id, actor)
        self._manage(actor)
        with self.uow_factory() as uow:
            self._visible(uow, tenant_id, actor, portfolio_id)
            unassigned = uow.portfolios.delete(tenant_id, portfolio_id)
            cleared = uow.customers.assign(
                VisibilityScope(tenant_id=tenant_id, everything=True),
                unassigned,
                portfolio_id=None,
                responsible_id=None,
                fields=frozenset({"responsible_id"}),
                now=self.clock.now(),
            )
            responsible_before = {move.customer_id: move.from_responsible_id for move in cleared}
            uow.record(
                self._new_event(
                    "portfolio.deleted",
                    actor,
                    tenant_id,
                    None,
                    portfolio_id=portfolio_id,
                    unassigned=len(unassigned),
                )
            )
            for customer_id in unassigned:  # each customer's trail shows it left
                uow.record(
                    self._new_event(
                        "customer.portfolio_changed",
                        actor,
                        tenant_id,
                        customer_id,
                        from_portfolio_id=portfolio_id,
                        to_portfolio_id=None,
                        from_responsible_id=responsible_before.get(customer_id),
                        to_responsible_id=None,
                    )
                )
            self._commit(uow)
        return len(unassigned)

    # -- bulk actions on customers ------------------------------------------

    def _assign(
        self,
        uow: UnitOfWork,
        tenant_id: str,
        actor: Actor,
        ids: list[str],
        *,
        portfolio_id: str | None,
        responsible_id: str | None,
        fields: frozenset[str],
        target: Portfolio | None = None,
    ) -> BulkResult:
        scope = self._scope(uow, tenant_id, actor)
        blocked = visible_blocked(uow, scope, ids)
        moved = uow.customers.assign(
            scope,
            [cid for cid in ids if cid not in blocked],
            portfolio_id=portfolio_id,
            responsible_id=responsible_id,
            fields=fields,
            now=self.clock.now(),
            # A responsible outside the target portfolio would keep seeing the customer.
            keep_responsibles=None if target is None else target.team,
        )
        for move in moved:
            uow.record(
                self._new_event(
                    "customer.portfolio_changed",
                    actor,
                    tenant_id,
                    move.customer_id,
                    from_portfolio_id=move.from_portfolio_id,
                    to_portfolio_id=move.to_portfolio_id,
                    from_responsible_id=move.from_responsible_id,
                    to_responsible_id=move.to_responsible_id,
                )
            )
        self._commit(uow)
        return BulkResult.of(ids, moved).with_blocked(blocked)

    def _check_move(self, actor: Actor, change: Reassignment) -> None:
        check_reassignment(actor, self.preset.access, change)

    def transfer(
        self,
        tenant_id: str,
        actor: Actor,
        customer_ids: Iterable[str],
        /,
        *,
        to_portfolio_id: str | None = None,
        to_seller_id: str | None = None,
    ) -> BulkResult:
        """Move customers to a portfolio and/or a seller (their responsible user).

        The target portfolio must be one the actor sees (else ``not_found`` on
        ``to_portfolio_id``). Moving to a portfolio without a seller keeps a
        customer's responsible user only when it is a member or the owner of
        that portfolio, and clears it otherwise: the old team's agent would
        still see the customer through it. Moving to a seller without a
        portfolio uses the seller's own portfolio when there is one (the
        sales-app "transfer to seller"); a seller who owns several is
        ambiguous (``invalid_operation`` on ``to_seller_id``): name the
        portfolio too.
        """
        optional_id(to_portfolio_id, "to_portfolio_id")
        optional_id(to_seller_id, "to_seller_id")
        if to_portfolio_id is None and to_seller_id is None:
            raise InvalidValue(
                "choose a portfolio or a seller", code=Code.INVALID_VALUE, field="to_portfolio_id"
            )
        # Judged by what the call writes, before anything is looked up.
        self._check_move(
            actor,
            Reassignment(
                portfolio=to_portfolio_id is not None,
                portfolio_id=to_portfolio_id,
                responsible=to_seller_id is not None,
                responsible_id=to_seller_id,
            ),
        )
        ids = bulk_ids(customer_ids)
        with self.uow_factory() as uow:
            target: Portfolio | None = None
            if to_portfolio_id is not None:
                target = self._visible(
                    uow, tenant_id, actor, to_portfolio_id, field="to_portfolio_id"
                )
            elif to_seller_id is not None:
                target = self._seller_portfolio(uow, tenant_id, actor, to_seller_id)
                to_portfolio_id = target.id if target is not None else None
                if to_portfolio_id is not None:  # the seller's own portfolio is written too
                    self._check_move(
                        actor,
                        Reassignment(
                            portfolio=True,
                            portfolio_id=to_portfolio_id,
                            responsible=True,
                            responsible_id=to_seller_id,
                        ),
                    )
            fields = frozenset({"portfolio_id"} if to_portfolio_id is not None else set())
            if to_seller_id is not None:
                fields |= {"responsible_id"}
            return self._assign(
                uow,
                tenant_id,
                actor,
                ids,
                portfolio_id=to_portfolio_id,
                responsible_id=to_seller_id,
                fields=fields,
                target=target,
            )

    def _seller_portfolio(
        self, uow: UnitOfWork, tenant_id: str, actor: Actor, seller_id: str
    ) -> Portfolio | None:
        """The one portfolio ``seller_id`` owns (``None``: none), which the actor must see."""
        own = [p for p in uow.portfolios.list_all(tenant_id) if p.owner_id == seller_id]
        if len(own) > 1:
            raise InvalidOperation(
                "the seller owns several portfolios: choose one with to_portfolio_id",
                code=Code.INVALID_OPERATION,
                field="to_seller_id",
            )
        if not own:
            return None
        return self._visible(uow, tenant_id, actor, own[0].id, field="to_seller_id")

    def remove_from_portfolio(
        self, tenant_id: str, actor: Actor, customer_ids: Iterable[str], /
    ) -> BulkResult:
        """Make customers unassigned again (no portfolio, no responsible seller)."""
        self._check_move(actor, Reassignment(portfolio=True, responsible=True))
        ids = bulk_ids(customer_ids)
        with self.uow_factory() as uow:
            return self._assign(
                uow,
                tenant_id,
                actor,
                ids,
                portfolio_id=None,
                responsible_id=None,
                fields=frozenset({"portfolio_id", "responsible_id"}),
            )

    def bulk_delete(
        self, tenant_id: str, actor: Actor, customer_ids: Iterable[str], /
    ) -> BulkResult:
        """Delete many customers at once (admins, by default), in one transaction."""
        check_action(actor, self.preset.access, Action.BULK_DELETE)
        ids = bulk_ids(customer_ids)
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            blocked = visible_blocked(uow, scope, ids)
            deleted = uow.customers.delete_visible(
                scope, [cid for cid in ids if cid not in blocked]
            )
            for customer_id in deleted:
                uow.record(
                    self._new_event("customer.deleted", actor, tenant_id, customer_id, bulk=True)
                )
            self._commit(uow)
        return BulkResult.of(ids, deleted).with_blocked(blocked)

    def start_conversations(
        self,
        tenant_id: str,
        actor: Actor,
        customer_ids: Iterable[str],
        /,
        *,
        starter: ConversationStarter,
        template: str,
        team: str | None = None,
        purpose: str = "whatsapp_messages",
        require_consent: bool = False,
    ) -> BulkResult:
        """Send the same first message to up to ``bulk_conversation_max`` visible customers.

        Consent for ``purpose`` is honoured: a customer whose consents for it
        are all revoked (:meth:`PrivacyService.revoke_consent
        <customer_core.services.PrivacyService.revoke_consent>`) is left out,
        with the outcome ``"no_consent"``; with ``require_consent`` so is a
        customer who never gave one. A blocked customer (LGPD Art. 18 IV) is
        left out with ``"blocked"``.
        """
        check_action(actor, self.preset.access, Action.BULK_CONVERSATION)
        ids = check_conversation_request(
            starter,
            template,
            customer_ids,
            limit=self.preset.access.bulk_conversation_max,
            require_consent=require_consent,
        )
        wanted = check_purpose(purpose)
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            visible = [cid for cid in ids if sees(uow, scope, cid)]
            blocked = uow.customers.blocked_among(tenant_id, visible)
            visible = [cid for cid in visible if cid not in blocked]
            revoked = uow.consents.revoked(tenant_id, wanted, visible)
            allowed = [
                cid
                for cid in visible
                if not revoked.get(cid, False) and (cid in revoked or not require_consent)
            ]
            if allowed:  # handed to the starter: audited first, one entry for the call
                self._deps.audit(
                    uow,
                    actor,
                    tenant_id,
                    None,
                    "bulk.start_conversations",
                    purpose=wanted,
                    require_consent=require_consent,
                    requested=len(ids),
                    customers=len(allowed),
                )
                self._commit(uow)
        if allowed:
            starter.start(tenant_id, allowed, template=template, team=team)
        result = BulkResult.of(ids, allowed)
        refused = {cid: "no_consent" for cid in visible if cid not in allowed}
        return attrs.evolve(result, outcomes={**result.outcomes, **refused}).with_blocked(blocked)
