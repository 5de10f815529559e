"""Every public exception of ``customer_core``.

All of them derive from :class:`CustomerCoreError` and carry a stable,
machine-readable :attr:`~CustomerCoreError.code` (snake_case, never renamed once
released) and the :attr:`~CustomerCoreError.field` that caused them, so a host
application can map errors to form fields and translations without parsing
messages.

>>> from customer_core import Cpf, CustomerCoreError
>>> try:
...     Cpf.parse("111.111.111-11")
... except CustomerCoreError as exc:
...     print(exc.code, exc.field)
invalid_cpf tax_id
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "CardinalityExceeded",
    "Conflict",
    "CustomerCoreError",
    "DuplicateIdentifier",
    "DuplicateIdentity",
    "InvalidAddress",
    "InvalidEmail",
    "InvalidLanguage",
    "InvalidOperation",
    "InvalidPhone",
    "InvalidSocialProfile",
    "InvalidTaxId",
    "InvalidValue",
    "MissingDependency",
    "MissingRequiredField",
    "NotFound",
    "PermissionDenied",
    "RuleViolation",
    "StorageUnavailable",
    "VersionConflict",
]


class CustomerCoreError(Exception):
    """Root of every error raised by ``customer_core``.

    ``code`` is stable and machine-readable; ``field`` names the offending
    input (``None`` when the error is not about one field); ``details`` holds
    extra structured context (never full personal data).
    """

    default_code: ClassVar[str] = "customer_core_error"
    #: Every code a class may carry; documented in the errors reference.
    codes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.details = details

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"{self.code}{where}: {self.message}"

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self.code, self.field, self.details))


def _rebuild(
    cls: type[CustomerCoreError],
    message: str,
    code: str,
    field: str | None,
    details: dict[str, Any],
) -> CustomerCoreError:
    return cls(message, code=code, field=field, **details)


class InvalidValue(CustomerCoreError, ValueError):
    """Input that cannot be parsed into a value object."""

    default_code = "invalid_value"
    codes: ClassVar[tuple[str, ...]] = ("invalid_value",)


class InvalidTaxId(InvalidValue):
    """A CPF or CNPJ with a wrong length, wrong check digits or a repeated sequence."""

    default_code = "invalid_tax_id"
    codes: ClassVar[tuple[str, ...]] = ("invalid_cpf", "invalid_cnpj", "invalid_tax_id")


class InvalidPhone(InvalidValue):
    """A phone number that does not denote one valid line."""

    default_code = "invalid_phone"
    codes: ClassVar[tuple[str, ...]] = ("invalid_phone",)


class InvalidEmail(InvalidValue):
    """An e-mail address with invalid syntax."""

    default_code = "invalid_email"
    codes: ClassVar[tuple[str, ...]] = ("invalid_email",)


class InvalidSocialProfile(InvalidValue):
    """A social profile, messenger id, website or external id that cannot be used."""

    default_code = "invalid_social_profile"
    codes: ClassVar[tuple[str, ...]] = (
        "invalid_social_profile",
        "invalid_messenger_id",
        "invalid_website",
        "invalid_external_id",
    )


class InvalidAddress(InvalidValue):
    """An address with an unknown UF, a malformed CEP or a missing part."""

    default_code = "invalid_address"
    codes: ClassVar[tuple[str, ...]] = ("invalid_address", "invalid_cep", "invalid_uf")


class InvalidLanguage(InvalidValue):
    """A language that is not an ISO 639-1 code."""

    default_code = "invalid_language"
    codes: ClassVar[tuple[str, ...]] = ("invalid_language",)


class RuleViolation(CustomerCoreError):
    """Valid values that a policy or an invariant of the aggregate refuses."""

    default_code = "rule_violation"
    codes: ClassVar[tuple[str, ...]] = ("rule_violation",)


class CardinalityExceeded(RuleViolation):
    """A contact policy limit: too many phones, two profiles on one network..."""

    default_code = "cardinality_exceeded"
    codes: ClassVar[tuple[str, ...]] = (
        "too_many_phones",
        "too_many_emails",
        "too_many_social_profiles",
        "too_many_addresses",
        "too_many_contacts",
        "one_profile_per_network",
        "phone_type_not_allowed",
        "network_not_allowed",
        "address_type_not_allowed",
    )


class MissingRequiredField(RuleViolation):
    """A field that the registration policy requires is empty."""

    default_code = "required_field"
    codes: ClassVar[tuple[str, ...]] = ("required_field",)


class DuplicateIdentifier(RuleViolation):
    """The same phone, e-mail or profile given twice to one customer."""

    default_code = "duplicate_identifier"
    codes: ClassVar[tuple[str, ...]] = ("duplicate_identifier",)


class InvalidOperation(RuleViolation):
    """An operation that makes no sense for the customer's current state."""

    default_code = "invalid_operation"
    codes: ClassVar[tuple[str, ...]] = (
        "invalid_operation",
        "unknown_status",
        "not_a_company",
        "primary_must_exist",
        "wrong_tenant",
        "invalid_password",
        "invalid_reset_token",
        "conflicting_tax_id",
        "conflicting_evidence",
        "already_undone",
    )


class NotFound(CustomerCoreError, LookupError):
    """Missing, or not visible to the actor (the two are indistinguishable on purpose)."""

    default_code = "not_found"
    codes: ClassVar[tuple[str, ...]] = ("not_found",)


class PermissionDenied(CustomerCoreError):
    """The actor sees the customer but may not perform this action on it."""

    default_code = "permission_denied"
    codes: ClassVar[tuple[str, ...]] = ("permission_denied",)


class Conflict(CustomerCoreError):
    """The write conflicts with stored data; nothing was written."""

    default_code = "conflict"
    codes: ClassVar[tuple[str, ...]] = ("conflict",)


class DuplicateIdentity(Conflict):
    """An identifier already belongs to another customer of the tenant.

    ``details["holder_id"]`` is the id of the customer that holds it; the
    services leave it out when the actor cannot see that customer.
    """

    default_code = "duplicate_identity"
    codes: ClassVar[tuple[str, ...]] = ("duplicate_identity", "duplicate_login")


class VersionConflict(Conflict):
    """``expected_version`` is stale: someone else saved the customer first."""

    default_code = "version_conflict"
    codes: ClassVar[tuple[str, ...]] = ("version_conflict",)


class StorageUnavailable(CustomerCoreError):
    """The database could not be reached or the connection broke; nothing was written.

    Safe to retry: the unit of work was rolled back.
    """

    default_code = "storage_unavailable"
    codes: ClassVar[tuple[str, ...]] = ("storage_unavailable", "invalid_stored_value")


class MissingDependency(CustomerCoreError, ImportError):
    """An optional extra (for example ``customer-core[sql]``) is not installed."""

    default_code = "missing_dependency"
    codes: ClassVar[tuple[str, ...]] = ("missing_dependency",)
