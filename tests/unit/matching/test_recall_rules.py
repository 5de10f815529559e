"""Rules that find more duplicates without weakening the identity floor (issue 20, recall)."""

from __future__ import annotations

from datetime import datetime, timezone

from customer_core import Customer, Phone
from customer_core.domain.matching.duplicates import MatchRecord, score_pair, suggest_duplicates
from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.names import names_compatible

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def person(id: str, name: str, *phones: str) -> Customer:
    return Customer.create(
        id=id, tenant_id="t", name=name, now=NOW, phones=tuple(Phone.parse(p) for p in phones)
    )


def test_mobiles_one_digit_apart_corroborate_a_similar_name() -> None:
    for typed in ("(65) 98991-0449", "(65) 98991-4048"):  # a digit mistyped, two swapped
        a = person("a", "Daniela Oliveira Soares", "(65) 98991-0448")
        b = person("b", "Daniela de Oliveira Soares", typed)
        found = score_pair(a, b)
        assert found is not None and found.score >= 0.6, typed
        assert [e.kind for e in found.evidence] == ["name", "phone_typo"]
        assert [s.ids for s in suggest_duplicates([a, b])] == [("a", "b")]


def test_mobiles_one_digit_apart_are_no_evidence_for_another_name() -> None:
    a = person("a", "Paulo Hoffmann", "(11) 98765-4321")
    b = person("b", "Paula Hoffmann", "(11) 98765-4322")  # a family plan: consecutive numbers
    assert score_pair(a, b) is None
    c = person("c", "Carlos Hoffmann", "(11) 98765-4322")
    assert suggest_duplicates([a, c]) == []


def test_mobiles_of_two_area_codes_or_two_digits_apart_are_not_a_typo() -> None:
    a = person("a", "Daniela Oliveira Soares", "(65) 98991-0448")
    for other in ("(66) 98991-0449", "(65) 98991-1149"):
        b = person("b", "Daniela de Oliveira Soares", other)
        found = score_pair(a, b)
        assert found is None or "phone_typo" not in [e.kind for e in found.evidence], other


SURNAME_FIRST = [
    ("Silva Raimundo", "Raimundo", True, "a lone given name, the other surname first"),
    ("Tavares Tereza", "Tereza", True, "a surname no census counts as a given name"),
    ("Lopes Carlos Eduardo Carvalho", "Carlos", True, "surname first, more words"),
    ("Guimarães Rodrigues Felipe", "Felipe", True, "all the family names first"),
    ("Cruz Nogueira João Paulo", "João", True, "family names first, a compound given name"),
    ("Guimarães Rodrigues Paula", "Paulo", False, "family names first excuse no other name"),
    ("Ana Maria", "Maria", False, "two given names: Ana is the first"),
    ("Silva Paulo", "Paula", False, "surname first never excuses another given name"),
    ("Josimar Antonio Silva", "Antonio Silva", False, "only against a lone given name"),
]


def test_a_lone_given_name_against_a_name_written_surname_first() -> None:
    for a, b, compatible, why in SURNAME_FIRST:
        assert names_compatible(a, b) is compatible, why
        assert names_compatible(b, a) is compatible, f"{why} (turned around)"


def test_a_thin_contact_saved_by_its_given_name_meets_the_full_record() -> None:
    a = person("a", "Silva Raimundo", "(21) 98523-8876")
    b = person("b", "Raimundo", "(21) 98523-8876")
    assert [s.ids for s in suggest_duplicates([a, b])] == [("a", "b")]
    assert conflicting_evidence(MatchRecord.of(a), MatchRecord.of(b)) is None
