"""``register`` and ``update`` report every problem of their input at once."""

from __future__ import annotations

import pickle

import attrs
import pytest

from customer_core import (
    Actor,
    Code,
    CustomerCoreError,
    FieldError,
    InvalidEmail,
    InvalidOperation,
    InvalidPhone,
    InvalidTaxId,
    InvalidValue,
    MissingRequiredField,
    NotFound,
    RegistrationPolicy,
    ValidationFailed,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.services import CustomerService
from customer_core.testing.fakes import FixedClock, SequentialIds

T = "acme"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
STREET = {"street": "Rua A", "number": "1", "neighborhood": "Centro", "uf": "SP"}


def make(preset: presets.Preset = presets.DEFAULT) -> CustomerService:
    return CustomerService(MemoryStore(), preset=preset, clock=FixedClock(), ids=SequentialIds("c"))


def failure(service: CustomerService, **fields: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        service.register(T, ADMIN, **fields)  # type: ignore[arg-type]
    with pytest.raises(NotFound):  # nothing stored (ids are given in sequence)
        service.get(T, ADMIN, "c-000001")
    return info.value


def test_omnichat_registration_missing_city_phone_and_email_gets_three_errors() -> None:
    error = failure(make(presets.OMNICHAT), name="Ana Lima", addresses=[STREET])
    assert [(e.field, e.index, e.code) for e in error.errors] == [
        ("city", None, Code.REQUIRED_FIELD),
        ("email", None, Code.REQUIRED_FIELD),
        ("phone", None, Code.REQUIRED_FIELD),
    ]
    assert all(isinstance(e, FieldError) for e in error.errors)
    assert [e.message for e in error.errors] == [
        "city is required",
        "email is required",
        "phone is required",
    ]


def test_a_bad_second_phone_says_index_1_and_the_other_problems_come_with_it() -> None:
    error = failure(
        make(),
        name="Ana Lima",
        tax_id="111.111.111-11",
        phones=["11 98765-4321", "11 1234"],
        emails=["ana@exemplo.com", "not an e-mail"],
        language="portuguese",
    )
    assert [(e.field, e.index, e.code) for e in error.errors] == [
        ("tax_id", None, Code.INVALID_CPF),
        ("language", None, Code.INVALID_LANGUAGE),
        ("phones", 1, Code.INVALID_PHONE),
        ("emails", 1, Code.INVALID_EMAIL),
    ]
    field, index, code, message = error.errors[2]  # a plain tuple
    assert (field, index, code) == ("phones", 1, "invalid_phone") and message
    assert [type(c) for c in error.causes][2:] == [InvalidPhone, InvalidEmail]


def test_callers_of_the_single_errors_still_catch_the_first_problem() -> None:
    service = make()
    with pytest.raises(InvalidTaxId) as info:
        service.register(T, ADMIN, name="Ana", tax_id="111.111.111-11", phones=["1"])
    error = info.value
    assert isinstance(error, ValidationFailed) and isinstance(error, InvalidValue)
    assert isinstance(error, ValueError) and isinstance(error, CustomerCoreError)
    assert (error.code, error.field) == (Code.INVALID_CPF, "tax_id")
    assert type(error).__name__ == "ValidationFailed"
    assert str(error).startswith("invalid_cpf [tax_id]: ")
    assert "invalid_phone [phones[0]]: " in str(error)
    with pytest.raises(MissingRequiredField):
        make(presets.OMNICHAT).register(T, ADMIN, name="Ana")


def test_one_problem_is_a_validation_failure_too() -> None:
    error = failure(make(), name="Ana", phones=["11 98765-4321", "abc"])
    assert [(e.field, e.index) for e in error.errors] == [("phones", 1)]
    assert isinstance(error, InvalidPhone)


def test_a_refused_phone_is_not_also_reported_missing() -> None:
    error = failure(
        make(presets.OMNICHAT),
        name="",
        phones=["x"],
        emails=["ana@exemplo.com"],
        addresses=[{**STREET, "city": "São Paulo", "cep": "123"}],
    )
    assert [(e.field, e.index, e.code) for e in error.errors] == [
        ("name", None, Code.REQUIRED_FIELD),
        ("phones", 0, Code.INVALID_PHONE),
        ("addresses.cep", 0, Code.INVALID_CEP),
    ]


def test_rule_problems_join_value_problems() -> None:
    error = failure(
        make(),
        name="Ana",
        phones=["11 98765-4321", "(11) 98765-4321"],  # one line, twice
        status="bogus",
        contacts=[{"name": "Bia"}],  # a person has no contacts
    )
    assert [(e.field, e.code) for e in error.errors] == [
        ("status", Code.UNKNOWN_STATUS),
        ("contacts", Code.NOT_A_COMPANY),
        ("phones", Code.DUPLICATE_IDENTIFIER),
    ]


def test_a_valid_registration_is_unchanged() -> None:
    service = make(presets.OMNICHAT)
    ana = service.register(
        T,
        ADMIN,
        name="Ana",
        phones=["11 98765-4321"],
        emails=["ana@exemplo.com"],
        addresses=[{**STREET, "city": "São Paulo"}],
    )
    assert service.get(T, ADMIN, ana.id) == ana


def test_update_reports_every_problem_and_changes_nothing() -> None:
    service = make(presets.ERP_SHOP)
    ana = service.register(T, ADMIN, name="Ana")
    with pytest.raises(ValidationFailed) as info:
        service.update(T, ADMIN, ana.id, name="", language="xx-yy")
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("name", Code.REQUIRED_FIELD),
        ("language", Code.INVALID_LANGUAGE),
    ]
    # A wrong Python type is the caller's bug, refused at the boundary before any value.
    with pytest.raises(InvalidValue) as wrong:
        service.update(T, ADMIN, ana.id, name="", is_vip="yes")  # type: ignore[arg-type]
    assert (wrong.value.field, wrong.value.code) == ("is_vip", Code.INVALID_VALUE)
    assert service.get(T, ADMIN, ana.id) == ana


def test_update_joins_the_required_fields_it_would_clear() -> None:
    preset = attrs.evolve(
        presets.DEFAULT, registration=RegistrationPolicy(required_fields={"name", "tax_id"})
    )
    service = make(preset)
    ana = service.register(T, ADMIN, name="Ana", tax_id="529.982.247-25")
    with pytest.raises(ValidationFailed) as info:
        service.update(T, ADMIN, ana.id, language="xx-yy", tax_id=None)
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("language", Code.INVALID_LANGUAGE),
        ("tax_id", Code.REQUIRED_FIELD),
    ]
    with pytest.raises(ValidationFailed) as info:
        service.update(T, ADMIN, ana.id, language="xx-yy", tax_id="1")
    assert [e.field for e in info.value.errors] == ["tax_id", "language"]
    assert service.get(T, ADMIN, ana.id) == ana


