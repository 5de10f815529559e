"""A company's names: a legal form typed with dots, and an MEI's owner-named legal name (issue 20)."""

from __future__ import annotations

from customer_core.domain.matching.duplicates import MatchRecord, suggest_duplicates
from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.names import names_compatible
from customer_core.domain.matching.records import NameKey

from .builders import customer


def company(id: str, name: str, **fields: object) -> object:
    return customer(id, name, company=True, **fields)  # type: ignore[arg-type]


def test_a_legal_form_typed_with_dots_is_no_initial() -> None:
    for typed, words in (
        ("Distribuidora de Bebidas Ideal M.E.", ("distribuidora", "bebidas", "ideal")),
        ("Ana Melo Jesus - M.E.", ("ana", "melo", "jesus")),
        ("Loja X E.P.P.", ("loja", "x")),
        ("Padaria Central Ltda. - M. E.", ("padaria", "central")),
    ):
        assert NameKey.parse(typed, company=True).words == words, typed
    assert names_compatible(
        "Distribuidora de Bebidas Ideal M.E.", "Distribuidora Bebidas Ideal", company=True
    )
    # M.E. is no initial of another word: Manicure is not the form's M
    assert not names_compatible("Carlos Eduardo Leite M.E.", "Carlos Manicure", company=True)
    # initials of a person's name in a company's name stay initials
    assert NameKey.parse("J. E. Silva Ltda", company=True).words == ("j", "silva")


def _linked(*records: object) -> list[tuple[str, str]]:
    return [s.ids for s in suggest_duplicates(records)]  # type: ignore[arg-type]


def test_an_mei_legal_name_and_a_trade_name_after_its_owner_sharing_a_line() -> None:
    legal = company("a", "Ana Melo Jesus - M.E.", phones=["(71) 97029-3419"], city="Salvador")
    trade = company("b", "Estética da Ana", phones=["71 97029-3419"], city="Salvador")
    assert _linked(legal, trade) == [("a", "b")]
    [found] = suggest_duplicates([legal, trade])  # type: ignore[list-item]
    assert [e.kind for e in found.evidence][:2] == ["trade_name", "mobile"]
    assert "an MEI's two names" in found.evidence[0].detail
    by_mail = company("c", "Marmitas da Franncisca", emails=["marmitas@gmail.com"])
    owner = company("d", "Francisca Pereira Alves Silva ME", emails=["marmitas@gmail.com"])
    assert _linked(by_mail, owner) == [("c", "d")]  # a typo in the given name too


def test_no_owner_tie_without_a_shared_line_or_for_another_given_name() -> None:
    legal = company("a", "Ana Melo Jesus ME", phones=["(71) 97029-3419"], city="Salvador")
    elsewhere = company("b", "Estética da Ana", phones=["(71) 98888-1111"], city="Salvador")
    assert _linked(legal, elsewhere) == []
    bruna = company("b", "Estética da Bruna", phones=["(71) 97029-3419"], city="Salvador")
    assert _linked(legal, bruna) == []
    other_ana = company("b", "Ana Souza Lima ME", phones=["(71) 97029-3419"], city="Salvador")
    assert _linked(legal, other_ana) == []  # two Anas' firms: a trade name opens with a name
    records = [MatchRecord.of(c) for c in (legal, other_ana)]  # type: ignore[arg-type]
    assert conflicting_evidence(*records) is not None


def test_the_owner_s_person_record_is_still_not_the_company() -> None:
    trade = company("a", "Estética da Ana", phones=["(71) 97029-3419"], city="Salvador")
    person = customer("b", "Ana Melo Jesus", phones=["(71) 97029-3419"], city="Salvador")
    assert _linked(trade, person) == []
