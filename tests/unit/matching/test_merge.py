"""The pure merge: what ``drop`` and ``choices`` may name (the services add storage around it)."""

from __future__ import annotations

import pytest

from customer_core import InvalidOperation, InvalidValue, presets
from customer_core.domain.matching.merge import MERGEABLE_FIELDS, held_keys, merge_customers

from .builders import customer

POLICY = presets.DEFAULT.contact
ANA = customer("a", "Ana Lima", phones=["11 98765-4321"], emails=["ana@x.com"])
ANA2 = customer("b", "Ana Lima", phones=["11 98765-4322"])


def test_drop_names_match_keys_one_of_the_two_holds() -> None:
    assert held_keys(ANA, ANA2) == {"5511987654321", "ana@x.com", "5511987654322"}
    merged = merge_customers(ANA, ANA2, policy=POLICY, drop={"5511987654322", "ana@x.com"})
    assert [p.match_key for p in merged.phones] == ["5511987654321"]
    assert merged.emails == ()


def test_a_key_neither_holds_is_refused_masked() -> None:
    with pytest.raises(InvalidValue) as refused:
        merge_customers(ANA, ANA2, policy=POLICY, drop={"5511987654329"})
    assert (refused.value.code, refused.value.field) == ("invalid_value", "drop")
    assert "'*********4329' is on none of the customers merged" in refused.value.message


@pytest.mark.parametrize("field", ["password_hash", "primary_email_key", "primary_phone_key"])
def test_a_secret_or_a_derived_key_is_not_a_choice(field: str) -> None:
    assert field not in MERGEABLE_FIELDS
    with pytest.raises(InvalidOperation) as refused:
        merge_customers(ANA, ANA2, policy=POLICY, choices={field: "absorbed"})
    assert (refused.value.code, refused.value.field) == ("invalid_operation", "choices")
