"""The ``Customer`` aggregate and the ``Contact`` entity.

Both are immutable: every change returns a new object, so a change that a
policy refuses leaves the original exactly as it was.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Phone, presets
>>> now = datetime(2026, 1, 5, tzinfo=timezone.utc)
>>> c = Customer.create(id="c1", tenant_id="acme", name="Ana Lima", now=now)
>>> policy = presets.OMNICHANNEL.contact
>>> for n in ("11 98765-4321", "11 3333-4444", "21 99999-0000"):
...     c = c.add_phone(Phone.parse(n), policy=policy)
>>> c.add_phone(Phone.parse("31 98888-7777"), policy=policy)
Traceback (most recent call last):
...
customer_core.errors.CardinalityExceeded: too_many_phones [phones]: at most 3 phones allowed
>>> len(c.phones), c.primary_phone
(3, Phone('+55*******4321', mobile))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from customer_core.domain.model.channels import (
    check_unique_keys,
    default_primaries,
    email_match_key,
    phone_match_key,
    with_item,
    without_key,
)
from customer_core.domain.model.contact import Contact
from customer_core.domain.model.identity import IdentityKey, IdentityKind, identity_keys
from customer_core.domain.model.invariants import (
    channel_checks,
    check_status,
    invariant_checks,
    require,
)
from customer_core.domain.model.kinds import CustomerKind, RelationshipType, Source
from customer_core.domain.model.names import clean_name, masked_name
from customer_core.domain.model.policies import (
    ContactPolicy,
    RegistrationPolicy,
    StatusDefinition,
)
from customer_core.domain.model.privacy import Origin
from customer_core.domain.values.address import Address, AddressType
from customer_core.domain.values.email import Email
from customer_core.domain.values.language import Language
from customer_core.domain.values.online import ExternalId, MessengerId, SocialProfile, Website
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import (
    Code,
    CustomerCoreError,
    InvalidOperation,
    InvalidValue,
    MissingRequiredField,
    NotFound,
    RuleViolation,
)

# The class stays whole here: its methods are the aggregate's API. What it is
# made of lives beside it -- Contact (contact), the kinds (kinds), clean_name
# (names), the identity keys (identity), the helpers of its channel lists
# (channels) and its invariants (invariants) -- and is re-exported here: hosts
# import these names from this path, the reference documents them at it
# (docs/api.rst, :imported-members:), and pickles made before the split name it.
__all__ = [
    "ACTIVE",
    "DEFAULT_STATUSES",
    "INACTIVE",
    "Contact",
    "Customer",
    "CustomerKind",
    "IdentityKey",
    "IdentityKind",
    "RelationshipType",
    "Source",
    "clean_name",
]

ACTIVE = "active"
INACTIVE = "inactive"
DEFAULT_STATUSES = (
    StatusDefinition(ACTIVE, grants_access=True, label="Ativo"),
    StatusDefinition(INACTIVE, grants_access=False, label="Inativo"),
)


@attrs.frozen(kw_only=True, repr=False)
class Customer:
    """A customer: a person or a company, with identities, addresses and contacts.

    Build one with :meth:`create`; change it with the methods, which return a
    new instance and validate against the given policy. Whatever made a
    change (those methods, ``attrs.evolve``, a caller's function given to
    :meth:`~customer_core.services.CustomerService.edit`), the services check
    the result with :meth:`check_invariants` before storing it.
    """

    id: str
    tenant_id: str
    kind: CustomerKind = CustomerKind.PERSON
    name: str
    trade_name: str | None = None
    tax_id: Cpf | Cnpj | None = None
    avatar_url: str | None = None
    language: Language | None = None
    organization_id: str | None = None
    job_title: str | None = None
    note: str | None = None
    is_spammer: bool = False
    is_vip: bool = False
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    social_profiles: tuple[SocialProfile, ...] = ()
    messenger_ids: tuple[MessengerId, ...] = ()
    external_ids: tuple[ExternalId, ...] = ()
    websites: tuple[Website, ...] = ()
    addresses: tuple[Address, ...] = ()
    contacts: tuple[Contact, ...] = ()
    primary_email_key: str | None = None
    primary_phone_key: str | None = None
    portfolio_id: str | None = None
    responsible_id: str | None = None
    customer_profile: str | None = None
    payment_method: str | None = None
    payment_term: str | None = None
    password_hash: str | None = attrs.field(default=None, repr=False)
    reset_token_hash: str | None = attrs.field(default=None, repr=False)
    reset_token_expires_at: datetime | None = None
    status: str = ACTIVE
    source: Source = Source.STAFF
    first_purchase_at: datetime | None = None
    last_contacted_at: datetime | None = None
    #: When its personal values were replaced (:meth:`~customer_core.services.PrivacyService.anonymize`);
    #: an anonymized record is exempt from the required fields.
    anonymized_at: datetime | None = None
    #: When its processing was suspended (LGPD Art. 18 IV,
    #: :meth:`~customer_core.services.PrivacyService.block`), and why: the record
    #: is kept and readable, but every processing write is refused
    #: (:meth:`check_processing`). ``None`` when not blocked.
    blocked_at: datetime | None = None
    blocked_reason: str | None = None
    #: Where an imported record came from (file and line); ``None`` otherwise.
    origin: Origin | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 0

    def __repr__(self) -> str:
        # Personal data stays out of logs: ids, kind and a masked name only.
        return (
            f"Customer(id={self.id!r}, tenant_id={self.tenant_id!r}, kind={self.kind.value}, "
            f"name={masked_name(self.name)!r}, version={self.version})"
        )

    # -- construction -------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        id: str,
        tenant_id: str,
        name: str,
        now: datetime,
        kind: CustomerKind | str = CustomerKind.PERSON,
        source: Source | str = Source.STAFF,
        **fields: Any,
    ) -> Customer:
        """A new customer; ``fields`` are any other attribute, already parsed."""
        if not tenant_id:
            raise MissingRequiredField(
                "the tenant is required", code=Code.REQUIRED_FIELD, field="tenant_id"
            )
        try:
            customer_kind = CustomerKind(kind) if isinstance(kind, str) else kind
            customer_source = Source(source) if isinstance(source, str) else source
        except ValueError as exc:
            raise InvalidValue(str(exc), code=Code.INVALID_VALUE, field="kind") from exc
        # The primaries are settled before construction: building the record
        # once is a tenth of an import's cost per row, building it twice more.
        email_key, phone_key = default_primaries(
            fields.get("emails", ()),
            fields.get("phones", ()),
            fields.pop("primary_email_key", None),
            fields.pop("primary_phone_key", None),
        )
        return cls(
            id=id,
            tenant_id=tenant_id,
            name=clean_name(name) or "",
            kind=customer_kind,
            source=customer_source,
            created_at=now,
            updated_at=now,
            primary_email_key=email_key,
            primary_phone_key=phone_key,
            **fields,
        )

    # -- derived ------------------------------------------------------------

    @property
    def relationship_type(self) -> RelationshipType:
        if self.status == INACTIVE:
            return RelationshipType.INACTIVE
        if self.first_purchase_at is not None:
            return RelationshipType.ACTIVE
        if self.source is Source.SELF_REGISTERED:
            return RelationshipType.LEAD
        return RelationshipType.CONTACT

    @property
    def primary_email(self) -> Email | None:
        return next((e for e in self.emails if e.match_key == self.primary_email_key), None)

    @property
    def primary_phone(self) -> Phone | None:
        return next((p for p in self.phones if p.match_key == self.primary_phone_key), None)

    def identity_keys(self) -> tuple[IdentityKey, ...]:
        """Every key that identifies this customer (:mod:`.identity`: exclusive or shareable)."""
        return identity_keys(self)

    @property
    def blocked(self) -> bool:
        """Whether its processing is suspended (:meth:`check_processing` refuses)."""
        return self.blocked_at is not None

    def check_processing(self) -> None:
        """Refuse processing a blocked record (LGPD Art. 18 IV: kept, not processed).

        The one rule every write path asks before changing, merging, moving
        or messaging a customer; only unblocking, anonymization and erasure
        (the end of a block) pass it by.

        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> ana = Customer.create(id="c1", tenant_id="acme", name="Ana", now=now)
        >>> ana.check_processing()
        >>> attrs.evolve(ana, blocked_at=now).check_processing()
        Traceback (most recent call last):
        ...
        customer_core.errors.InvalidOperation: blocked [customer_id]: this customer's data is blocked (LGPD Art. 18 IV)
        """
        if self.blocked_at is not None:
            raise InvalidOperation(
                "this customer's data is blocked (LGPD Art. 18 IV)",
                code=Code.BLOCKED,
                field="customer_id",
                customer_id=self.id,
            )

    def can_log_in(self, statuses: Iterable[StatusDefinition] = DEFAULT_STATUSES) -> bool:
        """Only statuses that grant access let the customer log in to the shop; never when blocked."""
        return self.blocked_at is None and any(
            s.name == self.status and s.grants_access for s in statuses
        )

    # -- checks -------------------------------------------------------------

    def check_invariants(
        self,
        contact: ContactPolicy,
        statuses: Iterable[StatusDefinition],
        registration: RegistrationPolicy | None = None,
        *,
        before: Customer | None = None,
    ) -> None:
        """Refuse a record that breaks an invariant of the aggregate under a preset's policies.

        The invariants: ``contact``'s cardinality (phones, e-mails, social
        profiles, addresses, contacts and each contact's own channels); a
        status among ``statuses``; a primary e-mail and phone that are among
        the customer's own, or none; and the fields ``registration`` requires
        (left out when it is ``None``). Each refusal is the library's error:
        :class:`~customer_core.errors.CardinalityExceeded` (``too_many_phones``...),
        :class:`~customer_core.errors.InvalidOperation` (``unknown_status``,
        ``primary_must_exist``), :class:`~customer_core.errors.MissingRequiredField`.

        ``before`` is the stored record that this one changes. Then only what
        the change breaks is refused: a record stored under another preset
        (made by inbound, or by an older version) may lack required fields,
        hold more phones than allowed or a status this preset does not know,
        and it stays editable and can be brought back one step at a time (a
        list over its limit may lose items); but a change may not take a
        required field away, set an unknown status, or add to a list that is
        then out of the policy.

        >>> from datetime import datetime, timezone
        >>> import attrs
        >>> from customer_core import Customer, Phone, presets
        >>> now = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> ana = Customer.create(id="c1", tenant_id="acme", name="Ana", now=now)
        >>> p = presets.OMNICHANNEL
        >>> ana.check_invariants(p.contact, p.statuses, p.registration)
        >>> bogus = attrs.evolve(ana, status="bogus")
        >>> bogus.check_invariants(p.contact, p.statuses, p.registration, before=ana)
        Traceback (most recent call last):
        ...
        customer_core.errors.InvalidOperation: unknown_status [status]: unknown status 'bogus'
        """
        for check in invariant_checks(self, contact, statuses, registration, before):
            check()

    def invariant_violations(
        self,
        contact: ContactPolicy,
        statuses: Iterable[StatusDefinition],
        registration: RegistrationPolicy | None = None,
        *,
        before: Customer | None = None,
    ) -> list[CustomerCoreError]:
        """Every refusal of :meth:`check_invariants`, in its order, not only the first.

        A form shows them all (:class:`~customer_core.errors.ValidationFailed`);
        each missing required field is one refusal.
        """
        found: list[CustomerCoreError] = []
        for check in invariant_checks(self, contact, statuses, registration, before):
            try:
                check()
            except (InvalidValue, RuleViolation) as error:
                found.append(error)
        return found

    def check(
        self,
        contact: ContactPolicy,
        registration: RegistrationPolicy,
        *,
        before: Customer | None = None,
    ) -> None:
        """Cardinality and required fields of the whole record, with no statuses at hand.

        :meth:`check_invariants` is the complete check (the services call it on
        every change); this part of it serves callers without a preset's
        statuses, such as a batch of imported records. ``before`` is the
        stored record this one changes, as for :meth:`check_invariants`:
        then only what the change breaks is refused.
        """
        for check in channel_checks(self, contact, before):
            check()
        missing = self.missing_required(registration)
        if before is not None:
            lacked = set(before.missing_required(registration))
            missing = [name for name in missing if name not in lacked]
        if missing:
            require(missing[0])

    def check_required(self, registration: RegistrationPolicy) -> None:
        missing = self.missing_required(registration)
        if missing:
            require(missing[0])

    def missing_required(self, registration: RegistrationPolicy) -> list[str]:
        """The fields ``registration`` requires that this record lacks, sorted."""
        if self.anonymized_at is not None:
            return []
        present = {
            "name": bool(self.name),
            "phone": bool(self.phones),
            "email": bool(self.emails),
            "street": any(a.street for a in self.addresses),
            "neighborhood": any(a.neighborhood for a in self.addresses),
            "city": any(a.city for a in self.addresses),
            "status": bool(self.status),
            "tax_id": self.tax_id is not None,
        }
        return [name for name in sorted(registration.required_fields) if not present[name]]

    # -- changes ------------------------------------------------------------

    def update(self, **changes: Any) -> Customer:
        """Change scalar fields (already parsed); channels have their own methods."""
        if "name" in changes:
            changes["name"] = clean_name(changes["name"])
        if "trade_name" in changes:
            changes["trade_name"] = clean_name(changes["trade_name"], "trade_name", required=False)
        protected = {
            "id",
            "tenant_id",
            "version",
            "created_at",
            "phones",
            "emails",
        } & changes.keys()
        if protected:
            raise InvalidOperation(
                f"cannot update {sorted(protected)} this way",
                code=Code.INVALID_OPERATION,
                field=sorted(protected)[0],
            )
        return attrs.evolve(self, **changes)

    @property
    def _address_types(self) -> list[AddressType]:
        return [a.type for a in self.addresses]

    def _with_default_primaries(self) -> Customer:
        email_key, phone_key = default_primaries(
            self.emails, self.phones, self.primary_email_key, self.primary_phone_key
        )
        if (email_key, phone_key) == (self.primary_email_key, self.primary_phone_key):
            return self
        return attrs.evolve(self, primary_email_key=email_key, primary_phone_key=phone_key)

    def add_phone(self, phone: Phone, *, policy: ContactPolicy) -> Customer:
        phones = with_item(self.phones, phone)
        policy.check_phones(phones, before=self.phones)
        return attrs.evolve(self, phones=phones)._with_default_primaries()

    def replace_phone(self, match_key: str, phone: Phone, *, policy: ContactPolicy) -> Customer:
        if all(p.match_key != match_key for p in self.phones):
            raise NotFound("no such phone on the record", code=Code.NOT_FOUND, field="phones")
        phones = tuple(phone if p.match_key == match_key else p for p in self.phones)
        policy.check_phones(phones, before=self.phones)
        primary = phone.match_key if self.primary_phone_key == match_key else self.primary_phone_key
        return attrs.evolve(self, phones=phones, primary_phone_key=primary)

    def remove_phone(self, match_key: str) -> Customer:
        phones = without_key(self.phones, match_key, phone_match_key, "phones")
        return attrs.evolve(self, phones=phones)._with_default_primaries()

    def add_email(self, email: Email, *, policy: ContactPolicy) -> Customer:
        emails = with_item(self.emails, email)
        policy.check_emails(emails, before=self.emails)
        return attrs.evolve(self, emails=emails)._with_default_primaries()

    def replace_email(self, match_key: str, email: Email, *, policy: ContactPolicy) -> Customer:
        emails = tuple(email if e.match_key == match_key else e for e in self.emails)
        if all(e.match_key != match_key for e in self.emails):
            raise NotFound("no such e-mail on the record", code=Code.NOT_FOUND, field="emails")
        policy.check_emails(emails, before=self.emails)
        primary = email.match_key if self.primary_email_key == match_key else self.primary_email_key
        return attrs.evolve(self, emails=emails, primary_email_key=primary)

    def remove_email(self, match_key: str) -> Customer:
        emails = without_key(self.emails, match_key, email_match_key, "emails")
        return attrs.evolve(self, emails=emails)._with_default_primaries()

    def set_primary_email(self, match_key: str) -> Customer:
        if all(e.match_key != match_key for e in self.emails):
            raise InvalidOperation(
                "the primary e-mail must be one of the customer's e-mails",
                code=Code.PRIMARY_MUST_EXIST,
                field="primary_email",
            )
        return attrs.evolve(self, primary_email_key=match_key)

    def set_primary_phone(self, match_key: str) -> Customer:
        if all(p.match_key != match_key for p in self.phones):
            raise InvalidOperation(
                "the primary phone must be one of the customer's phones",
                code=Code.PRIMARY_MUST_EXIST,
                field="primary_phone",
            )
        return attrs.evolve(self, primary_phone_key=match_key)

    def add_social_profile(self, profile: SocialProfile, *, policy: ContactPolicy) -> Customer:
        profiles = with_item(self.social_profiles, profile)
        policy.check_social_profiles(profiles, before=self.social_profiles)
        return attrs.evolve(self, social_profiles=profiles)

    def remove_social_profile(self, match_key: str) -> Customer:
        kept = without_key(
            self.social_profiles, match_key, lambda s: s.match_key, "social_profiles"
        )
        return attrs.evolve(self, social_profiles=kept)

    def add_messenger_id(self, messenger_id: MessengerId) -> Customer:
        ids = with_item(self.messenger_ids, messenger_id)
        check_unique_keys(ids, "messenger_ids")
        return attrs.evolve(self, messenger_ids=ids)

    def remove_messenger_id(self, match_key: str) -> Customer:
        kept = without_key(self.messenger_ids, match_key, lambda m: m.match_key, "messenger_ids")
        return attrs.evolve(self, messenger_ids=kept)

    def add_external_id(self, external_id: ExternalId) -> Customer:
        ids = with_item(self.external_ids, external_id)
        check_unique_keys(ids, "external_ids")
        return attrs.evolve(self, external_ids=ids)

    def remove_external_id(self, match_key: str) -> Customer:
        kept = without_key(self.external_ids, match_key, lambda x: x.match_key, "external_ids")
        return attrs.evolve(self, external_ids=kept)

    def add_website(self, website: Website) -> Customer:
        sites = with_item(self.websites, website)
        check_unique_keys(sites, "websites")
        return attrs.evolve(self, websites=sites)

    def remove_website(self, match_key: str) -> Customer:
        kept = without_key(self.websites, match_key, lambda w: w.match_key, "websites")
        return attrs.evolve(self, websites=kept)

    def add_address(self, address: Address, *, policy: ContactPolicy) -> Customer:
        addresses = with_item(self.addresses, address)
        policy.check_addresses([a.type for a in addresses], before=self._address_types)
        return attrs.evolve(self, addresses=addresses)

    def replace_address(self, index: int, address: Address, *, policy: ContactPolicy) -> Customer:
        if not 0 <= index < len(self.addresses):
            raise NotFound("no such address on the record", code=Code.NOT_FOUND, field="addresses")
        addresses = (*self.addresses[:index], address, *self.addresses[index + 1 :])
        policy.check_addresses([a.type for a in addresses], before=self._address_types)
        return attrs.evolve(self, addresses=addresses)

    def remove_address(self, index: int) -> Customer:
        if not 0 <= index < len(self.addresses):
            raise NotFound("no such address on the record", code=Code.NOT_FOUND, field="addresses")
        return attrs.evolve(self, addresses=self.addresses[:index] + self.addresses[index + 1 :])

    def add_contact(self, contact: Contact, *, policy: ContactPolicy) -> Customer:
        if self.kind is not CustomerKind.COMPANY:
            raise InvalidOperation(
                "only companies have contacts", code=Code.NOT_A_COMPANY, field="contacts"
            )
        contacts = with_item(self.contacts, contact)
        policy.check_contacts(contacts, before=self.contacts)
        contact.check(policy)
        return attrs.evolve(self, contacts=contacts)

    def replace_contact(self, contact: Contact, *, policy: ContactPolicy) -> Customer:
        if all(c.id != contact.id for c in self.contacts):
            raise NotFound("no such contact", code=Code.NOT_FOUND, field="contacts")
        stored = next(c for c in self.contacts if c.id == contact.id)
        contact.check(policy, before=stored)
        contacts = tuple(contact if c.id == contact.id else c for c in self.contacts)
        return attrs.evolve(self, contacts=contacts)

    def remove_contact(self, contact_id: str) -> Customer:
        kept = without_key(self.contacts, contact_id, lambda c: c.id, "contacts")
        return attrs.evolve(self, contacts=kept)

    def with_status(self, status: str, statuses: Iterable[StatusDefinition]) -> Customer:
        check_status(status, statuses)
        return attrs.evolve(self, status=status)

    def record_purchase(self, at: datetime) -> Customer:
        """A purchase turns a lead or contact into an active customer."""
        first = self.first_purchase_at if self.first_purchase_at is not None else at
        return attrs.evolve(self, first_purchase_at=min(first, at))

    def record_contact(self, at: datetime) -> Customer:
        """Staff sent a message: updates "contacted ... ago"."""
        last = self.last_contacted_at
        return attrs.evolve(self, last_contacted_at=at if last is None else max(last, at))
