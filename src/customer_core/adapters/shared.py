"""Rules every storage adapter shares, so no adapter re-implements them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.errors import Code, DuplicateIdentity, NotFound

__all__ = [
    "FIELD_OF_KIND",
    "IdentityPlan",
    "as_added",
    "duplicate_identity",
    "not_found",
    "plan_identities",
]

#: The customer field an identity key comes from (for error messages and forms).
FIELD_OF_KIND = {
    IdentityKind.TAX_ID: "tax_id",
    IdentityKind.LOGIN_EMAIL: "emails",
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
    """The error for ``key`` held by ``holder_id``: ``duplicate_login`` for a login e-mail.

    A login clash gets its own code: the e-mail itself may be shared as a
    contact e-mail, only logging in with it is one customer's.
    """
    login = key.kind is IdentityKind.LOGIN_EMAIL
    return DuplicateIdentity(
        f"this {key.kind.value.replace('_', ' ')} belongs to another customer",
        code=Code.DUPLICATE_LOGIN if login else Code.DUPLICATE_IDENTITY,
        field=FIELD_OF_KIND[key.kind],
        holder_id=holder_id,
        kind=key.kind.value,
    )


@attrs.frozen
class IdentityPlan:
    """The identity rows and claims one write changes (see :func:`plan_identities`)."""

    #: ``(customer_id, key)`` holder rows to insert and to delete.
    added: list[tuple[str, IdentityKey]]
    removed: list[tuple[str, IdentityKey]]
    #: Keys that get their first holder here: claims to take. Taking the
    #: claim of an exclusive key fails if another transaction took it
    #: meanwhile; of a shareable key, only when ``strict`` ...
    claimed: list[IdentityKey]
    #: ... and keys whose last holder goes: claims to drop.
    released: list[IdentityKey]
    #: The write must be the first holder of every key it claims
    #: (:meth:`~customer_core.ports.CustomerRepository.add` ``first_holder``).
    strict: bool = False

    def must_claim(self, key: IdentityKey) -> bool:
        """Whether taking ``key``'s claim must fail when someone took it first."""
        return self.strict or not key.kind.shareable


def plan_identities(
    changes: Iterable[tuple[str, Iterable[IdentityKey], Iterable[IdentityKey]]],
    holders: Mapping[IdentityKey, Iterable[str]],
    *,
    strict: bool = False,
) -> IdentityPlan:
    """What a batch of writes does to the identity index, or ``DuplicateIdentity``.

    ``changes`` are ``(customer_id, keys before, keys after)`` in batch order
    (before is empty for a new customer, after for a deleted one);
    ``holders`` are the current holders of every key involved, as the
    transaction reads them. Applied in order, a batch has the outcome of the
    same calls made one by one: a key freed by one customer may be taken by
    the next. An exclusive key held by another customer refuses the write,
    and with ``strict`` any key held by another. Both adapters call this, so
    they agree on every case.
    """
    current = {key: set(ids) for key, ids in holders.items()}
    initial = {key: frozenset(ids) for key, ids in current.items()}
    added: dict[tuple[str, IdentityKey], None] = {}
    removed: dict[tuple[str, IdentityKey], None] = {}
    for customer_id, before, after in changes:
        old, new = set(before), set(after)
        for key in old - new:
            current.setdefault(key, set()).discard(customer_id)
            if added.pop((customer_id, key), "absent") == "absent":
                removed[(customer_id, key)] = None
        for key in _ordered(new - old):
            others = current.setdefault(key, set()) - {customer_id}
            if others and (strict or key.kind not in _SHAREABLE):
                raise duplicate_identity(key, min(others))
            current[key].add(customer_id)
            if removed.pop((customer_id, key), "absent") == "absent":
                added[(customer_id, key)] = None
    claimed = [k for k, ids in current.items() if ids and not initial.get(k)]
    released = [k for k, ids in current.items() if not ids and initial.get(k)]
    return IdentityPlan(list(added), list(removed), _ordered(claimed), _ordered(released), strict)


#: Each kind's value, read from a dict: an enum's ``.value`` is a Python-level
#: descriptor, and sorting a batch's keys read it a key at a time.
_KIND_VALUE = {kind: kind.value for kind in IdentityKind}
_SHAREABLE = frozenset(kind for kind in IdentityKind if kind.shareable)


def _ordered(keys: Iterable[IdentityKey]) -> list[IdentityKey]:
    """Sorted by kind and key: concurrent writers lock index entries in one order."""
    return sorted(keys, key=lambda k: (_KIND_VALUE[k.kind], k.key))


def not_found(what: str = "customer") -> NotFound:
    # One message whatever the reason (missing, other tenant, not visible).
    return NotFound(f"{what} not found", code=Code.NOT_FOUND, field="id")
