"""Rare names as evidence, and the match weight of each piece of evidence.

The duplicate report's use of :mod:`~customer_core.domain.matching.rarity`:
the ``rare_name`` evidence, the bounds that let it skip pairs whose names
cannot be rare, and ``match_weight`` (bits) of the contact evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from customer_core.domain.matching.names import name_keys_compatible
from customer_core.domain.matching.rarity import NAME_M, NameFrequencies, match_bits, town_label
from customer_core.domain.matching.records import Evidence, MatchingPolicy, MatchRecord, NameKey

__all__ = [
    "CONTACT_M",
    "RECORDS",
    "frequencies",
    "key_bits",
    "lone_name_shares",
    "may_be_rare",
    "rare_name_evidence",
    "rare_possible",
    "share_bound",
]

#: The key of :func:`key_holders` that counts the records themselves.
RECORDS = "records"


#: m of each kind of contact evidence: how often two records of one customer share it (assumed).
CONTACT_M = {
    "tax_id": 0.6,
    "mobile": 0.6,
    "email": 0.5,
    "landline": 0.3,
    "phone_suffix": 0.05,
    "phone_typo": 0.02,
    "cep": 0.5,
    "email_local_part": 0.1,
}


def key_bits(
    kind: str, key: str, holders: Mapping[str, int] | None, policy: MatchingPolicy
) -> float | None:
    """``log2(m / u)`` of a shared key, ``u`` the chance another record holds it too.

    A tenant is counted as at least ``min_town_records``: in a tenant of
    three, any shared key would look as common as a name.
    """
    if holders is None or not holders.get(RECORDS):
        return None
    records = max(holders[RECORDS] - 1, policy.min_town_records)
    others = max(holders.get(key, 2) - 1, 1)
    return match_bits(CONTACT_M.get(kind, 0.1), others / records)


def frequencies(
    holders: Mapping[str, int] | None, policy: MatchingPolicy
) -> NameFrequencies | None:
    """The tenant's name frequencies from ``holders`` (what ``key_holders`` counts), if given."""
    if holders is None or not holders.get(RECORDS):
        return None
    return NameFrequencies(holders, holders[RECORDS], national_records=policy.national_records)


def rare_name_evidence(
    x: MatchRecord,
    y: MatchRecord,
    x_name: NameKey,
    y_name: NameKey,
    similarity: float,
    policy: MatchingPolicy,
    freq: NameFrequencies | None,
    u: float | None,
) -> Evidence | None:
    """A full name rare enough in the pair's town to be evidence by itself, or ``None``.

    Only for two persons with a given and a family name each whose names
    are compatible (:func:`~.names.name_keys_compatible`) and at least
    ``rare_name_similarity`` alike. ``town × u`` namesakes are expected by
    chance; below ``rare_name_namesakes`` the name corroborates (0.1), and
    each halving adds 0.05, up to ``rare_name``.
    """
    if freq is None or u is None or x.company or y.company:
        return None
    if similarity < policy.rare_name_similarity:
        return None
    full = [n for n in (x_name, y_name) if sum(len(w) > 1 for w in n.words) >= 2]
    if len(full) < 2 or not name_keys_compatible(x_name, y_name):
        return None
    if not (freq.is_given_name(x_name.words[0]) or freq.is_given_name(y_name.words[0])):
        return None  # "Lanchonete Primavera" typed as a person: a rare name is a person's
    people, town = freq.town_records(x, y)
    expected = max(people, policy.min_town_records) * u
    if expected >= policy.rare_name_namesakes or policy.rare_name_namesakes <= 0:
        return None
    weight = min(policy.rare_name, 0.1 + 0.05 * math.log2(policy.rare_name_namesakes / expected))
    where = "in the tenant" if town is None else f"in {town_label(town)} ({people} records)"
    detail = f"a rare name: {expected:.2g} namesakes expected {where}"
    return Evidence("rare_name", detail, round(weight, 3), match_bits(NAME_M, u))


def may_be_rare(
    x: MatchRecord, y: MatchRecord, freq: NameFrequencies, policy: MatchingPolicy
) -> bool:
    """A cheap bound: whether the pair's name could be rare enough to corroborate alone."""
    if x.company or y.company:
        return False
    lone = min(freq.own_share(x.names[0]), freq.own_share(y.names[0]))
    people = max(freq.town_records(x, y)[0], policy.min_town_records)
    return people * lone < policy.rare_name_namesakes


def share_bound(i: int, j: int, records: list[MatchRecord], lone: list[float]) -> float:
    """The lowest u the pair's name can have: the share of the shorter name's words."""
    x, y = len(records[i].names[0].words), len(records[j].names[0].words)
    return lone[i] if x < y else lone[j] if y < x else min(lone[i], lone[j])


def rare_possible(
    a: MatchRecord, b: MatchRecord, lone: float, holders: Mapping[str, int], policy: MatchingPolicy
) -> bool:
    """Whether the pair's name could be rare enough in their town (see lone_name_shares)."""
    if lone * policy.min_town_records >= policy.rare_name_namesakes:
        return False  # not rare even in the smallest town counted
    towns = set(a.areas) & set(b.areas)
    people = max((holders.get(f"area:{t}", 0) for t in towns), default=holders.get(RECORDS, 0))
    if max(people, policy.min_town_records) * lone >= policy.rare_name_namesakes:
        return False
    return name_keys_compatible(a.names[0], b.names[0])


def lone_name_shares(
    records: list[MatchRecord], holders: Mapping[str, int], policy: MatchingPolicy
) -> list[float]:
    """Each person's full name's share (u of its words), a bound below any pair's u.

    A pair's u multiplies the commoner spelling of the words it matches, so it
    is never below the share of the shorter name's own words: when even that
    makes namesakes likely, the name alone cannot corroborate, and a pair
    without contact evidence is not worth comparing. Companies and one-word
    names are never rare names (1.0).
    """
    freq = frequencies(holders, policy)
    shares = []
    for record in records:
        name = record.names[0]
        if freq is None or record.company or sum(len(w) > 1 for w in name.words) < 2:
            shares.append(1.0)
            continue
        shares.append(freq.own_share(name))
    return shares
