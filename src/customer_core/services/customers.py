"""Customer use cases: one method per user action, talking only to ports.

Every method takes the tenant and the :class:`~customer_core.Actor` doing it,
validates its input into domain values, applies the tenant's preset, and
writes through one unit of work: either everything is stored or nothing is.

>>> from customer_core import Actor, presets
>>> from customer_core.adapters.memory import MemoryStore
>>> from customer_core.services import CustomerService
>>> service = CustomerService(MemoryStore(), preset=presets.OMNICHANNEL)
>>> admin = Actor(tenant_id="acme", user_id="u1", role="admin")
>>> ana = service.register("acme", admin, name="Ana Lima", phones=["11 98765-4321"])
>>> ana = service.add_email("acme", admin, ana.id, "Ana@Exemplo.com")
>>> (ana.version, str(ana.primary_email))
(2, 'Ana@exemplo.com')
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import (
    ACTIVE,
    Customer,
    CustomerKind,
    IdentityKey,
    IdentityKind,
    Source,
)
from customer_core.domain.rules.visibility import Action, check_action
from customer_core.domain.values.email import Email
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import InvalidOperation, InvalidTaxId, VersionConflict
from customer_core.ports import DomainEvent, TaxIdStatus
from customer_core.services import inputs
from customer_core.services.base import ServiceBase, check_tenant

__all__ = ["CustomerService"]

_MIN_PASSWORD = 8
_MAX_PASSWORD = 1024
_RESET_TOKEN_TTL = timedelta(hours=2)

Change = Callable[[Customer], Customer]


def _token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class CustomerService(ServiceBase):
    """The customer use cases of one deployment (one storage, one preset)."""

    _dummy: str | None = None

    def _event(
        self, name: str, actor: Actor | None, customer: Customer, **data: Any
    ) -> DomainEvent:
        return self.event(name, actor, customer.tenant_id, customer.id, **data)

    def _check_assignment(self, actor: Actor, before: Customer | None, after: Customer) -> None:
        """Setting the portfolio or the responsible user is a restricted action."""
        old_portfolio = before.portfolio_id if before else None
        old_responsible = before.responsible_id if before else None
        if after.portfolio_id != old_portfolio:
            check_action(actor, self.preset.access, Action.ASSIGN_PORTFOLIO)
        if after.responsible_id != old_responsible and after.responsible_id != actor.user_id:
            check_action(actor, self.preset.access, Action.SET_RESPONSIBLE)

    def _verify_tax_id(self, tax_id: Cpf | Cnpj | None) -> None:
        if tax_id is None or not self.preset.registration.verify_tax_id:
            return
        status = self.tax_registry.lookup(tax_id)
        if status in (TaxIdStatus.NOT_FOUND, TaxIdStatus.IRREGULAR):
            raise InvalidTaxId(
                f"the registry reports this {tax_id.kind.upper()} as {status.value}",
                code=f"invalid_{tax_id.kind}",
                field="tax_id",
                registry_status=status.value,
            )

    def _change(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        *,
        event: str = "customer.updated",
        expected_version: int | None = None,
        check: bool = True,
        **data: Any,
    ) -> Customer:
        """Load, apply ``change``, validate, save with optimistic locking, record, commit."""
        with self.uow_factory() as uow:
            current = uow.customers.get_visible(self.scope(uow, tenant_id, actor), customer_id)
            if expected_version is not None and current.version != expected_version:
                raise VersionConflict(
                    "the customer changed since it was read",
                    code="version_conflict",
                    field="version",
                )
            changed = change(current)
            self._check_assignment(actor, current, changed)
            if check:
                changed.check_required(self.preset.registration)
            changed = attrs.evolve(changed, updated_at=self.clock.now())
            saved = uow.customers.save(changed, expected_version=current.version)
            uow.record(self._event(event, actor, saved, **data))
            self.commit(uow)
        return saved

    # -- register, read, delete --------------------------------------------

    def register(
        self,
        tenant_id: str,
        actor: Actor,
        /,
        *,
        name: str,
        kind: CustomerKind | str = CustomerKind.PERSON,
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
        **fields: Any,
    ) -> Customer:
        """Register a customer under the tenant's preset; returns it stored (version 1)."""
        check_tenant(tenant_id, actor)
        region, contact_policy = self.preset.default_region, self.preset.contact
        scalars = inputs.parse_scalar_fields({"tax_id": tax_id, **fields})
        customer = Customer.create(
            id=self.ids.new_id(),
            tenant_id=tenant_id,
            name=name,
            now=self.clock.now(),
            kind=kind,
            source=source,
            phones=tuple(inputs.as_phone(p, region=region) for p in phones),
            emails=tuple(inputs.as_email(e) for e in emails),
            social_profiles=tuple(inputs.as_social_profile(s) for s in social_profiles),
            messenger_ids=tuple(inputs.as_messenger_id(m) for m in messenger_ids),
            external_ids=tuple(inputs.as_external_id(x) for x in external_ids),
            websites=tuple(inputs.as_website(w) for w in websites),
            addresses=tuple(inputs.as_address(a) for a in addresses),
            contacts=tuple(
                inputs.as_contact(c, new_id=self.ids.new_id(), policy=contact_policy, region=region)
                for c in contacts
            ),
            **scalars,
        )
        customer = customer.with_status(status, self.preset.statuses)
        if contacts and customer.kind is not CustomerKind.COMPANY:
            raise InvalidOperation(
                "only companies have contacts", code="not_a_company", field="contacts"
            )
        customer.check(contact_policy, self.preset.registration)
        self._check_assignment(actor, None, customer)
        self._verify_tax_id(customer.tax_id)
        if password is not None:
            customer = attrs.evolve(customer, password_hash=self._hash_password(password))
        with self.uow_factory() as uow:
            stored = uow.customers.add(customer)
            uow.record(
                self._event("customer.registered", actor, stored, source=stored.source.value)
            )
            self.commit(uow)
        return stored

    def get(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Customer:
        """The customer, or :class:`~customer_core.errors.NotFound` if the actor cannot see it."""
        with self.uow_factory() as uow:
            return uow.customers.get_visible(self.scope(uow, tenant_id, actor), customer_id)

    def delete(self, tenant_id: str, actor: Actor, customer_id: str, /) -> None:
        """Delete a customer (roles allowed by the preset's access policy only)."""
        with self.uow_factory() as uow:
            customer = uow.customers.get_visible(self.scope(uow, tenant_id, actor), customer_id)
            check_action(actor, self.preset.access, Action.DELETE)
            uow.customers.delete(tenant_id, customer_id)
            uow.record(self._event("customer.deleted", actor, customer))
            self.commit(uow)

    # -- scalar fields and status -------------------------------------------

    def update(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        /,
        *,
        expected_version: int | None = None,
        **changes: Any,
    ) -> Customer:
        """Partial update of scalar fields (name, trade_name, tax_id, note, language...)."""
        parsed = inputs.parse_scalar_fields(changes)
        if "tax_id" in parsed:
            self._verify_tax_id(parsed["tax_id"])
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.update(**parsed),
            expected_version=expected_version,
            fields=sorted(parsed),
        )

    def change_status(
        self, tenant_id: str, actor: Actor, customer_id: str, status: str, /, **kw: Any
    ) -> Customer:
        """Inactivate, reactivate, or set a tenant-defined status."""
        statuses = self.preset.statuses
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.with_status(status, statuses),
            event="customer.status_changed",
            status=status,
            **kw,
        )

    def record_purchase(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, at: datetime | None = None
    ) -> Customer:
        """A purchase (an order of type "order") turns a lead or contact into active."""
        when = at or self.clock.now()
        return self._change(
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
        """Staff sent a message to the customer ("contacted ... ago")."""
        when = at or self.clock.now()
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.record_contact(when),
            event="customer.contacted",
            check=False,
        )

    # -- channels -----------------------------------------------------------

    def add_phone(
        self, tenant_id: str, actor: Actor, customer_id: str, phone: inputs.PhoneInput, /, **kw: Any
    ) -> Customer:
        parsed = inputs.as_phone(phone, region=self.preset.default_region)
        policy = self.preset.contact
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_phone(parsed, policy=policy), **kw
        )

    def replace_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.PhoneInput,
        new: inputs.PhoneInput,
        /,
        **kw: Any,
    ) -> Customer:
        region, policy = self.preset.default_region, self.preset.contact
        old_key = inputs.as_phone(old, region=region).match_key
        parsed = inputs.as_phone(new, region=region)
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_phone(old_key, parsed, policy=policy),
            **kw,
        )

    def remove_phone(
        self, tenant_id: str, actor: Actor, customer_id: str, phone: inputs.PhoneInput, /, **kw: Any
    ) -> Customer:
        key = inputs.as_phone(phone, region=self.preset.default_region).match_key
        return self._change(tenant_id, actor, customer_id, lambda c: c.remove_phone(key), **kw)

    def set_primary_phone(
        self, tenant_id: str, actor: Actor, customer_id: str, phone: inputs.PhoneInput, /, **kw: Any
    ) -> Customer:
        key = inputs.as_phone(phone, region=self.preset.default_region).match_key
        return self._change(tenant_id, actor, customer_id, lambda c: c.set_primary_phone(key), **kw)

    def add_email(
        self, tenant_id: str, actor: Actor, customer_id: str, email: inputs.EmailInput, /, **kw: Any
    ) -> Customer:
        parsed, policy = inputs.as_email(email), self.preset.contact
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_email(parsed, policy=policy), **kw
        )

    def replace_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.EmailInput,
        new: inputs.EmailInput,
        /,
        **kw: Any,
    ) -> Customer:
        old_key, parsed = inputs.as_email(old).match_key, inputs.as_email(new)
        policy = self.preset.contact
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_email(old_key, parsed, policy=policy),
            **kw,
        )

    def remove_email(
        self, tenant_id: str, actor: Actor, customer_id: str, email: inputs.EmailInput, /, **kw: Any
    ) -> Customer:
        key = inputs.as_email(email).match_key
        return self._change(tenant_id, actor, customer_id, lambda c: c.remove_email(key), **kw)

    def set_primary_email(
        self, tenant_id: str, actor: Actor, customer_id: str, email: inputs.EmailInput, /, **kw: Any
    ) -> Customer:
        """The primary e-mail is the login and receives all communication."""
        key = inputs.as_email(email).match_key
        return self._change(tenant_id, actor, customer_id, lambda c: c.set_primary_email(key), **kw)

    def add_social_profile(
        self, tenant_id: str, actor: Actor, customer_id: str, profile: Any, /, **kw: Any
    ) -> Customer:
        parsed, policy = inputs.as_social_profile(profile), self.preset.contact
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_social_profile(parsed, policy=policy),
            **kw,
        )

    def remove_social_profile(
        self, tenant_id: str, actor: Actor, customer_id: str, profile: Any, /, **kw: Any
    ) -> Customer:
        key = inputs.as_social_profile(profile).match_key
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.remove_social_profile(key), **kw
        )

    def add_messenger_id(
        self, tenant_id: str, actor: Actor, customer_id: str, messenger_id: Any, /, **kw: Any
    ) -> Customer:
        parsed = inputs.as_messenger_id(messenger_id)
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_messenger_id(parsed), **kw
        )

    def remove_messenger_id(
        self, tenant_id: str, actor: Actor, customer_id: str, messenger_id: Any, /, **kw: Any
    ) -> Customer:
        key = inputs.as_messenger_id(messenger_id).match_key
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.remove_messenger_id(key), **kw
        )

    def add_external_id(
        self, tenant_id: str, actor: Actor, customer_id: str, external_id: Any, /, **kw: Any
    ) -> Customer:
        parsed = inputs.as_external_id(external_id)
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_external_id(parsed), **kw
        )

    def add_website(
        self, tenant_id: str, actor: Actor, customer_id: str, website: Any, /, **kw: Any
    ) -> Customer:
        parsed = inputs.as_website(website)
        return self._change(tenant_id, actor, customer_id, lambda c: c.add_website(parsed), **kw)

    def add_address(
        self, tenant_id: str, actor: Actor, customer_id: str, address: Any, /, **kw: Any
    ) -> Customer:
        parsed, policy = inputs.as_address(address), self.preset.contact
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_address(parsed, policy=policy), **kw
        )

    def replace_address(
        self, tenant_id: str, actor: Actor, customer_id: str, index: int, address: Any, /, **kw: Any
    ) -> Customer:
        parsed, policy = inputs.as_address(address), self.preset.contact
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_address(index, parsed, policy=policy),
            **kw,
        )

    def remove_address(
        self, tenant_id: str, actor: Actor, customer_id: str, index: int, /, **kw: Any
    ) -> Customer:
        return self._change(tenant_id, actor, customer_id, lambda c: c.remove_address(index), **kw)

    def add_contact(
        self, tenant_id: str, actor: Actor, customer_id: str, contact: Any, /, **kw: Any
    ) -> Customer:
        """Attach a person to a company customer (same cardinality policy as customers)."""
        policy, region = self.preset.contact, self.preset.default_region
        parsed = inputs.as_contact(contact, new_id=self.ids.new_id(), policy=policy, region=region)
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.add_contact(parsed, policy=policy), **kw
        )

    def update_contact(
        self, tenant_id: str, actor: Actor, customer_id: str, contact: Any, /, **kw: Any
    ) -> Customer:
        """Replace the contact with the same ``id``."""
        policy, region = self.preset.contact, self.preset.default_region
        parsed = inputs.as_contact(contact, new_id="", policy=policy, region=region)
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.replace_contact(parsed, policy=policy), **kw
        )

    def remove_contact(
        self, tenant_id: str, actor: Actor, customer_id: str, contact_id: str, /, **kw: Any
    ) -> Customer:
        return self._change(
            tenant_id, actor, customer_id, lambda c: c.remove_contact(contact_id), **kw
        )

    def edit(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        /,
        **kw: Any,
    ) -> Customer:
        """Apply an aggregate method under the same rules, e.g. for profiles and addresses.

        ``change`` receives the current customer and returns the changed one; the
        preset's policies are available as ``service.preset``::

            policy = service.preset.contact
            service.edit(t, actor, cid, lambda c: c.add_address(addr, policy=policy))
        """
        return self._change(tenant_id, actor, customer_id, change, **kw)

    # -- passwords (shop login) ----------------------------------------------

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(12))
        return self._dummy

    def _hash_password(self, password: str) -> str:
        if not isinstance(password, str) or not _MIN_PASSWORD <= len(password) <= _MAX_PASSWORD:
            raise InvalidOperation(
                f"a password has {_MIN_PASSWORD} to {_MAX_PASSWORD} characters",
                code="invalid_password",
                field="password",
            )
        return self.hasher.hash(password)

    def set_password(
        self, tenant_id: str, actor: Actor, customer_id: str, password: str, /
    ) -> Customer:
        hashed = self._hash_password(password)
        return self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: attrs.evolve(c, password_hash=hashed, reset_token_hash=None),
            event="customer.password_changed",
            check=False,
        )

    def authenticate(self, tenant_id: str, login: str, password: str, /) -> Customer | None:
        """The customer whose login (primary e-mail) and password match, if allowed to log in."""
        key = Email.parse(login, field="login").match_key
        with self.uow_factory() as uow:
            holder = uow.customers.holders(tenant_id, [IdentityKey(IdentityKind.EMAIL, key)])
            customer_id = holder.get(IdentityKey(IdentityKind.EMAIL, key))
            if customer_id is None:
                self.hasher.verify(password, self._dummy_hash())  # same cost either way
                return None
            customer = uow.customers.get(tenant_id, customer_id)
        if (
            customer.primary_email_key != key
            or customer.password_hash is None
            or not customer.can_log_in(self.preset.statuses)
        ):
            return None
        return customer if self.hasher.verify(password, customer.password_hash) else None

    def create_reset_token(self, tenant_id: str, actor: Actor, customer_id: str, /) -> str:
        """A one-time token to set a new password; only its digest is stored."""
        secret = secrets.token_urlsafe(32)
        expires = self.clock.now() + _RESET_TOKEN_TTL
        self._change(
            tenant_id,
            actor,
            customer_id,
            lambda c: attrs.evolve(
                c, reset_token_hash=_token_digest(secret), reset_token_expires_at=expires
            ),
            event="customer.password_reset_requested",
            check=False,
        )
        return f"{customer_id}.{secret}"

    def reset_password(self, tenant_id: str, token: str, new_password: str, /) -> Customer:
        customer_id, _, secret = token.partition(".")
        hashed = self._hash_password(new_password)
        invalid = InvalidOperation(
            "the reset token is invalid or expired", code="invalid_reset_token", field="token"
        )
        with self.uow_factory() as uow:
            try:
                customer = uow.customers.get(tenant_id, customer_id)
            except LookupError:
                raise invalid from None
            expires = customer.reset_token_expires_at
            if (
                customer.reset_token_hash is None
                or expires is None
                or expires < self.clock.now()
                or not hmac.compare_digest(customer.reset_token_hash, _token_digest(secret))
            ):
                raise invalid
            changed = attrs.evolve(
                customer, password_hash=hashed, reset_token_hash=None, reset_token_expires_at=None
            )
            saved = uow.customers.save(changed, expected_version=customer.version)
            uow.record(self._event("customer.password_changed", None, saved))
            self.commit(uow)
        return saved
