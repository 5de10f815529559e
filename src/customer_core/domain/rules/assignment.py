"""Who may change whom a customer belongs to: one rule for every path.

A customer belongs to a portfolio and/or a responsible user. Registering
with them, ``update``, ``transfer``, ``remove_from_portfolio``, a merge that
takes the absorbed record's and an import that assigns the importer all
change them, so they all ask :func:`check_reassignment`, field by field:

- **setting or changing the portfolio**: whoever has the ``assign_portfolio``
  permission; besides, in restricted mode an admin, in open mode a role of
  ``AccessPolicy.transfer_roles``;
- **clearing the portfolio**: ``assign_portfolio``; besides, in restricted
  mode an admin, in open mode a role of ``remove_from_portfolio_roles``;
- **setting, changing or clearing the responsible user**: a role of
  ``set_responsible_roles``, on every path; a transfer to a seller sets it.
  The one exception is a *new* record whose responsible user is the actor
  itself (a seller saving its own customer, an import that assigns the
  importer): nobody loses a customer by it. Taking over an existing
  customer is a change like any other.

A call that changes both fields needs both rights. Bulk calls are judged by
the fields they write, single-record calls by the fields that change (a
form that sends the current values back changes nothing).

Creating, editing and deleting portfolios is :func:`check_manage_portfolios`:
a role of ``transfer_roles``.

>>> from customer_core import Actor, AccessPolicy, Visibility
>>> seller = Actor(tenant_id="t", user_id="s1", permissions=["assign_portfolio"])
>>> restricted = AccessPolicy(visibility=Visibility.RESTRICTED)
>>> check_reassignment(seller, restricted, Reassignment(portfolio=True, portfolio_id="p1"))
>>> check_reassignment(seller, restricted, Reassignment(responsible=True, responsible_id="s2"))
Traceback (most recent call last):
...
customer_core.errors.PermissionDenied: permission_denied [responsible_id]: your role may not set the responsible user
"""

from __future__ import annotations

import attrs

from customer_core.domain.model.actor import Actor, Permission, Role
from customer_core.domain.model.customer import Customer
from customer_core.domain.rules.policies import AccessPolicy, Visibility
from customer_core.errors import Code, PermissionDenied

__all__ = [
    "Reassignment",
    "check_manage_portfolios",
    "check_reassignment",
    "may_reassign",
]


@attrs.frozen(kw_only=True)
class Reassignment:
    """What one write does to a customer's portfolio and responsible user.

    ``portfolio``/``responsible`` say whether that field is written;
    ``portfolio_id``/``responsible_id`` are the values written (``None``
    clears). ``new_record`` is true when the customer is being created.
    """

    portfolio: bool = False
    portfolio_id: str | None = None
    responsible: bool = False
    responsible_id: str | None = None
    new_record: bool = False

    @classmethod
    def between(cls, before: Customer | None, after: Customer) -> Reassignment:
        """The fields that differ between ``before`` (``None``: a new record) and ``after``."""
        old_portfolio = before.portfolio_id if before is not None else None
        old_responsible = before.responsible_id if before is not None else None
        return cls(
            portfolio=after.portfolio_id != old_portfolio,
            portfolio_id=after.portfolio_id,
            responsible=after.responsible_id != old_responsible,
            responsible_id=after.responsible_id,
            new_record=before is None,
        )


def _may_set_portfolio(actor: Actor, policy: AccessPolicy, *, clearing: bool) -> bool:
    if actor.has(Permission.ASSIGN_PORTFOLIO):
        return True
    if policy.visibility is not Visibility.OPEN:
        return actor.role is Role.ADMIN
    roles = policy.remove_from_portfolio_roles if clearing else policy.transfer_roles
    return actor.role in roles


def _may_set_responsible(actor: Actor, policy: AccessPolicy, change: Reassignment) -> bool:
    if change.new_record and change.responsible_id == actor.user_id:
        return True
    return actor.role in policy.set_responsible_roles


def _refusal(actor: Actor, policy: AccessPolicy, change: Reassignment) -> str | None:
    """The field ``actor`` may not write, or ``None`` when it may write them all."""
    if change.portfolio and not _may_set_portfolio(
        actor, policy, clearing=change.portfolio_id is None
    ):
        return "portfolio_id"
    if change.responsible and not _may_set_responsible(actor, policy, change):
        return "responsible_id"
    return None


def may_reassign(actor: Actor, policy: AccessPolicy, change: Reassignment) -> bool:
    """Whether ``actor`` may make ``change`` (visibility of the customer aside)."""
    return _refusal(actor, policy, change) is None


def check_reassignment(actor: Actor, policy: AccessPolicy, change: Reassignment) -> None:
    """Raise :class:`~customer_core.errors.PermissionDenied` unless ``actor`` may make ``change``.

    The error's ``field`` is the field refused: ``portfolio_id`` or ``responsible_id``.
    """
    field = _refusal(actor, policy, change)
    if field is None:
        return
    what = "the portfolio" if field == "portfolio_id" else "the responsible user"
    verb = "clear" if getattr(change, field) is None else "set"
    raise PermissionDenied(
        f"your role may not {verb} {what}", code=Code.PERMISSION_DENIED, field=field
    )


def check_manage_portfolios(actor: Actor, policy: AccessPolicy) -> None:
    """Creating, editing and deleting portfolios: a role of ``transfer_roles``."""
    if actor.role not in policy.transfer_roles:
        raise PermissionDenied(
            "your role may not manage portfolios", code=Code.PERMISSION_DENIED, field="role"
        )
