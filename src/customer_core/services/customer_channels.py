"""The changes of a customer's channels: phones, e-mails, online ids, addresses, company contacts.

Each method parses its input with the tenant's preset (default region,
contact policy) and returns the :data:`~customer_core.services.customer_changes.Change`
to apply: the aggregate method, bound to the parsed values. A bad input is
refused here, before any unit of work opens.
:class:`~customer_core.services.CustomerService` applies the change the way
every change is applied (:class:`~customer_core.services.customer_changes.CustomerChanges`:
visibility, ``expected_version``, events), so the tenant, the actor, the
customer and the version are its business, not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from customer_core.domain.model.contact import Contact
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.phone import Phone
from customer_core.errors import Code, NotFound
from customer_core.services import inputs
from customer_core.services.base import Dependencies
from customer_core.services.customer_changes import Change

__all__ = ["CustomerChannels"]


class CustomerChannels:
    """Add, replace, remove and choose the primary of a customer's channels."""

    __slots__ = ("_deps",)

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    @property
    def _policy(self) -> ContactPolicy:
        return self._deps.preset.contact

    def _phone(self, phone: inputs.PhoneInput) -> Phone:
        return inputs.as_phone(phone, region=self._deps.preset.default_region)

    def _contact(self, contact: Any, new_id: str, *, checked: bool = True) -> Contact:
        region = self._deps.preset.default_region
        policy = self._policy if checked else None
        return inputs.as_contact(contact, new_id=new_id, policy=policy, region=region)

    def add_phone(self, phone: inputs.PhoneInput) -> Change:
        parsed, policy = self._phone(phone), self._policy
        return lambda c: c.add_phone(parsed, policy=policy)

    def replace_phone(self, old: inputs.PhoneInput, new: inputs.PhoneInput) -> Change:
        old_key, parsed, policy = self._phone(old).match_key, self._phone(new), self._policy
        return lambda c: c.replace_phone(old_key, parsed, policy=policy)

    def remove_phone(self, phone: inputs.PhoneInput) -> Change:
        key = self._phone(phone).match_key
        return lambda c: c.remove_phone(key)

    def set_primary_phone(self, phone: inputs.PhoneInput) -> Change:
        key = self._phone(phone).match_key
        return lambda c: c.set_primary_phone(key)

    def add_email(self, email: inputs.EmailInput) -> Change:
        parsed, policy = inputs.as_email(email), self._policy
        return lambda c: c.add_email(parsed, policy=policy)

    def replace_email(self, old: inputs.EmailInput, new: inputs.EmailInput) -> Change:
        old_key, parsed, policy = inputs.as_email(old).match_key, inputs.as_email(new), self._policy
        return lambda c: c.replace_email(old_key, parsed, policy=policy)

    def remove_email(self, email: inputs.EmailInput) -> Change:
        key = inputs.as_email(email).match_key
        return lambda c: c.remove_email(key)

    def set_primary_email(self, email: inputs.EmailInput) -> Change:
        key = inputs.as_email(email).match_key
        return lambda c: c.set_primary_email(key)

    def add_social_profile(self, profile: Any) -> Change:
        parsed, policy = inputs.as_social_profile(profile), self._policy
        return lambda c: c.add_social_profile(parsed, policy=policy)

    def remove_social_profile(self, profile: Any) -> Change:
        key = inputs.as_social_profile(profile).match_key
        return lambda c: c.remove_social_profile(key)

    def add_messenger_id(self, messenger: Any) -> Change:
        parsed = inputs.as_messenger_id(messenger)
        return lambda c: c.add_messenger_id(parsed)

    def remove_messenger_id(self, messenger: Any) -> Change:
        # A WhatsApp id stored before parse checked the number can still be removed.
        key = inputs.as_messenger_id(messenger, line_required=False).match_key
        return lambda c: c.remove_messenger_id(key)

    def add_external_id(self, external: Any) -> Change:
        parsed = inputs.as_external_id(external)
        return lambda c: c.add_external_id(parsed)

    def add_website(self, website: Any) -> Change:
        parsed = inputs.as_website(website)
        return lambda c: c.add_website(parsed)

    def add_address(self, address: inputs.AddressInput) -> Change:
        parsed, policy = inputs.as_address(address), self._policy
        return lambda c: c.add_address(parsed, policy=policy)

    def replace_address(self, index: int, address: inputs.AddressInput) -> Change:
        parsed, policy = inputs.as_address(address), self._policy
        return lambda c: c.replace_address(index, parsed, policy=policy)

    def remove_address(self, index: int) -> Change:
        return lambda c: c.remove_address(index)

    def add_contact(self, contact: Any) -> Change:
        parsed, policy = self._contact(contact, self._deps.ids.new_id()), self._policy
        return lambda c: c.add_contact(parsed, policy=policy)

    def update_contact(self, contact: Any) -> Change:
        """A :class:`Contact` replaces the stored one; a mapping changes the fields it has."""
        policy = self._policy
        if isinstance(contact, Contact) or not isinstance(contact, Mapping):
            # Checked against the stored contact: only what the edit adds is refused.
            parsed = self._contact(contact, "", checked=False)
            return lambda c: c.replace_contact(parsed, policy=policy)
        contact_id = str(contact.get("id") or "")
        fields = inputs.contact_fields(contact, region=self._deps.preset.default_region)

        def change(customer: Customer) -> Customer:
            stored = next((c for c in customer.contacts if c.id == contact_id), None)
            if stored is None:
                raise NotFound("no such contact", code=Code.NOT_FOUND, field="contacts")
            return customer.replace_contact(attrs.evolve(stored, **fields), policy=policy)

        return change

    def remove_contact(self, contact_id: str) -> Change:
        return lambda c: c.remove_contact(contact_id)
