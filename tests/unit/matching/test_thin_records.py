"""Thin records found by a rare name, and the hard negatives kept clear of it (issue 20).

A *thin* record is a name, a city and a phone nobody else holds. The rules
below let a rare name link it in a tenant large enough to count its own
names (``national_records``), and keep out what a name alone cannot tell
apart: two towns, swapped surnames, a namesake the tenant knows, a father
and a son whose suffix was dropped. Companies: a legal and a trade name tied
by an e-mail address, and a shop typed as a person.
"""

from __future__ import annotations

import attrs

from customer_core import Customer, Email
from customer_core.domain.matching.city_spellings import city_spellings
from customer_core.domain.matching.company_ties import spelled_in, typed_as_person
from customer_core.domain.matching.duplicates import (
    DEFAULT_POLICY,
    MatchRecord,
    key_holders,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.matching.rare_names import names_in_order, namesakes_bound, two_towns
from customer_core.domain.matching.records import NameKey

from .builders import LARGE, customer
from .builders import crowd as town_crowd

CPFS = ("529.982.247-25", "111.444.777-35", "123.456.789-09")
STREET = "Rua A, 10"


def person(
    id: str,
    name: str,
    *,
    phones: tuple[str, ...] = (),
    city: str | None = None,
    cpf: str | None = None,
    cep: str | None = None,
) -> Customer:
    return customer(id, name, phones=phones, city=city, cep=cep, tax_id=cpf, street=STREET)


def company(
    id: str,
    name: str,
    *,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    city: str | None = None,
    cnpj: str | None = None,
) -> Customer:
    return customer(
        id, name, emails=emails, phones=phones, city=city, uf="SP", tax_id=cnpj, company=True
    )


def crowd(size: int, city: str = "Cuiabá") -> list[Customer]:
    return town_crowd(size, city, street=STREET)


def linked(customers: list[Customer], a: str = "a", b: str = "b") -> bool:
    return (a, b) in [s.ids for s in suggest_duplicates([*crowd(300), *customers], policy=LARGE)]


def test_a_thin_record_with_a_rare_name_in_its_city_is_suggested() -> None:
    thin = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    full = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), cpf=CPFS[0])
    assert linked([thin, full])
    [found] = suggest_duplicates([*crowd(300), thin, full], policy=LARGE)
    assert [e.kind for e in found.evidence] == ["name", "rare_name"]


def test_a_common_name_alone_is_not_suggested() -> None:
    thin = person("a", "Ana Lima", phones=("65 98991-0448",), city="Cuiabá")
    full = person("b", "Ana Lima", phones=("65 98082-1920",), city="Cuiabá", cpf=CPFS[0])
    assert not linked([thin, full])


def test_a_rare_name_in_two_towns_is_two_people() -> None:
    here = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    there = person("b", "Daniela Wachholz Tavares", phones=("41 98082-1920",), city="Curitiba")
    assert not linked([here, there])


def test_two_cities_of_one_area_code_are_two_towns() -> None:
    here = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    there = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), city="Várzea Grande")
    assert not linked([here, there])
    assert two_towns(MatchRecord.of(here), MatchRecord.of(there))
    phone_only = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",))
    assert not two_towns(MatchRecord.of(here), MatchRecord.of(phone_only))


def test_two_records_with_their_own_mailboxes_are_not_linked_by_a_name() -> None:
    def with_email(id: str, phone: str, email: str) -> Customer:
        found = person(id, "Daniela Wachholz Tavares", phones=(phone,), city="Cuiabá")
        return attrs.evolve(found, emails=(Email.parse(email),))

    one = with_email("a", "65 98991-0448", "daniela.tavares@gmail.com")
    other = with_email("b", "65 98082-1920", "dwt1980@hotmail.com")
    assert not linked([one, other])
    thin = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), city="Cuiabá")
    assert linked([one, thin])


def test_swapped_or_dropped_family_names_are_not_a_rare_name() -> None:
    thin = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    swapped = person("b", "Daniela Tavares Wachholz", phones=("65 98082-1920",), city="Cuiabá")
    assert not linked([thin, swapped])
    middle_dropped = person("b", "Daniela Tavares", phones=("65 98082-1920",), city="Cuiabá")
    assert linked(
        [middle_dropped, person("c", "Daniela Wachholz Tavares", city="Cuiabá")], "b", "c"
    )


def test_names_in_order_reads_a_name_written_surname_first() -> None:
    def count(word: str) -> int:
        return 5 if word in {"pereira", "ferreira"} else 0

    def in_order(a: str, b: str) -> bool:
        return names_in_order(NameKey.parse(a), NameKey.parse(b), count)

    assert in_order("Maria Eduarda Oliveira", "Oliveira Maria Eduarda")
    assert in_order("Maria E. Oliveira", "Maria Eduarda Santos Oliveira")
    assert not in_order("Maria Oliveira Santos", "Maria Santos Oliveira")
    assert not in_order("André Pereira", "André Ferreira")  # two surnames the tenant holds


