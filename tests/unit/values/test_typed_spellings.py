"""Spellings of real input that lost valid values or gave the wrong error (review 4, #8 #9 #12 #14b)."""

from __future__ import annotations

import unicodedata

import pytest

from customer_core import (
    Address,
    Code,
    Cpf,
    Email,
    ExternalId,
    InvalidAddress,
    InvalidExternalId,
    InvalidMessengerId,
    InvalidPhone,
    InvalidSocialProfile,
    InvalidTaxId,
    InvalidWebsite,
    MessengerId,
    Phone,
    PhoneType,
    Website,
    parse_tax_id,
)
from customer_core.domain.values.text import clean_text

# -- phones: extension and type given apart ------------------------------------


@pytest.mark.parametrize(("extension", "stored"), [(25, "25"), (0, "0"), ("25", "25"), (" ", None)])
def test_an_extension_is_digits_as_text_or_a_non_negative_integer(
    extension: object, stored: str | None
) -> None:
    phone = Phone.parse("11 3333-4444", extension=extension)  # type: ignore[arg-type]
    assert phone.extension == stored


@pytest.mark.parametrize("extension", [True, 2.5, 25.0, -1, "2a", ["25"], b"25"])
def test_an_extension_of_another_kind_is_an_invalid_phone(extension: object) -> None:
    with pytest.raises(InvalidPhone) as info:
        Phone.parse("11 3333-4444", extension=extension, field="phones")  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == (Code.INVALID_PHONE, "phones")
    assert info.value.details == {"reason": "extension"}


@pytest.mark.parametrize("kind", [5, True, ["home"], "castle"])
def test_a_type_of_another_kind_is_an_invalid_phone(kind: object) -> None:
    with pytest.raises(InvalidPhone) as info:
        Phone.parse("11 3333-4444", type=kind)  # type: ignore[arg-type]
    assert info.value.details == {"reason": "type"}
    with pytest.raises(InvalidPhone) as info:
        Phone.from_parts("55", "11", "3333-4444", type=kind)  # type: ignore[arg-type]
    assert info.value.details == {"reason": "type"}


# -- phones: extension and note spellings -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "11 3333-4444 ramal: 25",
        "(11) 3333-4444 R: 25",
        "(11) 3333-4444 r 25",
        "11 3333-4444 Ramal 25",
        "11 3333-4444 r. 25",
        "11 3333-4444 ext: 25",
    ],
)
def test_an_extension_spelled_with_a_colon_or_a_bare_r_is_read(text: str) -> None:
    phone = Phone.parse(text)
    assert (phone.e164, phone.extension, phone.type) == (
        "+551133334444",
        "25",
        PhoneType.LANDLINE,
    )


@pytest.mark.parametrize(
    "text", ["(11) 3333-4444 fax", "11 3333-4444 (fax)", "Fax: 11 3333-4444", "FAX 1133334444"]
)
def test_a_fax_note_makes_a_fax_line(text: str) -> None:
    phone = Phone.parse(text)
    assert (phone.e164, phone.type, phone.message_number) == (
        "+551133334444",
        PhoneType.FAX,
        False,
    )


def test_a_type_given_apart_wins_over_the_note_and_recado_stays_a_recado() -> None:
    assert Phone.parse("11 3333-4444 fax", type="work").type is PhoneType.WORK
    recado = Phone.parse("Fax: 11 3333-4444 (recado)")
    assert (recado.type, recado.message_number) == (PhoneType.OTHER, True)


def test_letters_around_a_number_are_still_refused() -> None:
    for text in ("11 3333-4444 faxina", "11 3333-4444 r: 25 x", "ramal 25"):
        with pytest.raises(InvalidPhone):
            Phone.parse(text)


# -- CPF / CNPJ label ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["CPF 529.982.247-25", "cpf: 529.982.247-25", "CPF:52998224725", " CPF  52998224725 "]
)
def test_a_cpf_label_is_dropped(text: str) -> None:
    assert parse_tax_id(text) == Cpf.parse("529.982.247-25")
    assert Cpf.parse(text).digits == "52998224725"


