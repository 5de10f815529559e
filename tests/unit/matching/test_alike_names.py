"""An uncommon full name spelled alike, word for word, in one town (issue 20).

A name the town should hold a few namesakes of (0.15 to 0.5) is no rare
name, but two records spelling it alike, neither holding a mobile of its
own, are one customer far more often than two: a namesake relative keeps
their own mobile. Such a pair is suggested with the least corroboration;
a pair each with its own mobile or mailbox, or spelling the name apart, is
not.
"""

from __future__ import annotations

import attrs

from customer_core import Customer, Email
from customer_core.domain.matching.duplicates import (
    DEFAULT_POLICY,
    MatchRecord,
    key_holders,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.matching.namesakes import namesakes_bound, spelled_alike
from customer_core.domain.matching.records import NameKey

from .builders import LARGE, crowd, customer

CPF = "529.982.247-25"
#: About 0.25 namesakes expected among the town's crowd (LARGE counts its own names).
UNCOMMON = "Hugo Moreira"
TOWN = 1000


def person(
    id: str, name: str = UNCOMMON, *, phones: tuple[str, ...] = (), cpf: str | None = None
) -> Customer:
    return customer(id, name, phones=phones, city="Cuiabá", tax_id=cpf)


def suggested(*customers: Customer) -> list[tuple[str, str]]:
    return [s.ids for s in suggest_duplicates([*crowd(TOWN), *customers], policy=LARGE)]


def test_a_thin_record_spelling_an_uncommon_name_alike_is_suggested() -> None:
    thin = person("a")  # a name and a city: nothing of its own against the other
    full = person("b", phones=("65 98082-1920",), cpf=CPF)
    assert suggested(thin, full) == [("a", "b")]
    records = [MatchRecord.of(c) for c in (*crowd(TOWN), thin, full)]
    found = score_pair(thin, full, holders=key_holders(records), policy=LARGE)
    assert found is not None
    name, rare = found.evidence
    assert (name.kind, rare.kind, rare.weight, found.score) == ("name", "rare_name", 0.1, 0.7)
    assert rare.detail.startswith("an uncommon name spelled alike: 0.")
    assert rare.match_weight is not None and rare.match_weight > 0


def test_namesakes_with_a_mobile_each_are_kept_apart() -> None:
    one = person("a", phones=("65 98991-0448",))
    other = person("b", phones=("65 98082-1920",), cpf=CPF)
    assert suggested(one, other) == []  # two people of one town, a father and son


def test_namesakes_with_a_mailbox_each_are_kept_apart() -> None:
    one = attrs.evolve(person("a"), emails=(Email.parse("hugo.moreira@gmail.com"),))
    other = attrs.evolve(person("b", cpf=CPF), emails=(Email.parse("hmoreira71@hotmail.com"),))
    assert suggested(one, other) == []


def test_an_uncommon_name_spelled_apart_needs_to_be_rare() -> None:
    thin = person("a", "Hugo C. Moreira")  # a middle name a relative may carry
    full = person("b", phones=("65 98082-1920",), cpf=CPF)
    assert suggested(thin, full) == []


def test_spelled_alike_is_word_for_word() -> None:
    def alike(a: str, b: str) -> bool:
        return spelled_alike(NameKey.parse(a), NameKey.parse(b))

    assert alike("João da Silva", "JOAO SILVA")
    assert not alike("João Silva", "João S. Silva")
    assert not alike("Joao Silva", "Joao Sylva")
    assert not alike("João", "João")  # a lone given name is no full name


def test_a_small_tenant_keeps_the_strict_bound_for_names_alike() -> None:
    small = namesakes_bound(DEFAULT_POLICY, 300, alike=True)
    assert small == DEFAULT_POLICY.small_tenant_namesakes
    assert namesakes_bound(DEFAULT_POLICY, 5000, alike=True) == DEFAULT_POLICY.alike_name_namesakes
