from __future__ import annotations

import contextlib
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from customer_core import InvalidPhone, Phone, PhoneType
from customer_core.domain.values.phone_spelling import parse_international
from customer_core.testing import strategies as cc

SAME_LINE = [
    "+55 11 98765-4321",
    "+5511987654321",
    "5511987654321",
    "005511987654321",
    "0055 11 98765 4321",
    "(11) 98765-4321",
    "11987654321",
    "011 98765-4321",
    "0 21 11 98765-4321",
    "0xx11 98765-4321".replace("xx", ""),
    "11.98765.4321",
    "+55\u00a011\u00a098765-4321",
    "\uff08\uff11\uff11\uff09 \uff19\uff18\uff17\uff16\uff15-\uff14\uff13\uff12\uff11",
    "\t(11)\t98765-4321\t",
    "+55 11 8765-4321",
    "551187654321",
    "11 8765-4321",
    "00 21 55 11 98765-4321",
]


@pytest.mark.parametrize("text", SAME_LINE)
def test_brazilian_habits_give_one_match_key(text: str) -> None:
    assert Phone.parse(text).match_key == "5511987654321"


def test_landline_is_not_given_a_ninth_digit() -> None:
    phone = Phone.parse("(11) 3333-4444")
    assert phone.e164 == "+551133334444"
    assert phone.type is PhoneType.LANDLINE


