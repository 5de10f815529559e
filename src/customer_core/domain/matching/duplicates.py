"""Finding customers that are probably the same person or company.

Two kinds of result, each with the evidence that produced it:

- **exact clusters**: records that share a key the unique index could not
  enforce: the same line stored as a phone on one record and as a WhatsApp id
  on another, companies sharing a CNPJ root (branches), pairs an inbound
  message tied together;
- **scored suggestions**: near duplicates found by blocking (phone suffix,
  e-mail local part, CEP, name) and scored mostly on the name, which must be
  backed by at least one other piece of evidence. A shared landline alone
  never makes a suggestion: three people of one household are three
  customers; nor does a common name alone.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Phone, Email
>>> now = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> a = Customer.create(id="a", tenant_id="t", name="João da Silva", now=now,
...                     emails=(Email.parse("joao.silva@gmail.com"),))
>>> b = Customer.create(id="b", tenant_id="t", name="Joao Silva", now=now,
...                     emails=(Email.parse("joao.silva@hotmail.com"),))
>>> [(s.ids, s.score >= 0.6, [e.kind for e in s.evidence]) for s in suggest_duplicates([a, b])]
[(('a', 'b'), True, ['name', 'email_local_part'])]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

import attrs
from rapidfuzz import fuzz

from customer_core.domain.model.customer import Customer
from customer_core.domain.values.phone import PhoneType
from customer_core.domain.values.tax_id import Cnpj
from customer_core.domain.values.text import fold_tokens

__all__ = [
    "Cluster",
    "Evidence",
    "Suggestion",
    "exact_clusters",
    "suggest_duplicates",
]

#: Blocks larger than this are skipped: a key shared by that many records is not evidence.
MAX_BLOCK = 50
_CORROBORATING = frozenset({"mobile", "landline", "phone_suffix", "email_local_part", "cep"})
_FREE_MAIL = frozenset(
    {
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "yahoo.com",
        "yahoo.com.br",
        "uol.com.br",
        "bol.com.br",
        "terra.com.br",
        "icloud.com",
        "live.com",
        "ig.com.br",
    }
)


@attrs.frozen
class Evidence:
    """One reason two records look alike (``kind``) and what matched (``detail``)."""

    kind: str
    detail: str
    weight: float = 0.0


@attrs.frozen
class Cluster:
    """Records that share a key; ``evidence`` says which."""

    ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@attrs.frozen
class Suggestion:
    """A scored pair (0..1), explained."""

    ids: tuple[str, str]
    score: float
    evidence: tuple[Evidence, ...]


def _cross_kind_keys(customer: Customer) -> set[str]:
    """Phone lines a record reaches, whatever field they were stored in."""
    lines = {p.match_key for p in customer.phones}
    lines |= {k for m in customer.messenger_ids if (k := m.phone_key) is not None}
    return lines


def exact_clusters(customers: Iterable[Customer], /) -> list[Cluster]:
    """Records sharing a phone line across fields, or a CNPJ root."""
    by_line: dict[str, set[str]] = defaultdict(set)
    by_root: dict[str, set[str]] = defaultdict(set)
    for customer in customers:
        for line in _cross_kind_keys(customer):
            by_line[line].add(customer.id)
        if isinstance(customer.tax_id, Cnpj):
            by_root[customer.tax_id.root].add(customer.id)
    clusters = [
        Cluster(tuple(sorted(ids)), (Evidence("same_phone_line", f"+{line}", 1.0),))
        for line, ids in by_line.items()
        if len(ids) > 1
    ]
    clusters += [
        Cluster(tuple(sorted(ids)), (Evidence("same_cnpj_root", root, 1.0),))
        for root, ids in by_root.items()
        if len(ids) > 1
    ]
    return sorted(clusters, key=lambda c: c.ids)


def _name_key(customer: Customer) -> str:
    return " ".join(fold_tokens(customer.name))


def _blocks(customer: Customer) -> set[str]:
    tokens = fold_tokens(customer.name)
    keys = {f"phone:{p.match_key[-8:]}" for p in customer.phones}
    keys |= {f"local:{e.match_key.split('@')[0]}" for e in customer.emails}
    keys |= {f"cep:{a.cep}" for a in customer.addresses if a.cep}
    if tokens:
        keys.add(f"name:{tokens[0][:3]}:{tokens[-1]}")
    return keys


def _evidence(a: Customer, b: Customer) -> list[Evidence]:
    found: list[Evidence] = []
    similarity = fuzz.token_sort_ratio(_name_key(a), _name_key(b)) / 100
    if similarity >= 0.6:
        found.append(Evidence("name", f"{similarity:.0%} similar", round(0.6 * similarity, 3)))
    a_phones, b_phones = {p.match_key: p for p in a.phones}, {p.match_key: p for p in b.phones}
    for key in a_phones.keys() & b_phones.keys():
        landline = a_phones[key].type is not PhoneType.MOBILE
        found.append(
            Evidence("landline" if landline else "mobile", f"+{key}", 0.1 if landline else 0.4)
        )
    suffixes = {k[-8:] for k in a_phones} & {k[-8:] for k in b_phones}
    if suffixes and not a_phones.keys() & b_phones.keys():
        found.append(Evidence("phone_suffix", f"…{sorted(suffixes)[0]}", 0.25))
    a_mail = {e.match_key.split("@")[0]: e.domain for e in a.emails}
    b_mail = {e.match_key.split("@")[0]: e.domain for e in b.emails}
    for local in a_mail.keys() & b_mail.keys():
        found.append(Evidence("email_local_part", local, 0.3))
    domains = {d for d in a_mail.values() if d not in _FREE_MAIL} & set(b_mail.values())
    for domain in domains:
        found.append(Evidence("email_domain", domain, 0.05))
    ceps = {x.cep for x in a.addresses if x.cep} & {x.cep for x in b.addresses if x.cep}
    for cep in ceps:
        found.append(Evidence("cep", cep, 0.15))
    return found


def suggest_duplicates(
    customers: Sequence[Customer], /, *, threshold: float = 0.6
) -> list[Suggestion]:
    """Pairs scoring at least ``threshold``, best first; each says why."""
    by_id = {c.id: c for c in customers}
    blocks: dict[str, list[str]] = defaultdict(list)
    for customer in customers:
        for key in _blocks(customer):
            blocks[key].append(customer.id)
    pairs: set[tuple[str, str]] = set()
    for ids in blocks.values():
        if 1 < len(ids) <= MAX_BLOCK:
            pairs.update(tuple(sorted(p)) for p in combinations(ids, 2))  # type: ignore[misc]
    suggestions = []
    for left, right in pairs:
        a, b = by_id[left], by_id[right]
        if a.tax_id is not None and b.tax_id is not None and a.tax_id != b.tax_id:
            continue  # different CPF/CNPJ: different customers
        evidence = _evidence(a, b)
        kinds = {e.kind for e in evidence}
        if "name" not in kinds:
            continue  # without a similar name, shared contact data is a household or an office
        if not kinds & _CORROBORATING:
            continue  # a common name ("Ana Silva") at a common domain is not the same person
        score = min(1.0, round(sum(e.weight for e in evidence), 3))
        if score >= threshold:
            suggestions.append(Suggestion((left, right), score, tuple(evidence)))
    return sorted(suggestions, key=lambda s: (-s.score, s.ids))
