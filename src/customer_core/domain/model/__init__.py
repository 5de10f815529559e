"""Aggregates and entities: ``Customer``, ``Contact``, ``Portfolio``, ``Actor``."""

from customer_core.domain.model.actor import Actor, Permission, Portfolio
from customer_core.domain.model.customer import (
    ACTIVE,
    DEFAULT_STATUSES,
    INACTIVE,
    Contact,
    Customer,
    CustomerKind,
    IdentityKey,
    IdentityKind,
    RelationshipType,
    Source,
    clean_name,
)

__all__ = [
    "ACTIVE",
    "DEFAULT_STATUSES",
    "INACTIVE",
    "Actor",
    "Contact",
    "Customer",
    "CustomerKind",
    "IdentityKey",
    "IdentityKind",
    "Permission",
    "Portfolio",
    "RelationshipType",
    "Source",
    "clean_name",
]
