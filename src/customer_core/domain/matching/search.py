"""What a search box text means, and how well a customer answers it.

One text may be a CPF/CNPJ, a phone in any format, an e-mail (whole or
partial) and/or words of a name. :func:`parse_search` works that out once;
adapters run the resulting :class:`SearchQuery` (the memory adapter with
:func:`search_rank`, the SQL adapter in SQL) and must rank the same way:

0. an identity matches exactly (tax id, phone match key, e-mail);
1. the name starts with the whole text (``joao sil`` → ``João Silva``);
2. every word of the text starts a word of the name (``silva joao``);
3. an e-mail contains the text (``@acme``, ``joao.s``);
4. a phone or CPF/CNPJ contains the digits typed (``98765-4321`` without its
   area code, ``(11) 9876`` while typing, ``529.982``).

>>> q = parse_search("(11) 98765-4321")
>>> [k.kind.value for k in q.identity_keys]
['phone']
>>> parse_search("João da SILVA").name_tokens
('joao', 'da', 'silva')
>>> parse_search("98765-4321").digits
'987654321'
"""

from __future__ import annotations

import contextlib
import re

import attrs

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import phone_match_key
from customer_core.domain.values.tax_id import parse_tax_id
from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, InvalidValue

__all__ = ["SearchQuery", "parse_search", "search_key", "search_rank"]

_MAX_QUERY = 200
#: Fewer digits than this are no part of a number worth looking for.
_MIN_DIGITS = 4
#: How people write (part of) a phone or a tax id: digits and punctuation.
_NUMBER_SPELLING = re.compile(r"[\d\s().+\-/]+")


@attrs.frozen
class SearchQuery:
    text: str
    identity_keys: tuple[IdentityKey, ...] = ()
    name_tokens: tuple[str, ...] = ()
    email_fragment: str | None = None
    #: The digits of a text that is part of a number (no whole phone or tax id).
    digits: str | None = None

    @property
    def name_prefix(self) -> str:
        return " ".join(self.name_tokens)

    @property
    def phone_digits(self) -> str | None:
        """:attr:`digits` as they appear in a phone's match key (no trunk ``0``)."""
        trimmed = (self.digits or "").lstrip("0")
        return trimmed if len(trimmed) >= _MIN_DIGITS else None


def search_key(customer: Customer) -> str:
    """The folded words of the name and trade name: what name search and ordering use."""
    return " ".join(fold_tokens(f"{customer.name} {customer.trade_name or ''}"))


def parse_search(text: str, /, *, region: str = "BR") -> SearchQuery:
    if not isinstance(text, str):
        raise InvalidValue("the search text is text", code=Code.INVALID_VALUE, field="text")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidValue("the search text is empty", code=Code.INVALID_VALUE, field="text")
    if len(cleaned) > _MAX_QUERY:
        raise InvalidValue("the search text is too long", code=Code.INVALID_VALUE, field="text")
    keys: list[IdentityKey] = []
    with contextlib.suppress(InvalidValue):
        keys.append(IdentityKey(IdentityKind.TAX_ID, parse_tax_id(cleaned).digits))
    phone_key = phone_match_key(cleaned, default_region=region)
    if phone_key is not None:
        keys.append(IdentityKey(IdentityKind.PHONE, phone_key))
    fragment = None
    if " " not in cleaned and not keys:
        # A single word may be the start or middle of an e-mail address.
        fragment = cleaned.lower()
        if "@" in cleaned and Email.is_valid(cleaned):
            keys.append(IdentityKey(IdentityKind.EMAIL, Email.parse(cleaned).match_key))
    digits = None
    if not keys and _NUMBER_SPELLING.fullmatch(cleaned):
        # A number without its area code, or one still being typed.
        digits = "".join(c for c in cleaned if c.isdigit())
        digits = digits if len(digits) >= _MIN_DIGITS else None
    has_letters = any(c.isalpha() for c in cleaned)
    tokens = tuple(fold_tokens(cleaned)) if has_letters and "@" not in cleaned else ()
    return SearchQuery(cleaned, tuple(keys), tokens, fragment, digits)


def search_rank(customer: Customer, query: SearchQuery) -> int | None:
    """The rank (0 best) of ``customer`` for ``query``, or ``None`` when it does not match."""
    if set(query.identity_keys) & set(customer.identity_keys()):
        return 0
    if query.name_tokens:
        key = search_key(customer)
        if key.startswith(query.name_prefix):
            return 1
        words = key.split()
        if all(any(w.startswith(t) for w in words) for t in query.name_tokens):
            return 2
    if query.email_fragment and any(query.email_fragment in e.match_key for e in customer.emails):
        return 3
    if query.digits and any(_holds_digits(key, query) for key in customer.identity_keys()):
        return 4
    return None


def _holds_digits(key: IdentityKey, query: SearchQuery) -> bool:
    if key.kind is IdentityKind.TAX_ID:
        return query.digits is not None and query.digits in key.key
    phone_digits = query.phone_digits
    return key.kind is IdentityKind.PHONE and phone_digits is not None and phone_digits in key.key