@pytest.mark.parametrize(
    ("text", "extension"),
    [("11 3333-4444 ramal 21", "21"), ("(11) 3333-4444 r. 5", "5"), ("11 3333-4444 x123", "123")],
)
def test_extension_words(text: str, extension: str) -> None:
    phone = Phone.parse(text)
    assert phone.extension == extension
    assert phone.match_key == "551133334444"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "11 9876-ABCD",
        "98765-4321",
        "12345",
        "11 98765-4321 / 11 3333-4444",
        "11 98765-4321 ou 11 3333-4444",
        "+55 11 98765-43210",
        "+55 11 98765-4321 12345678",
        "11 98765+4321",
    ],
)
def test_invalid_input_raises_invalid_phone(text: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        Phone.parse(text)
    assert info.value.code == "invalid_phone"
    assert info.value.field == "phone"


def test_foreign_numbers_keep_their_country() -> None:
    assert Phone.parse("+1 212 555 0123").e164 == "+12125550123"
    assert Phone.parse("00 21 1 212 555 0123").e164 == "+12125550123"
    assert Phone.parse("212 555 0123", default_region="US").e164 == "+12125550123"


def test_toll_free() -> None:
    assert Phone.parse("0800 123 4567").e164 == "+558001234567"


def test_from_parts_matches_parse() -> None:
    parts = Phone.from_parts("+55", "(011)", "98765-4321", type="mobile")
    assert parts == Phone.parse("11 98765-4321", type=PhoneType.MOBILE)
    with pytest.raises(InvalidPhone):
        Phone.from_parts("55", "", "98765-4321")


@pytest.mark.parametrize(
    ("ddi", "ddd", "number"),
    [
        ("0055", "11", "98765-4321"),  # DDI with the international prefix
        ("+55", "", "(11) 98765-4321"),  # the DDD only in the number
        ("55", "", "011 98765-4321"),  # ... after a trunk 0
        ("55", "11", "11 98765-4321"),  # the DDD in both
        ("55", "11", "011987654321"),
    ],
)
def test_from_parts_takes_the_ways_people_fill_the_fields(ddi: str, ddd: str, number: str) -> None:
    assert Phone.from_parts(ddi, ddd, number) == Phone.parse("+55 11 98765-4321")


def test_from_parts_does_not_read_a_ddd_into_other_numbers() -> None:
    assert Phone.from_parts("55", "21", "3333-4444").e164 == "+552133334444"
    with pytest.raises(InvalidPhone):  # a toll-free number is not area 80
        Phone.from_parts("55", "", "0800 123 4567")


def test_typed_is_kept_but_not_compared() -> None:
    a, b = Phone.parse(" (11) 98765-4321 "), Phone.parse("+5511987654321")
    assert a == b and a.typed == "(11) 98765-4321"


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(InvalidPhone):
        Phone.parse("11 98765-4321", type="pager")


@given(cc.br_phones(), st.data())
def test_every_spelling_gives_the_same_key(phone: Phone, data: st.DataObject) -> None:
    text = data.draw(cc.phone_spellings(phone))
    assert Phone.parse(text).match_key == phone.match_key


@given(cc.br_phones())
def test_round_trip(phone: Phone) -> None:
    assert Phone.parse(str(phone), type=phone.type) == phone


@given(cc.invalid_phone_texts())
def test_garbage_is_rejected(text: str) -> None:
    with pytest.raises(InvalidPhone):
        Phone.parse(text)


@given(cc.br_phones())
def test_repr_masks(phone: Phone) -> None:
    assert phone.e164 not in repr(phone)


def _parse_outcome(parse: Callable[[], object]) -> object:
    try:
        return parse()
    except phonenumbers.NumberParseException as exc:
        return exc.error_type


@given(st.text(alphabet="0123456789", max_size=18))
def test_international_short_cut_builds_what_phonenumbers_parses(digits: str) -> None:
    expected = _parse_outcome(lambda: phonenumbers.parse("+" + digits, None))
    assert _parse_outcome(lambda: parse_international(digits)) == expected


@given(
    st.sampled_from(["55", "550", "5590", "55901", "5509"]),
    st.text(alphabet="0123456789", max_size=15),
)
def test_brazilian_short_cut_builds_what_phonenumbers_parses(prefix: str, rest: str) -> None:
    # The short cut decides from the digits alone when parse would strip a
    # national prefix (a trunk 0 or the collect-call 90, with a carrier code).
    digits = prefix + rest
    expected = _parse_outcome(lambda: phonenumbers.parse("+" + digits, None))
    assert _parse_outcome(lambda: parse_international(digits)) == expected


def test_international_short_cut_on_every_example_number() -> None:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(11):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                digits = phonenumbers.format_number(example, PhoneNumberFormat.E164)[1:]
                assert parse_international(digits) == phonenumbers.parse("+" + digits, None)


@given(st.text(alphabet="0123456789", min_size=4, max_size=17))
def test_a_number_has_a_type_exactly_when_it_is_valid(digits: str) -> None:
    # Phone.parse validates with number_type alone; is_valid_number must agree.
    for number in _numbers(digits):
        valid = phonenumbers.is_valid_number(number)
        assert (phonenumbers.number_type(number) != PhoneNumberType.UNKNOWN) == valid


def test_every_example_number_has_a_type_exactly_when_it_is_valid() -> None:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(11):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                valid = phonenumbers.is_valid_number(number)
                assert (phonenumbers.number_type(number) != PhoneNumberType.UNKNOWN) == valid


def _numbers(digits: str) -> list[phonenumbers.PhoneNumber]:
    found = []
    for text in ("+" + digits, "+55" + digits):
        with contextlib.suppress(phonenumbers.NumberParseException):
            found.append(phonenumbers.parse(text, None))
    return found


def test_a_cached_parse_still_reports_its_caller_field() -> None:
    assert Phone.parse("+55 11 98765-4321") is Phone.parse("+55 11 98765-4321")
    for field in ("phones", "contact.phone"):
        with pytest.raises(InvalidPhone) as raised:
            Phone.parse("+55 11 1234", field=field)
        assert raised.value.field == field


@pytest.mark.parametrize(
    "fields",
    [
        {"e164": "x"},
        {"e164": "5511987654321"},  # no "+"
        {"e164": "+0511987654321"},
        {"e164": "+55 11 98765-4321"},  # a display form, not E.164
        {"e164": "+12345"},  # too short: parse gives 6 digits at least
        {"e164": "+123456789012345678"},  # too long: parse takes 17 digits at most
        {"e164": "+5511987654321\n"},
        {"e164": "+٥٥11987654321"},  # non-ASCII digits
        {"e164": None},
        {"e164": "+5511987654321", "type": "mobile"},
        {"e164": "+5511987654321", "extension": "12a"},
        {"e164": "+5511987654321", "extension": ""},
        {"e164": "+5511987654321", "typed": None},
    ],
)
def test_constructor_refuses_what_is_not_a_canonical_phone(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidPhone) as info:
        Phone(**fields)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("invalid_phone", "phone")


def test_constructor_takes_the_canonical_form() -> None:
    phone = Phone("+5511987654321", PhoneType.MOBILE, "123", typed="(11) 98765-4321 r. 123")
    assert phone == Phone.parse("(11) 98765-4321 ramal 123", type="mobile")


@pytest.mark.parametrize(
    "text",
    [
        "+43 1110",  # 6 digits (an Austrian short fixed line)
        "+98 9601",  # 6 digits (Iran)
        "+49 30 1234567890123",  # 17 digits (a German fixed line)
    ],
)
def test_constructor_takes_every_length_parse_gives(text: str) -> None:
    # Shorter and longer than the 7 to 15 digits of E.164 proper: phonenumbers
    # calls them valid, so parse stores them, and they must load back.
    phone = Phone.parse(text)
    assert Phone(phone.e164, phone.type, phone.extension, phone.typed) == phone


@pytest.mark.parametrize(
    ("typed", "e164", "extension"),
    [
        ("0xx11 98765-4321", "+5511987654321", None),
        ("(0XX11)98765-4321", "+5511987654321", None),
        ("(0xx21) 99801-8511", "+5521998018511", None),
        ("0 21 11 98765-4321", "+5511987654321", None),
        ("11/98765-4321", "+5511987654321", None),
        ("++55 11 98765-4321", "+5511987654321", None),
        ("tel:+55-11-98765-4321", "+5511987654321", None),
        ("whatsapp:+5511987654321", "+5511987654321", None),
        ("wa.me/5511987654321", "+5511987654321", None),
        ("https://wa.me/5511987654321", "+5511987654321", None),
        ("11 98765\u20134321", "+5511987654321", None),  # en dash
        ("11 98765\u20144321", "+5511987654321", None),  # em dash
        ("11\u00a098765\u200b-4321", "+5511987654321", None),  # no-break, zero-width
        (
            "\uff11\uff11 \uff19\uff18\uff17\uff16\uff15-\uff14\uff13\uff12\uff11",
            "+5511987654321",
            None,
        ),
        ("+55 11 3333-4444;ext=99", "+551133334444", "99"),
        ("11 3333-4444 ramal 12", "+551133334444", "12"),
        ("11 3333-4444 r. 12", "+551133334444", "12"),
        ("11 3333-4444 x12", "+551133334444", "12"),
        ("11 98765-4321 (whats)", "+5511987654321", None),
        ("11 98765-4321 whatsapp", "+5511987654321", None),
        ("11 98765-4321 cel", "+5511987654321", None),
        ("11 98765-4321 celular", "+5511987654321", None),
        ("11 3333-4444 comercial", "+551133334444", None),
        ("11 3333-4444 res.", "+551133334444", None),
        ("0800 123 4567", "+558001234567", None),
        ("0300 123 4567", "+553001234567", None),
        ("4004-0001", "+5540040001", None),
        ("3003-1234", "+5530031234", None),
    ],
)
def test_the_real_spellings_of_one_number_are_accepted(
    typed: str, e164: str, extension: str | None
) -> None:
    phone = Phone.parse(typed)
    assert (phone.e164, phone.extension) == (e164, extension)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("Cel: (11) 98765-4321", "+5511987654321"),
        ("Fone: (11) 3333-4444", "+551133334444"),
        ("whats 11 98765-4321", "+5511987654321"),
        ("(whats) 11 98765-4321", "+5511987654321"),
        ("WhatsApp - 11 98765-4321", "+5511987654321"),
        ("Celular: +55 11 98765-4321", "+5511987654321"),
        ("Cel. 11 98765-4321", "+5511987654321"),
        ("Tel.: 11 3333-4444", "+551133334444"),
        ("Telefone: 11 3333-4444", "+551133334444"),
        ("Tel: 11 3333-4444", "+551133334444"),  # a tel: scheme, as before
        ("whatsapp: 11 98765-4321", "+5511987654321"),
        ("Res. 11 3333-4444", "+551133334444"),
        ("Comercial: 11 3333-4444 ramal 12", "+551133334444"),
        ("zap 11987654321", "+5511987654321"),
        ("FONE:(11)3333-4444", "+551133334444"),
        ("Cel: 11 98765-4321 (whats)", "+5511987654321"),  # a note on each side
        ("11 3333-4444 fone", "+551133334444"),  # the words are the trailing notes' too
        ("11 98765-4321 cel.", "+5511987654321"),
    ],
)
def test_a_note_before_the_number_is_accepted_as_after_it(typed: str, e164: str) -> None:
    """``Cel: (11) 98765-4321`` was refused (``characters``), ``... cel`` accepted."""
    assert Phone.parse(typed).e164 == e164


