"""Rules every storage adapter shares, so no adapter re-implements them."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.errors import DuplicateIdentity, NotFound

__all__ = [
    "FIELD_OF_KIND",
    "as_added",
    "check_identity_holders",
    "duplicate_identity",
    "not_found",
]

#: The customer field an identity key comes from (for error messages and forms).
FIELD_OF_KIND = {
    IdentityKind.TAX_ID: "tax_id",
    IdentityKind.MESSENGER: "messenger_ids",
    IdentityKind.PHONE: "phones",
    IdentityKind.EMAIL: "emails",
    IdentityKind.SOCIAL: "social_profiles",
    IdentityKind.EXTERNAL: "external_ids",
}


def as_added(customer: Customer) -> Customer:
    """``customer`` as storage adds it: version 1 (no copy when it already is)."""
    return customer if customer.version == 1 else attrs.evolve(customer, version=1)


def duplicate_identity(key: IdentityKey, holder_id: str) -> DuplicateIdentity:
    return DuplicateIdentity(
        f"this {key.kind.value.replace('_', ' ')} belongs to another customer",
        code="duplicate_identity",
        field=FIELD_OF_KIND[key.kind],
        holder_id=holder_id,
        kind=key.kind.value,
    )


def check_identity_holders(customer: Customer, holders: Mapping[IdentityKey, str]) -> None:
    """Raise for the first of ``customer``'s keys held by another customer."""
    for key in customer.identity_keys():
        holder = holders.get(key)
        if holder is not None and holder != customer.id:
            raise duplicate_identity(key, holder)


def not_found(what: str = "customer") -> NotFound:
    # One message whatever the reason (missing, other tenant, not visible).
    return NotFound(f"{what} not found", code="not_found", field="id")
