"""Stored documents: defaults left out, every document (old or new) loads to the same record."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from cattrs.gen import make_dict_unstructure_fn
from hypothesis import given

from customer_core import Customer, InvalidValue
from customer_core.adapters.serialization import (
    customer_from_document,
    customer_to_document,
    make_converter,
)
from customer_core.testing import strategies as cc


@given(cc.customers())
def test_a_document_leaves_defaults_out_and_loads_back(customer: Customer) -> None:
    document = json.loads(json.dumps(customer_to_document(customer)))
    assert customer_from_document(document) == customer
    assert None not in document.values()  # unset optional fields are not written
    assert {"id", "tenant_id", "name", "created_at", "updated_at"} <= document.keys()


@given(cc.customers())
def test_documents_with_every_field_written_load_the_same(customer: Customer) -> None:
    # Documents were written with every field before defaults were left out.
    converter = make_converter()
    every_field = make_dict_unstructure_fn(Customer, converter, _cattrs_omit_if_default=False)
    document = json.loads(json.dumps(every_field(customer)))
    assert document["note"] == customer.note  # written even when None
    assert customer_from_document(document) == customer


@pytest.mark.parametrize("field", ["phones", "emails", "addresses", "contacts"])
@pytest.mark.parametrize("bad", [None, 0, False])
def test_a_stored_list_that_is_not_a_list_is_an_error(field: str, bad: Any) -> None:
    customer = Customer.create(
        id="c1", tenant_id="t", name="Ana", now=datetime(2026, 1, 1, tzinfo=timezone.utc)
    )
    document = customer_to_document(customer)
    document[field] = bad  # a corrupt document must not load as "no phones"
    with pytest.raises(Exception):  # noqa: B017 (cattrs' validation error or the TypeError)
        customer_from_document(document)


def _leaves(error: BaseException) -> list[BaseException]:
    inner = getattr(error, "exceptions", None)
    return [leaf for e in inner for leaf in _leaves(e)] if inner else [error]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("tax_id", "52998224724"),
        ("phones", [{"e164": "11 98765-4321", "type": "mobile"}]),
        ("emails", [{"address": "ana", "match_key": "ana"}]),
        ("addresses", [{"street": "Rua A", "uf": "XX"}]),
        ("language", {"code": "xx"}),
    ],
)
def test_a_stored_value_that_is_not_canonical_does_not_load(field: str, bad: Any) -> None:
    customer = Customer.create(
        id="c1", tenant_id="t", name="Ana", now=datetime(2026, 1, 1, tzinfo=timezone.utc)
    )
    document = customer_to_document(customer)
    document[field] = bad  # written by hand or by another program, never by this one
    with pytest.raises(Exception) as info:
        customer_from_document(document)
    assert any(isinstance(leaf, InvalidValue) for leaf in _leaves(info.value))
