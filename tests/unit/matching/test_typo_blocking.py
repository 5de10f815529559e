"""Blocks that hold a person's two records when a typo changed a word or a mobile (issue 20).

The pairs here share no pair of name sounds and no phone line, and the
sorted neighbourhood is switched off (``neighbours=0``): only the typo
blocks can bring them together.
"""

from __future__ import annotations

import attrs

from customer_core.domain.matching.blocking import TYPO_BLOCK, typo_blocking_keys
from customer_core.domain.matching.duplicates import (
    DEFAULT_POLICY,
    MatchRecord,
    blocking_keys,
    suggest_duplicates,
)

from .builders import customer

NO_NEIGHBOURS = attrs.evolve(DEFAULT_POLICY, neighbours=0)


def _ids(*people: object) -> list[tuple[str, str]]:
    return [s.ids for s in suggest_duplicates(people, policy=NO_NEIGHBOURS)]  # type: ignore[arg-type]


def test_a_whatsapp_given_name_meets_the_full_record_with_a_mobile_one_digit_apart() -> None:
    a = customer("a", "Amanda", phones=["(21) 97915-3137"])
    b = customer("b", "Amanda da Rocha Nascimento", phones=["(21) 97915-3537"])
    assert not _shared_ordinary_keys(a, b)
    assert _ids(a, b) == [("a", "b")]


def test_a_typo_in_the_family_name_and_a_mobile_one_digit_apart() -> None:
    a = customer("a", "Joana Freiats", phones=["(11) 98944-3814"])
    b = customer("b", "Joana Freitas", phones=["(11) 98944-3815"])
    assert not _shared_ordinary_keys(a, b)
    assert _ids(a, b) == [("a", "b")]


def test_a_typo_in_the_given_name_keeps_the_family_name_s_blocks() -> None:
    for typed in ("Mácio Peixoto", "Peixoto, Mácio", "Ktáia Peixoto"):
        short = MatchRecord.of(customer("a", typed))
        full = MatchRecord.of(
            customer("b", "Márcio Fernandes Peixoto" if "cio" in typed else "Katia Peixoto")
        )
        assert typo_blocking_keys(short) & typo_blocking_keys(full), typed


def test_no_typo_blocks_for_companies_or_other_names() -> None:
    shop = MatchRecord.of(customer("a", "Pet Shop Amigo Fiel", company=True))
    assert typo_blocking_keys(shop) == set()
    a = MatchRecord.of(customer("a", "Joana Freitas", phones=["(11) 98944-3814"]))
    b = MatchRecord.of(customer("b", "Bruno Lima", phones=["(11) 98944-3815"]))
    assert not typo_blocking_keys(a) & typo_blocking_keys(b)


def test_a_large_typo_block_is_not_compared_in_a_window() -> None:
    """A common name's typo block would cost a window of comparisons and find nothing."""
    a = customer("a", "Amanda", phones=["(21) 97915-3137"])
    b = customer("b", "Amanda da Rocha Nascimento", phones=["(21) 97915-3537"])
    small = attrs.evolve(NO_NEIGHBOURS, max_block=2)
    crowd = [customer(f"z{i}", "Amanda", phones=[f"(21) 97915-{i:04d}"]) for i in range(3)]
    found = suggest_duplicates([a, b, *crowd], policy=small)
    assert ("a", "b") not in [s.ids for s in found]


def _shared_ordinary_keys(*people: object) -> set[str]:
    keys = [
        {k for k in blocking_keys(MatchRecord.of(p)) if not k.startswith(TYPO_BLOCK)}  # type: ignore[arg-type]
        for p in people
    ]
    return keys[0] & keys[1]
