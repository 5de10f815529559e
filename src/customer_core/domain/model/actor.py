"""Who is asking: the ``Actor``, its ``Role`` and its ``Permission``'s."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from customer_core.domain.values.ids import check_id
from customer_core.errors import Code, InvalidValue

__all__ = ["Actor", "Permission", "Role"]


class Role(enum.Enum):
    """The role of a user of the host application (permissions come on top)."""

    SELLER = "seller"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(enum.Enum):
    """Permissions granted to an actor on top of its role."""

    VIEW_UNASSIGNED = "view_unassigned"
    VIEW_ALL_PORTFOLIOS = "view_all_portfolios"
    ASSIGN_PORTFOLIO = "assign_portfolio"
    BULK_CONVERSATION = "bulk_conversation"
    #: Run the data-subject rights of :mod:`customer_core.services.privacy`:
    #: export, anonymize, erase, record consents (LGPD Art. 18).
    PRIVACY = "privacy"


def _permissions(values: Iterable[Permission | str]) -> frozenset[Permission]:
    try:
        return frozenset(v if isinstance(v, Permission) else Permission(v) for v in values)
    except ValueError as exc:
        raise InvalidValue(str(exc), code=Code.INVALID_VALUE, field="permissions") from exc


def _tenant_id(value: str) -> str:
    return check_id(value, "tenant_id")


def _user_id(value: str) -> str:
    return check_id(value, "user_id")


def _role(value: Role | str) -> Role:
    try:
        return value if isinstance(value, Role) else Role(value)
    except ValueError as exc:
        raise InvalidValue(str(exc), code=Code.INVALID_VALUE, field="role") from exc


@attrs.frozen(kw_only=True)
class Actor:
    """A user of the host application acting on one tenant.

    >>> seller = Actor(tenant_id="acme", user_id="u1", permissions=["view_unassigned"])
    >>> seller.role, seller.has(Permission.VIEW_UNASSIGNED)
    (<Role.SELLER: 'seller'>, True)
    """

    tenant_id: str = attrs.field(converter=_tenant_id)
    user_id: str = attrs.field(converter=_user_id)
    role: Role = attrs.field(default=Role.SELLER, converter=_role)
    permissions: frozenset[Permission] = attrs.field(default=frozenset(), converter=_permissions)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