def test_a_namesake_with_another_cpf_in_the_town_makes_the_name_no_evidence() -> None:
    thin = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    full = person(
        "b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), city="Cuiabá", cpf=CPFS[0]
    )
    other = person(
        "c", "Daniela Wachholz Tavares", phones=("65 98111-2222",), city="Cuiabá", cpf=CPFS[1]
    )
    assert linked([thin, full])
    assert not linked([thin, full, other])
    assert not linked([thin, full, other], "a", "c")


def test_a_son_whose_suffix_was_dropped_is_not_his_father() -> None:
    home = {"phones": ("65 3322-1100",), "city": "Cuiabá", "cep": "78005-000"}
    father = person("a", "Carlos Wachholz Tavares", cpf=CPFS[0], **home)  # type: ignore[arg-type]
    son = person("s", "Carlos Wachholz Tavares Júnior", cpf=CPFS[1], **home)  # type: ignore[arg-type]
    dropped = person("b", "Carlos Wachholz Tavares", **home)  # type: ignore[arg-type]
    assert linked([father, dropped])  # the landline, the CEP, a rare name: no son known
    assert not linked([father, son, dropped])
    holders = key_holders(MatchRecord.of(c) for c in (*crowd(300), father, son, dropped))
    found = score_pair(father, dropped, holders=holders, policy=LARGE)
    assert found is None or all(e.weight == 0 for e in found.evidence if e.kind != "name")


def test_a_small_tenant_keeps_the_strict_bound() -> None:
    assert namesakes_bound(DEFAULT_POLICY, 300) == DEFAULT_POLICY.small_tenant_namesakes
    assert namesakes_bound(DEFAULT_POLICY, 5000) == DEFAULT_POLICY.rare_name_namesakes
    carlos = person("a", "Carlos Pereira", phones=("11 98765-4321",))
    other = person("b", "Carlos A. Pereira", phones=("+55 11 98765-4321",))
    [found] = suggest_duplicates([carlos, other])
    assert [e.kind for e in found.evidence] == ["name", "mobile"]  # no "rare" Carlos Pereira


def test_a_legal_and_a_trade_name_tied_by_an_address_are_suggested() -> None:
    mailbox = "compras@pontocertosaopaulo.com.br"
    legal = company("a", "Nascimento Pet Shop Ltda", emails=(mailbox,), city="São Paulo")
    trade = company(
        "b", "Ponto Certo", emails=(mailbox,), city="São Paulo", cnpj="11.222.333/0001-81"
    )
    [found] = suggest_duplicates([legal, trade])
    assert [e.kind for e in found.evidence][:2] == ["trade_name", "email"]
    assert "ponto certo" in found.evidence[0].detail


def test_a_shared_mailbox_that_spells_neither_name_is_not_a_tie() -> None:
    mailbox = "compras@centraldecompras.com.br"
    legal = company("a", "Nascimento Pet Shop Ltda", emails=(mailbox,), city="São Paulo")
    trade = company("b", "Ponto Certo", emails=(mailbox,), city="São Paulo")
    assert suggest_duplicates([legal, trade]) == []


def test_a_tie_across_two_cities_is_a_branch() -> None:
    mailbox = "dobairroeletrica@gmail.com"
    here = company("a", "Do Bairro Elétrica", emails=(mailbox,), city="Santo André")
    there = company(
        "b", "Castro & Mendes Materiais Elétricos Ltda", emails=(mailbox,), city="Campinas"
    )
    assert suggest_duplicates([here, there]) == []


def test_spelled_in_wants_the_whole_label_for_a_short_name() -> None:
    rei = NameKey.parse("Rei", company=True)
    assert spelled_in(rei, ["fiscal@rei.com.br"]) == "fiscal@rei.com.br"
    assert spelled_in(rei, ["fiscal@reiformas.com.br"]) is None


def _tenant_counts(extra: dict[str, int]) -> dict[str, int]:
    return {"person:": 1500, "person:jose": 40, "person:oliveira": 30, **extra}


def test_a_shop_typed_as_a_person_is_read_as_the_company() -> None:
    shop = MatchRecord.of(person("a", "José Moda", phones=("62 97432-9262",)))
    firm = MatchRecord.of(company("b", "José Moda Ltda", phones=("62 97432-9262",)))
    counts = _tenant_counts({"company:moda": 4})
    read = typed_as_person(shop, firm, lambda k: counts.get(k, 0))
    assert read is not None and read.company


def test_an_owner_with_people_s_names_stays_a_person() -> None:
    owner = MatchRecord.of(person("a", "José Oliveira", phones=("62 97432-9262",)))
    firm = MatchRecord.of(company("b", "José Oliveira ME", phones=("62 97432-9262",)))
    counts = _tenant_counts({"company:oliveira": 9})
    assert typed_as_person(owner, firm, lambda k: counts.get(k, 0)) is None
    rare = MatchRecord.of(person("a", "José Wachholz", phones=("62 97432-9262",)))
    firm = MatchRecord.of(company("b", "José Wachholz ME", phones=("62 97432-9262",)))
    counts = _tenant_counts({"company:wachholz": 1})  # a rare surname: only his own company
    assert typed_as_person(rare, firm, lambda k: counts.get(k, 0)) is None
    small = {"person:": 20, "company:moda": 4}  # a small tenant has not seen enough names
    shop = MatchRecord.of(person("a", "José Moda"))
    firm = MatchRecord.of(company("b", "José Moda"))
    assert typed_as_person(shop, firm, lambda k: small.get(k, 0)) is None


