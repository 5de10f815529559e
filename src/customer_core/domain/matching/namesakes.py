"""How many namesakes a pair's town may hold for their shared name to be evidence.

The bounds of the ``rare_name`` evidence
(:func:`~customer_core.domain.matching.rare_names.rare_name_evidence`) and
what the two records say against it: two towns, two mailboxes, two
addresses, two mobiles of their own. A name spelled alike on both records,
word for word, may be commoner than one they spell differently
(``alike_name_namesakes``), unless each record holds a mobile of its own.
"""

from __future__ import annotations

from customer_core.domain.matching.records import MatchingPolicy, MatchRecord, NameKey

__all__ = [
    "allowed_namesakes",
    "names_alike",
    "namesakes_bound",
    "own_mobiles",
    "spelled_alike",
    "two_towns",
]


def two_towns(a: MatchRecord, b: MatchRecord, /) -> bool:
    """Whether the records are in different towns: both say theirs and share none.

    Two cities are two towns even in one area code (*São Paulo* and
    *Osasco*); a record without a city is in its phone's area code.
    """
    cities = [{t for t in r.areas if t.startswith("city:")} for r in (a, b)]
    if all(cities):
        return cities[0].isdisjoint(cities[1])
    return bool(a.areas and b.areas) and set(a.areas).isdisjoint(b.areas)


def namesakes_bound(policy: MatchingPolicy, records: int, /, *, alike: bool = False) -> float:
    """The namesakes a town may hold for its shared name to be evidence alone.

    ``rare_name_namesakes`` (``alike``: the larger of it and
    ``alike_name_namesakes``); in a tenant smaller than ``national_records``,
    ``small_tenant_namesakes`` (at most): its word shares lean on the
    national table, which counts given names only, so a common surname
    (*Pereira*) would pass for a rare one.
    """
    bound = policy.rare_name_namesakes
    if alike:
        bound = max(bound, policy.alike_name_namesakes)
    if records >= policy.national_records:
        return bound
    return min(bound, policy.small_tenant_namesakes)


def allowed_namesakes(
    x: MatchRecord, y: MatchRecord, policy: MatchingPolicy, records: int, /, *, alike: bool = False
) -> float:
    """The namesakes the pair's town may hold for the shared name to be evidence.

    :func:`namesakes_bound`, less what the two records disagree on: nothing
    (0) for two mailboxes or two addresses, none shared (two people are
    likelier than one who changed both); ``rare_name_own_mobiles`` of the
    bound of names not ``alike`` for two mobiles, none shared
    (:func:`own_mobiles`): a namesake relative keeps their own mobile, and
    spells the name as alike as the person's own records do.
    """
    if x.emails and y.emails:
        return 0.0
    if x.ceps and y.ceps and set(x.ceps).isdisjoint(y.ceps):
        return 0.0
    if own_mobiles(x, y):
        return namesakes_bound(policy, records) * policy.rare_name_own_mobiles
    return namesakes_bound(policy, records, alike=alike)


def own_mobiles(x: MatchRecord, y: MatchRecord, /) -> bool:
    """Whether both records hold a mobile and no line of one is the other's (last 8 digits).

    A mobile is personal: two people of one home, a father and his son named
    alike, each keep their own, while most records of one person share
    theirs (a line written without its ninth digit or with another area code
    is still shared).
    """
    if not (x.mobiles and y.mobiles):
        return False
    return {line[-8:] for line in x.mobiles}.isdisjoint(line[-8:] for line in y.mobiles)


def spelled_alike(a: NameKey, b: NameKey, /) -> bool:
    """Whether two names of a given and a family name are the same words, in order.

    Accents, case and particles aside (*João da Silva*, *JOAO SILVA*); not
    a typo, a sound, an initial or a dropped middle name: a relative's name
    differs by those as often as the person's own records do.
    """
    return len(a.words) > 1 and a.words == b.words


def names_alike(a: MatchRecord, b: MatchRecord, /) -> bool:
    """Whether a name of ``a`` is :func:`spelled_alike` a name of ``b`` (a cheap bound)."""
    return any(spelled_alike(x, y) for x in a.names for y in b.names)
