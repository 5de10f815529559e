from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_core import (
    Email,
    ExternalId,
    InvalidEmail,
    InvalidSocialProfile,
    MessengerApp,
    MessengerId,
    SocialNetwork,
    SocialProfile,
    Website,
    email_match_key,
)
from customer_core.domain.values.email import _plain
from customer_core.domain.values.online import MAX_KEY
from customer_core.testing import strategies as cc


def test_email_keeps_local_part_and_matches_case_insensitively() -> None:
    a, b = Email.parse("Maria.Silva@Exemplo.com"), Email.parse("maria.silva@EXEMPLO.COM")
    assert str(a) == "Maria.Silva@exemplo.com"
    assert a == b and a.match_key == b.match_key == "maria.silva@exemplo.com"


def test_idn_domain() -> None:
    email = Email.parse("joão@exemplo.com.br")
    assert email.domain == "exemplo.com.br"
    ascii_domain = "açaí.com.br".encode("idna").decode()
    assert Email.parse("ana@açaí.com.br").match_key == f"ana@{ascii_domain}"
    assert ascii_domain.startswith("xn--")


@pytest.mark.parametrize("text", ["", "ana", "ana@", "@x.com", "ana@@x.com", "ana x@y.com", "a@b"])
def test_invalid_emails(text: str) -> None:
    with pytest.raises(InvalidEmail) as info:
        Email.parse(text)
    assert (info.value.code, info.value.field) == ("invalid_email", "email")


def test_plus_tags_and_gmail_dots_are_kept_unless_asked() -> None:
    email = Email.parse("Ana.Lima+promo@gmail.com")
    assert email.match_key == "ana.lima+promo@gmail.com"
    assert email_match_key(email, strip_plus_tags=True) == "ana.lima@gmail.com"
    assert email_match_key(email, ignore_gmail_dots=True) == "analima+promo@gmail.com"


@given(cc.emails(), st.data())
def test_email_spellings_share_the_key(email: Email, data: st.DataObject) -> None:
    assert Email.parse(data.draw(cc.email_spellings(email))).match_key == email.match_key
    assert Email.parse(str(email)) == email


@given(cc.emails())
def test_email_repr_masks(email: Email) -> None:
    assert str(email) not in repr(email)


@pytest.mark.parametrize(
    ("text", "network", "handle"),
    [
        ("https://www.instagram.com/joao.silva/", None, "joao.silva"),
        ("instagram.com/joao.silva?hl=pt", None, "joao.silva"),
        ("@joao.silva", "instagram", "joao.silva"),
        ("https://www.linkedin.com/in/joao-silva-123/", None, "joao-silva-123"),
        ("https://www.linkedin.com/company/acme", None, "company/acme"),
        ("https://www.facebook.com/profile.php?id=1000123", None, "1000123"),
        ("https://twitter.com/joao", None, "joao"),
        ("https://x.com/joao", "twitter", "joao"),
        ("https://www.tiktok.com/@joao", None, "joao"),
        ("https://t.me/joao_s", None, "joao_s"),
        ("https://wa.me/5511987654321", None, "5511987654321"),
    ],
)
def test_social_profile_links_become_handles(text: str, network: str | None, handle: str) -> None:
    assert SocialProfile.parse(text, network=network).handle == handle


def test_social_profile_errors() -> None:
    with pytest.raises(InvalidSocialProfile):
        SocialProfile.parse("joao")  # a bare handle needs a network
    with pytest.raises(InvalidSocialProfile):
        SocialProfile.parse("https://instagram.com/joao", network="facebook")
    with pytest.raises(InvalidSocialProfile):
        SocialProfile.parse("joao", network="myspace")


def test_profiles_compare_case_insensitively() -> None:
    a = SocialProfile.parse("@Joao", network="instagram")
    assert a == SocialProfile.parse("https://instagram.com/joao")
    assert a.url == "https://www.instagram.com/Joao"


def test_unknown_site_is_kept_as_link() -> None:
    profile = SocialProfile.parse("https://mastodon.social/@ana")
    assert profile.network is SocialNetwork.OTHER and profile.url == "https://mastodon.social/@ana"


