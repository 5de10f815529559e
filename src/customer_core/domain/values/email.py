"""E-mail addresses.

Syntax is checked by email-validator with no DNS lookup. The local part is
kept as typed; the :attr:`~Email.match_key` is case-insensitive, so
``Maria@Example.com`` and ``maria@example.com`` are the same customer, and
full-width letters are the letters they show (``ＭＡＲＩＡ@exemplo.com`` is
``MARIA@exemplo.com``, NFKC).

>>> from customer_core import Email
>>> e = Email.parse(" Maria.Silva@Exemplo.COM.br ")
>>> str(e), e.match_key
('Maria.Silva@exemplo.com.br', 'maria.silva@exemplo.com.br')
>>> e
Email('M***@exemplo.com.br')
>>> Email.parse("maria@@exemplo.com")
Traceback (most recent call last):
...
customer_core.errors.InvalidEmail: invalid_email [email]: ...

``parse`` is the way in for what people type. The constructor takes what
``parse`` returns and storage holds (the address and its match key) and checks
their shape cheaply, as stored records are loaded through it:

>>> Email("Maria.Silva@exemplo.com.br", "maria.silva@exemplo.com.br") == e
True
>>> Email("maria", "maria")
Traceback (most recent call last):
...
customer_core.errors.InvalidEmail: invalid_email [email]: not an e-mail address
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import attrs
import email_validator

from customer_core.domain.values.phone import PARSE_CACHE_SIZE
from customer_core.errors import Code, InvalidEmail

__all__ = ["Email", "email_match_key"]

_GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def _invalid(message: str) -> InvalidEmail:
    return InvalidEmail(message, code=Code.INVALID_EMAIL, field="email")


@attrs.frozen(repr=False)
class Email:
    """A syntactically valid e-mail address.

    Validated by email-validator (no DNS lookups) in :meth:`parse`. Its
    verdict on a domain is cached for the life of the process: a host that
    changes email-validator's module-level options does so before the first
    parse. The constructor checks the shape of what ``parse`` returns: an
    address, and its match key (the address lower-cased, the domain in ASCII).
    """

    address: str = attrs.field(eq=False)
    match_key: str = attrs.field()

    @match_key.validator
    def _check_shape(self, _: attrs.Attribute[str], match_key: object) -> None:
        """Cheap (stored e-mails are loaded through here): an address, and its key."""
        address = self.address
        if not isinstance(address, str):
            raise _invalid("not an e-mail address")
        # email-validator leaves no space, control or format character, except
        # spaces in a quoted local part (when a host allows those).
        local, _at, domain = address.rpartition("@")
        plain = domain if local[:1] == '"' else address
        if not local or not domain or " " in plain or not plain.isprintable():
            raise _invalid("not an e-mail address")
        if match_key == address.lower():  # nearly always: an ASCII domain
            return
        # Else the domain must be internationalized, keyed by its ASCII (IDNA) form.
        key = match_key if isinstance(match_key, str) else ""
        key_local, _at, key_domain = key.rpartition("@")
        if (
            domain.isascii()
            or key_local != local.lower()
            or not (key_domain and key_domain.isascii())
        ):
            raise _invalid("the match key is not the address's")

    @classmethod
    def parse(cls, text: str, /, *, field: str = "email") -> Email:
        if cls is Email and isinstance(text, str):
            return _parse_text(text, field)
        return cls._parse(text, field)

    @classmethod
    def _parse(cls, text: str, field: str) -> Email:
        if not isinstance(text, str):
            raise InvalidEmail("an e-mail address is text", code=Code.INVALID_EMAIL, field=field)
        if not text.strip():
            raise InvalidEmail("the e-mail is empty", code=Code.INVALID_EMAIL, field=field)
        if len(text) > _LONGEST_TEXT:
            # email-validator's parse is quadratic in the length: 1 MB took seconds.
            raise InvalidEmail(
                "too long for an e-mail address", code=Code.INVALID_EMAIL, field=field
            )
        if not text.isascii():
            # Full-width letters (``ＡＮＡ@x.com``, typed on a CJK or phone keyboard)
            # and other compatibility forms are the plain characters they show:
            # the address and its key are those of ``ANA@x.com``, not a second
            # customer's (email-validator folds only the domain so).
            text = unicodedata.normalize("NFKC", text)
        try:
            valid = email_validator.validate_email(
                text.strip(), check_deliverability=False, allow_smtputf8=True
            )
        except email_validator.EmailNotValidError as exc:
            raise InvalidEmail(str(exc), code=Code.INVALID_EMAIL, field=field) from exc
        return cls(valid.normalized, f"{valid.local_part}@{valid.ascii_domain}".lower())

    @classmethod
    def is_valid(cls, text: str, /) -> bool:
        try:
            cls.parse(text)
        except InvalidEmail:
            return False
        return True

    @property
    def domain(self) -> str:
        return self.match_key.rpartition("@")[2]

    def __str__(self) -> str:
        return self.address

    def __repr__(self) -> str:
        local, _, domain = self.address.rpartition("@")
        return f"Email('{local[:1]}***@{domain}')"


#: Far above the 254 characters an address may have, spaces around it and
#: Unicode domains included: the validator gives the precise reason below it.
_LONGEST_TEXT = 1024


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_text(text: str, field: str) -> Email:
    # Validation is most of the cost of an inbound message; an e-mail is
    # immutable, so the parse of the same text is shared (failures raise, uncached).
    return _plain(text) or Email._parse(text, field)


#: Canonical input: a lower-case ASCII dot-atom local part (a subset of what
#: email-validator accepts before the @-sign) and lower-case LDH labels.
_PLAIN = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*"
    r"@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)"
)
_LOCAL_MAX, _ADDRESS_MAX = 64, 254  # RFC 5321 limits, as email-validator applies them


def _plain(text: str) -> Email | None:
    """The e-mail of canonical input, or ``None`` to go through the full validation.

    Most of email-validator's time goes to the domain (Unicode and IDNA rules,
    special-use names), and the same few domains come back all the time. For
    canonical input its verdict splits into a local part this pattern already
    proves valid, the total length, and the domain's verdict, which is
    email-validator's own, cached per domain. Anything else (upper case,
    Unicode, quotes, ``--`` labels that IDNA may reinterpret) takes the full path.
    """
    found = _PLAIN.fullmatch(text)
    if found is None or len(text) > _ADDRESS_MAX or found.start(1) - 1 > _LOCAL_MAX:
        return None
    domain = found.group(1)
    if "--" in domain or not _domain_is_valid(domain):
        return None
    return Email(text, text)  # already normalized: it is its own match key


# Cached for the life of the process, so email-validator's module-level
# settings (SPECIAL_USE_DOMAIN_NAMES, TEST_ENVIRONMENT...) count as they were
# when a domain was first seen: a host changes them before parsing, not after.
@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _domain_is_valid(domain: str) -> bool:
    # "a" is a valid local part and the shortest, so only the domain can fail.
    try:
        email_validator.validate_email(
            "a@" + domain, check_deliverability=False, allow_smtputf8=True
        )
    except email_validator.EmailNotValidError:
        return False
    return True


def email_match_key(
    email: Email, /, *, strip_plus_tags: bool = False, ignore_gmail_dots: bool = False
) -> str:
    """The match key with optional, off-by-default loosening.

    >>> from customer_core import Email
    >>> email_match_key(Email.parse("Ana.Lima+loja@gmail.com"), strip_plus_tags=True,
    ...                 ignore_gmail_dots=True)
    'analima@gmail.com'
    """
    local, _, domain = email.match_key.rpartition("@")
    if strip_plus_tags:
        local = local.split("+", 1)[0]
    if ignore_gmail_dots and domain in _GMAIL_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"