@pytest.mark.parametrize(
    "typed",
    [
        "Rua 11 98765-4321",  # never picked out of other text
        "CPF 11987654321",
        "0800 FLORES1",  # letters other than the known notes
        "98765-4321",  # no area code
        "Celso 11 98765-4321",  # a word that starts like a note is not one
        "Ligar cel 11 98765-4321",  # a note, but in a sentence
        "Cel: Ana 11 98765-4321",  # a note, then other text
        "cel cel 11 98765-4321",  # one note a side
        "com 11 3333-4444",  # "com." abbreviates comercial; "com" is a word
        "Cel:",
    ],
)
def test_a_number_is_never_picked_out_of_other_text(typed: str) -> None:
    with pytest.raises(InvalidPhone) as raised:
        Phone.parse(typed)
    assert raised.value.details["reason"] in ("characters", "no_area_code", "empty")


# -- the canonical fast path -------------------------------------------------------

#: Every national number shape after +55: any two-digit area code (valid or not),
#: 8 or 9 more digits starting with any digit.
_br_nationals = st.builds(
    lambda area, first, rest, nine: f"{area:02d}{first}{rest:0{7 + nine}d}",
    st.integers(10, 99),
    st.integers(0, 9),
    st.integers(0, 99_999_999),
    st.integers(0, 1),
).filter(lambda n: len(n) in (10, 11))


