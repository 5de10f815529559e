"""What a search box text means, and how well a customer answers it.

One text may be a CPF/CNPJ, a phone in any format, an e-mail (whole or
partial) and/or words of a name. :func:`parse_search` works that out once;
adapters run the resulting :class:`SearchQuery` (the memory adapter with
:func:`search_rank`, the SQL adapter in SQL) and must rank the same way:

0. an identity matches exactly (tax id, phone match key, e-mail);
1. the name starts with the whole text (``joao sil`` → ``João Silva``);
2. every word of the text starts a word of the name (``silva joao``);
3. an e-mail contains the text (``@acme``, ``joao.s``).

>>> q = parse_search("(11) 98765-4321")
>>> [k.kind.value for k in q.identity_keys]
['phone']
>>> parse_search("João da SILVA").name_tokens
('joao', 'da', 'silva')
"""

from __future__ import annotations

import contextlib

import attrs

from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import phone_match_key
from customer_core.domain.values.tax_id import parse_tax_id
from customer_core.domain.values.text import fold_tokens
from customer_core.errors import Code, InvalidValue

__all__ = ["SearchQuery", "parse_search", "search_key", "search_rank"]

_MAX_QUERY = 200


@attrs.frozen
class SearchQuery:
    text: str
    identity_keys: tuple[IdentityKey, ...] = ()
    name_tokens: tuple[str, ...] = ()
    email_fragment: str | None = None

    @property
    def name_prefix(self) -> str:
        return " ".join(self.name_tokens)


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
    has_letters = any(c.isalpha() for c in cleaned)
    tokens = tuple(fold_tokens(cleaned)) if has_letters and "@" not in cleaned else ()
    return SearchQuery(cleaned, tuple(keys), tokens, fragment)


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
    return None
