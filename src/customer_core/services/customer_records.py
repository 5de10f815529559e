"""Registration, reads, updates and deletion of a customer record.

:class:`CustomerRecords` is a part of
:class:`~customer_core.services.CustomerService`, which offers its methods
(and documents them); it writes through the service's
:class:`~customer_core.services.customer_changes.CustomerChanges`. Every
method takes the tenant and the :class:`~customer_core.Actor` doing it,
validates its input into domain values, applies the tenant's preset, and
writes through one unit of work: either everything is stored or nothing is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import (
    ACTIVE,
    Customer,
    CustomerKind,
    Source,
    clean_name,
)
from customer_core.domain.rules.visibility import Action, check_action, sees_unassigned
from customer_core.domain.values.language import Language
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import Code, InvalidOperation, InvalidValue
from customer_core.ports import UnitOfWork
from customer_core.services import inputs
from customer_core.services.base import check_tenant
from customer_core.services.customer_changes import CustomerChanges
from customer_core.services.customer_credentials import hash_password
from customer_core.services.identity_lists import unlist
from customer_core.services.validation import Problems, check_registered
from customer_core.unset import UNSET, Unset

__all__ = ["CustomerRecords"]


def _moment(at: datetime | None) -> datetime | None:
    """``at`` when it is a timezone-aware datetime (what the storage keeps)."""
    if at is None:
        return None
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidValue(
            "expected a timezone-aware datetime", code=Code.INVALID_VALUE, field="at"
        )
    return at


def _sync_lists(uow: UnitOfWork, before: Customer, after: Customer) -> None:
    """Setting ``is_spammer``/``is_vip`` lists or unlists the identifiers, as
    :meth:`~customer_core.services.IdentityService.mark_spammer` does."""
    for flag, list_name in (("is_spammer", "spam"), ("is_vip", "vip")):
        on = getattr(after, flag)
        if on == getattr(before, flag):
            continue
        if on:
            uow.lists.add(after.tenant_id, list_name, after.identity_keys(), customer_id=after.id)
        else:
            unlist(uow, after, list_name)


def _scalars(problems: Problems, given: dict[str, Any]) -> dict[str, Any]:
    """The scalar fields that parse, each refusal recorded."""
    parsed: dict[str, Any] = {}
    for field, value in given.items():
        parsed.update(problems.value(inputs.parse_scalar_fields, {field: value}) or {})
    return parsed


class CustomerRecords:
    """Register, read, update, change the status of and delete customers."""

    __slots__ = ("_changes", "_deps")

    def __init__(self, changes: CustomerChanges) -> None:
        self._changes = changes
        self._deps = changes.deps

    def _verify_tax_id(self, tax_id: Cpf | Cnpj | None) -> None:
        if tax_id is None or not self._deps.preset.registration.verify_tax_id:
            return
        check_registered(self._deps.tax_registry, tax_id)

    # -- register, read, delete --------------------------------------------

    def register(
        self,
        tenant_id: str,
        actor: Actor,
        /,
        *,
        name: str,
        kind: CustomerKind | str | None = None,
        source: Source | str = Source.STAFF,
        tax_id: Cpf | Cnpj | str | None = None,
        phones: Iterable[inputs.PhoneInput] = (),
        emails: Iterable[inputs.EmailInput] = (),
        social_profiles: Iterable[Any] = (),
        messenger_ids: Iterable[Any] = (),
        external_ids: Iterable[Any] = (),
        websites: Iterable[Any] = (),
        addresses: Iterable[inputs.AddressInput] = (),
        contacts: Iterable[Any] = (),
        status: str = ACTIVE,
        password: str | None = None,
        trade_name: str | None = None,
        language: Language | str | None = None,
        avatar_url: str | None = None,
        organization_id: str | None = None,
        job_title: str | None = None,
        note: str | None = None,
        portfolio_id: str | None = None,
        responsible_id: str | None = None,
        customer_profile: str | None = None,
        payment_method: str | None = None,
        payment_term: str | None = None,
        is_spammer: bool = False,
        is_vip: bool = False,
    ) -> Customer:
        check_tenant(tenant_id, actor)
        deps, preset = self._deps, self._deps.preset
        region, contact_policy = preset.default_region, preset.contact
        if (
            portfolio_id is None
            and responsible_id is None
            and not sees_unassigned(actor, preset.access)
        ):
            responsible_id = actor.user_id  # else the record would be out of its maker's sight
        # Every problem is found before any is reported (ValidationFailed).
        problems = Problems()
        scalars = _scalars(
            problems,
            {
                "tax_id": tax_id,
                "trade_name": trade_name,
                "language": language,
                "avatar_url": avatar_url,
                "organization_id": organization_id,
                "job_title": job_title,
                "note": note,
                "portfolio_id": portfolio_id,
                "responsible_id": responsible_id,
                "customer_profile": customer_profile,
                "payment_method": payment_method,
                "payment_term": payment_term,
                "is_spammer": is_spammer,
                "is_vip": is_vip,
            },
        )
        if kind is None:  # a CNPJ is a company's
            kind = (
                CustomerKind.COMPANY
                if isinstance(scalars.get("tax_id"), Cnpj)
                else CustomerKind.PERSON
            )
        # A refused name is reported once: the record checked below carries
        # a stand-in (it is never stored, as the name's refusal is raised).
        clean = problems.value(clean_name, name)
        if clean is None:
            name = "-"
        customer = problems.value(
            Customer.create,
            id=deps.ids.new_id(),
            tenant_id=tenant_id,
            name=name,
            now=deps.clock.now(),
            kind=kind,
            source=source,
            phones=problems.items("phones", partial(inputs.as_phone, region=region), phones),
            emails=problems.items("emails", inputs.as_email, emails),
            social_profiles=problems.items(
                "social_profiles", inputs.as_social_profile, social_profiles
            ),
            messenger_ids=problems.items("messenger_ids", inputs.as_messenger_id, messenger_ids),
            external_ids=problems.items("external_ids", inputs.as_external_id, external_ids),
            websites=problems.items("websites", inputs.as_website, websites),
            addresses=problems.items("addresses", inputs.as_address, addresses),
            contacts=problems.items(
                "contacts",
                lambda c: inputs.as_contact(
                    c, new_id=deps.ids.new_id(), policy=contact_policy, region=region
                ),
                contacts,
            ),
            **scalars,
        )
        if customer is None:  # a kind or source it cannot be built with
            problems.raise_if_any()
            raise AssertionError("unreachable: Customer.create refused without a reason")
        customer = problems.value(customer.with_status, status, preset.statuses) or customer
        if contacts and customer.kind is not CustomerKind.COMPANY:
            problems.add(
                InvalidOperation(
                    "only companies have contacts", code=Code.NOT_A_COMPANY, field="contacts"
                )
            )
        problems.violations(
            customer.invariant_violations(contact_policy, preset.statuses, preset.registration)
        )
        problems.raise_if_any()
        self._changes.check_assignment(actor, None, customer)
        self._verify_tax_id(customer.tax_id)
        if password is not None:
            customer = attrs.evolve(customer, password_hash=hash_password(deps.hasher, password))
        return self._changes.add(tenant_id, actor, customer)

    def get(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Customer:
        with self._deps.uow_factory() as uow:
            return uow.customers.get_visible(self._deps.scope(uow, tenant_id, actor), customer_id)

    def delete(self, tenant_id: str, actor: Actor, customer_id: str, /) -> None:
        deps = self._deps
        with deps.uow_factory() as uow:
            customer = uow.customers.get_visible(deps.scope(uow, tenant_id, actor), customer_id)
            check_action(actor, deps.preset.access, Action.DELETE)
            customer.check_processing()  # a blocked record ends by erasure, which is audited
            uow.customers.delete(tenant_id, customer_id)
            uow.record(self._changes.event("customer.deleted", actor, customer))
            deps.commit(uow)

    # -- scalar fields and status -------------------------------------------

    def update(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        /,
        *,
        expected_version: int | None = None,
        name: str | Unset = UNSET,
        trade_name: str | Unset | None = UNSET,
        tax_id: Cpf | Cnpj | str | Unset | None = UNSET,
        language: Language | str | Unset | None = UNSET,
        avatar_url: str | Unset | None = UNSET,
        organization_id: str | Unset | None = UNSET,
        job_title: str | Unset | None = UNSET,
        note: str | Unset | None = UNSET,
        portfolio_id: str | Unset | None = UNSET,
        responsible_id: str | Unset | None = UNSET,
        customer_profile: str | Unset | None = UNSET,
        payment_method: str | Unset | None = UNSET,
        payment_term: str | Unset | None = UNSET,
        is_spammer: bool | Unset = UNSET,
        is_vip: bool | Unset = UNSET,
    ) -> Customer:
        given = {
            "name": name,
            "trade_name": trade_name,
            "tax_id": tax_id,
            "language": language,
            "avatar_url": avatar_url,
            "organization_id": organization_id,
            "job_title": job_title,
            "note": note,
            "portfolio_id": portfolio_id,
            "responsible_id": responsible_id,
            "customer_profile": customer_profile,
            "payment_method": payment_method,
            "payment_term": payment_term,
            "is_spammer": is_spammer,
            "is_vip": is_vip,
        }
        problems = Problems()
        parsed = _scalars(
            problems, {field: value for field, value in given.items() if value is not UNSET}
        )
        if "tax_id" in parsed:
            problems.value(self._verify_tax_id, parsed["tax_id"])
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.update(**parsed),
            expected_version=expected_version,
            then=_sync_lists,
            fields=sorted(parsed),
            problems=problems,
        )

    def change_status(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        status: str,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        statuses = self._deps.preset.statuses
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.with_status(status, statuses),
            expected_version=expected_version,
            event="customer.status_changed",
            status=status,
        )

    def record_purchase(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, at: datetime | None = None
    ) -> Customer:
        when = _moment(at) or self._deps.clock.now()
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.record_purchase(when),
            event="customer.purchase_recorded",
            check=False,
        )

    def record_contact(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, at: datetime | None = None
    ) -> Customer:
        when = _moment(at) or self._deps.clock.now()
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.record_contact(when),
            event="customer.contacted",
            check=False,
        )
