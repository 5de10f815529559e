"""Customer use cases: one method per user action, talking only to ports.

Every method takes the tenant and the :class:`~customer_core.Actor` doing it,
validates its input into domain values, applies the tenant's preset, and
writes through one unit of work: either everything is stored or nothing is.

:class:`CustomerService` is the facade: each method checks its arguments
(:mod:`~customer_core.services.boundary`) and hands the work to a part it is
composed of, all of them writing through one
:class:`~customer_core.services.customer_changes.CustomerChanges`: the record
itself (:mod:`customer_core.services.customer_records`) and the shop login
(:mod:`customer_core.services.customer_credentials`) do their use cases; for
the channels (:mod:`customer_core.services.customer_channels`) the part only
parses the input into the change, which the facade applies. This module is
long because it holds the public signatures, each written once.

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

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import Any

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import ACTIVE, Customer, CustomerKind, Source
from customer_core.domain.values.language import Language
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.services import inputs
from customer_core.services.base import ServiceBase
from customer_core.services.customer_changes import Change, CustomerChanges
from customer_core.services.customer_channels import CustomerChannels
from customer_core.services.customer_credentials import CustomerCredentials
from customer_core.services.customer_records import CustomerRecords
from customer_core.unset import UNSET, Unset

__all__ = ["CustomerService"]


class CustomerService(ServiceBase):
    """The customer use cases of one deployment (one storage, one preset).

    Most changes take one keyword-only option, ``expected_version``: the version
    of the customer the caller read. When the stored customer has another,
    the change is refused with :class:`~customer_core.errors.VersionConflict`
    and nothing is written (optimistic locking); ``None``, the default, skips
    the comparison.
    """

    # The parts, made when first used; they share the service's dependencies.

    @cached_property
    def _changes(self) -> CustomerChanges:
        return CustomerChanges(self._deps)

    @cached_property
    def _records(self) -> CustomerRecords:
        return CustomerRecords(self._changes)

    @cached_property
    def _channels(self) -> CustomerChannels:
        return CustomerChannels(self._deps)

    @cached_property
    def _credentials(self) -> CustomerCredentials:
        return CustomerCredentials(self._changes)

    # -- register, read, update, delete: CustomerRecords -------------------

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
        """Register a customer under the tenant's preset; returns it stored (version 1).

        ``name`` is required; every other field is optional and keyword-only.
        Without a ``kind``, a customer whose ``tax_id`` is a CNPJ is a
        company, any other a person.
        Text fields are cleaned (surrounding spaces, printable characters) and
        an empty one is no value; ``portfolio_id``, ``responsible_id`` and
        ``organization_id`` are ids (:mod:`~customer_core.services.boundary`).
        ``portfolio_id`` must be a portfolio of the tenant, and setting it, or
        a ``responsible_id`` other than the actor, are restricted actions of
        the preset's access policy. ``organization_id`` (as in :meth:`update`)
        must be a company the actor sees: ``not_found`` otherwise, and
        ``not_a_company`` for a person. Without a portfolio or a responsible
        user, an actor who does not see customers outside portfolios (an
        agent under ``HELPDESK_PORTFOLIO`` without ``view_unassigned``)
        becomes the responsible, so the record
        stays in their sight. Identifiers (``phones``, ``emails``...) are
        raw text or values, parsed with the preset's default region and
        checked against its contact policy.
        """
        return self._records.register(
            tenant_id,
            actor,
            name=name,
            kind=kind,
            source=source,
            tax_id=tax_id,
            phones=phones,
            emails=emails,
            social_profiles=social_profiles,
            messenger_ids=messenger_ids,
            external_ids=external_ids,
            websites=websites,
            addresses=addresses,
            contacts=contacts,
            status=status,
            password=password,
            trade_name=trade_name,
            language=language,
            avatar_url=avatar_url,
            organization_id=organization_id,
            job_title=job_title,
            note=note,
            portfolio_id=portfolio_id,
            responsible_id=responsible_id,
            customer_profile=customer_profile,
            payment_method=payment_method,
            payment_term=payment_term,
            is_spammer=is_spammer,
            is_vip=is_vip,
        )

    def get(self, tenant_id: str, actor: Actor, customer_id: str, /) -> Customer:
        """The customer, or :class:`~customer_core.errors.NotFound` if the actor cannot see it."""
        return self._records.get(tenant_id, actor, customer_id)

    def delete(self, tenant_id: str, actor: Actor, customer_id: str, /) -> None:
        """Delete a customer (roles allowed by the preset's access policy only)."""
        self._records.delete(tenant_id, actor, customer_id)

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
        """Partial update of the scalar fields, under the rules of :meth:`register`.

        A field left out (its default, :data:`~customer_core.UNSET`) keeps its
        value; ``None`` clears it (``name`` cannot be cleared). Channels and
        the status have their own methods. Setting ``is_spammer`` or
        ``is_vip`` lists or unlists the customer's identifiers, as
        :meth:`~customer_core.services.IdentityService.mark_spammer` does.
        With ``expected_version`` the update is refused with
        :class:`~customer_core.errors.VersionConflict` if the customer changed
        since that version was read.
        """
        return self._records.update(
            tenant_id,
            actor,
            customer_id,
            expected_version=expected_version,
            name=name,
            trade_name=trade_name,
            tax_id=tax_id,
            language=language,
            avatar_url=avatar_url,
            organization_id=organization_id,
            job_title=job_title,
            note=note,
            portfolio_id=portfolio_id,
            responsible_id=responsible_id,
            customer_profile=customer_profile,
            payment_method=payment_method,
            payment_term=payment_term,
            is_spammer=is_spammer,
            is_vip=is_vip,
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
        """Inactivate, reactivate, or set a tenant-defined status."""
        return self._records.change_status(
            tenant_id, actor, customer_id, status, expected_version=expected_version
        )

    def record_purchase(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, at: datetime | None = None
    ) -> Customer:
        """A purchase (an order of type "order") turns a lead or contact into active."""
        return self._records.record_purchase(tenant_id, actor, customer_id, at=at)

    def record_contact(
        self, tenant_id: str, actor: Actor, customer_id: str, /, *, at: datetime | None = None
    ) -> Customer:
        """Staff sent a message to the customer ("contacted ... ago")."""
        return self._records.record_contact(tenant_id, actor, customer_id, at=at)

    # -- any other change --------------------------------------------------

    def edit(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        """Apply an aggregate method under the same rules, e.g. for profiles and addresses.

        ``change`` receives the current customer and returns the changed one; the
        preset's policies are available as ``service.preset``::

            policy = service.preset.contact
            service.edit(t, actor, cid, lambda c: c.add_address(addr, policy=policy))
        """
        return self._apply(tenant_id, actor, customer_id, change, expected_version)

    # -- channels: CustomerChannels builds the change, applied here -----------

    def _apply(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        change: Change,
        expected_version: int | None,
    ) -> Customer:
        return self._changes.change(
            tenant_id, actor, customer_id, change, expected_version=expected_version
        )

    def add_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.add_phone(phone), expected_version
        )

    def replace_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.PhoneInput,
        new: inputs.PhoneInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.replace_phone(old, new), expected_version
        )

    def remove_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.remove_phone(phone), expected_version
        )

    def set_primary_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.set_primary_phone(phone), expected_version
        )

    def add_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.add_email(email), expected_version
        )

    def replace_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.EmailInput,
        new: inputs.EmailInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.replace_email(old, new), expected_version
        )

    def remove_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.remove_email(email), expected_version
        )

    def set_primary_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        """The primary e-mail is the login and receives all communication."""
        return self._apply(
            tenant_id, actor, customer_id, self._channels.set_primary_email(email), expected_version
        )

    def add_social_profile(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        profile: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.add_social_profile(profile),
            expected_version,
        )

    def remove_social_profile(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        profile: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.remove_social_profile(profile),
            expected_version,
        )

    def add_messenger_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        messenger: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.add_messenger_id(messenger),
            expected_version,
        )

    def remove_messenger_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        messenger: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.remove_messenger_id(messenger),
            expected_version,
        )

    def add_external_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        external: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.add_external_id(external),
            expected_version,
        )

    def add_website(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        website: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.add_website(website), expected_version
        )

    def add_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        address: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.add_address(address), expected_version
        )

    def replace_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        index: int,
        address: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.replace_address(index, address),
            expected_version,
        )

    def remove_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        index: int,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id, actor, customer_id, self._channels.remove_address(index), expected_version
        )

    def add_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        """Attach a person to a company customer (same cardinality policy as customers)."""
        return self._apply(
            tenant_id, actor, customer_id, self._channels.add_contact(contact), expected_version
        )

    def update_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact: Any,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        """Change the contact with the same ``id``.

        A mapping changes the fields it has and keeps the others as stored:
        ``{"id": ..., "name": "Rui G."}`` renames the contact and keeps its
        phones, e-mails and profiles; ``"phones": []`` removes its phones, and
        ``None`` clears ``job_title`` or ``note``. A key that is not a contact
        field is refused (``invalid_value``, naming it). A :class:`Contact`
        replaces the stored contact whole.
        """
        return self._apply(
            tenant_id, actor, customer_id, self._channels.update_contact(contact), expected_version
        )

    def remove_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact_id: str,
        /,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        return self._apply(
            tenant_id,
            actor,
            customer_id,
            self._channels.remove_contact(contact_id),
            expected_version,
        )

    # -- shop login: CustomerCredentials -------------------------------------

    def set_password(
        self, tenant_id: str, actor: Actor, customer_id: str, password: str, /
    ) -> Customer:
        """Set the shop password (8 to 1024 characters); only its hash is stored."""
        return self._credentials.set_password(tenant_id, actor, customer_id, password)

    def authenticate(self, tenant_id: str, login: str, password: str, /) -> Customer | None:
        """The customer whose login (primary e-mail) and password match, if allowed to log in."""
        return self._credentials.authenticate(tenant_id, login, password)

    def create_reset_token(self, tenant_id: str, actor: Actor, customer_id: str, /) -> str:
        """A one-time token to set a new password (administrators only); only its digest is stored.

        The token dies when the customer's login e-mail or password changes.
        The customer's own "forgot my password" is :meth:`request_password_reset`.
        """
        return self._credentials.create_reset_token(tenant_id, actor, customer_id)

    def request_password_reset(self, tenant_id: str, login: str, /) -> str | None:
        """A reset token for whoever logs in with ``login``, for the host to e-mail there.

        ``None`` when nobody logs in with it. Never show the token to the
        person who asked: only the mailbox's owner may receive it.
        """
        return self._credentials.request_password_reset(tenant_id, login)

    def reset_password(self, tenant_id: str, token: str, new_password: str, /) -> Customer:
        """Set a new password with a token of :meth:`create_reset_token` (once, within 2 hours)."""
        return self._credentials.reset_password(tenant_id, token, new_password)
