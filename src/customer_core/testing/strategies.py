"""Hypothesis strategies for every value object and for whole customers.

Public: host applications use them in their own property-based tests.

>>> from hypothesis import given
>>> from customer_core.testing import strategies as st_cc
>>> @given(st_cc.cpfs())
... def test_cpf_round_trip(cpf):
...     assert type(cpf).parse(str(cpf)) == cpf
>>> test_cpf_round_trip()
"""

from __future__ import annotations

import string
import unicodedata
from datetime import datetime, timezone

import phonenumbers
from hypothesis import strategies as st
from stdnum.br import cnpj as _cnpj

from customer_core.domain.model.customer import Customer, CustomerKind, Source
from customer_core.domain.values._data.area_codes import BR_AREA_CODES
from customer_core.domain.values.address import UFS, Address, AddressType
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import (
    MessengerApp,
    MessengerId,
    SocialNetwork,
    SocialProfile,
)
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.domain.values.tax_id import Cnpj, Cpf, cpf_check_digits

__all__ = [
    "BR_AREA_CODES",
    "addresses",
    "br_landlines",
    "br_mobiles",
    "br_phones",
    "cnpj_spellings",
    "cnpjs",
    "corrupted_tax_id",
    "cpf_check_digits",
    "cpf_spellings",
    "cpfs",
    "customers",
    "email_spellings",
    "emails",
    "invalid_phone_texts",
    "messenger_ids",
    "phone_spellings",
    "social_profiles",
]

_ALNUM = string.digits + string.ascii_uppercase


@st.composite
def cpfs(draw: st.DrawFn) -> Cpf:
    """Valid CPFs (check digits computed, repeated sequences excluded)."""
    body = draw(st.text(string.digits, min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1))
    return Cpf.parse(body + cpf_check_digits(body))


@st.composite
def cnpjs(draw: st.DrawFn, *, alphanumeric: bool = True) -> Cnpj:
    """Valid CNPJs; with ``alphanumeric`` some have letters in the first 12 characters."""
    alphabet = _ALNUM if alphanumeric else string.digits
    body = draw(st.text(alphabet, min_size=12, max_size=12).filter(lambda s: len(set(s)) > 1))
    return Cnpj.parse(body + _cnpj.calc_check_digits(body))


def _separated(draw: st.DrawFn, formatted: str) -> str:
    style = draw(st.sampled_from(["formatted", "bare", "spaced", "lower"]))
    if style == "bare":
        text = "".join(c for c in formatted if c.isalnum())
    elif style == "spaced":
        text = f"  {formatted}\t"
    else:
        text = formatted.lower()
    return text


@st.composite
def cpf_spellings(draw: st.DrawFn, cpf: Cpf) -> str:
    """Ways a user may type ``cpf``."""
    return _separated(draw, cpf.formatted)


@st.composite
def cnpj_spellings(draw: st.DrawFn, cnpj: Cnpj) -> str:
    """Ways a user may type ``cnpj`` (formatted, bare, lower-case letters...)."""
    return _separated(draw, cnpj.formatted)


@st.composite
def corrupted_tax_id(draw: st.DrawFn, tax_id: Cpf | Cnpj) -> str:
    """``tax_id`` with exactly one digit changed, among the changes that make it invalid.

    Most single-digit changes break a check digit, but not all: the check
    digit is the remainder mod 11 mapped to 0..9, so remainders 10 and 0 both
    give 0, and a changed digit can land on another valid number
    (``52313770907``). Those are left out.
    """
    digits = tax_id.digits
    kind = type(tax_id)
    invalid = [
        corrupted
        for position, character in enumerate(digits)
        if character.isdigit()
        for replacement in string.digits
        if replacement != character
        and not kind.is_valid(corrupted := digits[:position] + replacement + digits[position + 1 :])
    ]
    return draw(st.sampled_from(invalid))


def _valid(e164: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))


