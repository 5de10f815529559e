"""Rare names as evidence, and the match weight of each piece of evidence.

The duplicate report's use of :mod:`~customer_core.domain.matching.rarity`:
the ``rare_name`` evidence, the bounds that let it skip pairs whose names
cannot be rare, and ``match_weight`` (bits) of the contact evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from customer_core.domain.matching.given_names import is_common_given_name
from customer_core.domain.matching.names import _turn, _word_credit, name_keys_compatible
from customer_core.domain.matching.namesakes import (
    allowed_namesakes,
    names_alike,
    namesakes_bound,
    own_mobiles,
    spelled_alike,
    two_towns,
)
from customer_core.domain.matching.rarity import NAME_M, NameFrequencies, match_bits, town_label
from customer_core.domain.matching.records import Evidence, MatchingPolicy, MatchRecord, NameKey
from customer_core.domain.matching.sons_lines import son_keys

# allowed_namesakes, namesakes_bound, own_mobiles and two_towns live in .namesakes;
# re-exported here, where they were first.
__all__ = [
    "CONTACT_M",
    "RECORDS",
    "allowed_namesakes",
    "father_or_son",
    "frequencies",
    "key_bits",
    "known_namesake",
    "lone_name_shares",
    "may_be_rare",
    "names_in_order",
    "namesake_keys",
    "namesakes_bound",
    "own_mobiles",
    "rare_name_evidence",
    "rare_possible",
    "share_bound",
    "two_towns",
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
    "trade_name": 0.3,  # a company's records under its two names, one spelled in an address
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

    What the two records disagree on counts against, as a Fellegi–Sunter
    disagreement weight does: two addresses (each record a CEP, none
    shared) are two households, never a rare name (one person's records
    agree on the address unless they moved); two mobiles, none shared
    (:func:`own_mobiles`), divide the namesakes allowed by
    ``1 / rare_name_own_mobiles``: most of one person's records keep the
    mobile, and a namesake relative keeps their own.

    A name spelled alike word for word (:func:`~.namesakes.spelled_alike`)
    may have up to ``alike_name_namesakes`` unless each record holds a
    mobile of its own; between the two bounds it corroborates at 0.1 (the
    least that lets a name be suggested), the evidence says so.
    """
    if freq is None or u is None or x.company or y.company:
        return None
    if similarity < policy.rare_name_similarity:
        return None
    full = [n for n in (x_name, y_name) if sum(len(w) > 1 for w in n.words) >= 2]
    if len(full) < 2 or not name_keys_compatible(x_name, y_name):
        return None
    if two_towns(x, y):
        return None  # a namesake elsewhere is likelier than a move
    alike = spelled_alike(x_name, y_name)
    bound = allowed_namesakes(x, y, policy, freq.records, alike=alike)
    if bound <= 0:
        return None
    if not names_in_order(x_name, y_name, freq.word_count):
        return None  # surnames swapped or the family name dropped: a relative, a namesake
    if known_namesake(x, y, x_name, y_name, freq.count):
        return None
    if not (freq.is_given_name(x_name.words[0]) or freq.is_given_name(y_name.words[0])):
        return None  # "Lanchonete Primavera" typed as a person: a rare name is a person's
    people, town = freq.town_records(x, y)
    expected = max(people, policy.min_town_records) * u
    if expected >= bound:
        return None
    rare = allowed_namesakes(x, y, policy, freq.records) if alike else bound
    weight = min(policy.rare_name, 0.1 + 0.05 * math.log2(max(rare / expected, 1.0)))
    where = "in the tenant" if town is None else f"in {town_label(town)} ({people} records)"
    what = "a rare name" if expected < rare else "an uncommon name spelled alike"
    detail = f"{what}: {expected:.2g} namesakes expected {where}"
    return Evidence("rare_name", detail, round(weight, 3), match_bits(NAME_M, u))