def test_a_shop_typed_as_a_person_with_a_typo_is_read_as_the_company() -> None:
    shop = MatchRecord.of(person("a", "Nova Era Alimetos", phones=("11 99461-4103",)))
    firm = MatchRecord.of(company("b", "Nova Era Alimentos Ltda", phones=("11 99461-4103",)))
    counts = _tenant_counts({"company:alimentos": 12, "company:nova": 5, "company:era": 3})
    read = typed_as_person(shop, firm, lambda k: counts.get(k, 0))
    assert read is not None and read.company


def test_a_shop_read_as_the_company_says_so_in_its_evidence() -> None:
    shop = person("a", "José Moda", phones=("62 97432-9262",))
    firm = company("b", "José Moda Ltda", phones=("62 97432-9262",), cnpj="11.222.333/0001-81")
    holders = {"records": 5000, **_tenant_counts({"company:moda": 4})}
    found = score_pair(shop, firm, holders=holders)
    assert found is not None and found.score >= 0.6
    kinds = [e.kind for e in found.evidence]
    assert "read_as_company" in kinds and "kind_differs" not in kinds
    plain = score_pair(shop, firm)  # without the tenant's counts: a person and a company
    assert plain is None or "kind_differs" in [e.kind for e in plain.evidence]


def test_a_typo_in_the_thin_record_does_not_hide_the_junior_of_the_town() -> None:
    """*Carlso Tavares* is the father or the son as much as *Carlos Tavares* is (issue 20)."""
    father = person("b", "Carlos Wachholz Tavares", phones=("65 98082-1920",), city="Cuiabá")
    for thin_name in ("Carlos Wachholz Tavares", "Carlso Wachholz Tavares"):
        thin = person("a", thin_name, phones=("65 98991-0448",), city="Cuiabá")
        assert linked([thin, father]), thin_name  # a rare name: no son known
        son = person(
            "s", "Carlos Wachholz Tavares Júnior", phones=("65 98111-2222",), city="Cuiabá"
        )
        assert not linked([thin, father, son]), thin_name


def test_a_city_typed_with_a_typo_is_the_town_the_tenant_writes() -> None:
    """*Cuiabáa* on one record is Cuiabá, not a second town (issue 20)."""
    typo = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabáa")
    full = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), city="Cuiabá")
    assert linked([typo, full])
    elsewhere = person("b", "Daniela Wachholz Tavares", phones=("41 98082-1920",), city="Curitiba")
    assert not linked([typo, elsewhere])


def test_only_a_rare_spelling_one_typo_from_one_common_city_is_read_as_it() -> None:
    counts = {"area:city:cuiaba": 300, "area:city:cuiabaa": 1, "area:city:sinop": 1}
    assert city_spellings(counts) == {"city:cuiabaa": "city:cuiaba"}
    assert city_spellings({**counts, "area:city:cuiabaa": 3}) == {}  # three records: a town
    # one typo from two common cities: neither
    two = {"area:city:santos": 50, "area:city:santas": 50, "area:city:santis": 1}
    assert city_spellings(two) == {}


def test_a_firm_named_after_its_owner_makes_the_owner_s_name_no_evidence() -> None:
    """An MEI's legal name is its owner's: a record with the name alone is either (issue 20)."""
    thin = person("a", "Daniela Wachholz Tavares", phones=("65 98991-0448",), city="Cuiabá")
    full = person("b", "Daniela Wachholz Tavares", phones=("65 98082-1920",), cpf=CPFS[0])
    firm = company("c", "Daniela Wachholz Tavares ME", phones=("65 3322-1100",), city="Cuiabá")
    assert linked([thin, full])
    assert not linked([thin, full, firm])
    shop = company("c", "Wachholz Tavares Pet Shop", phones=("65 3322-1100",), city="Cuiabá")
    assert linked([thin, full, shop])  # named after no one's given name


def test_a_legal_and_a_trade_name_in_two_area_codes_are_two_establishments() -> None:
    mailbox = "compras@pontocertosaopaulo.com.br"
    legal = company("a", "Nascimento Pet Shop Ltda", emails=(mailbox,), phones=("(11) 3322-1100",))
    here = company("b", "Ponto Certo", emails=(mailbox,), phones=("(11) 4455-6677",))
    there = company("b", "Ponto Certo", emails=(mailbox,), phones=("(65) 4455-6677",))
    assert [s.ids for s in suggest_duplicates([legal, here])] == [("a", "b")]
    assert suggest_duplicates([legal, there]) == []
