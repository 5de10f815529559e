"""Explicit row <-> domain functions: no ORM instrumentation of the frozen domain classes.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer
>>> c = Customer.create(id="c1", tenant_id="t", name="João da Conceição",
...                     now=datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> row = customer_row(c)
>>> row["search_name"], row["kind"]
('joao da conceicao', 'person')
>>> customer_from_row(row) == c
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable

from customer_core.adapters.serialization import (
    customer_from_document,
    customer_to_document,
    make_converter,
)
from customer_core.adapters.sqlalchemy.tables import SEARCH_NAME, customers
from customer_core.defaults import time_ordered_id
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.matching.search import search_key
from customer_core.domain.model.customer import Customer, CustomerKind, IdentityKey, IdentityKind
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.privacy import AuditEntry
from customer_core.domain.model.records import DuplicateHint, MergeRecord
from customer_core.domain.values.online import MessengerApp, MessengerId
from customer_core.domain.values.phone import PhoneType, line_key

__all__ = [
    "COLUMN_OWNED",
    "LOADED",
    "MATCHED",
    "audit_row",
    "customer_from_row",
    "customer_row",
    "event_rows",
    "hint_from_row",
    "hint_row",
    "identity_key",
    "load_customers",
    "match_record_from_row",
    "merge_from_row",
    "merge_row",
    "portfolio_from_rows",
    "portfolio_row",
    "search_name",
]

#: Fields that set-based statements change in their columns only (deleting a
#: portfolio, bulk transfers): the document is not rewritten, the column wins
#: on load.
COLUMN_OWNED = ("portfolio_id", "responsible_id", "updated_at", "version")

#: What :func:`customer_from_row` needs: select these to load customers.
LOADED = (customers.c.document, *(customers.c[field] for field in COLUMN_OWNED))


def search_name(customer: Customer) -> str:
    """The domain's search key (folded name and trade name), bounded to the column.

    Folding may lengthen text (NFKD), so the rare key longer than the column
    is cut: it still sorts and prefix-matches on its first 512 characters.
    """
    return search_key(customer)[:SEARCH_NAME]


def customer_row(customer: Customer) -> dict[str, Any]:
    """Column values of ``customer``: the document plus copies of the queried fields."""
    return {
        "tenant_id": customer.tenant_id,
        "id": customer.id,
        "kind": customer.kind.value,
        "name": customer.name,
        "search_name": search_name(customer),
        "trade_name": customer.trade_name,
        "tax_id": customer.tax_id.digits if customer.tax_id is not None else None,
        "status": customer.status,
        "source": customer.source.value,
        "relationship_type": customer.relationship_type.value,
        "portfolio_id": customer.portfolio_id,
        "responsible_id": customer.responsible_id,
        "is_spammer": customer.is_spammer,
        "is_vip": customer.is_vip,
        "first_purchase_at": customer.first_purchase_at,
        "last_contacted_at": customer.last_contacted_at,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "version": customer.version,
        "document": customer_to_document(customer),
    }


def customer_from_row(row: Mapping[Any, Any]) -> Customer:
    """Rebuild a customer from its ``document`` and the :data:`COLUMN_OWNED` columns."""
    document = dict(row["document"])
    for field in COLUMN_OWNED:  # ids, a version and a datetime: the converter takes them as read
        document[field] = row[field]
    return customer_from_document(document)


#: What :func:`match_record_from_row` needs: the columns of the name and the tax id,
#: and the document for the contact data.
_c = customers.c
MATCHED = (_c.id, _c.kind, _c.name, _c.trade_name, _c.tax_id, _c.document)

_COMPANY = CustomerKind.COMPANY.value
_PHONE_TYPES = {t.value: t for t in PhoneType}
_WHATSAPP = MessengerApp.WHATSAPP.value


def match_record_from_row(row: Sequence[Any]) -> MatchRecord:
    """The :class:`MatchRecord` of a stored customer (a row of :data:`MATCHED`), as
    ``MatchRecord.of(customer_from_row(...))`` without rebuilding the customer.

    Rebuilding it (every value object checked again) was most of the
    duplicate report's reading time. The document's parts are read as
    :func:`~customer_core.adapters.serialization.customer_to_document`
    writes them: a field holding its default is left out (a phone's type
    ``other``, ``message_number`` false, an address without a city or CEP).
    """
    customer_id, kind, name, trade_name, tax_id, document = row
    phones = document.get("phones", ())
    return MatchRecord.from_parts(
        customer_id,
        company=kind == _COMPANY,
        name=name,
        trade_name=trade_name,
        tax_id=tax_id,
        lines=[
            (line_key(p["e164"]), _PHONE_TYPES[p.get("type", PhoneType.OTHER.value)])
            for p in phones
            if not p.get("message_number", False)  # a recado number is no identity
        ],
        whatsapp=[
            key
            for m in document.get("messenger_ids", ())
            if m["app"] == _WHATSAPP
            and (key := MessengerId(MessengerApp.WHATSAPP, m["id"]).phone_key) is not None
        ],
        emails=[e["match_key"] for e in document.get("emails", ())],
        cities=[a.get("city") for a in document.get("addresses", ())],
        ceps=[a.get("cep") for a in document.get("addresses", ())],
    )


def load_customers(
    connection: Connection, query: Executable, parameters: dict[str, Any] | None = None
) -> list[Customer]:
    """The customers ``query`` (which selects :data:`LOADED`) returns, in its order."""
    rows = connection.execute(query, parameters).mappings()
    return [customer_from_row(row) for row in rows]


def identity_key(kind: str, key: str) -> IdentityKey:
    return IdentityKey(IdentityKind(kind), key)


def portfolio_row(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "tenant_id": portfolio.tenant_id,
        "id": portfolio.id,
        "name": portfolio.name,
        "description": portfolio.description,
        "owner_id": portfolio.owner_id,
    }


def portfolio_from_rows(row: Mapping[Any, Any], member_ids: Iterable[str]) -> Portfolio:
    return Portfolio(
        id=row["id"],
        tenant_id=row["tenant_id"],
        name=row["name"],
        description=row["description"],
        owner_id=row["owner_id"],
        member_ids=frozenset(member_ids),
    )


def event_rows(events: Sequence[DomainEvent]) -> list[dict[str, Any]]:
    """Outbox rows; ``data`` goes through the package converter to be JSON-ready."""
    converter = make_converter()
    return [
        {
            "tenant_id": e.tenant_id,
            "id": time_ordered_id(),
            "name": e.name,
            "customer_id": e.customer_id,
            "actor_id": e.actor_id,
            "occurred_at": e.occurred_at,
            "data": converter.unstructure(dict(e.data)),
        }
        for e in events
    ]


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    """An ``audit_log`` row; ``details`` holds JSON scalars only."""
    return {
        "tenant_id": entry.tenant_id,
        "id": entry.id,
        "at": entry.at,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "customer_id": entry.customer_id,
        "details": dict(entry.details),
    }


def merge_row(record: MergeRecord) -> dict[str, Any]:
    return {
        "tenant_id": record.tenant_id,
        "id": record.id,
        "survivor_id": record.survivor_id,
        "absorbed_id": record.absorbed_id,
        "survivor_before": customer_to_document(record.survivor_before),
        "absorbed_before": customer_to_document(record.absorbed_before),
        "merged_version": record.merged_version,
        "actor_id": record.actor_id,
        "merged_at": record.merged_at,
        "undone_at": record.undone_at,
        "survivor_after": (
            None if record.survivor_after is None else customer_to_document(record.survivor_after)
        ),
    }


def merge_from_row(row: Mapping[Any, Any]) -> MergeRecord:
    return MergeRecord(
        id=row["id"],
        tenant_id=row["tenant_id"],
        survivor_id=row["survivor_id"],
        absorbed_id=row["absorbed_id"],
        survivor_before=customer_from_document(dict(row["survivor_before"])),
        absorbed_before=customer_from_document(dict(row["absorbed_before"])),
        merged_version=row["merged_version"],
        actor_id=row["actor_id"],
        merged_at=row["merged_at"],
        undone_at=row["undone_at"],
        survivor_after=(
            None
            if row["survivor_after"] is None
            else customer_from_document(dict(row["survivor_after"]))
        ),
    )


def hint_row(hint: DuplicateHint) -> dict[str, Any]:
    lower, upper = sorted((hint.customer_id, hint.other_id))
    return {
        "tenant_id": hint.tenant_id,
        "lower_id": lower,
        "upper_id": upper,
        "reason": hint.reason,
        "customer_id": hint.customer_id,
        "other_id": hint.other_id,
        "noted_at": hint.noted_at,
    }


def hint_from_row(row: Mapping[Any, Any]) -> DuplicateHint:
    return DuplicateHint(
        tenant_id=row["tenant_id"],
        customer_id=row["customer_id"],
        other_id=row["other_id"],
        reason=row["reason"],
        noted_at=row["noted_at"],
    )
