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

import enum
import functools
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import attrs

from customer_core.domain.model.identity import IdentityKey, IdentityKind, identity_keys
from customer_core.domain.model.policies import (
    ContactPolicy,
    RegistrationPolicy,
    StatusDefinition,
    check_unique,
)
from customer_core.domain.model.privacy import Origin
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.language import Language
from customer_core.domain.values.online import ExternalId, MessengerId, SocialProfile, Website
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.domain.values.text import check_printable
from customer_core.errors import (
    Code,
    CustomerCoreError,
    InvalidOperation,
    InvalidValue,
    MissingRequiredField,
    NotFound,
    RuleViolation,
)

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

T = TypeVar("T")

ACTIVE = "active"
INACTIVE = "inactive"
DEFAULT_STATUSES = (
    StatusDefinition(ACTIVE, grants_access=True, label="Ativo"),
    StatusDefinition(INACTIVE, grants_access=False, label="Inativo"),
)
_MAX_NAME = 200


class CustomerKind(enum.Enum):
    """A person (*pessoa física*, CPF) or a company (*pessoa jurídica*, CNPJ)."""

    PERSON = "person"
    COMPANY = "company"


class Source(enum.Enum):
    """How the record came to exist; drives the derived relationship type."""

    SELF_REGISTERED = "self_registered"
    STAFF = "staff"
    INBOUND = "inbound"
    IMPORT = "import"


class RelationshipType(enum.Enum):
    """Derived, never set by hand (the tabs of a shop's customer list)."""

    ACTIVE = "active"
    LEAD = "lead"
    CONTACT = "contact"
    INACTIVE = "inactive"