def test_the_label_never_decides_the_kind() -> None:
    # The length does: a CPF labelled CNPJ by mistake is the CPF it is, and back.
    assert parse_tax_id("CNPJ 529.982.247-25").kind == "cpf"
    assert parse_tax_id("CPF: 11.222.333/0001-81").kind == "cnpj"
    assert parse_tax_id("CNPJ: 11.222.333/0001-81").kind == "cnpj"
    # Without a space or a colon the letters may be an alphanumeric CNPJ's: kept.
    with pytest.raises(InvalidTaxId) as info:
        parse_tax_id("CPF52998224725")
    assert info.value.code == Code.INVALID_CNPJ


# -- addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "stored"),
    [
        ("false", False),
        ("0", False),
        ("no", False),
        ("não", False),
        ("NAO", False),
        ("n", False),
        ("Inativo", False),
        ("inativa", False),
        (0, False),
        (False, False),
        ("true", True),
        ("1", True),
        ("Sim", True),
        ("s", True),
        ("ATIVO", True),
        ("ativa", True),
        ("yes", True),
        (1, True),
        (True, True),
        (None, True),
    ],
)
def test_an_address_is_active_as_its_usual_spellings_say(active: object, stored: bool) -> None:
    address = Address.create(street="R", city="C", active=active)  # type: ignore[arg-type]
    assert address.active is stored


@pytest.mark.parametrize("active", ["", "talvez", "off", 2, -1, 0.0, ["false"]])
def test_an_unknown_spelling_of_active_is_refused(active: object) -> None:
    with pytest.raises(InvalidAddress) as info:
        Address.create(street="R", city="C", active=active)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == (Code.INVALID_ADDRESS, "addresses.active")
    assert info.value.details == {"reason": "active"}


def test_a_cep_of_zeros_says_so() -> None:
    with pytest.raises(InvalidAddress) as info:
        Address.create(cep="00000-000")
    assert (info.value.code, info.value.message) == (Code.INVALID_CEP, "no CEP is all zeros")
    with pytest.raises(InvalidAddress, match="a CEP has 8 digits"):
        Address.create(cep="0000-000")


# -- online identifiers ------------------------------------------------------------


def test_a_long_external_id_says_it_is_too_long() -> None:
    with pytest.raises(InvalidExternalId) as info:
        ExternalId.parse("erp", "9" * 300)
    assert info.value.message == "too long: at most 255 characters"
    with pytest.raises(InvalidExternalId, match="the system is too long: at most 64"):
        ExternalId.parse("e" * 65, "1")
    with pytest.raises(InvalidExternalId, match="needs a system and an id"):
        ExternalId.parse("erp", " ")


def test_each_online_identifier_has_its_own_error_class_under_social_profile() -> None:
    with pytest.raises(InvalidWebsite) as website:
        Website.parse("not a site")
    with pytest.raises(InvalidMessengerId) as messenger:
        MessengerId.parse("whatsapp", "joao")
    with pytest.raises(InvalidExternalId) as external:
        ExternalId.parse("", "1")
    assert website.value.code == Code.INVALID_WEBSITE
    assert messenger.value.code == Code.INVALID_MESSENGER_ID
    assert external.value.code == Code.INVALID_EXTERNAL_ID
    # Hosts that catch the common base keep catching all of them.
    for error in (website.value, messenger.value, external.value):
        assert isinstance(error, InvalidSocialProfile)


# -- text: NFC, full-width e-mail ---------------------------------------------------


def test_free_text_is_stored_composed() -> None:
    typed = unicodedata.normalize("NFD", "São Paulo, Conceição")
    assert typed != "São Paulo, Conceição"
    assert clean_text(typed, "city") == "São Paulo, Conceição"
    address = Address.create(
        street=unicodedata.normalize("NFD", "Rua João"),
        neighborhood=unicodedata.normalize("NFD", "Jardim Paulistão"),
        city=typed,
        complement=unicodedata.normalize("NFD", "Fundos, térreo"),
    )
    assert (address.street, address.neighborhood, address.complement) == (
        "Rua João",
        "Jardim Paulistão",
        "Fundos, térreo",
    )
    assert address.city == "São Paulo, Conceição"


def test_a_full_width_e_mail_is_the_address_it_shows() -> None:
    wide = Email.parse("ＡＮＡ@x.com")
    assert (wide.address, wide.match_key) == ("ANA@x.com", "ana@x.com")
    assert wide == Email.parse("ana@x.com")
    assert Email.parse("ａｎａ＠ｘ.com").match_key == "ana@x.com"
    assert Email.parse("joão@x.com").match_key == "joão@x.com"  # other Unicode is kept