@st.composite
def br_mobiles(draw: st.DrawFn) -> Phone:
    """Valid Brazilian mobiles (9 + [6-9] + 7 digits)."""
    area = draw(st.sampled_from(BR_AREA_CODES))
    rest = draw(st.sampled_from("6789")) + draw(st.text(string.digits, min_size=7, max_size=7))
    e164 = f"+55{area}9{rest}"
    return Phone.parse(draw(st.just(e164).filter(_valid)), type=PhoneType.MOBILE)


@st.composite
def br_landlines(draw: st.DrawFn) -> Phone:
    """Valid Brazilian landlines ([2-5] + 7 digits)."""
    area = draw(st.sampled_from(BR_AREA_CODES))
    rest = draw(st.sampled_from("2345")) + draw(st.text(string.digits, min_size=7, max_size=7))
    e164 = f"+55{area}{rest}"
    return Phone.parse(draw(st.just(e164).filter(_valid)), type=PhoneType.LANDLINE)


def br_phones() -> st.SearchStrategy[Phone]:
    return st.one_of(br_mobiles(), br_landlines())


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@st.composite
def phone_spellings(draw: st.DrawFn, phone: Phone) -> str:
    """Ways Brazilians type ``phone`` (a Brazilian number): all give the same match key."""
    nsn = phone.e164[3:]
    area, local = nsn[:2], nsn[2:]
    spellings = [
        phone.e164,
        phone.e164[1:],
        "00" + phone.e164[1:],
        f"+55 ({area}) {local[:-4]}-{local[-4:]}",
        f"({area}) {local[:-4]}-{local[-4:]}",
        f"0{area} {local}",
        f"0 21 {area} {local[:-4]} {local[-4:]}",
        f"{area}.{local[:-4]}.{local[-4:]}",
        f"+55\u00a0{area}\u00a0{local}",
        _fullwidth(f"({area}) {local}"),
        f"0xx{area} {local[:-4]}-{local[-4:]}",
        f"(0XX{area}){local[:-4]}-{local[-4:]}",
        f"{area}/{local[:-4]}-{local[-4:]}",
        f"++55 {area} {local}",
        f"tel:+55-{area}-{local[:-4]}-{local[-4:]}",
        f"{area} {local[:-4]}\u2013{local[-4:]}",
        f"{area} {local[:-4]}\u200b{local[-4:]}",
        f"({area}) {local[:-4]}-{local[-4:]} (whats)",
        f"{area} {local} cel",
        f"Fone: ({area}) {local[:-4]}-{local[-4:]}",
        f"(whats) {area} {local}",
    ]
    if phone.type is PhoneType.MOBILE:
        spellings += [f"whatsapp:{phone.e164}", f"wa.me/{phone.e164[1:]}"]
    if phone.type is PhoneType.MOBILE and len(local) == 9:
        spellings += [f"+55 {area} {local[1:5]}-{local[5:]}", f"55{area}{local[1:]}"]
    return draw(st.sampled_from(spellings))


def invalid_phone_texts() -> st.SearchStrategy[str]:
    """Inputs that must be rejected: letters, too short, too long, two numbers, no DDD."""
    return st.one_of(
        st.sampled_from(
            [
                "",
                "   ",
                "abc",
                "11 9876-ABCD",
                "123",
                "98765-4321",
                "3333-4444",
                "11 98765-4321 / 11 3333-4444",
                "11 98765-4321, 11 98765-4322",
                "+55 11 98765-4321 0000 0000",
                "+55 11 98765-43210",
                "11 98765+4321",
            ]
        ),
        st.text(string.ascii_letters, min_size=1, max_size=12),
        st.text(string.digits, min_size=1, max_size=7),
    )


_LOCAL = st.text(string.ascii_letters + string.digits, min_size=1, max_size=12)
_DOMAIN_LABEL = st.text(string.ascii_lowercase, min_size=2, max_size=10)


