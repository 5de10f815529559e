"""The typo keys: every pair the exact e-mail or mobile typo rule finds shares one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from customer_core.domain.matching.contact_evidence import _email_typo, _mobile_typo
from customer_core.domain.matching.pair_filter import typo_keys

LOCAL = st.text(alphabet="abcoçé09._-", min_size=5, max_size=14)
DOMAIN = st.sampled_from(["gmail.com", "empresa.com.br", "gmial.com"])
DIGITS = st.text(alphabet="0123456789", min_size=8, max_size=10)


@st.composite
def one_edit(draw: st.DrawFn, text: st.SearchStrategy[str], alphabet: str) -> tuple[str, str]:
    """A string and the same string after one replacement, insertion, deletion or swap."""
    x = draw(text)
    at = draw(st.integers(0, len(x) - 1))
    char = draw(st.sampled_from(alphabet))
    edit = draw(st.sampled_from(["replace", "insert", "delete", "swap"]))
    if edit == "replace":
        y = x[:at] + char + x[at + 1 :]
    elif edit == "insert":
        y = x[:at] + char + x[at:]
    elif edit == "delete":
        y = x[:at] + x[at + 1 :]
    else:
        y = x[:at] + x[at + 1 : at + 2] + x[at : at + 1] + x[at + 2 :]
    return x, y


@given(one_edit(LOCAL, "abcoçé09._-"), DOMAIN, DOMAIN)
def test_an_email_typo_shares_a_typo_key(pair: tuple[str, str], a: str, b: str) -> None:
    x, y = pair
    if _email_typo({x: a}, {y: b}) is not None:
        assert not typo_keys([f"{x}@{a}"], []).isdisjoint(typo_keys([f"{y}@{b}"], []))


@given(one_edit(DIGITS, "0123456789"), st.sampled_from(["5511", "5521"]))
def test_a_mobile_typo_shares_a_typo_key(pair: tuple[str, str], area: str) -> None:
    x, y = (area + number for number in pair)
    if _mobile_typo([x], [y]) is not None:
        assert not typo_keys([], [x]).isdisjoint(typo_keys([], [y]))


def test_names_with_other_digits_share_no_typo_key() -> None:
    """``paulo.rocha0`` and ``paulo.rocha1`` are two people: the digit is no typo."""
    assert _email_typo({"paulo.rocha0": "x.com"}, {"paulo.rocha1": "x.com"}) is None
    assert typo_keys(["paulo.rocha0@x.com"], []).isdisjoint(typo_keys(["paulo.rocha1@x.com"], []))


def test_far_mobiles_share_no_typo_key() -> None:
    assert typo_keys([], ["5511987654321"]).isdisjoint(typo_keys([], ["5511912345678"]))