def test_messenger_ids() -> None:
    wa = MessengerId.parse("WhatsApp", "+55 (11) 98765-4321")
    assert (wa.app, wa.id) == (MessengerApp.WHATSAPP, "5511987654321")
    with pytest.raises(InvalidSocialProfile) as info:
        MessengerId.parse("whatsapp", "joao")
    assert info.value.code == "invalid_messenger_id"
    with pytest.raises(InvalidSocialProfile):
        MessengerId.parse("pager", "1")


@pytest.mark.parametrize("wa_id", ["551101234567", "5500987654321", "98765432"])
def test_a_whatsapp_id_that_is_no_valid_number_is_refused(wa_id: str) -> None:
    # Digits of the right length, but +55 11 0123-4567 (a line starting with 0),
    # DDD 00, or a number without its area code: nobody's line.
    with pytest.raises(InvalidSocialProfile) as info:
        MessengerId.parse("whatsapp", wa_id)
    assert (info.value.code, info.value.field) == ("invalid_messenger_id", "messenger_ids")
    # Stored before parse checked the number, such an id still loads.
    assert MessengerId(MessengerApp.WHATSAPP, wa_id).phone_key is None


@pytest.mark.parametrize(
    "wa_id", ["5511987654321", "551187654321", "005511987654321", "14155552671"]
)
def test_a_whatsapp_id_of_a_valid_number_is_kept(wa_id: str) -> None:
    assert MessengerId.parse("whatsapp", wa_id).phone_key is not None


def test_websites_and_external_ids() -> None:
    assert Website.parse("www.Acme.com.br/").match_key == "acme.com.br"
    assert Website.parse("https://acme.com.br") == Website.parse("acme.com.br")
    with pytest.raises(InvalidSocialProfile):
        Website.parse("not a site")
    assert ExternalId.parse("ERP", "42").match_key == "erp:42"
    with pytest.raises(InvalidSocialProfile):
        ExternalId.parse("", "42")


def test_an_email_that_is_not_text_says_so() -> None:
    with pytest.raises(InvalidEmail, match="is text") as info:
        Email.parse(42)  # type: ignore[arg-type]
    assert info.value.code == "invalid_email"
    with pytest.raises(InvalidEmail, match="empty"):
        Email.parse("  ")


def test_identifiers_whose_key_would_not_fit_storage_are_refused() -> None:
    longest = "x" * (MAX_KEY - len("erp:"))
    assert len(ExternalId.parse("ERP", longest).match_key) == MAX_KEY
    with pytest.raises(InvalidSocialProfile, match="too long"):
        ExternalId.parse("ERP", longest + "x")
    with pytest.raises(InvalidSocialProfile, match="too long"):
        ExternalId.parse("e" * 64, "1" * 250)  # each part within its own limit
    with pytest.raises(InvalidSocialProfile, match="too long"):
        MessengerId.parse("telegram", "t" * 250)
    with pytest.raises(InvalidSocialProfile, match="too long"):
        SocialProfile.parse("https://example.org/" + "p" * 240)


def _full(text: str) -> tuple[str, str] | None:
    try:
        email = Email._parse(text, "email")
    except InvalidEmail:
        return None
    return email.address, email.match_key


_LOCALS = st.from_regex(r"[a-z0-9_+.-]{1,70}", fullmatch=True)
_DOMAINS = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,8}(\.[a-z0-9-]{1,8}){0,3}", fullmatch=True),
    st.sampled_from(
        [
            "gmail.com",
            "localhost",
            "a.test",
            "b.invalid",
            "c.local",
            "in-addr.arpa",
            "x.onion",
            "ab--c.com",
            "xn--bcher-kva.de",
            "1.2",
            "a.123",
            "a" * 64 + ".com",
            "a" * 63 + ".com",
        ]
    ),
)


@given(_LOCALS, _DOMAINS)
def test_canonical_short_cut_agrees_with_email_validator(local: str, domain: str) -> None:
    text = f"{local}@{domain}"
    fast = _plain(text)
    if fast is not None:
        assert (fast.address, fast.match_key) == _full(text)


