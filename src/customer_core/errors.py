"""Every public exception of ``customer_core``, and the registry of their codes.

All of them derive from :class:`CustomerCoreError` and carry a stable,
machine-readable :attr:`~CustomerCoreError.code` (a member of :class:`Code`,
snake_case, never renamed once released) and the
:attr:`~CustomerCoreError.field` that caused them, so a host application can
map errors to form fields and translations without parsing messages.

>>> from customer_core import Code, Cpf, CustomerCoreError
>>> try:
...     Cpf.parse("111.111.111-11")
... except CustomerCoreError as exc:
...     print(exc.code, exc.field)
...     print(exc.code is Code.INVALID_CPF, exc.code == "invalid_cpf")
invalid_cpf tax_id
True True

Each class declares the codes it may carry (:attr:`~CustomerCoreError.codes`)
and refuses any other with a :class:`TypeError`: a wrong code is a bug in the
caller, not bad input, so it is not a :class:`CustomerCoreError` (and no
``except CustomerCoreError`` turns it into an answer to the user).

>>> from customer_core import InvalidPhone
>>> InvalidPhone("too short", code="invalid_email")
Traceback (most recent call last):
  ...
TypeError: InvalidPhone does not carry the code 'invalid_email' (it carries: 'area_code_added', 'invalid_phone')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar, NamedTuple

__all__ = [
    "CardinalityExceeded",
    "Code",
    "Conflict",
    "CustomerCoreError",
    "DuplicateIdentifier",
    "DuplicateIdentity",
    "FieldError",
    "InvalidAddress",
    "InvalidEmail",
    "InvalidExternalId",
    "InvalidLanguage",
    "InvalidMessengerId",
    "InvalidOperation",
    "InvalidPhone",
    "InvalidSocialProfile",
    "InvalidStoredValue",
    "InvalidTaxId",
    "InvalidValue",
    "InvalidWebsite",
    "MissingDependency",
    "MissingRequiredField",
    "NotFound",
    "PermissionDenied",
    "RuleViolation",
    "StorageUnavailable",
    "ValidationFailed",
    "VersionConflict",
]


class Code(str, enum.Enum):
    """Every error code of ``customer_core``; the value is the stable snake_case string.

    A member *is* its string, for hosts that compare, store or send codes as
    text: ``Code.INVALID_CPF == "invalid_cpf"``, it hashes like the string (a
    ``dict`` keyed by strings finds it), and ``str()``, f-strings and
    ``json.dumps`` give the plain value. Members are grouped by the class
    that carries them; the errors reference (``docs/errors.md``) lists each
    one with its class, and a test keeps the two in step.

    >>> import json
    >>> Code.INVALID_CPF == "invalid_cpf", f"{Code.INVALID_CPF}", json.dumps(Code.INVALID_CPF)
    (True, 'invalid_cpf', '"invalid_cpf"')
    >>> Code("invalid_cpf") is Code.INVALID_CPF
    True
    """

    # CustomerCoreError
    CUSTOMER_CORE_ERROR = "customer_core_error"
    # InvalidValue
    INVALID_VALUE = "invalid_value"
    EMPTY_FILE = "empty_file"
    INVALID_HEADER = "invalid_header"
    INVALID_MAPPING = "invalid_mapping"
    UNREADABLE_ROW = "unreadable_row"
    EXTRA_FIELDS = "extra_fields"
    # InvalidStoredValue
    INVALID_STORED_VALUE = "invalid_stored_value"
    # InvalidTaxId
    INVALID_CPF = "invalid_cpf"
    INVALID_CNPJ = "invalid_cnpj"
    INVALID_TAX_ID = "invalid_tax_id"
    REPAIRED = "repaired"
    # InvalidPhone
    INVALID_PHONE = "invalid_phone"
    AREA_CODE_ADDED = "area_code_added"
    # InvalidEmail
    INVALID_EMAIL = "invalid_email"
    # InvalidSocialProfile
    INVALID_SOCIAL_PROFILE = "invalid_social_profile"
    # InvalidMessengerId
    INVALID_MESSENGER_ID = "invalid_messenger_id"
    # InvalidWebsite
    INVALID_WEBSITE = "invalid_website"
    # InvalidExternalId
    INVALID_EXTERNAL_ID = "invalid_external_id"
    # InvalidAddress
    INVALID_ADDRESS = "invalid_address"
    INVALID_CEP = "invalid_cep"
    INVALID_UF = "invalid_uf"
    # InvalidLanguage
    INVALID_LANGUAGE = "invalid_language"
    # RuleViolation
    RULE_VIOLATION = "rule_violation"
    # CardinalityExceeded
    CARDINALITY_EXCEEDED = "cardinality_exceeded"
    TOO_MANY_PHONES = "too_many_phones"
    TOO_MANY_EMAILS = "too_many_emails"
    TOO_MANY_SOCIAL_PROFILES = "too_many_social_profiles"
    TOO_MANY_ADDRESSES = "too_many_addresses"
    TOO_MANY_CONTACTS = "too_many_contacts"
    ONE_PROFILE_PER_NETWORK = "one_profile_per_network"
    PHONE_TYPE_NOT_ALLOWED = "phone_type_not_allowed"
    NETWORK_NOT_ALLOWED = "network_not_allowed"
    ADDRESS_TYPE_NOT_ALLOWED = "address_type_not_allowed"
    # MissingRequiredField
    REQUIRED_FIELD = "required_field"
    # DuplicateIdentifier
    DUPLICATE_IDENTIFIER = "duplicate_identifier"
    # InvalidOperation
    INVALID_OPERATION = "invalid_operation"
    UNKNOWN_STATUS = "unknown_status"
    NOT_A_COMPANY = "not_a_company"
    PRIMARY_MUST_EXIST = "primary_must_exist"
    WRONG_TENANT = "wrong_tenant"
    INVALID_PASSWORD = "invalid_password"
    INVALID_RESET_TOKEN = "invalid_reset_token"
    CONFLICTING_TAX_ID = "conflicting_tax_id"
    CONFLICTING_EVIDENCE = "conflicting_evidence"
    ALREADY_UNDONE = "already_undone"
    RETENTION_HOLD = "retention_hold"
    PRIVACY_KEY_REQUIRED = "privacy_key_required"
    BLOCKED = "blocked"
    # NotFound
    NOT_FOUND = "not_found"
    # PermissionDenied
    PERMISSION_DENIED = "permission_denied"
    # Conflict
    CONFLICT = "conflict"
    # DuplicateIdentity
    DUPLICATE_IDENTITY = "duplicate_identity"
    DUPLICATE_LOGIN = "duplicate_login"
    # VersionConflict
    VERSION_CONFLICT = "version_conflict"
    # StorageUnavailable
    STORAGE_UNAVAILABLE = "storage_unavailable"
    # MissingDependency
    MISSING_DEPENDENCY = "missing_dependency"
    # ValidationFailed
    VALIDATION_FAILED = "validation_failed"

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


class CustomerCoreError(Exception):
    """Root of every error raised by ``customer_core``.

    ``code`` is stable and machine-readable; ``field`` names the offending
    input (``None`` when the error is not about one field); ``details`` holds
    extra structured context (never full personal data).

    ``code`` may be given as a :class:`Code` or as its string (hosts that
    build the library's errors); either way :attr:`code` is the member.
    Omitted, it is the class's :attr:`default_code`. A code the class does
    not declare in :attr:`codes` raises :class:`TypeError`.
    """

    #: The code of an error raised without one; always one of :attr:`codes`.
    default_code: ClassVar[Code] = Code.CUSTOMER_CORE_ERROR
    #: Every code the class may carry; each is documented in the errors reference.
    codes: ClassVar[frozenset[Code]] = frozenset({Code.CUSTOMER_CORE_ERROR})

    code: Code
    field: str | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.default_code not in cls.codes:
            raise TypeError(f"{cls.__name__}.default_code is not one of its codes")

    def __init__(
        self,
        message: str,
        *,
        code: Code | str | None = None,
        field: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = self.default_code if code is None else self._declared(code)
        self.field = field
        self.details = details

    @classmethod
    def _declared(cls, code: Code | str) -> Code:
        try:
            member = Code(code)
        except ValueError:
            raise TypeError(
                f"{code!r} is not a code of customer_core (see customer_core.errors.Code)"
            ) from None
        if member not in cls.codes:
            carried = ", ".join(repr(c.value) for c in sorted(cls.codes))
            raise TypeError(
                f"{cls.__name__} does not carry the code {member.value!r} (it carries: {carried})"
            )
        return member

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"{self.code}{where}: {self.message}"

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self.code, self.field, self.details))


def _rebuild(
    cls: type[CustomerCoreError],
    message: str,
    code: Code,
    field: str | None,
    details: dict[str, Any],
) -> CustomerCoreError:
    return cls(message, code=code, field=field, **details)


class InvalidValue(CustomerCoreError, ValueError):
    """Input that cannot be parsed into a value object, or a file that cannot be read.

    The CSV import raises it for the file as a whole (``empty_file``,
    ``invalid_header``, ``invalid_mapping``) and reports rows it cannot read
    with ``unreadable_row`` and ``extra_fields`` in its
    :class:`~customer_core.io.RowError` list.
    """

    default_code = Code.INVALID_VALUE
    codes: ClassVar[frozenset[Code]] = frozenset(
        {
            Code.INVALID_VALUE,
            Code.EMPTY_FILE,
            Code.INVALID_HEADER,
            Code.INVALID_MAPPING,
            Code.UNREADABLE_ROW,
            Code.EXTRA_FIELDS,
        }
    )


class InvalidStoredValue(InvalidValue):
    """A value that passed validation but the database refused; nothing was written.

    A character or a size the database cannot store (PostgreSQL refuses NUL
    characters, say). Unlike :class:`StorageUnavailable`, retrying the same
    write fails the same way: the input has to change. ``field`` is ``None``,
    as the database does not say which value it refused.
    """

    default_code = Code.INVALID_STORED_VALUE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_STORED_VALUE})


class InvalidTaxId(InvalidValue):
    """A CPF or CNPJ with a wrong length, wrong check digits or a repeated sequence.

    ``repaired`` is never raised: it is the import's warning on a CPF/CNPJ
    whose leading zeros a spreadsheet dropped and the import put back.
    """

    default_code = Code.INVALID_TAX_ID
    codes: ClassVar[frozenset[Code]] = frozenset(
        {Code.INVALID_CPF, Code.INVALID_CNPJ, Code.INVALID_TAX_ID, Code.REPAIRED}
    )


class InvalidPhone(InvalidValue):
    """A phone number that does not denote one valid line.

    ``area_code_added`` is never raised: it is the import's warning on a
    phone typed without its DDD that took the DDD of the row's other phone
    or of its city.
    """

    default_code = Code.INVALID_PHONE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_PHONE, Code.AREA_CODE_ADDED})


class InvalidEmail(InvalidValue):
    """An e-mail address with invalid syntax."""

    default_code = Code.INVALID_EMAIL
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_EMAIL})


class InvalidSocialProfile(InvalidValue):
    """A social profile that cannot be used; the base of the other online identifiers' errors.

    :class:`InvalidMessengerId`, :class:`InvalidWebsite` and
    :class:`InvalidExternalId` derive from it, so ``except InvalidSocialProfile``
    still catches all four.
    """

    default_code = Code.INVALID_SOCIAL_PROFILE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_SOCIAL_PROFILE})


class InvalidMessengerId(InvalidSocialProfile):
    """A messenger id of an unknown app, or malformed (a WhatsApp id is the phone digits)."""

    default_code = Code.INVALID_MESSENGER_ID
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_MESSENGER_ID})


class InvalidWebsite(InvalidSocialProfile):
    """A website that is not an http(s) address with a domain."""

    default_code = Code.INVALID_WEBSITE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_WEBSITE})


class InvalidExternalId(InvalidSocialProfile):
    """An external id without a system or an id, or too long."""

    default_code = Code.INVALID_EXTERNAL_ID
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_EXTERNAL_ID})


class InvalidAddress(InvalidValue):
    """An address with an unknown UF, a malformed CEP or a missing part."""

    default_code = Code.INVALID_ADDRESS
    codes: ClassVar[frozenset[Code]] = frozenset(
        {Code.INVALID_ADDRESS, Code.INVALID_CEP, Code.INVALID_UF}
    )


class InvalidLanguage(InvalidValue):
    """A language that is not an ISO 639-1 code."""

    default_code = Code.INVALID_LANGUAGE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.INVALID_LANGUAGE})


class RuleViolation(CustomerCoreError):
    """Valid values that a policy or an invariant of the aggregate refuses."""

    default_code = Code.RULE_VIOLATION
    codes: ClassVar[frozenset[Code]] = frozenset({Code.RULE_VIOLATION})


class CardinalityExceeded(RuleViolation):
    """A contact policy limit: too many phones, two profiles on one network..."""

    default_code = Code.CARDINALITY_EXCEEDED
    codes: ClassVar[frozenset[Code]] = frozenset(
        {
            Code.CARDINALITY_EXCEEDED,
            Code.TOO_MANY_PHONES,
            Code.TOO_MANY_EMAILS,
            Code.TOO_MANY_SOCIAL_PROFILES,
            Code.TOO_MANY_ADDRESSES,
            Code.TOO_MANY_CONTACTS,
            Code.ONE_PROFILE_PER_NETWORK,
            Code.PHONE_TYPE_NOT_ALLOWED,
            Code.NETWORK_NOT_ALLOWED,
            Code.ADDRESS_TYPE_NOT_ALLOWED,
        }
    )


class MissingRequiredField(RuleViolation):
    """A field that the registration policy requires is empty."""

    default_code = Code.REQUIRED_FIELD
    codes: ClassVar[frozenset[Code]] = frozenset({Code.REQUIRED_FIELD})


class DuplicateIdentifier(RuleViolation):
    """The same phone, e-mail or profile given twice to one customer."""

    default_code = Code.DUPLICATE_IDENTIFIER
    codes: ClassVar[frozenset[Code]] = frozenset({Code.DUPLICATE_IDENTIFIER})


class InvalidOperation(RuleViolation):
    """An operation that makes no sense for the customer's current state."""

    default_code = Code.INVALID_OPERATION
    codes: ClassVar[frozenset[Code]] = frozenset(
        {
            Code.INVALID_OPERATION,
            Code.UNKNOWN_STATUS,
            Code.NOT_A_COMPANY,
            Code.PRIMARY_MUST_EXIST,
            Code.WRONG_TENANT,
            Code.INVALID_PASSWORD,
            Code.INVALID_RESET_TOKEN,
            Code.CONFLICTING_TAX_ID,
            Code.CONFLICTING_EVIDENCE,
            Code.ALREADY_UNDONE,
            Code.RETENTION_HOLD,
            Code.PRIVACY_KEY_REQUIRED,
            Code.BLOCKED,
        }
    )


class NotFound(CustomerCoreError, LookupError):
    """Missing, or not visible to the actor (the two are indistinguishable on purpose)."""

    default_code = Code.NOT_FOUND
    codes: ClassVar[frozenset[Code]] = frozenset({Code.NOT_FOUND})


class PermissionDenied(CustomerCoreError):
    """The actor sees the customer but may not perform this action on it."""

    default_code = Code.PERMISSION_DENIED
    codes: ClassVar[frozenset[Code]] = frozenset({Code.PERMISSION_DENIED})


class Conflict(CustomerCoreError):
    """The write conflicts with stored data; nothing was written."""

    default_code = Code.CONFLICT
    codes: ClassVar[frozenset[Code]] = frozenset({Code.CONFLICT})


class DuplicateIdentity(Conflict):
    """An identifier already belongs to another customer of the tenant.

    ``details["holder_id"]`` is the id of the customer that holds it; the
    services leave it out when the actor cannot see that customer.
    """

    default_code = Code.DUPLICATE_IDENTITY
    codes: ClassVar[frozenset[Code]] = frozenset({Code.DUPLICATE_IDENTITY, Code.DUPLICATE_LOGIN})


class VersionConflict(Conflict):
    """``expected_version`` is stale: someone else saved the customer first."""

    default_code = Code.VERSION_CONFLICT
    codes: ClassVar[frozenset[Code]] = frozenset({Code.VERSION_CONFLICT})


class StorageUnavailable(CustomerCoreError):
    """The database could not be reached or the connection broke; nothing was written.

    Safe to retry: the unit of work was rolled back. A value the database
    refuses is :class:`InvalidStoredValue` instead, which a retry does not cure.
    """

    default_code = Code.STORAGE_UNAVAILABLE
    codes: ClassVar[frozenset[Code]] = frozenset({Code.STORAGE_UNAVAILABLE})


class MissingDependency(CustomerCoreError, ImportError):
    """An optional extra (for example ``customer-core[sql]``) is not installed."""

    default_code = Code.MISSING_DEPENDENCY
    codes: ClassVar[frozenset[Code]] = frozenset({Code.MISSING_DEPENDENCY})


class FieldError(NamedTuple):
    """One problem of a validation that reports them all (:class:`ValidationFailed`).

    ``index`` is the position of the item in a list field (the second phone
    is ``("phones", 1, ...)``), ``None`` for a field that is not a list.
    """

    field: str | None
    # The name the issue gives the item; it hides tuple.index, which no caller needs.
    index: int | None  # type: ignore[assignment]
    code: Code
    message: str


class ValidationFailed(CustomerCoreError):
    """Every problem of a registration or an update at once, in :attr:`errors`.

    ``register`` and ``update`` check all their input before refusing it, so
    a form can mark every wrong field in one round trip: :attr:`errors` holds
    one :class:`FieldError` ``(field, index, code, message)`` per problem, in
    the order of the parameters, and :attr:`causes` the errors themselves.

    For callers written against the single errors, the instance is also of
    the class of its *first* problem and carries that problem's ``code``,
    ``field`` and ``details``: ``except InvalidPhone`` or ``except
    MissingRequiredField`` still catch it, and a handler that maps
    ``error.code`` to a form field still marks the first one. The class's
    own code, ``validation_failed``, is only the default of one built
    without causes (by a host).

    >>> phone = InvalidPhone("not a valid phone number", code=Code.INVALID_PHONE, field="phones")
    >>> city = MissingRequiredField("city is required", code=Code.REQUIRED_FIELD, field="city")
    >>> failed = ValidationFailed.of([(phone, 1), (city, None)])
    >>> [tuple(e) for e in failed.errors]  # doctest: +NORMALIZE_WHITESPACE
    [('phones', 1, <Code.INVALID_PHONE: 'invalid_phone'>, 'not a valid phone number'),
     ('city', None, <Code.REQUIRED_FIELD: 'required_field'>, 'city is required')]
    >>> isinstance(failed, InvalidPhone), failed.code, failed.field
    (True, <Code.INVALID_PHONE: 'invalid_phone'>, 'phones')
    >>> print(failed)
    invalid_phone [phones[1]]: not a valid phone number; required_field [city]: city is required
    """

    default_code = Code.VALIDATION_FAILED
    codes: ClassVar[frozenset[Code]] = frozenset({Code.VALIDATION_FAILED})

    #: One ``(field, index, code, message)`` per problem, in the order found.
    errors: tuple[FieldError, ...] = ()
    #: The errors themselves, aligned with :attr:`errors`.
    causes: tuple[CustomerCoreError, ...] = ()

    @classmethod
    def of(cls, problems: Iterable[tuple[CustomerCoreError, int | None]]) -> ValidationFailed:
        """The failure of ``problems``, ``(error, index)`` pairs (at least one)."""
        pairs = [pair for error, index in problems for pair in _flat(error, index)]
        if not pairs:
            raise ValueError("a validation that failed has at least one problem")
        first = pairs[0][0]
        failed = _with_class_of(type(first))(
            first.message, code=first.code, field=first.field, **first.details
        )
        failed.causes = tuple(error for error, _ in pairs)
        failed.errors = tuple(
            FieldError(error.field, index, error.code, error.message) for error, index in pairs
        )
        return failed

    def __str__(self) -> str:
        if not self.errors:
            return super().__str__()
        return "; ".join(_line(error) for error in self.errors)

    def __reduce__(self) -> Any:
        if not self.causes:
            return super().__reduce__()
        indexes = [error.index for error in self.errors]
        return (_rebuild_failed, (list(zip(self.causes, indexes, strict=True)),))


def _flat(
    error: CustomerCoreError, index: int | None
) -> list[tuple[CustomerCoreError, int | None]]:
    # A failure collected into another one brings its own problems.
    if isinstance(error, ValidationFailed) and error.causes:
        return [(cause, e.index) for cause, e in zip(error.causes, error.errors, strict=True)]
    return [(error, index)]


def _line(error: FieldError) -> str:
    where = error.field or ""
    if error.index is not None:
        where = f"{where}[{error.index}]"
    return f"{error.code}{f' [{where}]' if where else ''}: {error.message}"


_FAILED_AS: dict[type[CustomerCoreError], type[ValidationFailed]] = {}


def _with_class_of(cls: type[CustomerCoreError]) -> type[ValidationFailed]:
    """``ValidationFailed`` that is also a ``cls`` (one class per ``cls``, made once)."""
    if issubclass(cls, ValidationFailed):
        return cls
    made = _FAILED_AS.get(cls)
    if made is None:
        made = type(
            "ValidationFailed",
            (ValidationFailed, cls),
            {
                "__module__": __name__,
                "__qualname__": "ValidationFailed",
                "__doc__": ValidationFailed.__doc__,
                "default_code": cls.default_code,
                "codes": cls.codes,
            },
        )
        made = _FAILED_AS.setdefault(cls, made)
    return made


def _rebuild_failed(problems: list[tuple[CustomerCoreError, int | None]]) -> ValidationFailed:
    return ValidationFailed.of(problems)
