"""What :meth:`PrivacyService.export_subject <customer_core.services.PrivacyService.export_subject>` returns.

Plain JSON-able data built from the domain objects: attrs classes become
objects of their fields, enums their values, datetimes ISO 8601 text. The
shop password's hash and a reset token's hash are secrets of the shop, not
data about the person: the export says whether one is set, never the hash.

>>> from datetime import datetime, timezone
>>> from customer_core import Phone
>>> plain(Phone.parse("11 98765-4321"))["e164"]
'+5511987654321'
>>> plain(datetime(2026, 1, 5, tzinfo=timezone.utc))
'2026-01-05T00:00:00+00:00'
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from customer_core.domain.matching.names import names_compatible
from customer_core.domain.matching.search import search_key
from customer_core.domain.model.audit import as_seen_by_subject
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.model.records import MergeRecord
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.errors import NotFound
from customer_core.ports import UnitOfWork
from customer_core.services.inbound import SPAM, VIP

__all__ = ["company_contacts", "plain", "subject_export"]

_SECRETS = frozenset({"password_hash", "reset_token_hash"})

#: What each kind of data is kept for (LGPD Art. 9 I: the purpose).
PURPOSES = {
    "record": "identify and serve the customer (registration, sales, support)",
    "identifiers": "recognise the customer across channels and avoid duplicates",
    "lists": "block spam (spam) and prioritise (vip) messages from these identifiers",
    "consents": "prove what the customer agreed to, and honour revocations",
    "merges": "undo a merge of two records of the customer",
    "duplicate_hints": "review records an inbound message tied together",
    "duplicate_decisions": "remember that records a person reviewed are different customers",
    "audit": "account for who read or changed the customer's data (LGPD Art. 37)",
}


def plain(value: Any) -> Any:
    """``value`` as JSON-able data (see the module docstring)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if attrs.has(type(value)):
        return {
            field.name: plain(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.name not in _SECRETS
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


def _record(customer: Customer) -> dict[str, Any]:
    record: dict[str, Any] = plain(customer)
    record["relationship_type"] = customer.relationship_type.value
    record["has_password"] = customer.password_hash is not None
    return record


def _merge(record: MergeRecord, customer_id: str) -> dict[str, Any]:
    # Only the subject's own side: the other record is another person's data.
    survivor = record.survivor_id == customer_id
    own = record.survivor_before if survivor else record.absorbed_before
    return {
        "merge_id": record.id,
        "role": "survivor" if survivor else "absorbed",
        "merged_at": plain(record.merged_at),
        "undone_at": plain(record.undone_at),
        "actor_id": record.actor_id,
        "record_before": _record(own),
    }


def _other_records(
    uow: UnitOfWork, scope: VisibilityScope, customer: Customer
) -> list[dict[str, Any]]:
    """Visible customers holding one of the subject's keys under a compatible name.

    A shared phone or e-mail alone is a household's or a company's, not the
    same person: the name must agree (:func:`names_compatible`).
    """
    matched: dict[str, set[str]] = {}
    for key, holders in uow.customers.holders(customer.tenant_id, customer.identity_keys()).items():
        for holder in holders:
            if holder != customer.id:
                matched.setdefault(holder, set()).add(key.kind.value)
    found = []
    for other_id in sorted(matched):
        try:
            other = uow.customers.get_visible(scope, other_id)
        except NotFound:
            continue
        company = CustomerKind.COMPANY in (customer.kind, other.kind)
        if other.kind == customer.kind and names_compatible(
            customer.name, other.name, company=company
        ):
            found.append({"customer_id": other_id, "matched_on": sorted(matched[other_id])})
    return found


def company_contacts(
    uow: UnitOfWork, scope: VisibilityScope, customer: Customer
) -> list[dict[str, Any]]:
    """Contacts of visible companies that share a phone or e-mail with the subject and
    have a compatible name: the person as a company's contact.

    Contacts are not in the identity index, so this reads the visible
    customers page by page (an export or an erasure is rare; a tenant's
    customers are not held in memory at once). None for a company, or a
    person without a phone or e-mail.
    """
    if customer.kind is not CustomerKind.PERSON or not (customer.phones or customer.emails):
        return []
    phones = {p.match_key for p in customer.phones}
    emails = {e.match_key for e in customer.emails}
    found = []
    after = None
    # A blocked company is read too: its data is kept, and the subject's part of it is theirs.
    every = CustomerFilter(include_blocked=True)
    while page := uow.customers.find(scope, every, after=after, limit=500):
        for company in page:
            for contact in company.contacts if company.id != customer.id else ():
                matched = sorted(
                    {"phone" for p in contact.phones if p.match_key in phones}
                    | {"email" for e in contact.emails if e.match_key in emails}
                )
                if matched and names_compatible(customer.name, contact.name):
                    found.append(
                        {"company_id": company.id, "contact_id": contact.id, "matched_on": matched}
                    )
        after = (search_key(page[-1]), page[-1].id)
    return found


def subject_export(uow: UnitOfWork, scope: VisibilityScope, customer: Customer) -> dict[str, Any]:
    """Everything the storage holds on ``customer``, read in ``uow``."""
    tenant_id, customer_id = customer.tenant_id, customer.id
    keys = customer.identity_keys()
    listed = uow.lists.listed_in(tenant_id, (SPAM, VIP), keys)
    for name, entries in uow.lists.entries_of(tenant_id, customer_id).items():
        listed.setdefault(name, set()).update(entries)
    hints = [
        {"reason": h.reason, "noted_at": plain(h.noted_at)}
        for h in uow.hints.about(tenant_id, customer_id)
    ]
    return {
        "subject": {"tenant_id": tenant_id, "customer_id": customer_id},
        "origin": {
            "source": customer.source.value,
            "created_at": plain(customer.created_at),
            # An import's file (its base name) and the line of the record's first row.
            "file": customer.origin.file if customer.origin else None,
            "line": customer.origin.line if customer.origin else None,
        },
        "blocked": {"at": plain(customer.blocked_at), "reason": customer.blocked_reason}
        if customer.blocked
        else None,
        "purposes": dict(PURPOSES),
        "record": _record(customer),
        "identifiers": [{"kind": k.kind.value, "key": k.key} for k in keys],
        "lists": {
            name: [
                {"kind": k.kind.value, "key": k.key}
                for k in sorted(entries, key=lambda k: (k.kind.value, k.key))
            ]
            for name, entries in sorted(listed.items())
            if entries
        },
        "consents": [plain(c) for c in uow.consents.about(tenant_id, customer_id)],
        "merges": [_merge(m, customer_id) for m in uow.merges.about(tenant_id, customer_id)],
        "duplicate_hints": hints,
        # Who else a decision names is another person's data: only the decision itself.
        "duplicate_decisions": [
            {
                "kind": d.kind.value,
                "reason": d.reason,
                "dismissed_at": plain(d.dismissed_at),
                "undone_at": plain(d.undone_at),
            }
            for d in uow.dismissals.about(tenant_id, customer_id)
        ],
        # Without the other customers an entry names (a merge's, a decision's).
        "audit": [plain(as_seen_by_subject(e)) for e in uow.audit.about(tenant_id, customer_id)],
        "other_records": _other_records(uow, scope, customer),
        "company_contacts": company_contacts(uow, scope, customer),
    }
