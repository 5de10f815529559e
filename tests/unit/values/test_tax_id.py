from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.br import cnpj as _stdnum_cnpj

from customer_core import Cnpj, Cpf, InvalidTaxId, parse_tax_id
from customer_core.testing import strategies as cc


@pytest.mark.parametrize(
    "text", ["529.982.247-25", "52998224725", " 529.982.247-25 ", "529 982 247 25"]
)
def test_cpf_accepts_formatted_and_bare(text: str) -> None:
    assert Cpf.parse(text).digits == "52998224725"


@pytest.mark.parametrize(
    "text",
    [
        "111.111.111-11",
        "000.000.000-00",
        "999.999.999-99",
        "529.982.247-24",
        "5299822472",
        "529982247250",
        "52998224a25",
        "",
    ],
)
def test_cpf_rejects(text: str) -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cpf.parse(text)
    assert info.value.code == "invalid_cpf"
    assert info.value.field == "tax_id"


@pytest.mark.parametrize(
    "text",
    ["00.000.000/0000-00", "11.111.111/1111-11", "11.222.333/0001-82", "12.ABC.345/01DE-36"],
)
def test_cnpj_rejects(text: str) -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cnpj.parse(text)
    assert info.value.code == "invalid_cnpj"


def test_alphanumeric_cnpj_is_valid_and_upper_cased() -> None:
    cnpj = Cnpj.parse("12.abc.345/01de-35")
    assert cnpj.digits == "12ABC34501DE35"
    assert cnpj.formatted == "12.ABC.345/01DE-35"
    assert cnpj.root == "12ABC345"
    assert not cnpj.is_headquarters


def test_cnpj_root_and_headquarters() -> None:
    head = Cnpj.parse("11.222.333/0001-81")
    assert head.is_headquarters and head.root == "11222333"


def test_letters_in_check_digits_are_rejected() -> None:
    with pytest.raises(InvalidTaxId):
        Cnpj.parse("12ABC34501DE3A")


def test_parse_tax_id_dispatches_by_length() -> None:
    assert isinstance(parse_tax_id("529.982.247-25"), Cpf)
    assert isinstance(parse_tax_id("11.222.333/0001-81"), Cnpj)
    with pytest.raises(InvalidTaxId) as info:
        parse_tax_id("123")
    assert info.value.code == "invalid_tax_id"


def test_repr_masks_personal_data() -> None:
    assert repr(Cpf.parse("529.982.247-25")) == "Cpf('***.***.247-25')"
    assert "222" not in repr(Cnpj.parse("11.222.333/0001-81"))


def test_errors_pickle() -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cpf.parse("111.111.111-11")
    clone = pickle.loads(pickle.dumps(info.value))
    assert (clone.code, clone.field, str(clone)) == ("invalid_cpf", "tax_id", str(info.value))


@given(cc.cpfs(), st.data())
def test_every_spelling_of_a_cpf_parses_to_it(cpf: Cpf, data: st.DataObject) -> None:
    assert Cpf.parse(data.draw(cc.cpf_spellings(cpf))) == cpf
    assert Cpf.parse(str(cpf)) == cpf
    assert parse_tax_id(str(cpf)) == cpf


@given(cc.cnpjs(), st.data())
def test_every_spelling_of_a_cnpj_parses_to_it(cnpj: Cnpj, data: st.DataObject) -> None:
    assert Cnpj.parse(data.draw(cc.cnpj_spellings(cnpj))) == cnpj
    assert Cnpj.parse(str(cnpj)) == cnpj


# The official mod-11 rule folds remainder 10 into check digit 0, so a few
# single-digit changes in the body yield another *valid* number (for example
# 044.420.072-09 -> 144.420.072-09). Those are indistinguishable by design; every
# other corruption, and every change to a check digit, must be rejected. The
# oracle below recomputes the check digits independently of the parser.


def _officially_valid(text: str, length: int) -> bool:
    body = text[: length - 2]
    if length == 11:
        return text[-2:] == cc.cpf_check_digits(body)
    return text[-2:] == _stdnum_cnpj.calc_check_digits(body)


