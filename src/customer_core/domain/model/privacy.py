"""Data-subject records (LGPD, Lei 13.709/2018): the audit trail, consents, keyed blocklist keys.

- :class:`AuditEntry`: who (actor id) did what (``action``) to which
  customer (its id), and when. It never holds personal data: ``details``
  carries counts, ids and field names only, so the trail survives the
  erasure of the person it is about.
- :class:`Consent`: one grant of consent for one purpose, with its legal
  basis, source and evidence; a revocation is recorded on it, with its own
  source and evidence, and a later grant is a new record.
- :func:`blocked_key`: the keyed hash (HMAC-SHA-256) an erased spammer's
  identifier stays blocklisted by. CPFs and phone numbers are small spaces,
  so an unkeyed hash could be reversed by trying them all; the key comes
  from the host, outside the database.

>>> from customer_core.domain.model.identity import IdentityKey, IdentityKind
>>> key = IdentityKey(IdentityKind.PHONE, "5511987654321")
>>> hashed = blocked_key(key, b"a secret the host keeps")
>>> hashed.kind is IdentityKind.PHONE, hashed.key.startswith("hmac:"), len(hashed.key)
(True, True, 69)
>>> blocked_key(key, b"another secret") == hashed
False
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime

import attrs

from customer_core.domain.model.identity import IdentityKey
from customer_core.domain.values.text import check_printable
from customer_core.errors import Code, InvalidValue

__all__ = [
    "MIN_KEY_BYTES",
    "AuditEntry",
    "Consent",
    "LegalBasis",
    "Origin",
    "Purpose",
    "blocked_key",
    "check_evidence",
    "check_purpose",
    "check_secret",
    "is_blocked_key",
]

#: A shorter HMAC key would be guessable; 32 random bytes is the usual choice.
MIN_KEY_BYTES = 16

_HASHED = "hmac:"
_PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_MAX_EVIDENCE = 2000


class Purpose(str, enum.Enum):
    """Common purposes of processing; any other ``snake_case`` name may be used too."""

    MARKETING_EMAIL = "marketing_email"
    WHATSAPP_MESSAGES = "whatsapp_messages"
    SMS_MESSAGES = "sms_messages"
    PHONE_CALLS = "phone_calls"
    PROFILING = "profiling"

    def __str__(self) -> str:
        return str.__str__(self)


class LegalBasis(enum.Enum):
    """The legal bases of LGPD Art. 7 a processing may rest on."""

    CONSENT = "consent"
    LEGAL_OBLIGATION = "legal_obligation"
    CONTRACT = "contract"
    EXERCISE_OF_RIGHTS = "exercise_of_rights"
    LEGITIMATE_INTEREST = "legitimate_interest"
    CREDIT_PROTECTION = "credit_protection"


def check_purpose(value: object, field: str = "purpose") -> str:
    """A purpose's name: a :class:`Purpose` or ``snake_case`` text of up to 64 characters."""
    text = value.value if isinstance(value, Purpose) else value
    if not isinstance(text, str) or not _PURPOSE.fullmatch(text):
        raise InvalidValue(
            f"{field} is snake_case text (e.g. 'marketing_email')",
            code=Code.INVALID_VALUE,
            field=field,
        )
    return text


def check_evidence(value: object, field: str, *, limit: int = _MAX_EVIDENCE) -> str:
    """Text that proves a grant or revocation (a form id, a message id, a signed term)."""
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidValue(
            f"{field} is required text of at most {limit} characters",
            code=Code.INVALID_VALUE,
            field=field,
        )
    check_printable(value, field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no database stores it
        raise InvalidValue(
            f"{field} is not valid Unicode text", code=Code.INVALID_VALUE, field=field
        ) from exc
    return value.strip()


def check_secret(value: object) -> bytes | None:
    """The host's HMAC key: bytes of at least :data:`MIN_KEY_BYTES`, or ``None``."""
    if value is None:
        return None
    if not isinstance(value, bytes) or len(value) < MIN_KEY_BYTES:
        raise InvalidValue(
            f"the privacy key is bytes, at least {MIN_KEY_BYTES} of them",
            code=Code.INVALID_VALUE,
            field="privacy_key",
        )
    return value


def blocked_key(key: IdentityKey, secret: bytes) -> IdentityKey:
    """The blocklist form of ``key`` once its holder is erased: its HMAC under ``secret``."""
    digest = hmac.new(secret, f"{key.kind.value}:{key.key}".encode(), hashlib.sha256)
    return IdentityKey(key.kind, _HASHED + digest.hexdigest())


def is_blocked_key(key: IdentityKey) -> bool:
    """Whether ``key`` is a keyed hash made by :func:`blocked_key`."""
    return key.key.startswith(_HASHED)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One audited action; ``details`` holds counts, ids and names, never personal data."""

    tenant_id: str
    id: str
    at: datetime
    actor_id: str | None
    action: str
    customer_id: str | None = None
    details: Mapping[str, str | int | bool | None] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Consent:
    """One grant of consent for one purpose, and its revocation when there is one."""

    tenant_id: str
    id: str
    customer_id: str
    purpose: str
    legal_basis: LegalBasis
    granted_at: datetime
    source: str
    evidence: str
    actor_id: str | None = None
    revoked_at: datetime | None = None
    revocation_source: str | None = None
    revocation_evidence: str | None = None

    def __repr__(self) -> str:
        # The evidence may quote the person (a message, an IP address).
        state = "revoked" if self.revoked_at else "in force"
        return f"Consent(id={self.id!r}, purpose={self.purpose!r}, {state})"

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None


@attrs.frozen(kw_only=True)
class Origin:
    """Where a record came from, beyond its :class:`~customer_core.Source`.

    For an import: the file's name (its base name, as given to the importer)
    and the physical line of the first row of the record's group.
    """

    file: str | None = None
    line: int | None = None
