"""The national table of given names (IBGE 2010 census), shared by names and rarity.

``data/given_names_br.csv`` holds the 3,000 commonest given names with the
number of people carrying each, and its source and licence in its header.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

__all__ = ["COMMON_GIVEN", "is_common_given_name", "national_given_names"]

#: A word this share of people carry as a given name is commonly one (1 in 10,000).
COMMON_GIVEN = 1e-4


@cache
def national_given_names() -> tuple[dict[str, int], int]:
    """The census table: given name (folded) -> people, and the number of people counted."""
    source = resources.files("customer_core.domain.matching") / "data" / "given_names_br.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    total = next(int(line.split("=", 1)[1]) for line in lines if line.startswith("# total_people="))
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    counts = {row["name"]: int(row["count"]) for row in rows}
    return counts, total


def is_common_given_name(word: str, /) -> bool:
    """Whether at least 1 in 10,000 Brazilians carry ``word`` (folded) as a given name.

    *Raimundo* and *Tereza* are; *Silva* (a few thousand people) and *Souza*
    are not.

    >>> is_common_given_name("raimundo"), is_common_given_name("silva")
    (True, False)
    """
    given, people = national_given_names()
    return given.get(word, 0) >= COMMON_GIVEN * people
