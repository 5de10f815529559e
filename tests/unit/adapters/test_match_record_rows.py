"""The SQL adapter's match records, built from a stored row, are those of the customer."""

from __future__ import annotations

import json

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_core.adapters.sqlalchemy.mapping import MATCHED, customer_row, match_record_from_row
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.address import Address
from customer_core.domain.values.online import MessengerApp, MessengerId
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.testing import strategies as cc

#: Phones the generated customers lack: a recado number, an 8-digit mobile kept
#: as typed, a landline typed as a mobile, foreign lines.
_MORE_PHONES = st.lists(
    st.sampled_from(
        [
            Phone.parse("11 97777-0000 (recado)"),
            Phone.parse("+55 31 7123-4567"),
            Phone.parse("11 3333-4444", type=PhoneType.MOBILE),
            Phone.parse("+1 212 555 0123", type=PhoneType.WORK),
            Phone.parse("+351 912 345 678"),
        ]
    ),
    max_size=3,
    unique_by=lambda p: p.match_key,
)
_WHATSAPP = st.lists(
    st.sampled_from(["5511955554444", "551187654321", "12345678", "351912345678"]),
    max_size=2,
    unique=True,
)
_ADDRESSES = st.lists(
    st.sampled_from(
        [
            Address.create(street="Rua A", number="1"),
            Address.create(city="Cuiabá", cep="78000-000"),
            Address.create(city="Cuiabá"),
            Address.create(cep="01001000"),
        ]
    ),
    max_size=2,
)


@st.composite
def _customers(draw: st.DrawFn) -> Customer:
    customer = draw(cc.customers())
    phones = {p.match_key: p for p in (*customer.phones, *draw(_MORE_PHONES))}
    messengers = {m.match_key: m for m in customer.messenger_ids}
    for wa_id in draw(_WHATSAPP):
        # Built, not parsed: parse refuses "12345678" (no line), which
        # records stored before that check may still hold.
        whatsapp = MessengerId(MessengerApp.WHATSAPP, wa_id)
        messengers.setdefault(whatsapp.match_key, whatsapp)
    return attrs.evolve(
        customer,
        trade_name=draw(st.sampled_from([None, "", "Pão Quente", customer.name])),
        phones=tuple(phones.values()),
        messenger_ids=tuple(messengers.values()),
        addresses=customer.addresses + tuple(draw(_ADDRESSES)),
    )


@settings(max_examples=100)
@given(_customers())
def test_a_stored_row_gives_the_customers_match_record(customer: Customer) -> None:
    row = customer_row(customer)
    row["document"] = json.loads(json.dumps(row["document"]))  # as read back from storage
    stored = tuple(row[column.name] for column in MATCHED)
    assert match_record_from_row(stored) == MatchRecord.of(customer)
