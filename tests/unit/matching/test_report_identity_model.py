"""The duplicate report follows the identity model: what the conflicting-evidence rule
keeps apart is neither an exact cluster nor a suggestion."""

from __future__ import annotations

from datetime import datetime, timezone

from customer_core.domain.matching.clusters import ClusterKeys
from customer_core.domain.matching.duplicates import (
    MatchRecord,
    exact_clusters,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import MessengerId
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import parse_tax_id

NOW = datetime(2026, 1, 5, tzinfo=timezone.utc)
MOBILE, WHATSAPP = "11 98765-4321", "5511987654321"


def customer(
    id: str,
    name: str,
    *,
    phones: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    whatsapp: str | None = None,
    kind: str = "person",
    tax_id: str | None = None,
) -> Customer:
    return Customer.create(
        id=id,
        tenant_id="t",
        name=name,
        now=NOW,
        kind=kind,
        phones=tuple(Phone.parse(p) for p in phones),
        emails=tuple(Email.parse(e) for e in emails),
        messenger_ids=(MessengerId.parse("whatsapp", whatsapp),) if whatsapp else (),
        tax_id=parse_tax_id(tax_id) if tax_id else None,
    )


def test_a_line_shared_by_different_people_is_no_cluster() -> None:
    mother = customer("a", "Maria Souza", phones=(MOBILE,))
    daughter = customer("b", "Joana Souza", whatsapp=WHATSAPP)
    father = customer("c", "José Pereira", phones=("11 98765-1111",))
    son = customer("d", "José Pereira Júnior", whatsapp="5511987651111")
    assert exact_clusters([mother, daughter, father, son]) == []


def test_the_holders_of_a_line_are_split_into_compatible_groups() -> None:
    ana = customer("a", "Ana Lima", phones=(MOBILE,))
    ana_again = customer("c", "Ana M. Lima", whatsapp=WHATSAPP)
    bruno = customer("b", "Bruno Lima", whatsapp="551187654321")  # the same line, 8 digits
    [cluster] = exact_clusters([bruno, ana_again, ana])
    assert cluster.ids == ("a", "c")
    # The same from match records, and from keys carrying their records (as SQL gives them).
    records = [MatchRecord.of(c) for c in (ana, bruno, ana_again)]
    assert exact_clusters(records) == [cluster]
    assert exact_clusters([ClusterKeys.of(r) for r in records]) == [cluster]


def test_keys_without_a_record_are_no_evidence_against() -> None:
    keys = [
        ClusterKeys("a", False, ("5511987654321",)),
        ClusterKeys("b", False, ("5511987654321",), ("5511987654321",)),
    ]
    assert [c.ids for c in exact_clusters(keys)] == [("a", "b")]


def test_a_high_score_does_not_excuse_a_different_given_name() -> None:
    # Maria Silva is not Ana Maria Silva (the other's first name is missing).
    shared = {"phones": (MOBILE,), "emails": ("silva.familia@gmail.com",)}
    ana_maria = customer("a", "Ana Maria Silva", **shared)  # type: ignore[arg-type]
    maria = customer("b", "Maria Silva", **shared)  # type: ignore[arg-type]
    scored = score_pair(ana_maria, maria)
    assert scored is not None and scored.score >= 0.6  # the score explains; the rule decides
    assert suggest_duplicates([ana_maria, maria], threshold=0.0) == []


def test_a_junior_on_one_side_or_a_person_and_a_company_are_never_suggested() -> None:
    shared = {"phones": (MOBILE,), "emails": ("pereira@gmail.com",)}
    father = customer("a", "José Carlos Pereira", **shared)  # type: ignore[arg-type]
    son = customer("b", "José Carlos Pereira Júnior", **shared)  # type: ignore[arg-type]
    firm = customer("c", "José Carlos Pereira", kind="company", **shared)  # type: ignore[arg-type]
    scored = score_pair(father, son)
    assert scored is not None and scored.score >= 0.6
    assert suggest_duplicates([father, son, firm], threshold=0.0) == []


def test_the_same_cpf_is_shown_whatever_the_names() -> None:
    one = customer("a", "Maria Aparecida Santos", tax_id="529.982.247-25")
    other = customer("b", "Cida Santos Lima", tax_id="52998224725")
    [suggestion] = suggest_duplicates([one, other])
    assert suggestion.ids == ("a", "b")
