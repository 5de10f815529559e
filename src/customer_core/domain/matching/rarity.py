"""How rare a name is, and what sharing it in one town is worth (term-frequency weights).

Two *Maria Silva* in one city are probably two people; two *Rosiclea
Wachholz Tavares* in one city are probably one. The duplicate report weighs a
shared name the way the Fellegi–Sunter model does, with a term-frequency
adjustment as splink makes it:

- **u** of a name -- the chance that a record picked at random carries it --
  is the product of its words' shares (words taken as independent). The
  share of a word blends the tenant's own counts (how many records carry the
  word) with a national table, as ``(count + K × national) / (records + K)``
  with ``K`` = :attr:`~.records.MatchingPolicy.national_records` pseudo-records:
  a small tenant leans on the national table, so it does not find every name
  rare; a large one speaks for itself.
- The national table is the 3,000 commonest given names of the IBGE 2010
  census (``data/given_names_br.csv``, with its source and licence in its
  header). No open census count of surnames was found: a surname takes the
  tenant's count and a fixed national share of 1/300 (Brazil's surnames are
  concentrated: a few hundred carry most people), so a surname is never
  rarer nationally than a fairly common one; a word that is a given name
  keeps the larger of the two shares.
- A compound given name (*Maria Fernanda*, *João Pedro*) is one name: its
  second word counts by how often it follows the first in the tenant
  (``(pairs + K₂ × national) / (firsts + K₂)``, the census share of the
  word as the prior, ``K₂`` = 50 pseudo-records), not as an independent
  word (*Fernanda* after *Maria* is much commoner than *Fernanda* alone
  says) nor as nothing (*Maria Fernanda* is far rarer than *Maria*).
- **m** -- the chance that two records of one person carry names this alike
  -- is not estimated from labels: it is fixed at :data:`NAME_M` (0.9).
- The **match weight** of the name is ``log2(m / u)`` bits; with ``n``
  records in the pair's town (city or area code), ``n × u`` is how many
  namesakes the town should hold by chance. When that is small, the shared
  name is evidence by itself (``rare_name``); when it is large, sharing only
  the name and the town means nothing.

>>> from customer_core.domain.matching.records import NameKey
>>> freq = NameFrequencies({}, 0)  # an empty tenant: the national table alone
>>> common = freq.name_share(NameKey.parse("Maria Silva"), NameKey.parse("Maria da Silva"))
>>> rare = freq.name_share(NameKey.parse("Rosiclea Wachholz"), NameKey.parse("Rosiclea Wachholz"))
>>> common > 1e-4 > 1e-7 > rare
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache

import attrs

from customer_core.domain.matching.given_names import COMMON_GIVEN, national_given_names
from customer_core.domain.matching.names import _word_credit
from customer_core.domain.matching.records import MatchRecord, NameKey

__all__ = [
    "NAME_M",
    "NameFrequencies",
    "city_area_codes",
    "dialled",
    "given_name_keys",
    "national_given_names",
    "town_pairs",
    "with_area_codes",
]

#: The chance that two records of one person carry names at least this alike (assumed).
NAME_M = 0.9
#: The national share assumed for a surname (no open census table of surnames).
_SURNAME_SHARE = 1 / 300
#: The share of one letter standing for a word (an initial says little).
_INITIAL_SHARE = 1 / 15
#: Pseudo-records of the national prior of a compound given name's second word.
_COMPOUND_K = 50


def given_name_keys(record: MatchRecord, /) -> set[str]:
    """What :meth:`NameFrequencies.compound_factor` counts: a person's given names.

    ``first:<w>`` for the first word of a person's name, and
    ``given2:<w>:<v>`` for its first two words when a family name follows
    them (*Maria Fernanda Moreira*; *Maria Fernanda* alone may be a given
    and a family name).
    """
    words = record.names[0].words
    if record.company or not words or len(words[0]) < 2:
        return set()
    keys = {f"first:{words[0]}"}
    if len(words) > 2 and len(words[1]) > 1:
        keys.add(f"given2:{words[0]}:{words[1]}")
    return keys


@cache
def _smallest_share() -> float:
    given, people = national_given_names()
    return min(given.values(), default=1) / max(people, 1)


def town_pairs(record: MatchRecord, /) -> set[str]:
    """``"dial:<city>|<ddd>"`` for each city and area code one record holds together."""
    cities = [a for a in record.areas if a.startswith("city:")]
    codes = [a for a in record.areas if a.startswith("ddd:")]
    return {f"dial:{city}|{code}" for city in cities for code in codes}


def city_area_codes(counts: Mapping[str, int], /, *, least: int = 3) -> dict[str, str]:
    """The area code of each city, learnt from the records that hold both.

    A city gets the code that at least 80% (and ``least``) of its records with
    a phone carry; a record with only a city is then in that area code too,
    so *Cuiabá* and a ``(65)`` phone are one town. No table of the country's
    5,570 cities is needed: the tenant's data says it.
    """
    by_city: dict[str, dict[str, int]] = {}
    for key, count in counts.items():
        if key.startswith("dial:"):
            city, _, code = key[5:].partition("|")
            by_city.setdefault(city, {})[code] = count
    found = {city: dialled(codes, least=least) for city, codes in by_city.items()}
    return {city: code for city, code in found.items() if code is not None}


def dialled(codes: Mapping[str, int], /, *, least: int = 3) -> str | None:
    """The area code one city's records dial (code -> records), when they agree on one.

    At least ``least`` records and 80% of them: a city on a border between
    two area codes gets none.
    """
    if not codes:
        return None
    code, count = max(codes.items(), key=lambda item: (item[1], item[0]))
    return code if count >= least and count >= 0.8 * sum(codes.values()) else None


def with_area_codes(record: MatchRecord, codes: Mapping[str, str], /) -> MatchRecord:
    """``record`` with the area codes of its cities (see :func:`city_area_codes`)."""
    more = {codes[a] for a in record.areas if a in codes} - set(record.areas)
    return attrs.evolve(record, areas=tuple(sorted({*record.areas, *more}))) if more else record


class NameFrequencies:
    """Shares of name words in a tenant, blended with the national table.

    ``counts`` maps ``"word:<w>"`` to the records carrying the word (what
    :func:`~customer_core.domain.matching.duplicates.key_holders` counts) and
    ``"area:<a>"`` to the records in a town; ``records`` is the tenant's size.
    """

    def __init__(
        self, counts: Mapping[str, int], records: int, *, national_records: int = 2000
    ) -> None:
        self._counts = counts
        self._records = records
        self._k = national_records
        self._given, self._people = national_given_names()
        self._smallest = _smallest_share()

    @property
    def records(self) -> int:
        """The tenant's size."""
        return self._records

    def word_share(self, word: str, *, first: bool) -> float:
        """The chance that a random record carries ``word`` (``first``: as its given name)."""
        if len(word) == 1:
            return _INITIAL_SHARE
        given = self._given.get(word, 0) / self._people if self._people else 0.0
        national = given if first else max(given, _SURNAME_SHARE)
        if first and not given:
            national = self._smallest / 2  # rarer than the census's 3,000th name
        count = self._counts.get(f"word:{word}", 0)
        return (count + self._k * national) / (self._records + self._k)

    def word_factor(self, word: str, *, first: bool, last: bool = True) -> float:
        """What ``word`` multiplies a name's share by (``last``: it ends its name).

        A given name between the first and the last word (*Roberto* in *Paulo
        Roberto Leite*) multiplies by 1: compound given names go together, and
        counting them as independent would make *Paulo Roberto* look rare.
        The last word is a family name even when the census knows it as a
        given name (*Batista*, *Rosa*).
        """
        middle = not first and not last
        if middle and self._given.get(word, 0) >= COMMON_GIVEN * self._people:
            return 1.0
        return self.word_share(word, first=first)

    def compound_factor(self, first: str, second: str, /) -> float:
        """What the second word of a compound given name multiplies the share by.

        The share of names starting ``first second`` among those starting
        ``first`` in the tenant, with the census share of ``second`` as a
        prior of :data:`_COMPOUND_K` pseudo-records: *Fernanda* after
        *Maria*, not *Fernanda* anywhere.
        """
        national = self._given.get(second, 0) / self._people if self._people else 0.0
        pairs = self._counts.get(f"given2:{first}:{second}", 0)
        firsts = self._counts.get(f"first:{first}", 0)
        return min(1.0, (pairs + _COMPOUND_K * national) / (firsts + _COMPOUND_K))

    def is_middle_given_name(self, word: str, /) -> bool:
        """Whether ``word`` between a given and a family name is a given name (compound)."""
        return self._given.get(word, 0) >= COMMON_GIVEN * self._people

    def word_count(self, word: str, /) -> int:
        """How many of the tenant's records carry ``word`` in their name."""
        return self._counts.get(f"word:{word}", 0)

    def count(self, key: str, /) -> int:
        """How many records hold ``key`` (one of those the tenant's counts were made of)."""
        return self._counts.get(key, 0)

    def is_given_name(self, word: str, /) -> bool:
        """Whether the census counts ``word`` among the commonest given names."""
        return word in self._given

    def name_share(self, a: NameKey, b: NameKey, /) -> float:
        """u of the pair's name: the given name's share times its family names'.

        Each word of the shorter name is paired with its best counterpart in
        the other (the same word, a sound, a typo, an initial); the commoner
        spelling of the two counts, so a typo does not make a name rare. A
        second given name both names carry in second place (*Maria Fernanda
        Moreira*) counts as :meth:`compound_factor`. Of the family names,
        only the two commonest count: relatives share their family names,
        so a third one says less than independence would claim (a homonym
        in the same town is often a cousin).
        """
        short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
        given = 1.0
        family: list[float] = []
        used: set[int] = set()
        for i, (t, st) in enumerate(zip(short.words, short.sounds, strict=True)):
            best, which = 0.0, -1
            for j, (u, su) in enumerate(zip(long.words, long.sounds, strict=True)):
                if j in used:
                    continue
                credit = _word_credit(t, st, False, u, su, False)[0]
                if credit > best:
                    best, which = credit, j
            if which < 0:
                continue
            used.add(which)
            first = i == 0 and which == 0  # a given name; else the larger surname share
            if i == which == 1 and self._compound(short, long):
                given *= max(
                    self.compound_factor(short.words[0], t),
                    self.compound_factor(long.words[0], long.words[1]),
                )
                continue
            factor = max(
                self.word_factor(t, first=first, last=i == len(short.words) - 1),
                self.word_factor(long.words[which], first=first, last=which == len(long.words) - 1),
            )
            if first:
                given = factor
            elif factor < 1.0:  # a middle given name is no family name
                family.append(factor)
        return given * math.prod(sorted(family, reverse=True)[:2])

    def _compound(self, *names: NameKey) -> bool:
        """Whether each name's second word is a given name with a family name after it."""
        return all(len(n.words) > 2 and self.is_middle_given_name(n.words[1]) for n in names)

    def own_share(self, name: NameKey, /) -> float:
        """The share of one name's own words, counted as :meth:`name_share` counts them.

        Never above the ``name_share`` of a pair whose shorter name this is
        (a compound given name counts only its own spelling's factor, which
        the pair's takes the larger of); 1.0 for a name without a given and
        a family name (never a rare name).
        """
        if sum(len(w) > 1 for w in name.words) < 2:
            return 1.0
        last = len(name.words) - 1
        given = self.word_factor(name.words[0], first=True)
        start = 1
        if self._compound(name):
            given *= self.compound_factor(name.words[0], name.words[1])
            start = 2
        family = sorted(
            (
                self.word_factor(w, first=False, last=k == last)
                for k, w in enumerate(name.words[start:], start=start)
            ),
            reverse=True,
        )
        family = [f for f in family if f < 1.0]
        return given * math.prod(family[:2])

    def town_records(self, a: MatchRecord, b: MatchRecord, /) -> tuple[int, str | None]:
        """Records in the largest town both are in (and its key), or the tenant's size.

        The largest: records missing a city or a phone make a town look
        smaller than it is, and a namesake counted too rarely is a false link.
        """
        shared = set(a.areas) & set(b.areas)
        if not shared:
            return self._records, None
        town = max(shared, key=lambda k: (self._counts.get(f"area:{k}", 0), k))
        return max(self._counts.get(f"area:{town}", 0), 2), town


def match_bits(m: float, u: float, /) -> float:
    """``log2(m / u)``: what agreeing on a value this rare is worth, in bits."""
    return round(math.log2(m / max(u, 1e-12)), 2)


def town_label(town: str) -> str:
    """``ddd:65`` as *area code 65*, ``city:cuiaba`` as *cuiaba*."""
    kind, _, value = town.partition(":")
    return f"area code {value}" if kind == "ddd" else value


def name_orderings(records: list[MatchRecord], usable: Iterable[int]) -> list[list[int]]:
    """Two sortings of the records' names (indices), for a sorted neighbourhood.

    Sorting by the folded name puts *Daniela de Oliveira Soare* next to
    *Daniela de Oliveira Soares* whatever their sounds; sorting by the name
    read from its last word catches a typo early in the name. Each record
    meets a few neighbours in each sorting: linear in the tenant.
    """
    indices = list(usable)
    return [
        sorted(indices, key=lambda i: (key(records[i].names[0]), records[i].id))
        for key in (_forward, _backward)
    ]


def _forward(name: NameKey) -> str:
    return " ".join(name.words)


def _backward(name: NameKey) -> str:
    return " ".join(reversed(name.words))
