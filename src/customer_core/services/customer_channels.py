"""Customer use cases on channels: phones, e-mails, online ids, addresses, company contacts.

Each parses its input with the tenant's preset (default region, contact
policy) and applies one aggregate method the way every change is applied
(:class:`~customer_core.services.customer_changes.CustomerChanges`).
:class:`CustomerChannels` is a part of
:class:`~customer_core.services.CustomerService`, which offers its methods.

Every method takes ``expected_version``: the version of the customer the
caller read. When the stored customer has another, the change is refused
with :class:`~customer_core.errors.VersionConflict` and nothing is written
(optimistic locking); ``None`` skips the comparison.
"""

from __future__ import annotations

from typing import Any

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.services import inputs
from customer_core.services.customer_changes import CustomerChanges

__all__ = ["CustomerChannels"]


class CustomerChannels:
    """Add, replace, remove and choose the primary of a customer's channels."""

    __slots__ = ("_changes", "_deps")

    def __init__(self, changes: CustomerChanges) -> None:
        self._changes = changes
        self._deps = changes.deps

    def add_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        expected_version: int | None,
    ) -> Customer:
        parsed = inputs.as_phone(phone, region=self._deps.preset.default_region)
        policy = self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_phone(parsed, policy=policy),
            expected_version=expected_version,
        )

    def replace_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.PhoneInput,
        new: inputs.PhoneInput,
        expected_version: int | None,
    ) -> Customer:
        region, policy = self._deps.preset.default_region, self._deps.preset.contact
        old_key = inputs.as_phone(old, region=region).match_key
        parsed = inputs.as_phone(new, region=region)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_phone(old_key, parsed, policy=policy),
            expected_version=expected_version,
        )

    def remove_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_phone(phone, region=self._deps.preset.default_region).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_phone(key),
            expected_version=expected_version,
        )

    def set_primary_phone(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        phone: inputs.PhoneInput,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_phone(phone, region=self._deps.preset.default_region).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.set_primary_phone(key),
            expected_version=expected_version,
        )

    def add_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        expected_version: int | None,
    ) -> Customer:
        parsed, policy = inputs.as_email(email), self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_email(parsed, policy=policy),
            expected_version=expected_version,
        )

    def replace_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        old: inputs.EmailInput,
        new: inputs.EmailInput,
        expected_version: int | None,
    ) -> Customer:
        old_key, parsed = inputs.as_email(old).match_key, inputs.as_email(new)
        policy = self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_email(old_key, parsed, policy=policy),
            expected_version=expected_version,
        )

    def remove_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_email(email).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_email(key),
            expected_version=expected_version,
        )

    def set_primary_email(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        email: inputs.EmailInput,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_email(email).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.set_primary_email(key),
            expected_version=expected_version,
        )

    def add_social_profile(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        profile: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed, policy = inputs.as_social_profile(profile), self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_social_profile(parsed, policy=policy),
            expected_version=expected_version,
        )

    def remove_social_profile(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        profile: Any,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_social_profile(profile).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_social_profile(key),
            expected_version=expected_version,
        )

    def add_messenger_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        messenger: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed = inputs.as_messenger_id(messenger)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_messenger_id(parsed),
            expected_version=expected_version,
        )

    def remove_messenger_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        messenger: Any,
        expected_version: int | None,
    ) -> Customer:
        key = inputs.as_messenger_id(messenger).match_key
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_messenger_id(key),
            expected_version=expected_version,
        )

    def add_external_id(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        external: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed = inputs.as_external_id(external)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_external_id(parsed),
            expected_version=expected_version,
        )

    def add_website(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        website: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed = inputs.as_website(website)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_website(parsed),
            expected_version=expected_version,
        )

    def add_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        address: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed, policy = inputs.as_address(address), self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_address(parsed, policy=policy),
            expected_version=expected_version,
        )

    def replace_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        index: int,
        address: Any,
        expected_version: int | None,
    ) -> Customer:
        parsed, policy = inputs.as_address(address), self._deps.preset.contact
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_address(index, parsed, policy=policy),
            expected_version=expected_version,
        )

    def remove_address(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        index: int,
        expected_version: int | None,
    ) -> Customer:
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_address(index),
            expected_version=expected_version,
        )

    def add_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact: Any,
        expected_version: int | None,
    ) -> Customer:
        policy, region = self._deps.preset.contact, self._deps.preset.default_region
        parsed = inputs.as_contact(
            contact, new_id=self._deps.ids.new_id(), policy=policy, region=region
        )
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.add_contact(parsed, policy=policy),
            expected_version=expected_version,
        )

    def update_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact: Any,
        expected_version: int | None,
    ) -> Customer:
        policy, region = self._deps.preset.contact, self._deps.preset.default_region
        parsed = inputs.as_contact(contact, new_id="", policy=policy, region=region)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.replace_contact(parsed, policy=policy),
            expected_version=expected_version,
        )

    def remove_contact(
        self,
        tenant_id: str,
        actor: Actor,
        customer_id: str,
        contact_id: str,
        expected_version: int | None,
    ) -> Customer:
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: c.remove_contact(contact_id),
            expected_version=expected_version,
        )
