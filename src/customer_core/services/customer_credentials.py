"""Customer credentials for the shop login: passwords, authentication, reset tokens.

Only hashes are stored: the password's (by the injected
:class:`~customer_core.ports.PasswordHasher`) and the reset token's digest.
:class:`CustomerCredentials` is a part of
:class:`~customer_core.services.CustomerService`, which offers its methods.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import attrs

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.values.email import Email
from customer_core.errors import Code, InvalidOperation, PermissionDenied
from customer_core.ports import PasswordHasher
from customer_core.services.customer_changes import CustomerChanges

__all__ = ["CustomerCredentials", "hash_password"]

_MIN_PASSWORD = 8
_MAX_PASSWORD = 1024
_RESET_TOKEN_TTL = timedelta(hours=2)


def _token_digest(secret: str, login: str | None) -> str:
    """The stored digest of a reset secret, bound to the login it was made for.

    When the customer's login e-mail changes, every token made before stops
    matching: a reset link sent to the old address cannot take over the
    account. (A new password clears the token outright.)
    """
    return hashlib.sha256(f"{login or ''}\x1f{secret}".encode()).hexdigest()


def hash_password(hasher: PasswordHasher, password: str) -> str:
    """The hash of an acceptable password (8 to 1024 characters) to store."""
    if not isinstance(password, str) or not _MIN_PASSWORD <= len(password) <= _MAX_PASSWORD:
        raise InvalidOperation(
            f"a password has {_MIN_PASSWORD} to {_MAX_PASSWORD} characters",
            code=Code.INVALID_PASSWORD,
            field="password",
        )
    return hasher.hash(password)


class CustomerCredentials:
    """Set and check a customer's password; reset it with a one-time token."""

    __slots__ = ("_changes", "_deps", "_dummy")

    def __init__(self, changes: CustomerChanges) -> None:
        self._changes = changes
        self._deps = changes.deps
        self._dummy: str | None = None

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self._deps.hasher.hash(secrets.token_urlsafe(12))
        return self._dummy

    def set_password(
        self, tenant_id: str, actor: Actor, customer_id: str, password: str
    ) -> Customer:
        hashed = hash_password(self._deps.hasher, password)
        return self._changes.change(
            tenant_id,
            actor,
            customer_id,
            lambda c: attrs.evolve(c, password_hash=hashed, reset_token_hash=None),
            event="customer.password_changed",
            check=False,
        )

    def authenticate(self, tenant_id: str, login: str, password: str) -> Customer | None:
        """The customer whose login (primary e-mail) and password match, if allowed to log in.

        Every path does the same work, one password verification: an unknown
        e-mail, a customer without a password or one whose status does not
        grant access take as long as a wrong password, so timing never tells
        which e-mails are registered.
        """
        key = IdentityKey(IdentityKind.LOGIN_EMAIL, Email.parse(login, field="login").match_key)
        deps = self._deps
        with deps.uow_factory() as uow:
            customer_id = next(iter(uow.customers.holders(tenant_id, [key]).get(key, ())), None)
            customer = None if customer_id is None else uow.customers.get(tenant_id, customer_id)
        allowed = (
            customer is not None
            and customer.primary_email_key == key.key
            and customer.password_hash is not None
            and customer.can_log_in(deps.preset.statuses)
        )
        stored = customer.password_hash if allowed and customer is not None else None
        matches = deps.hasher.verify(password, stored or self._dummy_hash())
        return customer if allowed and matches else None

    def create_reset_token(self, tenant_id: str, actor: Actor, customer_id: str) -> str:
        if not actor.is_admin:  # a seller who sees a customer must not get its reset secret
            raise PermissionDenied(
                "only an administrator may create a reset token for a customer",
                code=Code.PERMISSION_DENIED,
                field="actor",
            )
        token = self._new_token(tenant_id, actor, customer_id)
        if token is None:
            raise InvalidOperation(
                "this customer's data is blocked (LGPD Art. 18 IV)",
                code=Code.BLOCKED,
                field="customer_id",
            )
        return token

    def _new_token(self, tenant_id: str, actor: Actor | None, customer_id: str) -> str | None:
        """A new reset token; ``None`` for a blocked customer, who may not log in."""
        secret = secrets.token_urlsafe(32)
        expires = self._deps.clock.now() + _RESET_TOKEN_TTL
        with self._deps.uow_factory() as uow:
            customer = uow.customers.get(tenant_id, customer_id)
            if customer.blocked:
                return None
            changed = attrs.evolve(
                customer,
                reset_token_hash=_token_digest(secret, customer.primary_email_key),
                reset_token_expires_at=expires,
                updated_at=self._deps.clock.now(),
            )
            saved = uow.customers.save(changed, expected_version=customer.version)
            uow.record(self._changes.event("customer.password_reset_requested", actor, saved))
            self._deps.commit(uow)
        return f"{customer_id}.{secret}"

    def request_password_reset(self, tenant_id: str, login: str) -> str | None:
        """The shop's "forgot my password": a token for the customer whose login this is.

        The host sends the token to that address (only the mailbox's owner
        gets it) and never shows it to whoever asked. ``None`` when no
        customer may log in with this e-mail.
        """
        key = IdentityKey(IdentityKind.LOGIN_EMAIL, Email.parse(login, field="login").match_key)
        with self._deps.uow_factory() as uow:
            found = uow.customers.holders(tenant_id, [key]).get(key, ())
        if not found:
            return None
        return self._new_token(tenant_id, None, found[0])

    def reset_password(self, tenant_id: str, token: str, new_password: str) -> Customer:
        customer_id, _, secret = token.partition(".")
        deps = self._deps
        hashed = hash_password(deps.hasher, new_password)
        invalid = InvalidOperation(
            "the reset token is invalid or expired", code=Code.INVALID_RESET_TOKEN, field="token"
        )
        with deps.uow_factory() as uow:
            try:
                customer = uow.customers.get(tenant_id, customer_id)
            except LookupError:
                raise invalid from None
            expires = customer.reset_token_expires_at
            if (
                customer.blocked
                or customer.reset_token_hash is None
                or expires is None
                or expires < deps.clock.now()
                or not hmac.compare_digest(
                    customer.reset_token_hash, _token_digest(secret, customer.primary_email_key)
                )
            ):
                raise invalid
            changed = attrs.evolve(
                customer, password_hash=hashed, reset_token_hash=None, reset_token_expires_at=None
            )
            saved = uow.customers.save(changed, expected_version=customer.version)
            uow.record(self._changes.event("customer.password_changed", None, saved))
            deps.commit(uow)
        return saved