@st.composite
def emails(draw: st.DrawFn) -> Email:
    local = draw(_LOCAL)
    if draw(st.booleans()):
        local += "." + draw(_LOCAL)
    domain = draw(_DOMAIN_LABEL) + "." + draw(st.sampled_from(["com", "com.br", "org", "net.br"]))
    return Email.parse(f"{local}@{domain}")


@st.composite
def email_spellings(draw: st.DrawFn, email: Email) -> str:
    """``email`` with case changes and surrounding spaces (same match key)."""
    text = str(email)
    variant = draw(st.sampled_from([text, text.upper(), text.lower(), f" {text} "]))
    return unicodedata.normalize("NFC", variant)


_HANDLE = st.text(string.ascii_lowercase + string.digits + "._", min_size=2, max_size=20).filter(
    lambda s: s[0].isalnum()
)


@st.composite
def social_profiles(draw: st.DrawFn) -> SocialProfile:
    network = draw(
        st.sampled_from(
            [n for n in SocialNetwork if n not in (SocialNetwork.OTHER, SocialNetwork.WHATSAPP)]
        )
    )
    return SocialProfile.parse(draw(_HANDLE), network=network)


@st.composite
def messenger_ids(draw: st.DrawFn) -> MessengerId:
    app = draw(st.sampled_from([MessengerApp.WHATSAPP, MessengerApp.TELEGRAM]))
    if app is MessengerApp.WHATSAPP:
        return MessengerId.parse(app, draw(br_mobiles()).match_key)
    return MessengerId.parse(app, str(draw(st.integers(1, 10**10))))


_WORDS = st.sampled_from(
    ["Rua das Flores", "Av. Brasil", "Rua XV de Novembro", "Travessa São João", "Alameda Santos"]
)
_CITIES = st.sampled_from(["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Recife", "Curitiba"])


@st.composite
def addresses(draw: st.DrawFn) -> Address:
    return Address.create(
        type=draw(st.sampled_from(list(AddressType))),
        street=draw(_WORDS),
        number=str(draw(st.integers(1, 9999))),
        neighborhood=draw(st.sampled_from(["Centro", "Boa Vista", "Jardim América"])),
        city=draw(_CITIES),
        uf=draw(st.sampled_from(sorted(UFS))),
        cep=draw(st.text(string.digits, min_size=8, max_size=8).filter(lambda s: s != "0" * 8)),
    )


_FIRST = ["Ana", "João", "Maria", "José", "Antônio", "Francisca", "Luíza", "Carlos", "Márcia"]
_LAST = ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Conceição", "Araújo", "Gonçalves"]


@st.composite
def person_names(draw: st.DrawFn) -> str:
    return f"{draw(st.sampled_from(_FIRST))} {draw(st.sampled_from(_LAST))}"


@st.composite
def customers(draw: st.DrawFn, *, tenant_id: str = "tenant-1") -> Customer:
    """Whole, valid customers (unique identifiers within the record)."""
    kind = draw(st.sampled_from(list(CustomerKind)))
    tax_ids: st.SearchStrategy[Cpf | Cnpj] = cpfs() if kind is CustomerKind.PERSON else cnpjs()
    tax_id = draw(st.none() | tax_ids)
    phones = draw(st.lists(br_phones(), max_size=3, unique_by=lambda p: p.match_key))
    mails = draw(st.lists(emails(), max_size=3, unique_by=lambda e: e.match_key))
    profiles = draw(st.lists(social_profiles(), max_size=3, unique_by=lambda p: p.network))
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return Customer.create(
        id=draw(st.uuids()).hex,
        tenant_id=tenant_id,
        name=draw(person_names()),
        now=now,
        kind=kind,
        source=draw(st.sampled_from(list(Source))),
        tax_id=tax_id,
        phones=tuple(phones),
        emails=tuple(mails),
        social_profiles=tuple(profiles),
        messenger_ids=tuple(
            draw(st.lists(messenger_ids(), max_size=2, unique_by=lambda m: m.match_key))
        ),
        addresses=tuple(draw(st.lists(addresses(), max_size=2))),
    )