def clean_name(text: object, field: str = "name", *, required: bool = True) -> str | None:
    """Normalize a person's or company's name: NFC, single spaces, bounded length."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if required:
            raise MissingRequiredField(
                "the name is required", code=Code.REQUIRED_FIELD, field=field
            )
        return None
    if not isinstance(text, str):
        raise InvalidValue("expected text", code=Code.INVALID_VALUE, field=field)
    name = " ".join(check_printable(unicodedata.normalize("NFC", text), field).split())
    if len(name) > _MAX_NAME:
        raise InvalidValue(f"at most {_MAX_NAME} characters", code=Code.INVALID_VALUE, field=field)
    return name


def _default_primaries(
    emails: Sequence[Email], phones: Sequence[Phone], email_key: str | None, phone_key: str | None
) -> tuple[str | None, str | None]:
    """The primary e-mail and phone keys: kept when still on the record, else the first one."""
    if email_key not in {e.match_key for e in emails}:
        email_key = emails[0].match_key if emails else None
    if phone_key not in {p.match_key for p in phones}:
        phone_key = phones[0].match_key if phones else None
    return email_key, phone_key


def _add(items: tuple[T, ...], item: T) -> tuple[T, ...]:
    return (*items, item)


def _without(items: tuple[T, ...], key: str, key_of: Any, field: str) -> tuple[T, ...]:
    kept = tuple(i for i in items if key_of(i) != key)
    if len(kept) == len(items):
        raise NotFound("no such item on the record", code=Code.NOT_FOUND, field=field)
    return kept


def _phone_key(p: Phone) -> str:
    return p.match_key


def _email_key(e: Email) -> str:
    return e.match_key


def _masked_name(name: str) -> str:
    return " ".join(word[:1] + "***" for word in name.split())


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
        return f"Contact(id={self.id!r}, name={_masked_name(self.name)!r})"

    @classmethod
    def create(
        cls,
        *,
        id: str,
        name: str,
        policy: ContactPolicy,
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
        contact.check(policy)
        return contact

    def check(self, policy: ContactPolicy) -> None:
        policy.check_phones(self.phones, "contacts.phones")
        policy.check_emails(self.emails, "contacts.emails")
        policy.check_social_profiles(self.social_profiles, "contacts.social_profiles")


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
            f"name={_masked_name(self.name)!r}, version={self.version})"
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
        email_key, phone_key = _default_primaries(
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
        for check in self._invariant_checks(contact, statuses, registration, before):
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
        for check in self._invariant_checks(contact, statuses, registration, before):
            try:
                check()
            except (InvalidValue, RuleViolation) as error:
                found.append(error)
        return found

    def _invariant_checks(
        self,
        contact: ContactPolicy,
        statuses: Iterable[StatusDefinition],
        registration: RegistrationPolicy | None,
        before: Customer | None,
    ) -> Iterator[Callable[[], None]]:
        yield from self._channel_checks(contact, before)
        if before is None or self.status != before.status:
            yield functools.partial(_check_status, self.status, statuses)
        yield functools.partial(
            _check_primary,
            self.primary_email_key,
            self.emails,
            before.primary_email_key if before else None,
            before.emails if before else (),
            "primary_email",
            "the primary e-mail must be one of the customer's e-mails",
        )
        yield functools.partial(
            _check_primary,
            self.primary_phone_key,
            self.phones,
            before.primary_phone_key if before else None,
            before.phones if before else (),
            "primary_phone",
            "the primary phone must be one of the customer's phones",
        )
        if registration is not None:
            missing = self.missing_required(registration)
            if missing and before is not None:
                lacked = set(before.missing_required(registration))
                missing = [name for name in missing if name not in lacked]
            for name in missing:
                yield functools.partial(_require, name)

    def check(self, contact: ContactPolicy, registration: RegistrationPolicy) -> None:
        """Cardinality and required fields of the whole record, with no statuses at hand.

        :meth:`check_invariants` is the complete check (the services call it on
        every change); this part of it serves callers without a preset's
        statuses, such as a batch of imported records.
        """
        self._check_channels(contact, None)
        self.check_required(registration)

    def _check_channels(self, contact: ContactPolicy, before: Customer | None) -> None:
        """``contact``'s cardinality, for every list that gained an item since ``before``."""
        for check in self._channel_checks(contact, before):
            check()

    def _channel_checks(
        self, contact: ContactPolicy, before: Customer | None
    ) -> Iterator[Callable[[], None]]:
        if _gained(self.phones, before.phones if before else None):
            yield functools.partial(contact.check_phones, self.phones)
        if _gained(self.emails, before.emails if before else None):
            yield functools.partial(contact.check_emails, self.emails)
        if _gained(self.social_profiles, before.social_profiles if before else None):
            yield functools.partial(contact.check_social_profiles, self.social_profiles)
        if _gained(self.addresses, before.addresses if before else None):
            yield functools.partial(contact.check_addresses, [a.type for a in self.addresses])
        old_contacts = before.contacts if before else None
        if _gained(self.contacts, old_contacts):
            yield functools.partial(contact.check_contacts, self.contacts)
            for each in self.contacts:
                if old_contacts is None or each not in old_contacts:
                    yield functools.partial(each.check, contact)

    def check_required(self, registration: RegistrationPolicy) -> None:
        missing = self.missing_required(registration)
        if missing:
            _require(missing[0])

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

    def _with_default_primaries(self) -> Customer:
        email_key, phone_key = _default_primaries(
            self.emails, self.phones, self.primary_email_key, self.primary_phone_key
        )
        if (email_key, phone_key) == (self.primary_email_key, self.primary_phone_key):
            return self
        return attrs.evolve(self, primary_email_key=email_key, primary_phone_key=phone_key)

    def add_phone(self, phone: Phone, *, policy: ContactPolicy) -> Customer:
        phones = _add(self.phones, phone)
        policy.check_phones(phones)
        return attrs.evolve(self, phones=phones)._with_default_primaries()

    def replace_phone(self, match_key: str, phone: Phone, *, policy: ContactPolicy) -> Customer:
        if all(p.match_key != match_key for p in self.phones):
            raise NotFound("no such phone on the record", code=Code.NOT_FOUND, field="phones")
        phones = tuple(phone if p.match_key == match_key else p for p in self.phones)
        policy.check_phones(phones)
        primary = phone.match_key if self.primary_phone_key == match_key else self.primary_phone_key
        return attrs.evolve(self, phones=phones, primary_phone_key=primary)

    def remove_phone(self, match_key: str) -> Customer:
        phones = _without(self.phones, match_key, _phone_key, "phones")
        return attrs.evolve(self, phones=phones)._with_default_primaries()

    def add_email(self, email: Email, *, policy: ContactPolicy) -> Customer:
        emails = _add(self.emails, email)
        policy.check_emails(emails)
        return attrs.evolve(self, emails=emails)._with_default_primaries()

    def replace_email(self, match_key: str, email: Email, *, policy: ContactPolicy) -> Customer:
        emails = tuple(email if e.match_key == match_key else e for e in self.emails)
        if all(e.match_key != match_key for e in self.emails):
            raise NotFound("no such e-mail on the record", code=Code.NOT_FOUND, field="emails")
        policy.check_emails(emails)
        primary = email.match_key if self.primary_email_key == match_key else self.primary_email_key
        return attrs.evolve(self, emails=emails, primary_email_key=primary)

    def remove_email(self, match_key: str) -> Customer:
        emails = _without(self.emails, match_key, _email_key, "emails")
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
        profiles = _add(self.social_profiles, profile)
        policy.check_social_profiles(profiles)
        return attrs.evolve(self, social_profiles=profiles)

    def remove_social_profile(self, match_key: str) -> Customer:
        kept = _without(self.social_profiles, match_key, lambda s: s.match_key, "social_profiles")
        return attrs.evolve(self, social_profiles=kept)

    def add_messenger_id(self, messenger_id: MessengerId) -> Customer:
        ids = _add(self.messenger_ids, messenger_id)
        _check_unique_keys(ids, "messenger_ids")
        return attrs.evolve(self, messenger_ids=ids)

    def remove_messenger_id(self, match_key: str) -> Customer:
        kept = _without(self.messenger_ids, match_key, lambda m: m.match_key, "messenger_ids")
        return attrs.evolve(self, messenger_ids=kept)

    def add_external_id(self, external_id: ExternalId) -> Customer:
        ids = _add(self.external_ids, external_id)
        _check_unique_keys(ids, "external_ids")
        return attrs.evolve(self, external_ids=ids)

    def remove_external_id(self, match_key: str) -> Customer:
        kept = _without(self.external_ids, match_key, lambda x: x.match_key, "external_ids")
        return attrs.evolve(self, external_ids=kept)

    def add_website(self, website: Website) -> Customer:
        sites = _add(self.websites, website)
        _check_unique_keys(sites, "websites")
        return attrs.evolve(self, websites=sites)

    def remove_website(self, match_key: str) -> Customer:
        kept = _without(self.websites, match_key, lambda w: w.match_key, "websites")
        return attrs.evolve(self, websites=kept)

    def add_address(self, address: Address, *, policy: ContactPolicy) -> Customer:
        addresses = _add(self.addresses, address)
        policy.check_addresses([a.type for a in addresses])
        return attrs.evolve(self, addresses=addresses)

    def replace_address(self, index: int, address: Address, *, policy: ContactPolicy) -> Customer:
        if not 0 <= index < len(self.addresses):
            raise NotFound("no such address on the record", code=Code.NOT_FOUND, field="addresses")
        addresses = (*self.addresses[:index], address, *self.addresses[index + 1 :])
        policy.check_addresses([a.type for a in addresses])
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
        contacts = _add(self.contacts, contact)
        policy.check_contacts(contacts)
        contact.check(policy)
        return attrs.evolve(self, contacts=contacts)

    def replace_contact(self, contact: Contact, *, policy: ContactPolicy) -> Customer:
        if all(c.id != contact.id for c in self.contacts):
            raise NotFound("no such contact", code=Code.NOT_FOUND, field="contacts")
        contact.check(policy)
        contacts = tuple(contact if c.id == contact.id else c for c in self.contacts)
        return attrs.evolve(self, contacts=contacts)

    def remove_contact(self, contact_id: str) -> Customer:
        kept = _without(self.contacts, contact_id, lambda c: c.id, "contacts")
        return attrs.evolve(self, contacts=kept)

    def with_status(self, status: str, statuses: Iterable[StatusDefinition]) -> Customer:
        _check_status(status, statuses)
        return attrs.evolve(self, status=status)

    def record_purchase(self, at: datetime) -> Customer:
        """A purchase turns a lead or contact into an active customer."""
        first = self.first_purchase_at if self.first_purchase_at is not None else at
        return attrs.evolve(self, first_purchase_at=min(first, at))

    def record_contact(self, at: datetime) -> Customer:
        """Staff sent a message: updates "contacted ... ago"."""
        last = self.last_contacted_at
        return attrs.evolve(self, last_contacted_at=at if last is None else max(last, at))