def namesake_keys(
    record: MatchRecord, /, rare: Callable[[NameKey], bool] | None = None
) -> set[str]:
    """The keys that tell :func:`known_namesake` who else carries a person's name.

    ``taxed:<first>:<last>`` (and ``|<town>`` for each of its towns) for a
    person with a tax id: customers with a CPF are distinct people (the
    unique index holds one CPF once), so two of them carrying one given and
    family name are two people by that name. ``generation:<first>:<last>``
    (and ``|<town>`` or ``|?`` without one, ``|home:<cep or landline>``) for a *Júnior*, *Filho*,
    *Neto*...: his father carries the name too, in his town and at his home.
    Count them after the records have their towns' area codes
    (:func:`~.rarity.with_area_codes`). With ``rare``, a taxed name is only
    counted under the keys that could be rare (a namesake of a common name
    changes nothing: the name is no evidence anyway), which keeps the
    counts of a large tenant small.
    """
    if record.company:
        return _owner_keys(record)
    name = record.names[0]
    key = first_last_key(name)
    if key is None or len(name.words) < 2:
        return set()
    keys = set()
    if name.generation is not None:
        homes = (*record.ceps, *record.landlines)
        keys.add(f"generation:{key}")
        keys |= {f"generation:{key}|{town}" for town in record.areas or ("?",)}
        keys |= {f"generation:{key}|home:{home}" for home in homes}
        keys |= son_keys(record)
    if record.tax_id is not None:
        first_last = NameKey(
            name.words[:: len(name.words) - 1], name.sounds[:: len(name.words) - 1]
        )
        for k, part in ((key, first_last), (_full_key(name), name)):
            if k is not None and (rare is None or rare(part)):
                keys.add(f"taxed:{k}")
                keys |= {f"taxed:{k}|{town}" for town in record.areas}
    return keys


def _owner_keys(company: MatchRecord) -> set[str]:
    """``owner:<first>:<last>`` (and ``|<town>``, ``|?``) for a company named after a person.

    An MEI's legal name is its owner's (*Simone Santana ME*): a record with
    that name alone is the owner or the firm, whatever its name's rarity.
    """
    keys = set()
    for name in company.names:
        key = first_last_key(name)
        if key is None or len(name.words) < 2 or not is_common_given_name(name.words[0]):
            continue
        keys.add(f"owner:{key}")
        keys |= {f"owner:{key}|{town}" for town in company.areas or ("?",)}
    return keys


def _full_key(name: NameKey) -> str | None:
    """All the words of a name of three or more (initials aside), by sound, in order."""
    sounds = [s for w, s in zip(name.words, name.sounds, strict=True) if len(w) > 1]
    return "=".join(sounds) if len(sounds) > 2 else None


def first_last_key(name: NameKey, /) -> str | None:
    """First and last word by sound, in either order; ``None`` for an initial."""
    if not name.words or len(name.words[0]) < 2 or len(name.words[-1]) < 2:
        return None
    first, last = sorted((name.sounds[0], name.sounds[-1]))
    return f"{first}:{last}" if len(name.words) > 1 else first


def known_namesake(
    x: MatchRecord, y: MatchRecord, x_name: NameKey, y_name: NameKey, count: Callable[[str], int]
) -> bool:
    """Whether the tenant shows someone else with the pair's name (so it identifies no one).

    The shorter name's given and family name (what a thin record keeps) is
    looked up among the persons with a tax id in the pair's town (or the
    tenant, when a side has no town); all its words when it has three or
    more (*Roberto Costa Duarte* is not every *Roberto Duarte*): one that is
    neither of the two is another person by that name, a homonym either
    record may be. A name a *Júnior* or *Filho* of the town carries is his
    father's too: without the suffix, either of them (the Júnior is looked
    up under both records' spellings of the name: a typo in one hides him).
    """
    short = x_name if len(x_name.words) <= len(y_name.words) else y_name
    key = first_last_key(short)
    if key is None:
        return True
    shared = sorted(set(x.areas) & set(y.areas))
    towns = [f"|{town}" for town in shared] or [""]
    # Both spellings: a typo in one name (*Carlso*) hides the Júnior the other's finds.
    spellings = {key, *(k for n in (x_name, y_name) if (k := first_last_key(n)) is not None)}
    if x_name.generation is None and any(
        count(f"generation:{k}{t}") for k in spellings for t in (*towns, "|?")
    ):
        return True  # a Júnior of the town, or of no known town
    if any(count(f"owner:{k}{t}") for k in spellings for t in (*towns, "|?")):
        return True  # a firm of the town named after its owner: the owner, or the firm
    key = _full_key(short) or key  # a middle name the short one keeps tells namesakes apart
    for town in towns:
        own = sum(r.tax_id is not None and (not town or town[1:] in r.areas) for r in (x, y))
        if count(f"taxed:{key}{town}") > own:
            return True
    return False


