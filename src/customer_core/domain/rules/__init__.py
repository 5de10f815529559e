"""Policies and pure rules."""

from customer_core.domain.rules.policies import (
    AccessPolicy,
    ContactPolicy,
    RegistrationPolicy,
    Role,
    StatusDefinition,
    Visibility,
)

__all__ = [
    "AccessPolicy",
    "ContactPolicy",
    "RegistrationPolicy",
    "Role",
    "StatusDefinition",
    "Visibility",
]
