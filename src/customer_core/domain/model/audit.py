"""The audit trail of changes, derived from the domain events a unit of work records.

Every write that changes a customer records a
:class:`~customer_core.domain.model.events.DomainEvent` carrying its actor; a
unit of work stores, with the event, one :class:`AuditEntry` for each customer
the event names (:func:`audit_entries`), in the same transaction. So the
trail cannot miss a change that an event reports, and it is written in one
place, not by each use case. Reads that hand data out (exports) have no event:
their services add one entry per call themselves.

An event's data holds ids, counts and field names, never personal values
(the event documents that); the details keep them as they are, a list
becoming its items joined by commas.

>>> from datetime import datetime, timezone
>>> from customer_core.domain.model.events import DomainEvent
>>> merged = DomainEvent(
...     name="customer.merged", tenant_id="loja", customer_id="c1",
...     occurred_at=datetime(2026, 12, 6, tzinfo=timezone.utc), actor_id="ana",
...     data={"absorbed_id": "c2", "merge_id": "m1"})
>>> ids = iter(["a1", "a2"])
>>> [(e.id, e.customer_id, e.action, e.actor_id) for e in audit_entries([merged], ids.__next__)]
[('a1', 'c1', 'customer.merged', 'ana'), ('a2', 'c2', 'customer.merged', 'ana')]
>>> audit_details({"fields": ["name", "phones"], "bulk": True})
{'fields': 'name,phones', 'bulk': True}
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.privacy import AuditEntry

__all__ = [
    "AuditDetail",
    "as_seen_by_subject",
    "audit_details",
    "audit_entries",
    "customers_named",
]

#: What a detail may be: a count, a flag, an id or names joined by commas.
AuditDetail = str | int | bool | None

# The event data keys that name customers besides the event's own customer.
_OTHER_CUSTOMER = "absorbed_id"
_CUSTOMER_LIST = "customer_ids"


def _detail(value: object) -> AuditDetail:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return _detail(value.value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ",".join(str(_detail(item)) for item in items)
    return str(value)


def audit_details(data: Mapping[str, Any], /) -> dict[str, AuditDetail]:
    """An event's data as audit details: scalars as they are, a collection joined by commas."""
    return {str(key): _detail(value) for key, value in data.items()}


def customers_named(event: DomainEvent, /) -> list[str]:
    """The customers an event is about: its own, then those its data names (merged, dismissed)."""
    named = [event.customer_id] if event.customer_id is not None else []
    other = event.data.get(_OTHER_CUSTOMER)
    if isinstance(other, str):
        named.append(other)
    listed = event.data.get(_CUSTOMER_LIST)
    if isinstance(listed, (list, tuple)):
        named.extend(str(i) for i in listed)
    return list(dict.fromkeys(named))


def as_seen_by_subject(entry: AuditEntry, /) -> AuditEntry:
    """``entry`` without the other customers it names, for the subject's own export.

    Who else a merge or a duplicate decision was about is another person's
    data (as the export leaves out the other side of a merge); the ids of
    merges, decisions and portfolios stay, so the action can be traced.

    >>> from datetime import datetime, timezone
    >>> entry = AuditEntry(tenant_id="loja", id="a1", at=datetime(2026, 12, 6,
    ...     tzinfo=timezone.utc), actor_id="ana", action="customer.duplicate_dismissed",
    ...     customer_id="c1", details={"dismissal_id": "d1", "customer_ids": "c1,c2"})
    >>> dict(as_seen_by_subject(entry).details)
    {'dismissal_id': 'd1'}
    """
    details = {
        key: value
        for key, value in entry.details.items()
        if key != _CUSTOMER_LIST and not (key == _OTHER_CUSTOMER and value != entry.customer_id)
    }
    return attrs.evolve(entry, details=details)


def audit_entries(events: Iterable[DomainEvent], new_id: Callable[[], str], /) -> list[AuditEntry]:
    """One entry per customer each event names (one without a customer for, e.g., a portfolio).

    The action is the event's name, the time its time, the actor its actor
    (``None``: the system, e.g. an inbound message).
    """
    entries: list[AuditEntry] = []
    for event in events:
        details = audit_details(event.data)
        named: list[str | None] = [*customers_named(event)] or [None]
        for customer_id in named:
            entries.append(
                AuditEntry(
                    tenant_id=event.tenant_id,
                    id=new_id(),
                    at=event.occurred_at,
                    actor_id=event.actor_id,
                    action=event.name,
                    customer_id=customer_id,
                    details=details,
                )
            )
    return entries
