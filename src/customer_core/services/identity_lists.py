"""The spam and VIP lists: a customer's identifiers, or identifiers alone, listed.

:class:`IdentityLists` is a part of
:class:`~customer_core.services.IdentityService`, which offers (and
documents) its methods: ``mark_spammer``, ``mark_vip`` and ``block``.

Listing is authorized by one rule, whichever way it is asked: the actor must
see every customer whose identifier is listed (the visibility rule of
:mod:`customer_core.domain.rules.visibility`; none is needed for an
identifier nobody holds), and none of them may be blocked (LGPD Art. 18 IV).
An identifier held by a customer the actor cannot see is ``not_found``, as
that customer would be: the holder is not named. Every listing is audited
through its event; the details say which list, the kinds of the identifiers
and how many keys, never the identifiers themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.errors import Code, InvalidValue, NotFound
from customer_core.ports import UnitOfWork
from customer_core.services.base import Dependencies, check_tenant
from customer_core.services.inbound import SPAM, VIP, Inbound

__all__ = ["IdentityLists", "unlist"]

_FLAGS = {SPAM: "is_spammer", VIP: "is_vip"}


def _list_name(list_name: object) -> str:
    if list_name not in (SPAM, VIP):
        raise InvalidValue(
            "the list is 'spam' or 'vip'", code=Code.INVALID_VALUE, field="list_name"
        )
    return str(list_name)


def unlist(uow: UnitOfWork, customer: Customer, list_name: str) -> None:
    """Take ``customer``'s identifiers off the list, but those another holder flagged for it has.

    Clearing Pedro's spammer flag must not unblock the landline he shares
    with Rita, a spammer still (whether or not the actor sees her).
    """
    tenant_id, keys = customer.tenant_id, customer.identity_keys()
    held = uow.customers.holders(tenant_id, keys)
    others = {holder for ids in held.values() for holder in ids} - {customer.id}
    flagged = {
        other.id
        for other in uow.customers.get_many(tenant_id, others).values()
        if getattr(other, _FLAGS[list_name])
    }
    uow.lists.remove(tenant_id, list_name, [k for k in keys if not flagged & set(held.get(k, ()))])


class IdentityLists:
    """Flag customers as spammers or VIPs, and list identifiers nobody may hold yet."""

    __slots__ = ("_deps",)

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    def flag(
        self, tenant_id: str, actor: Actor, customer_id: str, list_name: str, on: bool
    ) -> Customer:
        """Set or clear ``is_spammer`` / ``is_vip``, listing or unlisting every identifier."""
        if not isinstance(on, bool):
            raise InvalidValue("expected true or false", code=Code.INVALID_VALUE, field="on")
        deps = self._deps
        with deps.uow_factory() as uow:
            current = uow.customers.get_visible(deps.scope(uow, tenant_id, actor), customer_id)
            current.check_processing()
            flagged = (
                attrs.evolve(current, is_spammer=on)
                if list_name == SPAM
                else attrs.evolve(current, is_vip=on)
            )
            if on:
                uow.lists.add(
                    tenant_id, list_name, current.identity_keys(), customer_id=customer_id
                )
            else:
                unlist(uow, current, list_name)
            saved = uow.customers.save(
                attrs.evolve(flagged, updated_at=deps.clock.now()),
                expected_version=current.version,
            )
            uow.record(
                deps.new_event(
                    f"customer.{list_name}_{'set' if on else 'cleared'}",
                    actor,
                    tenant_id,
                    customer_id,
                )
            )
            deps.commit(uow)
        return saved

    def block(
        self, tenant_id: str, actor: Actor, identifiers: Mapping[str, Any], list_name: str
    ) -> None:
        """List the message identifiers ``identifiers`` under the rule of the module."""
        check_tenant(tenant_id, actor)
        list_name = _list_name(list_name)
        deps = self._deps
        keys = list(Inbound.parse(identifiers, region=deps.preset.default_region).lookup_keys())
        with deps.uow_factory() as uow:
            scope = deps.scope(uow, tenant_id, actor)
            held = uow.customers.holders(tenant_id, keys)
            holders = sorted({holder for ids in held.values() for holder in ids})
            for holder in holders:
                try:
                    customer = uow.customers.get_visible(scope, holder)
                except NotFound:  # as that customer would be; its id is not given
                    raise NotFound(
                        "customer not found", code=Code.NOT_FOUND, field="identifiers"
                    ) from None
                customer.check_processing()
            uow.lists.add(tenant_id, list_name, keys, customer_id=None)
            uow.record(
                deps.new_event(
                    f"identifiers.{list_name}_listed",
                    actor,
                    tenant_id,
                    None,
                    # One audit entry about each holder (none held: one about nobody).
                    customer_ids=holders,
                    kinds=sorted({key.kind.value for key in keys}),
                    keys=len(keys),
                )
            )
            deps.commit(uow)