def test_canonical_short_cut_still_refuses_what_the_validator_refuses() -> None:
    for text in ("ana@localhost", "ana@x.test", "ana..lima@x.com", "ana@ab--c.com"):
        with pytest.raises(InvalidEmail):
            Email.parse(text)
    long_local = "a" * 65 + "@x.com"  # beyond the short cut: the validator decides
    assert _plain(long_local) is None
    assert (Email.parse(long_local).address, Email.parse(long_local).match_key) == _full(long_local)
    assert Email.parse("ana.lima+loja@exemplo.com.br").match_key == "ana.lima+loja@exemplo.com.br"


# Constructors take the canonical form only (what ``parse`` returns and storage
# holds) and refuse anything else with the error ``parse`` raises.


@pytest.mark.parametrize(
    ("address", "match_key"),
    [
        ("x", "x"),
        ("ana@", "ana@"),
        ("@x.com", "@x.com"),
        ("ana x@y.com", "ana x@y.com"),
        ("ana@x.com", "Ana@x.com"),  # the key is lower case
        ("ana@x.com", "bia@x.com"),  # the key is the address's
        (None, "ana@x.com"),
        ("ana@x.com", 42),
    ],
)
def test_email_constructor_refuses_what_is_not_an_address(
    address: object, match_key: object
) -> None:
    with pytest.raises(InvalidEmail) as info:
        Email(address, match_key)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("invalid_email", "email")


@given(cc.emails())
def test_email_constructor_takes_what_parse_gives(email: Email) -> None:
    assert Email(email.address, email.match_key) == email
    assert Email("Ana@Exemplo.com", "ana@exemplo.com").address == "Ana@Exemplo.com"


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: SocialProfile("instagram", "ana"), "invalid_social_profile"),  # type: ignore[arg-type]
        (lambda: SocialProfile(SocialNetwork.INSTAGRAM, ""), "invalid_social_profile"),
        (lambda: SocialProfile(SocialNetwork.INSTAGRAM, "a b"), "invalid_social_profile"),
        (lambda: SocialProfile(SocialNetwork.X, "x" * MAX_KEY), "invalid_social_profile"),
        (lambda: MessengerId("telegram", "1"), "invalid_messenger_id"),  # type: ignore[arg-type]
        (lambda: MessengerId(MessengerApp.TELEGRAM, ""), "invalid_messenger_id"),
        (lambda: MessengerId(MessengerApp.TELEGRAM, "a b"), "invalid_messenger_id"),
        (lambda: MessengerId(MessengerApp.WHATSAPP, "joao"), "invalid_messenger_id"),
        (lambda: Website("x", "x"), "invalid_website"),
        (lambda: Website("https://acme.com.br", ""), "invalid_website"),
        (lambda: Website("https://acme.com.br", "Acme.com.br"), "invalid_website"),
        (lambda: ExternalId("", "42"), "invalid_external_id"),
        (lambda: ExternalId("erp", ""), "invalid_external_id"),
        (lambda: ExternalId("erp", " 42"), "invalid_external_id"),
        (lambda: ExternalId("erp", "4\x002"), "invalid_external_id"),
        (lambda: ExternalId("erp", "1" * MAX_KEY), "invalid_external_id"),
    ],
)
def test_online_constructors_refuse_garbage(build: Callable[[], object], code: str) -> None:
    with pytest.raises(InvalidSocialProfile) as info:
        build()
    assert info.value.code == code


@given(cc.social_profiles(), cc.messenger_ids())
def test_online_constructors_take_what_parse_gives(
    profile: SocialProfile, messenger_id: MessengerId
) -> None:
    assert SocialProfile(profile.network, profile.handle) == profile
    assert MessengerId(messenger_id.app, messenger_id.id) == messenger_id
    for site in (
        Website.parse("www.Acme.com.br/Loja"),
        Website.parse("https://mastodon.social/@a"),
    ):
        assert Website(site.url, site.match_key) == site
    for other in (
        SocialProfile.parse("https://mastodon.social/@ana"),
        SocialProfile.parse("https://wa.me/5511987654321"),
        SocialProfile.parse("https://www.linkedin.com/company/acme"),
    ):
        assert SocialProfile(other.network, other.handle) == other
    external = ExternalId.parse("ERP", "A-1")
    assert ExternalId(external.system, external.id) == external
