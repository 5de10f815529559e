"""Who sees which customer, as data that every adapter can execute.

The rule (see the portfolio guide) is computed once per request into a
:class:`VisibilityScope`. The memory adapter evaluates it with
:meth:`VisibilityScope.allows`; the SQL adapter compiles the same fields into
its ``WHERE`` clause, so visibility is never a post-filter.

>>> from customer_core import Actor, AccessPolicy, Visibility
>>> restricted = AccessPolicy(visibility=Visibility.RESTRICTED)
>>> agent = Actor(tenant_id="t", user_id="u1", permissions=["view_unassigned"])
>>> scope = scope_for(agent, restricted, member_of=["p-south"])
>>> scope.allows(portfolio_id="p-south", responsible_id=None)
True
>>> scope.allows(portfolio_id="p-north", responsible_id=None)
False
>>> scope.allows(portfolio_id=None, responsible_id=None)
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from customer_core.domain.model.actor import Actor, Permission, Role
from customer_core.domain.model.customer import Customer, RelationshipType
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.rules.assignment import Reassignment, check_reassignment
from customer_core.domain.rules.policies import AccessPolicy, Visibility
from customer_core.errors import Code, PermissionDenied

__all__ = [
    "Action",
    "CustomerFilter",
    "VisibilityScope",
    "check_action",
    "matches_filter",
    "my_portfolio_default",
    "scope_for",
    "sees_unassigned",
    "with_creator_in_sight",
]


@attrs.frozen(kw_only=True)
class VisibilityScope:
    """The customers one actor may see in one tenant.

    A customer is visible when ``everything`` is true, or its portfolio is in
    ``portfolio_ids``, or it has a portfolio and ``any_portfolio`` is true, or
    it has none and ``unassigned`` is true, or its responsible user is
    ``responsible_id``.
    """

    tenant_id: str
    everything: bool = False
    portfolio_ids: frozenset[str] = frozenset()
    any_portfolio: bool = False
    unassigned: bool = False
    responsible_id: str | None = None

    def allows(self, *, portfolio_id: str | None, responsible_id: str | None) -> bool:
        if self.everything:
            return True
        if responsible_id is not None and responsible_id == self.responsible_id:
            return True
        if portfolio_id is None:
            return self.unassigned
        return self.any_portfolio or portfolio_id in self.portfolio_ids

    def allows_portfolio(self, portfolio_id: str) -> bool:
        """Whether the actor sees this portfolio (and so may read or manage it)."""
        return self.everything or self.any_portfolio or portfolio_id in self.portfolio_ids

    def allows_customer(self, customer: Customer) -> bool:
        return customer.tenant_id == self.tenant_id and self.allows(
            portfolio_id=customer.portfolio_id, responsible_id=customer.responsible_id
        )


def scope_for(
    actor: Actor,
    policy: AccessPolicy,
    *,
    member_of: Iterable[str] | Callable[[], Iterable[str]],
) -> VisibilityScope:
    """The scope of ``actor``; ``member_of`` are the portfolios it belongs to or owns.

    ``member_of`` may be a function that looks them up: it is called only
    for the actors whose scope depends on them (not for admins, nor for
    supervisors who see every portfolio, nor in open mode).
    """
    tenant = actor.tenant_id
    if policy.visibility is Visibility.OPEN or actor.role is Role.ADMIN:
        return VisibilityScope(tenant_id=tenant, everything=True)
    unassigned = actor.has(Permission.VIEW_UNASSIGNED)
    if actor.has(Permission.VIEW_ALL_PORTFOLIOS):
        if unassigned:
            return VisibilityScope(tenant_id=tenant, everything=True)
        return VisibilityScope(tenant_id=tenant, any_portfolio=True, responsible_id=actor.user_id)
    return VisibilityScope(
        tenant_id=tenant,
        portfolio_ids=frozenset(member_of() if callable(member_of) else member_of),
        unassigned=unassigned,
        responsible_id=actor.user_id,
    )


def sees_unassigned(actor: Actor, policy: AccessPolicy) -> bool:
    """Whether ``actor`` sees a customer with no portfolio and no responsible user.

    One who does not (an agent under restricted visibility without
    ``view_unassigned``) is made the responsible of the customers they
    register or import without a portfolio: else a record they just created
    would be out of their sight, and they would create it again.

    >>> from customer_core import Actor, presets
    >>> agent = Actor(tenant_id="t", user_id="u1", role="seller")
    >>> sees_unassigned(agent, presets.HELPDESK_PORTFOLIO.access)
    False
    >>> sees_unassigned(agent, presets.DEFAULT.access)
    True
    """
    return scope_for(actor, policy, member_of=()).allows(portfolio_id=None, responsible_id=None)


def with_creator_in_sight(actor: Actor, policy: AccessPolicy, portfolio: Portfolio) -> Portfolio:
    """``portfolio``, with its creator ``actor`` among the members if it would not see it otherwise.

    A supervisor without ``view_all_portfolios`` sees only the portfolios
    it belongs to: one it created and could not then get, edit or delete
    would be lost to it.
    """
    mine = actor.user_id in portfolio.team
    scope = scope_for(actor, policy, member_of=[portfolio.id] if mine else [])
    if scope.allows_portfolio(portfolio.id):
        return portfolio
    return attrs.evolve(portfolio, member_ids=portfolio.member_ids | {actor.user_id})


@attrs.frozen(kw_only=True)
class CustomerFilter:
    """Filters of the customer list; all optional and combined with AND.

    ``owner_id`` selects a seller's portfolio: customers whose responsible
    user is that seller or whose portfolio that seller owns ("my portfolio"
    is ``owner_id=actor.user_id``). ``unassigned`` selects customers with no
    portfolio. ``text`` is a search (name, e-mail, phone, CPF/CNPJ).
    A blocked customer (LGPD Art. 18 IV, :attr:`Customer.blocked
    <customer_core.Customer.blocked>`) is left out of lists, searches, exports
    and the duplicate report unless ``include_blocked`` is set.
    """

    relationship_type: RelationshipType | None = None
    status: str | None = None
    portfolio_id: str | None = None
    unassigned: bool = False
    responsible_id: str | None = None
    owner_id: str | None = None
    owner_portfolio_ids: frozenset[str] = frozenset()
    text: str | None = None
    include_blocked: bool = False


def my_portfolio_default(actor: Actor, policy: AccessPolicy) -> bool:
    """Whether the "my portfolio" filter starts on for this actor (sellers, by default)."""
    return actor.role in policy.my_portfolio_default_roles


class Action:
    """Names of the restricted actions, for :func:`check_action`."""

    DELETE = "delete"
    BULK_DELETE = "bulk_delete"
    TRANSFER = "transfer"
    REMOVE_FROM_PORTFOLIO = "remove_from_portfolio"
    SET_RESPONSIBLE = "set_responsible"
    ASSIGN_PORTFOLIO = "assign_portfolio"
    BULK_CONVERSATION = "bulk_conversation"
    MERGE = "merge"


#: The actions that move customers, as the writes they make: decided by
#: :func:`~customer_core.domain.rules.assignment.check_reassignment`.
_MOVES = {
    Action.ASSIGN_PORTFOLIO: Reassignment(portfolio=True, portfolio_id="*"),
    Action.TRANSFER: Reassignment(portfolio=True, portfolio_id="*"),
    Action.REMOVE_FROM_PORTFOLIO: Reassignment(portfolio=True, responsible=True),
    Action.SET_RESPONSIBLE: Reassignment(responsible=True, responsible_id="*"),
}


def check_action(actor: Actor, policy: AccessPolicy, action: str) -> None:
    """Raise :class:`~customer_core.errors.PermissionDenied` unless ``actor`` may do it.

    Moving customers (assign, transfer, remove, set the responsible user) is
    the rule of :mod:`~customer_core.domain.rules.assignment`.
    """
    if action in _MOVES:
        check_reassignment(actor, policy, _MOVES[action])
        return
    allowed: bool
    if action == Action.BULK_CONVERSATION:
        allowed = actor.has(Permission.BULK_CONVERSATION)
    else:
        roles = {
            Action.DELETE: policy.delete_roles,
            Action.BULK_DELETE: policy.bulk_delete_roles,
            Action.MERGE: policy.merge_roles,
        }[action]
        allowed = actor.role in roles
    if not allowed:
        raise PermissionDenied(
            f"your role may not {action.replace('_', ' ')}",
            code=Code.PERMISSION_DENIED,
            field=action,
        )


def matches_filter(customer: Customer, customer_filter: CustomerFilter) -> bool:
    """Whether ``customer`` passes every field of ``customer_filter`` except ``text``."""
    f = customer_filter
    if customer.blocked_at is not None and not f.include_blocked:
        return False
    if f.relationship_type is not None and customer.relationship_type is not f.relationship_type:
        return False
    if f.status is not None and customer.status != f.status:
        return False
    if f.portfolio_id is not None and customer.portfolio_id != f.portfolio_id:
        return False
    if f.unassigned and customer.portfolio_id is not None:
        return False
    if f.responsible_id is not None and customer.responsible_id != f.responsible_id:
        return False
    if f.owner_id is not None:
        owned = customer.portfolio_id is not None and customer.portfolio_id in f.owner_portfolio_ids
        if customer.responsible_id != f.owner_id and not owned:
            return False
    return True
