"""What a customer is, how it came to exist, and what it is to the shop.

The vocabularies of :class:`~customer_core.domain.model.customer.Customer`;
imported from there (their documented path).
"""

from __future__ import annotations

import enum

__all__ = ["CustomerKind", "RelationshipType", "Source"]


class CustomerKind(enum.Enum):
    """A person (*pessoa física*, CPF) or a company (*pessoa jurídica*, CNPJ)."""

    PERSON = "person"
    COMPANY = "company"


class Source(enum.Enum):
    """How the record came to exist; drives the derived relationship type."""

    SELF_REGISTERED = "self_registered"
    STAFF = "staff"
    INBOUND = "inbound"
    IMPORT = "import"


class RelationshipType(enum.Enum):
    """Derived, never set by hand (the tabs of a shop's customer list)."""

    ACTIVE = "active"
    LEAD = "lead"
    CONTACT = "contact"
    INACTIVE = "inactive"