@given(cc.cpfs(), st.data())
def test_one_digit_corruption_of_a_cpf_is_rejected(cpf: Cpf, data: st.DataObject) -> None:
    corrupted = data.draw(cc.corrupted_tax_id(cpf))
    if _officially_valid(corrupted, 11) and corrupted[-2:] == cpf.digits[-2:]:
        assert Cpf.parse(corrupted).digits == corrupted  # another valid CPF
        return
    with pytest.raises(InvalidTaxId):
        Cpf.parse(corrupted)


@given(cc.cnpjs(), st.data())
def test_one_digit_corruption_of_a_cnpj_is_rejected(cnpj: Cnpj, data: st.DataObject) -> None:
    corrupted = data.draw(cc.corrupted_tax_id(cnpj))
    if _officially_valid(corrupted, 14) and corrupted[-2:] == cnpj.digits[-2:]:
        assert Cnpj.parse(corrupted).digits == corrupted  # another valid CNPJ
        return
    with pytest.raises(InvalidTaxId):
        Cnpj.parse(corrupted)


@given(cc.cpfs() | cc.cnpjs(), st.data())
def test_a_changed_check_digit_is_always_rejected(tax_id: Cpf | Cnpj, data: st.DataObject) -> None:
    position = data.draw(st.sampled_from([-1, -2]))
    digit = tax_id.digits[position]
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != digit]))
    chars = list(tax_id.digits)
    chars[position] = other
    with pytest.raises(InvalidTaxId):
        parse_tax_id("".join(chars))


@given(cc.cpfs() | cc.cnpjs())
def test_repr_never_shows_the_whole_number(tax_id: Cpf | Cnpj) -> None:
    assert tax_id.digits not in repr(tax_id)
    assert tax_id.formatted not in repr(tax_id)


# The constructor takes the canonical form only (what ``parse`` returns and
# storage holds), and refuses anything else with the same error as ``parse``.


@pytest.mark.parametrize(
    "digits",
    ["123", "52998224724", "11111111111", "529.982.247-25", "5299822472a", " 52998224725", ""],
)
def test_cpf_constructor_refuses_what_is_not_a_canonical_cpf(digits: str) -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cpf(digits)
    assert (info.value.code, info.value.field) == ("invalid_cpf", "tax_id")


@pytest.mark.parametrize(
    "digits",
    [
        "x",
        "11222333000182",
        "00000000000000",
        "12abc34501de35",
        "11.222.333/0001-81",
        "12ABC34501DE3A",
    ],
)
def test_cnpj_constructor_refuses_what_is_not_a_canonical_cnpj(digits: str) -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cnpj(digits)
    assert (info.value.code, info.value.field) == ("invalid_cnpj", "tax_id")


@pytest.mark.parametrize("bad", [None, 52998224725, b"52998224725"])
def test_tax_id_constructors_refuse_what_is_not_text(bad: object) -> None:
    for cls in (Cpf, Cnpj):
        with pytest.raises(InvalidTaxId):
            cls(bad)  # type: ignore[arg-type]


@given(cc.cpfs() | cc.cnpjs())
def test_the_canonical_form_constructs_the_same_value(tax_id: Cpf | Cnpj) -> None:
    assert type(tax_id)(tax_id.digits) == tax_id


def test_parse_still_reports_its_caller_field() -> None:
    with pytest.raises(InvalidTaxId) as info:
        Cpf.parse("529.982.247-24", field="contacts.tax_id")
    assert info.value.field == "contacts.tax_id"


@given(cc.cpfs() | cc.cnpjs(), st.integers(0, 13), st.sampled_from("0123456789AZaz "))
def test_the_constructor_and_parse_agree_on_a_changed_character(
    tax_id: Cpf | Cnpj, position: int, char: str
) -> None:
    # The constructor's check digits are computed apart from stdnum's (parse).
    chars = list(tax_id.digits)
    chars[position % len(chars)] = char
    text = "".join(chars)
    cls = type(tax_id)
    try:
        cls(text)
    except InvalidTaxId:
        constructs = False
    else:
        constructs = True
    assert constructs == (cls.is_valid(text) and text == cls.parse(text).digits)
