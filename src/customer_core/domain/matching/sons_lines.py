"""A son's own mobile and e-mail tell his records from his father's when the suffix is dropped.

A *Júnior* or *Filho* writes his suffix on some records and drops it on
others (a WhatsApp profile, a form filled in a hurry). His father carries
the very name. A record without the suffix that holds the son's own mobile
or e-mail (lines a person keeps for himself, unlike a home's landline or
CEP) is the son's; the father's record, tied to him by the name and the
home alone, is another person, the pair the conflicting-evidence rule keeps
apart when the suffix is written.

The suffixed records leave ``son:<family name sound>|m<last 8 digits>`` and
``son:<family name sound>|e<e-mail>`` in the tenant's counts
(:func:`son_keys`); :func:`suffix_by_own_line` reads them for a pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from customer_core.domain.matching.records import MatchRecord, NameKey

__all__ = ["son_keys", "suffix_by_own_line"]


def son_keys(record: MatchRecord, /) -> set[str]:
    """The own lines of a person whose name carries a generational suffix (else none)."""
    name = record.names[0]
    if record.company or name.generation is None or len(name.words) < 2:
        return set()
    return {f"son:{name.sounds[-1]}|{key}" for key in _own_lines(record)}


def suffix_by_own_line(
    x: MatchRecord, y: MatchRecord, x_name: NameKey, y_name: NameKey, count: Callable[[str], int]
) -> str | None:
    """Why one of two persons without a suffix is a *Júnior* or *Filho* and the other not.

    One holds a mobile or e-mail that a suffixed record of the family name
    holds (looked up under both records' spellings: a typo in one hides it),
    the other holds none of them: a father and his son, the son's suffix
    dropped. ``None`` when neither or both are tied to a suffixed record.
    """
    if x.company or y.company or x_name.generation or y_name.generation:
        return None
    if len(x_name.words) < 2 or len(y_name.words) < 2:
        return None
    families = {x_name.sounds[-1], y_name.sounds[-1]}

    def tied(record: MatchRecord) -> list[str]:
        return [
            key
            for key in _own_lines(record)
            if any(count(f"son:{family}|{key}") for family in families)
        ]

    x_tied, y_tied = tied(x), tied(y)
    if bool(x_tied) == bool(y_tied):
        return None
    line = (x_tied or y_tied)[0][1:]
    return f"{line} is a Júnior's or Filho's own line, on one record only: father and son?"


def _own_lines(record: MatchRecord) -> Iterable[str]:
    yield from {f"m{line[-8:]}" for line in record.mobiles}
    yield from (f"e{email}" for email in record.emails)