def father_or_son(
    x: MatchRecord, y: MatchRecord, x_name: NameKey, y_name: NameKey, count: Callable[[str], int]
) -> bool:
    """Two persons without a suffix sharing a home where a *Júnior* or *Filho* carries their name.

    The son's suffix is dropped on some of his records: such a record and
    his father's share the home's landline and CEP and the name, and are two
    people. What a household shares says nothing between them.
    """
    if x.company or y.company or x_name.generation is not None:
        return False
    short = x_name if len(x_name.words) <= len(y_name.words) else y_name
    key = first_last_key(short)
    homes = (set(x.ceps) & set(y.ceps)) | (set(x.landlines) & set(y.landlines))
    return key is not None and any(count(f"generation:{key}|home:{h}") for h in homes)


def names_in_order(a: NameKey, b: NameKey, count: Callable[[str], int], /) -> bool:
    """Whether the shorter name is the longer one with middle words left out, in order.

    Records of one person drop or abbreviate middle names; they keep the
    given name first and the family name last (or write the family name
    first, *Oliveira Maria Eduarda*, read turned around). *Rogério Ferreira
    Silva* against *Rogério Silva Ferreira*, or *Manoel Santos Freitas*
    against *Manoel Santos Freitas Lopes*, are relatives or namesakes as
    often as one person: a shared rare name is only evidence in this form.
    A "typo" between two words the tenant holds several times each
    (*Pereira*/*Ferreira*) is two names, not a typo.
    """
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if _aligned(short, long, count):
        return True
    for x, y in ((short, long), (long, short)):
        k = _turn(x, y)
        if k:
            turned = NameKey(y.words[k:] + y.words[:k], y.sounds[k:] + y.sounds[:k])
            pair = (x, turned) if len(x.words) <= len(turned.words) else (turned, x)
            if _aligned(pair[0], pair[1], count):
                return True
    return False


#: A word held by this many records is a name of its own, never another name's typo.
_ATTESTED = 3


def _aligned(short: NameKey, long: NameKey, count: Callable[[str], int]) -> bool:
    n, m = len(short.words), len(long.words)
    if n < 2 or m < 2:
        return False

    def fits(i: int, j: int) -> bool:
        t, u = short.words[i], long.words[j]
        credit, how = _word_credit(t, short.sounds[i], i == n - 1, u, long.sounds[j], j == m - 1)
        if how.startswith("typo") and min(count(t), count(u)) >= _ATTESTED:
            return False
        return credit > 0

    if not (fits(0, 0) and fits(n - 1, m - 1)):
        return False
    j = 1
    for i in range(1, n - 1):  # each middle word in order, between the first and the last
        while j < m - 1 and not fits(i, j):
            j += 1
        if j >= m - 1:
            return False
        j += 1
    return True


def may_be_rare(
    x: MatchRecord, y: MatchRecord, freq: NameFrequencies, policy: MatchingPolicy
) -> bool:
    """A cheap bound: whether the pair's name could be rare enough to corroborate alone."""
    if x.company or y.company:
        return False
    lone = min(freq.own_share(x.names[0]), freq.own_share(y.names[0]))
    people = max(freq.town_records(x, y)[0], policy.min_town_records)
    return people * lone < namesakes_bound(policy, freq.records, alike=names_alike(x, y))


def share_bound(i: int, j: int, records: list[MatchRecord], lone: list[float]) -> float:
    """The lowest u the pair's name can have: the share of the shorter name's words."""
    x, y = len(records[i].names[0].words), len(records[j].names[0].words)
    return lone[i] if x < y else lone[j] if y < x else min(lone[i], lone[j])


def rare_possible(
    a: MatchRecord, b: MatchRecord, lone: float, holders: Mapping[str, int], policy: MatchingPolicy
) -> bool:
    """Whether the pair's name could be rare enough in their town (see lone_name_shares).

    The cheap conditions of :func:`rare_name_evidence` first: most pairs
    that reach here are in two towns, or their names are not in order.
    """
    records = holders.get(RECORDS, 0)
    alike = names_alike(a, b)
    if lone * policy.min_town_records >= namesakes_bound(policy, records, alike=alike):
        return False  # not rare even in the smallest town counted
    towns = set(a.areas) & set(b.areas)
    if not towns and a.areas and b.areas:
        return False  # two towns
    people = max((holders.get(f"area:{t}", 0) for t in towns), default=records)
    bound = allowed_namesakes(a, b, policy, records, alike=alike)  # most pairs stop here
    if max(people, policy.min_town_records) * lone >= bound or two_towns(a, b):
        return False
    x, y = a.names[0], b.names[0]

    def count(key: str) -> int:
        return holders.get(key, 0)

    if not names_in_order(x, y, lambda word: count(f"word:{word}")):
        return False
    return not known_namesake(a, b, x, y, count) and name_keys_compatible(x, y)


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
