"""Identity keys: which identifiers name one customer, and which may be shared.

Every identifier of a customer gives an :class:`IdentityKey` ``(kind, key)``,
the form every spelling of it shares (a phone's line with the ninth digit, an
e-mail lower-cased). The identity index of a tenant maps keys to customers,
and kinds come in two classes:

**Exclusive** -- at most one customer of a tenant holds the key, and storage
enforces it with a unique index (so resolve-or-create is race-safe): the CPF,
the full CNPJ (branches of one company have different CNPJs and are
different customers), the **login e-mail** (the primary e-mail of a customer
who has a password: the shop's login), external ids, social profiles, and
messenger ids other than WhatsApp (a Telegram id).

**Shareable** -- several customers may hold the key: real life shares them.
A household shares a landline, an owner and their small company share the
owner's mobile, a couple shares an e-mail. The kinds are:

- :attr:`IdentityKind.PHONE`, one **line key** per phone line: the E.164
  digits with the ninth digit of a Brazilian mobile, so ``+55 11 8765-4321``
  (the legacy 8-digit form), ``(11) 98765-4321``, ``0055 11 98765-4321`` and
  the WhatsApp id ``5511987654321`` are one line. A WhatsApp id is stored as
  the phone line it is (not as a messenger key), so a message that names the
  phone and one that names the WhatsApp id find the same customers. The
  display form stays as typed (:attr:`~customer_core.Phone.e164`);
- :attr:`IdentityKind.EMAIL`, contact e-mails (lower-cased, IDNA domain).

The first holder of a shareable key takes a **claim** on it in the same
transaction, so N processes that each see a new line, spelt N ways, create
one customer between them (:mod:`customer_core.ports`). How many holders
share a key is read when asked, for the actor asking (visible holders only),
never stored on the record.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Email, MessengerId, Phone
>>> now = datetime(2026, 1, 5, tzinfo=timezone.utc)
>>> ana = Customer.create(id="c1", tenant_id="t", name="Ana", now=now,
...     phones=(Phone.parse("11 8765-4321"),),
...     messenger_ids=(MessengerId.parse("whatsapp", "5511987654321"),),
...     emails=(Email.parse("Ana@Exemplo.com"),))
>>> [(k.kind.value, k.key, k.kind.shareable) for k in ana.identity_keys()]
[('phone', '5511987654321', True), ('email', 'ana@exemplo.com', True)]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from customer_core.domain.values.email import Email
from customer_core.domain.values.online import ExternalId, MessengerId, SocialProfile
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import TaxId
from customer_core.domain.values.text import masked

if TYPE_CHECKING:
    from customer_core.domain.model.customer import Customer

__all__ = ["IdentityKey", "IdentityKind", "identity_keys", "identity_keys_from"]


class IdentityKind(enum.Enum):
    """Kinds of identity keys; see the module docstring for exclusive and shareable."""

    TAX_ID = "tax_id"
    LOGIN_EMAIL = "login_email"
    MESSENGER = "messenger"
    PHONE = "phone"
    EMAIL = "email"
    SOCIAL = "social"
    EXTERNAL = "external"

    # Members are singletons compared by identity, so the identity hash agrees with
    # equality; Enum's own __hash__ is Python code, run ~16 times per inbound look-up.
    __hash__ = object.__hash__

    @property
    def shareable(self) -> bool:
        """Whether several customers of a tenant may hold a key of this kind."""
        return self in _SHAREABLE


_SHAREABLE = frozenset({IdentityKind.PHONE, IdentityKind.EMAIL})


class IdentityKey(NamedTuple):
    """One identifier's key: its kind, and the form every spelling of it shares."""

    kind: IdentityKind
    key: str

    def __repr__(self) -> str:
        return f"IdentityKey({self.kind.value}, '{masked(self.key)}')"  # a CPF, a phone...


def identity_keys(customer: Customer) -> tuple[IdentityKey, ...]:
    """Every key of ``customer``, exclusive ones first, each once, in a stable order.

    The primary e-mail is the login e-mail of a customer who has a password.
    """
    return identity_keys_from(
        tax_id=customer.tax_id,
        login_email_key=customer.primary_email_key if customer.password_hash is not None else None,
        messenger_ids=customer.messenger_ids,
        social_profiles=customer.social_profiles,
        external_ids=customer.external_ids,
        phones=customer.phones,
        emails=customer.emails,
    )


def identity_keys_from(
    *,
    tax_id: TaxId | None = None,
    login_email_key: str | None = None,
    messenger_ids: Iterable[MessengerId] = (),
    social_profiles: Iterable[SocialProfile] = (),
    external_ids: Iterable[ExternalId] = (),
    phones: Iterable[Phone] = (),
    emails: Iterable[Email] = (),
) -> tuple[IdentityKey, ...]:
    """The keys these identifiers give, exclusive ones first, each once, in a stable order.

    The one place that knows which identifier gives which key: a stored
    customer (:func:`identity_keys`) and a record not yet built (a row of an
    import) both get their keys here. ``login_email_key`` is the match key of
    the login e-mail; a WhatsApp id gives the key of its phone line.

    >>> from customer_core import Email, MessengerId, Phone, parse_tax_id
    >>> keys = identity_keys_from(
    ...     tax_id=parse_tax_id("11.222.333/0001-81"),
    ...     messenger_ids=[MessengerId.parse("whatsapp", "5511987654321")],
    ...     phones=[Phone.parse("(11) 98765-4321")],
    ...     emails=[Email.parse("Ana@Exemplo.com")])
    >>> [(k.kind.value, k.key) for k in keys]
    [('tax_id', '11222333000181'), ('phone', '5511987654321'), ('email', 'ana@exemplo.com')]
    """
    keys: dict[IdentityKey, None] = {}
    if tax_id is not None:
        keys[IdentityKey(IdentityKind.TAX_ID, tax_id.digits)] = None
    if login_email_key is not None:
        keys[IdentityKey(IdentityKind.LOGIN_EMAIL, login_email_key)] = None
    lines = []
    for messenger in messenger_ids:
        line = messenger.phone_key
        if line is None:
            keys[IdentityKey(IdentityKind.MESSENGER, messenger.match_key)] = None
        else:
            lines.append(line)
    for social in social_profiles:
        keys[IdentityKey(IdentityKind.SOCIAL, social.match_key)] = None
    for external in external_ids:
        keys[IdentityKey(IdentityKind.EXTERNAL, external.match_key)] = None
    for phone in phones:
        if phone.is_identity:  # a recado number is someone else's line
            keys[IdentityKey(IdentityKind.PHONE, phone.match_key)] = None
    for line in lines:
        keys[IdentityKey(IdentityKind.PHONE, line)] = None
    for email in emails:
        keys[IdentityKey(IdentityKind.EMAIL, email.match_key)] = None
    return tuple(keys)