@given(_br_nationals)
def test_canonical_br_numbers_parse_as_the_full_path_does(national: str) -> None:
    """Gateways send E.164; its shortcut gives what phonenumbers gives, or steps aside."""
    from customer_core.domain.values.phone import _canonical_br

    text = "+55" + national
    fast = _canonical_br(text)
    try:
        full = Phone._parse(text, "BR", None, None, "phone")
    except InvalidPhone:
        assert fast is None
        return
    if fast is not None:
        assert (fast.e164, fast.type, fast.extension, fast.typed) == (
            full.e164,
            full.type,
            full.extension,
            full.typed,
        )


@pytest.mark.parametrize(
    ("text", "e164", "kind"),
    [
        ("+5511987654321", "+5511987654321", PhoneType.MOBILE),
        ("+551133334444", "+551133334444", PhoneType.LANDLINE),
        ("+551187654321", "+5511987654321", PhoneType.MOBILE),  # legacy: the full path
        ("+5508001234567", None, None),  # no area code 08: the full path decides
    ],
)
def test_canonical_shortcut_cases(text: str, e164: str | None, kind: PhoneType | None) -> None:
    from customer_core.domain.values.phone import _canonical_br

    fast = _canonical_br(text)
    if e164 is None or e164 != text:
        assert fast is None
    else:
        assert fast is not None and (fast.e164, fast.type) == (e164, kind)
    if e164 is not None:
        assert (Phone.parse(text).e164, Phone.parse(text).type) == (e164, kind)


def test_canonical_shortcut_agrees_on_every_area_code_and_first_digit() -> None:
    from customer_core.domain.values.phone import _canonical_br

    taken = 0
    for area in range(10, 100):
        for first in "0123456789":
            for national in (f"{area}{first}1234567", f"{area}{first}12345678"):
                text = "+55" + national
                fast = _canonical_br(text)
                try:
                    full = Phone._parse(text, "BR", None, None, "phone")
                except InvalidPhone:
                    assert fast is None, text
                    continue
                if fast is not None:
                    taken += 1
                    assert (fast.e164, fast.type) == (full.e164, full.type), text
    assert taken > 60 * 5  # the shortcut does serve the valid landlines and mobiles