def _check_unique_keys(items: tuple[Any, ...], field: str) -> None:
    check_unique(items, lambda i: str(i.match_key), field)


def _gained(items: tuple[Any, ...], before: tuple[Any, ...] | None) -> bool:
    """Whether ``items`` holds one that ``before`` lacks (always, for a new record)."""
    if before is None:
        return True
    return items is not before and any(item not in before for item in items)


def _check_status(status: str, statuses: Iterable[StatusDefinition]) -> None:
    if all(s.name != status for s in statuses):
        raise InvalidOperation(
            f"unknown status {status!r}", code=Code.UNKNOWN_STATUS, field="status"
        )


def _require(name: str) -> None:
    raise MissingRequiredField(f"{name} is required", code=Code.REQUIRED_FIELD, field=name)


def _check_primary(
    key: str | None,
    items: Sequence[Phone | Email],
    key_before: str | None,
    items_before: Sequence[Phone | Email],
    field: str,
    message: str,
) -> None:
    """The primary is one of ``items``, or none, unless it pointed at nothing already."""
    if key is None or any(i.match_key == key for i in items):
        return
    if key == key_before and all(i.match_key != key for i in items_before):
        return  # stored so: not this change's doing
    raise InvalidOperation(message, code=Code.PRIMARY_MUST_EXIST, field=field)
