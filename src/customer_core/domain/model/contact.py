"""The ``Contact`` entity: a person attached to a company customer.

Imported from :mod:`customer_core.domain.model.customer` (its documented path).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from customer_core.domain.model.names import clean_name, masked_name
from customer_core.domain.model.policies import ContactPolicy
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import SocialProfile
from customer_core.domain.values.phone import Phone

__all__ = ["Contact"]


@attrs.frozen(kw_only=True, repr=False)
class Contact:
    """A person attached to a company customer, with their own channels."""

    id: str
    name: str
    job_title: str | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    social_profiles: tuple[SocialProfile, ...] = ()
    note: str | None = None

    def __repr__(self) -> str:
        return f"Contact(id={self.id!r}, name={masked_name(self.name)!r})"

    @classmethod
    def create(
        cls,
        *,
        id: str,
        name: str,
        policy: ContactPolicy | None,
        job_title: str | None = None,
        phones: Iterable[Phone] = (),
        emails: Iterable[Email] = (),
        social_profiles: Iterable[SocialProfile] = (),
        note: str | None = None,
    ) -> Contact:
        contact = cls(
            id=id,
            name=clean_name(name, "contacts.name") or "",
            job_title=clean_name(job_title, "contacts.job_title", required=False),
            phones=tuple(phones),
            emails=tuple(emails),
            social_profiles=tuple(social_profiles),
            note=note,
        )
        if policy is not None:  # None: the caller checks it against the stored contact
            contact.check(policy)
        return contact

    def check(self, policy: ContactPolicy, *, before: Contact | None = None) -> None:
        """``policy`` on the contact's channels; with ``before`` (the stored contact),
        only on what the change adds (:meth:`ContactPolicy.check_phones`)."""
        policy.check_phones(
            self.phones, "contacts.phones", before=before.phones if before else None
        )
        policy.check_emails(
            self.emails, "contacts.emails", before=before.emails if before else None
        )
        policy.check_social_profiles(
            self.social_profiles,
            "contacts.social_profiles",
            before=before.social_profiles if before else None,
        )
