"""One Gmail mailbox typed two ways: Gmail ignores dots and a ``+tag`` in the local part."""

from __future__ import annotations

from datetime import datetime, timezone

from customer_core import Customer, Email
from customer_core.domain.matching.contact_evidence import gmail_mailbox
from customer_core.domain.matching.duplicates import score_pair, suggest_duplicates

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def person(id: str, name: str, *emails: str) -> Customer:
    return Customer.create(
        id=id, tenant_id="t", name=name, now=NOW, emails=tuple(Email.parse(e) for e in emails)
    )


def test_the_same_gmail_mailbox_with_and_without_dots_is_the_same_address() -> None:
    a = person("a", "Cláudia Ramos Fonseca", "claudia.fonseca322@gmail.com")
    b = person("b", "Claudia Fonseca", "claudiafonseca322@gmail.com")
    [found] = suggest_duplicates([a, b])
    assert found.ids == ("a", "b")
    assert [e.kind for e in found.evidence] == ["name", "email"]
    assert "one Gmail mailbox" in found.evidence[1].detail


def test_dots_a_plus_tag_and_a_mistyped_gmail_domain_reach_one_mailbox() -> None:
    a = person("a", "Diego Freitas", "di.ego.tricolor+loja@gmail.con")
    b = person("b", "Diego Freitas", "diegotricolor@gmail.com")
    found = score_pair(a, b)
    assert found is not None and "email" in [e.kind for e in found.evidence]
    assert gmail_mailbox("Maria.785.94@GMAIL.COM") == gmail_mailbox("maria78594@gamil.com")


def test_other_providers_keep_their_dots() -> None:
    for domain in ("hotmail.com", "yahoo.com.br", "mail.com", "uol.com.br"):
        assert gmail_mailbox(f"joao.silva@{domain}") is None, domain
        a = person("a", "João Silva", f"joao.silva@{domain}")
        b = person("b", "João Silva", f"joaosilva@{domain}")
        assert suggest_duplicates([a, b]) == [], domain


def test_a_mailbox_made_of_the_name_alone_is_what_every_namesake_types() -> None:
    a = person("a", "João Oliveira", "joao.oliveira@gmail.com")
    b = person("b", "João Pedro Oliveira", "joaooliveira@gmail.com")
    assert suggest_duplicates([a, b]) == []


def test_one_gmail_mailbox_never_excuses_another_given_name() -> None:
    a = person("a", "Paulo Lima", "paulo.lima@gmail.com")
    b = person("b", "Paula Lima", "paulolima@gmail.com")
    assert suggest_duplicates([a, b]) == []
