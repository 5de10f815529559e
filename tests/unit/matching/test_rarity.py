"""Name evidence weighted by rarity, weaker spellings excused by strong identifiers (issue 20)."""

from __future__ import annotations

import attrs

from customer_core import Customer
from customer_core.domain.matching.duplicates import (
    DEFAULT_POLICY,
    MatchRecord,
    key_holders,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.matching.rarity import NameFrequencies, national_given_names
from customer_core.domain.matching.records import NameKey

from .builders import crowd, customer


def person(
    id: str, name: str, *, phones: tuple[str, ...] = (), city: str | None = None
) -> Customer:
    return customer(id, name, phones=phones, city=city)


def test_the_national_table_ships_with_its_counts() -> None:
    given, people = national_given_names()
    assert len(given) == 3000
    assert given["maria"] > given["daniela"] > 0
    assert people > sum(given.values())


def test_a_common_word_has_a_larger_share_than_a_rare_one() -> None:
    freq = NameFrequencies({}, 0)
    assert freq.word_share("maria", first=True) > 100 * freq.word_share("rosiclea", first=True)
    # A surname is never taken as rarer nationally than a fairly common one.
    assert freq.word_share("wachholz", first=False) >= 1 / 300


def test_the_tenant_counts_outweigh_the_national_table_when_it_is_large() -> None:
    counts = {"word:wachholz": 5000}
    big = NameFrequencies(counts, 10_000)
    assert big.word_share("wachholz", first=False) > 0.3


def test_a_rare_full_name_in_one_town_is_evidence_by_itself() -> None:
    pair = [
        person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá"),
        person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",)),
    ]
    [found] = [s for s in suggest_duplicates([*crowd(300), *pair]) if s.ids == ("a", "b")]
    rare = {e.kind: e for e in found.evidence}["rare_name"]
    assert rare.weight >= DEFAULT_POLICY.min_corroboration
    assert "area code 65" in rare.detail or "cuiaba" in rare.detail
    assert rare.match_weight is not None and rare.match_weight > 10


def test_a_common_name_shared_in_one_town_is_not() -> None:
    pair = [
        person("a", "Maria Silva", phones=("65 98991-0448",), city="Cuiabá"),
        person("b", "Maria Silva", phones=("65 98082-1920",), city="Cuiabá"),
    ]
    assert [s for s in suggest_duplicates([*crowd(300), *pair]) if "a" in s.ids] == []


def test_a_rare_name_never_excuses_a_different_given_name() -> None:
    pair = [
        person("a", "Paulo Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá"),
        person("b", "Paula Wachholz Tavares", phones=("65 98082-1920",), city="Cuiabá"),
    ]
    assert [s for s in suggest_duplicates([*crowd(300), *pair]) if "a" in s.ids] == []


def test_a_typo_in_a_thin_record_is_found_by_the_sorted_neighbourhood() -> None:
    pair = [
        person("a", "Daniela de Wachholz Tavare", phones=("65 98991-0448",), city="Cuiabá"),
        person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",)),
    ]
    found = [s.ids for s in suggest_duplicates([*crowd(300), *pair])]
    assert ("a", "b") in found
    alone = attrs.evolve(DEFAULT_POLICY, rare_name_namesakes=0.0)
    assert ("a", "b") not in [s.ids for s in suggest_duplicates([*crowd(300), *pair], policy=alone)]


def test_a_shared_mobile_excuses_a_weaker_spelling_of_a_compatible_name() -> None:
    for x, y in (
        ("Jose cL. Hoffmann", "José Luiz Hoffmann"),
        ("Natáli Rodriuges", "Natália Machado Rodrigues"),
    ):
        a = person("a", x, phones=("11 98765-4321",))
        b = person("b", y, phones=("11 98765-4321",))
        found = score_pair(a, b)
        assert found is not None and found.score >= 0.6, (x, y)
        [name] = [e for e in found.evidence if e.kind == "name"]
        assert name.weight > 0


def test_a_shared_mobile_never_excuses_a_different_given_name() -> None:
    a = person("a", "Paulo Hoffmann", phones=("11 98765-4321",))
    b = person("b", "Paula Hoffmann", phones=("11 98765-4321",))
    assert score_pair(a, b) is None


def test_a_weak_spelling_without_a_strong_identifier_is_not_excused() -> None:
    a = person("a", "Jose cL. Hoffmann", phones=("11 3456-7890",))  # a landline: a household
    b = person("b", "José Luiz Hoffmann", phones=("11 3456-7890",))
    assert score_pair(a, b) is None


def test_every_evidence_carries_its_match_weight_when_the_tenant_is_known() -> None:
    a = person("a", "Carlos Pereira", phones=("11 98765-4321",))
    b = person("b", "Carlos A. Pereira", phones=("11 98765-4321",))
    records = [MatchRecord.of(c) for c in (a, b, *crowd(20))]
    found = score_pair(records[0], records[1], holders=key_holders(records))
    assert found is not None
    assert all(e.match_weight is not None and e.match_weight > 0 for e in found.evidence)
    assert all(e.match_weight is None for e in (score_pair(a, b) or found).evidence)


def test_a_name_shares_its_commoner_spelling() -> None:
    freq = NameFrequencies({"word:soares": 400, "word:soare": 1}, 1000)
    typo = freq.name_share(NameKey.parse("Daniela Soare"), NameKey.parse("Daniela Soares"))
    same = freq.name_share(NameKey.parse("Daniela Soares"), NameKey.parse("Daniela Soares"))
    assert typo == same


def test_a_shop_typed_as_a_person_is_not_a_rare_name() -> None:
    pair = [
        person("a", "Lanchonete Primavera Wachholz", phones=("65 98991-0448",), city="Cuiabá"),
        person("b", "Lanchonete Primavera Wachholz", phones=("65 98082-1920",), city="Cuiabá"),
    ]
    assert [s for s in suggest_duplicates([*crowd(300), *pair]) if "a" in s.ids] == []


def test_a_third_family_name_does_not_make_a_name_rarer() -> None:
    freq = NameFrequencies({}, 0)
    two = NameKey.parse("José Tavares Nunes")
    three = NameKey.parse("José Batista Tavares Nunes")
    assert freq.name_share(three, three) == freq.name_share(two, two)


def test_a_city_takes_the_area_code_its_records_dial() -> None:
    from customer_core.domain.matching.rarity import city_area_codes

    counts = {"dial:city:cuiaba|ddd:65": 40, "dial:city:cuiaba|ddd:11": 2, "dial:city:x|ddd:1": 1}
    assert city_area_codes(counts) == {"city:cuiaba": "ddd:65"}
    split = {"dial:city:y|ddd:21": 5, "dial:city:y|ddd:22": 5}
    assert city_area_codes(split) == {}


def test_a_record_with_only_a_city_meets_one_with_only_a_phone() -> None:
    town = [
        person(f"t{i:03d}", f"Hugo Lima {i}", phones=(f"65 3{i:03d}-0000",), city="Cuiabá")
        for i in range(20)
    ]
    pair = [
        person("a", "Daniela Wachholz Tavares", city="Cuiabá"),
        person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",)),
    ]
    [found] = [s for s in suggest_duplicates([*town, *pair]) if s.ids == ("a", "b")]
    assert "area code 65" in {e.kind: e for e in found.evidence}["rare_name"].detail