def test_update_of_an_invisible_customer_is_not_found_not_a_validation() -> None:
    service = make()
    with pytest.raises(NotFound):
        service.update(T, ADMIN, "c-404", language="xx-yy")


def test_failures_pickle_with_all_their_problems() -> None:
    error = failure(make(), name="Ana", phones=["x", "11 98765-4321", "y"])
    clone = pickle.loads(pickle.dumps(error))
    assert isinstance(clone, InvalidPhone) and isinstance(clone, ValidationFailed)
    assert clone.errors == error.errors
    assert (clone.code, clone.field) == (error.code, error.field)


def test_a_host_may_build_one_without_causes() -> None:
    error = ValidationFailed("the form is wrong")
    assert (error.code, error.errors, error.causes) == (Code.VALIDATION_FAILED, (), ())
    with pytest.raises(ValueError, match="at least one problem"):
        ValidationFailed.of([])


def test_an_unknown_status_is_the_documented_class_from_register_and_change_status() -> None:
    """docs/errors.md: ``unknown_status`` is an ``InvalidOperation``, from either way in."""
    service = make()
    with pytest.raises(InvalidOperation) as registered:
        service.register(T, ADMIN, name="Ana", status="bogus")
    assert isinstance(registered.value, ValidationFailed)  # every problem at once, by design
    ana = service.register(T, ADMIN, name="Ana")
    with pytest.raises(InvalidOperation) as changed:
        service.change_status(T, ADMIN, ana.id, "bogus")
    for error in (registered.value, changed.value):
        assert (error.code, error.field) == (Code.UNKNOWN_STATUS, "status")
