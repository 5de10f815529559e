"""A son's record without his suffix, tied to him by his own mobile or e-mail (issue 20)."""

from __future__ import annotations

from customer_core import Customer
from customer_core.domain.matching.duplicates import suggest_duplicates

from .builders import customer


def family(*, with_junior: bool = True) -> list[Customer]:
    son = customer(
        "son",
        "Paulo Roberto Souza Cuz",  # his suffix dropped, a typo in the family name
        phones=("(11) 98210-0660", "(11) 4595-0030"),
        cep="01205-909",
        city="São Paulo",
        uf="SP",
    )
    father = customer("dad", "Paulo Roberto Souza Cruz", cep="01205-909", city="São Paulo", uf="SP")
    junior = customer(
        "jr",
        "Paulo Roberto de Souza da Cruz Júnior",
        phones=("(11) 4595-0030", "(11) 98210-0660"),
    )
    return [son, father, junior] if with_junior else [son, father]


def test_the_son_s_own_mobile_keeps_his_suffixless_record_from_his_father() -> None:
    pairs = [s.ids for s in suggest_duplicates(family())]
    assert ("dad", "son") not in pairs


def test_without_a_suffixed_record_the_name_and_the_home_still_suggest_the_pair() -> None:
    pairs = [s.ids for s in suggest_duplicates(family(with_junior=False))]
    assert pairs == [("dad", "son")]


def test_two_records_holding_the_son_s_mobile_are_still_suggested() -> None:
    records = family()
    records.append(
        customer("son2", "Paulo Roberto Souza Cruz", phones=("(11) 98210-0660",), city="São Paulo")
    )
    pairs = [s.ids for s in suggest_duplicates(records)]
    assert ("son", "son2") in pairs and ("dad", "son2") not in pairs
