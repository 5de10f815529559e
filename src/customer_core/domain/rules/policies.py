"""Access policy: who sees which customers, and which roles may do what.

A plain frozen value, passed to the visibility rule
(:mod:`customer_core.domain.rules.visibility`) and the services;
:mod:`customer_core.presets` holds one per product we model. The policies the
aggregates enforce themselves (channels, required fields, statuses) are in
:mod:`customer_core.domain.model.policies`. Nothing here does I/O.
"""

from __future__ import annotations

import enum

import attrs

from customer_core.domain.model.actor import Role

__all__ = ["AccessPolicy", "Visibility"]


class Visibility(enum.Enum):
    """Who sees which customer (see the portfolio guide)."""

    OPEN = "open"
    RESTRICTED = "restricted"


_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})


@attrs.frozen(kw_only=True)
class AccessPolicy:
    """Visibility mode and which roles may perform each restricted action."""

    visibility: Visibility = Visibility.OPEN
    delete_roles: frozenset[Role] = _ADMIN
    bulk_delete_roles: frozenset[Role] = _ADMIN
    transfer_roles: frozenset[Role] = _MANAGERS
    remove_from_portfolio_roles: frozenset[Role] = _MANAGERS
    set_responsible_roles: frozenset[Role] = _MANAGERS
    merge_roles: frozenset[Role] = _MANAGERS
    #: Roles for which the "my portfolio" filter is on by default.
    my_portfolio_default_roles: frozenset[Role] = frozenset({Role.SELLER})
    bulk_conversation_max: int = 10
    #: Imported customers get the importing user as their responsible seller.
    import_assigns_importer: bool = False
