"""A city typed with a typo is the city the tenant commonly writes (*São Palo*, *Fortalezza*).

Two records of one person in *Blumennau* and *Blumenau* read as two towns,
and a shared rare name is never evidence across two towns
(:func:`~customer_core.domain.matching.rare_names.two_towns`). The tenant's
own counts tell a typo from a town: a spelling a record or two hold, one
typo (two in a long name) from exactly one city many records hold, is that
city. No table of the country's cities is needed, and a small town one
letter from a large one keeps its name as soon as a few records hold it.

>>> spellings = city_spellings({"area:city:sao paulo": 40, "area:city:sao palo": 1,
...                             "area:city:sao caetano": 1, "area:city:blumenau": 25,
...                             "area:city:blumennau": 2, "area:city:pomerode": 3})
>>> dict(sorted(spellings.items()))
{'city:blumennau': 'city:blumenau', 'city:sao palo': 'city:sao paulo'}
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from rapidfuzz import process
from rapidfuzz.distance import OSA

from customer_core.domain.matching.records import MatchRecord

__all__ = ["city_spellings", "with_city_spellings"]

#: A spelling at most this many records hold may be a typo.
_RARE_SPELLING = 2
#: A city at least this many records hold is the tenant's spelling of it.
_COMMON_CITY = 10
#: A spelling this long may be two typos from its city (*Fortalezza*, *Florianoplis*).
_LONG_NAME = 9


def city_spellings(counts: Mapping[str, int], /) -> dict[str, str]:
    """``city:<typo>`` -> ``city:<city>``, from the records each town holds (``area:city:...``).

    A rare spelling maps to a common city when that city alone is within one
    typo of it (OSA distance; two for a name of nine letters or more) and
    both are at least five letters long.
    """
    cities = {key[5:]: n for key, n in counts.items() if key.startswith("area:city:")}
    common = [city[5:] for city, n in cities.items() if n >= _COMMON_CITY]
    if not common:
        return {}
    found = {}
    for city, n in cities.items():
        name = city[5:]
        if n > _RARE_SPELLING or len(name) < 5:
            continue
        most = 2 if len(name) >= _LONG_NAME else 1
        near = [
            other
            for other, _, _ in process.extract(
                name, common, scorer=OSA.distance, score_cutoff=most, limit=2
            )
            if other != name
        ]
        if len(near) == 1 and len(near[0]) >= 5:
            found[city] = f"city:{near[0]}"
    return found


def with_city_spellings(record: MatchRecord, spellings: Mapping[str, str], /) -> MatchRecord:
    """``record`` with its cities spelt as the tenant commonly spells them."""
    if not any(a in spellings for a in record.areas):
        return record
    areas = {spellings.get(a, a) for a in record.areas}
    return attrs.evolve(record, areas=tuple(sorted(areas)))
