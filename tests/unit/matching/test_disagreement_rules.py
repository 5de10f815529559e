"""What two records disagree on, compound given names, one-word company names (issue 20).

A rare name shared in one town links a thin record; what the two records
disagree on weighs against it, as a Fellegi–Sunter disagreement weight does:
two addresses are two households, two mobiles none shared are two people as
often as one (a father and a son named alike keep their own). A compound
given name counts by how often its second word follows the first in the
tenant. A company's one-word name is its whole name, also when a record
typed it as a person's.
"""

from __future__ import annotations

import attrs
import pytest

from customer_core import Customer
from customer_core.domain.matching.company_ties import typed_as_person
from customer_core.domain.matching.duplicates import (
    MatchRecord,
    key_holders,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.matching.rare_names import own_mobiles
from customer_core.domain.matching.rarity import NameFrequencies, given_name_keys
from customer_core.domain.matching.records import NameKey

from .builders import LARGE, customer
from .builders import crowd as town_crowd

STREET = "Rua A, 10"


def person(
    id: str,
    name: str,
    *phones: str,
    city: str | None = "Cuiabá",
    cep: str | None = None,
) -> Customer:
    return customer(id, name, phones=phones, city=city, cep=cep, street=STREET)


def company(id: str, name: str, *phones: str) -> Customer:
    return customer(id, name, phones=phones, company=True)


def crowd(size: int, city: str = "Cuiabá") -> list[Customer]:
    return town_crowd(size, city, street=STREET)


def suggested(customers: list[Customer], a: str = "a", b: str = "b") -> list[str]:
    """The evidence kinds of the suggestion between ``a`` and ``b`` (empty: not suggested)."""
    for found in suggest_duplicates([*crowd(300), *customers], policy=LARGE):
        if found.ids == (a, b):
            return [e.kind for e in found.evidence if e.weight]
    return []


# -- what the records disagree on -------------------------------------------------------


def test_a_rare_name_at_two_addresses_of_one_town_is_two_households() -> None:
    here = person("a", "Daniela Wachholz Tavares", "65 98991-0448", cep="78005-000")
    there = person("b", "Daniela Wachholz Tavares", "65 3322-1100", cep="78040-365")
    assert suggested([here, there]) == []
    no_address = person("b", "Daniela Wachholz Tavares", "65 3322-1100", cep=None)
    assert suggested([here, no_address]) == ["name", "rare_name"]
    same_address = person("b", "Daniela Wachholz Tavares", "65 3322-1100", cep="78005-000")
    assert suggested([here, same_address]) == ["name", "rare_name", "cep"]


def test_two_mobiles_none_shared_ask_a_rarer_name_only_when_the_tenant_says_so() -> None:
    # Maria Wachholz: about 0.12 namesakes expected in a town of this tenant.
    thin = person("a", "Maria Wachholz", "65 98991-0448")
    own = person("b", "Maria Wachholz", "65 98082-1920")
    # By default a changed mobile is no evidence against: people change numbers
    # (the held-out generator C lost 2.5 points of recall to the stricter default).
    assert suggested([thin, own]) == ["name", "rare_name"]
    strict = attrs.evolve(LARGE, rare_name_own_mobiles=0.1)
    found = suggest_duplicates([*crowd(300), thin, own], policy=strict)
    assert [s.ids for s in found] == []
    at_home = person("b", "Maria Wachholz", "65 3322-1100")
    found = suggest_duplicates([*crowd(300), thin, at_home], policy=strict)
    assert [s.ids for s in found] == [("a", "b")]  # a landline: no disagreement
    # A far rarer name is still evidence between two mobiles (a changed phone).
    rare = [
        person(x, "Daniela Wachholz Tavares", p)
        for x, p in (("a", "65 98991-0448"), ("b", "65 98082-1920"))
    ]
    assert [s.ids for s in suggest_duplicates([*crowd(300), *rare], policy=strict)] == [("a", "b")]
    never = attrs.evolve(LARGE, rare_name_own_mobiles=0.0)
    found = suggest_duplicates([*crowd(300), *rare], policy=never)
    assert [s.ids for s in found] == []


def test_own_mobiles_reads_a_line_by_its_last_eight_digits() -> None:
    def record(*phones: str) -> MatchRecord:
        return MatchRecord.of(person("x", "Ana Lima", *phones))

    assert own_mobiles(record("65 98991-0448"), record("65 98082-1920"))
    assert not own_mobiles(record("65 98991-0448"), record("66 98991-0448"))  # another DDD
    assert not own_mobiles(record("65 98991-0448"), record("65 8991-0448"))  # no ninth digit
    assert not own_mobiles(record("65 98991-0448"), record("65 3322-1100"))  # a landline
    assert not own_mobiles(record("65 98991-0448"), record())


def test_a_home_is_no_evidence_between_namesakes_with_their_own_mobiles() -> None:
    home = {"city": "Cuiabá", "cep": "78005-000"}
    father = person("a", "José Lima Costa", "65 3322-1100", "65 98991-0448", **home)
    son = person("b", "José Lima Costa", "65 3322-1100", "65 98082-1920", **home)  # Júnior left out
    assert suggested([father, son]) == []
    holders = key_holders(MatchRecord.of(c) for c in (*crowd(300), father, son))
    found = score_pair(father, son, holders=holders, policy=LARGE)
    assert found is None or all(
        e.weight == 0 and "own mobile" in e.detail
        for e in found.evidence
        if e.kind in ("cep", "landline")
    )
    # One record without a mobile: nothing disagrees, the home corroborates the name
    # (and the name, spelled alike, is uncommon enough in the town: test_alike_names).
    thin = person("b", "José Lima Costa", "65 3322-1100", **home)
    assert suggested([father, thin]) == ["name", "rare_name", "landline", "cep"]


def test_a_shared_mobile_is_still_evidence_beside_a_home() -> None:
    home = {"city": "Cuiabá", "cep": "78005-000"}
    one = person("a", "José Lima Costa", "65 3322-1100", "65 98991-0448", **home)
    other = person("b", "José Lima Costa", "65 3322-1100", "65 98991-0448", **home)
    assert suggested([one, other]) == ["name", "rare_name", "mobile", "landline", "cep"]


# -- compound given names ----------------------------------------------------------------


def test_given_name_keys_count_the_first_two_words_before_a_family_name() -> None:
    def keys(name: str) -> set[str]:
        return given_name_keys(MatchRecord.of(person("x", name)))

    assert keys("Maria Fernanda Moreira") == {"first:maria", "given2:maria:fernanda"}
    assert keys("Maria Fernanda") == {"first:maria"}  # a given and maybe a family name
    assert keys("M. Fernanda Moreira") == set()
    assert given_name_keys(MatchRecord.of(company("x", "Maria Fernanda Modas"))) == set()


def test_a_compound_given_name_counts_by_how_often_its_second_word_follows_the_first() -> None:
    counts = {"first:maria": 400, "given2:maria:fernanda": 8, "given2:maria:jose": 120}
    counts |= {"word:maria": 400, "word:moreira": 60, "word:fernanda": 10, "word:jose": 200}
    freq = NameFrequencies(counts, 10_000, national_records=100)
    fernanda = freq.compound_factor("maria", "fernanda")
    assert 0.01 < fernanda < 0.05  # 8 of 400 Marias, leaning on the census a little
    assert freq.compound_factor("maria", "jose") > 5 * fernanda  # Maria José is common

    def share(a: str, b: str) -> float:
        return freq.name_share(NameKey.parse(a), NameKey.parse(b))

    both = share("Maria Fernanda Moreira", "Maria Fernanda Moreira")
    assert both == pytest.approx(share("Maria Moreira", "Maria Moreira") * fernanda)
    assert share("Maria Moreira", "Maria Fernanda Moreira") > both  # dropped: not counted
    assert freq.own_share(NameKey.parse("Maria Fernanda Moreira")) <= both


def test_a_compound_given_name_makes_a_thin_record_rare_enough() -> None:
    families = ("Lima", "Costa", "Rocha", "Alves", "Dias", "Melo", "Reis", "Cunha")
    marias = [  # forty Marias in town, none a Maria Fernanda
        person(f"m{i:03d}", f"Maria {families[i % 8]} {families[i // 8]}", city="Cuiabá")
        for i in range(40)
    ]
    thin = person("a", "Maria Fernanda Moreira", "65 98991-0448")
    full = person("b", "Maria Fernanda Moreira", "65 3322-1100")
    assert suggested([*marias, thin, full]) == ["name", "rare_name"]
    plain = [
        person(x, "Maria Moreira", p) for x, p in (("a", "65 98991-0448"), ("b", "65 3322-1100"))
    ]
    assert suggested([*marias, *plain]) == []  # a Maria Moreira: too many Marias in town


# -- one-word company names --------------------------------------------------------------


def test_a_company_s_one_word_name_is_its_whole_name() -> None:
    one = company("a", "Atlântico", "21 4419-9280")
    other = company("b", "Atlantico Ltda", "(21) 4419-9280")
    found = score_pair(one, other)
    assert found is not None and found.score >= 0.6
    assert found.evidence[0].kind == "name" and found.evidence[0].weight == 0.6
    # A person's lone given name stays weak: the landline of a home is not enough.
    assert score_pair(person("a", "Ana", "21 4419-9280"), person("b", "Ana", "21 4419-9280"))


def test_a_one_word_company_name_typed_as_a_person_is_the_company() -> None:
    counts = {"person:": 1500, "person:silva": 300}

    def read(name: str, firm: str) -> MatchRecord | None:
        typed = MatchRecord.of(person("a", name, "21 4419-9280", city=None))
        shop = MatchRecord.of(company("b", firm, "21 4419-9280"))
        return typed_as_person(typed, shop, lambda k: counts.get(k, 0))

    found = read("Atlântico", "Atlântico")
    assert found is not None and found.company
    assert read("Silva", "Silva") is None  # a surname people carry: a contact saved as Silva
    assert read("Daniela", "Daniela") is None  # a given name of the census
    assert read("Atlântico", "Atlântico Pescados") is None  # a word of it, not the whole name


def test_a_one_word_shop_typed_as_a_person_is_suggested_with_the_company() -> None:
    typed = person("a", "Atlântico", "21 4419-9280", city="Rio de Janeiro")
    firm = company("b", "Atlântico", "(21) 4419-9280")
    people = [person(f"p{i:04d}", f"Ana Lima {i}") for i in range(1000)]
    holders = key_holders(MatchRecord.of(c) for c in people)
    holders.update({"person:": 1500})
    found = score_pair(typed, firm, holders=holders)
    assert found is not None and found.score >= 0.6
    kinds = [e.kind for e in found.evidence]
    assert "read_as_company" in kinds and "kind_differs" not in kinds


def test_a_firms_establishments_in_other_area_codes_are_not_suggested() -> None:
    # The legal name and the finance mailbox are the firm's; each establishment
    # dials its own city's DDD (the import keeps them apart by the same reading).
    def firm(id: str, phone: str) -> Customer:
        return customer(
            id,
            "Silva & Xavier Distribuidora de Bebidas LTDA",
            phones=(phone,),
            emails=("financeiro@silvaxavier.com.br",),
            company=True,
        )

    head_office, branch = firm("a", "(11) 96500-0806"), firm("b", "(91) 4707-0499")
    assert suggest_duplicates([head_office, branch]) == []
    same_city = firm("b", "(11) 3322-1100")
    assert [s.ids for s in suggest_duplicates([head_office, same_city])] == [("a", "b")]
