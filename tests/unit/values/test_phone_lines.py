"""Which phones are identity evidence, and which line key a phone has.

A *recado* number (someone else's phone, where the customer takes messages)
is kept, typed ``other``, and never identifies anyone. A valid 8-digit
Brazilian number keeps its E.164 as typed; its line key is the 9-digit one.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from customer_core import Actor, Customer, IdentityKind, Phone, PhoneType, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.serialization import customer_from_document, customer_to_document
from customer_core.domain.matching.clusters import ClusterKeys, exact_clusters
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.identity import identity_keys_from
from customer_core.errors import DuplicateIdentifier, InvalidPhone, InvalidValue
from customer_core.io import Importer
from customer_core.services import CustomerService, IdentityService
from customer_core.services.inbound import Inbound
from customer_core.testing.fakes import FixedClock, SequentialIds

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "typed",
    [
        "11 98765-4321 recado",
        "(11) 98765-4321 (recado)",
        "11 98765-4321 - Recado",
        "11 98765-4321 RECADOS",
        "+55 11 98765-4321 recado",
        "Recado: (11) 98765-4321",  # a note before the number says the same
        "(recado) 11 98765-4321",
    ],
)
def test_a_recado_number_is_kept_as_other_and_is_not_identity(typed: str) -> None:
    phone = Phone.parse(typed)
    assert phone.e164 == "+5511987654321"
    assert (phone.type, phone.message_number, phone.is_identity) == (PhoneType.OTHER, True, False)
    assert phone.match_key == "5511987654321"  # still one line: the same number twice is refused
    assert "recado" in repr(phone) and "98765" not in repr(phone)


def test_a_plain_number_is_identity_and_a_given_type_is_kept() -> None:
    assert Phone.parse("11 98765-4321").is_identity
    assert Phone.parse("11 98765-4321 (whats)").message_number is False
    assert Phone.parse("11 3333-4444 recado", type="home").type is PhoneType.HOME


@pytest.mark.parametrize(
    "typed", ["recado", "recado:", "11 98765-4321 recado x", "recado para 11 98765-4321"]
)
def test_recado_is_a_note_beside_a_number_and_nothing_else(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        Phone.parse(typed)


def test_the_constructor_checks_the_flag() -> None:
    with pytest.raises(InvalidPhone):
        Phone("+5511987654321", PhoneType.OTHER, None, "", "yes")  # type: ignore[arg-type]


def test_a_recado_number_gives_no_identity_key() -> None:
    recado, own = Phone.parse("11 98765-4321 recado"), Phone.parse("11 3333-4444")
    keys = identity_keys_from(phones=[recado, own])
    assert [(k.kind, k.key) for k in keys] == [(IdentityKind.PHONE, "551133334444")]
    ana = Customer.create(id="c1", tenant_id=T, name="Ana", now=NOW, phones=(recado,))
    assert ana.identity_keys() == ()
    assert customer_from_document(customer_to_document(ana)) == ana
    assert customer_from_document(customer_to_document(ana)).phones[0].message_number


def test_duplicate_matching_and_clusters_ignore_a_recado_number() -> None:
    line = "11 98765-4321"
    ana = Customer.create(id="c1", tenant_id=T, name="Ana", now=NOW, phones=(Phone.parse(line),))
    bia = Customer.create(
        id="c2", tenant_id=T, name="Bia", now=NOW, phones=(Phone.parse(line + " recado"),)
    )
    assert MatchRecord.of(bia).lines == ()
    assert ClusterKeys.of(bia).lines == ()
    assert exact_clusters([ana, bia]) == []


def services() -> tuple[MemoryStore, CustomerService, IdentityService]:
    store = MemoryStore()
    kw = {"preset": presets.DEFAULT, "clock": FixedClock(), "ids": SequentialIds("c")}
    return store, CustomerService(store, **kw), IdentityService(store, **kw)  # type: ignore[arg-type]


def test_registration_accepts_a_recado_number_and_inbound_never_matches_it() -> None:
    _, customers, identity = services()
    ana = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321 (recado)"])
    assert ana.phones[0].message_number and ana.phones[0].type is PhoneType.OTHER
    resolution = identity.resolve_inbound(T, "whatsapp", {"phone": "11 98765-4321"})
    assert resolution.customer.id != ana.id  # the sender is not Ana: a new customer
    with pytest.raises(InvalidValue, match="at least one identifier"):
        Inbound.parse({"phone": "11 98765-4321 recado"})


def test_import_grouping_does_not_join_rows_on_a_recado_number() -> None:
    store, _customers, _ = services()
    text = "Nome;Telefone\nAna Lima;11 98765-4321 recado\nBruno Souza;11 98765-4321 recado\n"
    report = Importer(store, preset=presets.DEFAULT).run(T, ADMIN, io.BytesIO(text.encode()))
    assert report.created == 2
    with store.unit_of_work() as uow:
        assert uow.customers.count(T) == 2


# -- 8-digit numbers ------------------------------------------------------------


def test_a_valid_8_digit_number_keeps_its_e164_and_shares_the_9_digit_line_key() -> None:
    old, new = Phone.parse("+55 31 7123-4567"), Phone.parse("(31) 97123-4567")
    assert (old.e164, old.national, str(old)) == (
        "+553171234567",
        "(31) 7123-4567",
        "+55 31 7123-4567",
    )
    assert new.e164 == "+5531971234567"
    assert old.match_key == new.match_key == "5531971234567"
    assert old != new  # two spellings kept apart; one line
    assert Phone(old.e164, old.type).match_key == new.match_key  # a stored one too


@pytest.mark.parametrize("typed", ["11 8765-4321", "+55 11 6123-4567", "5511987654321"])
def test_a_legacy_8_digit_mobile_still_gets_its_ninth_digit(typed: str) -> None:
    phone = Phone.parse(typed)
    assert len(phone.e164) == 14 and phone.e164[5] == "9"
    assert phone.match_key == phone.e164[1:]


def test_a_landline_key_is_its_digits() -> None:
    assert Phone.parse("(31) 3123-4567").match_key == "553131234567"


def test_one_customer_cannot_hold_both_spellings_of_a_line_and_inbound_finds_it() -> None:
    _, customers, identity = services()
    with pytest.raises(DuplicateIdentifier):
        customers.register(T, ADMIN, name="Ana", phones=["+55 31 7123-4567", "(31) 97123-4567"])
    ana = customers.register(T, ADMIN, name="Ana", phones=["+55 31 7123-4567"])
    assert ana.phones[0].e164 == "+553171234567"
    found = identity.resolve_inbound(T, "whatsapp", {"messenger": ("whatsapp", "5531971234567")})
    assert found.customer.id == ana.id
