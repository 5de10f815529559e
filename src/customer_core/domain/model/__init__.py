"""Aggregates and entities (``Customer``, ``Contact``, ``Portfolio``, ``Actor``) and the policies they enforce."""

from customer_core.domain.model.actor import Actor, Permission, Role
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
from customer_core.domain.model.policies import ContactPolicy, RegistrationPolicy, StatusDefinition
from customer_core.domain.model.portfolio import Portfolio

__all__ = [
    "ACTIVE",
    "DEFAULT_STATUSES",
    "INACTIVE",
    "Actor",
    "Contact",
    "ContactPolicy",
    "Customer",
    "CustomerKind",
    "IdentityKey",
    "IdentityKind",
    "Permission",
    "Portfolio",
    "RegistrationPolicy",
    "RelationshipType",
    "Role",
    "Source",
    "StatusDefinition",
    "clean_name",
]
