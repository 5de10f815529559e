"""The public serialization: customers and reports to JSON-ready data and back, and the schema."""

from __future__ import annotations

import io
import json
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

import customer_core
from customer_core import Actor, Customer
from customer_core.errors import Code, InvalidValue
from customer_core.io.report import ImportReport
from customer_core.serialization import (
    SECRET_FIELDS,
    customer_schema,
    structure,
    unstructure,
)
from customer_core.services.identity import DuplicateReport, Resolution
from customer_core.testing import strategies as cc


def _without_secrets(customer: Customer) -> Customer:
    assert SECRET_FIELDS == ("password_hash", "reset_token_hash", "reset_token_expires_at")
    return attrs.evolve(
        customer, password_hash=None, reset_token_hash=None, reset_token_expires_at=None
    )


def _over_json(data: Any) -> Any:
    return json.loads(json.dumps(data))


@given(cc.customers())
def test_a_customer_round_trips_through_json(customer: Customer) -> None:
    data = _over_json(unstructure(customer))
    assert structure(data, Customer) == _without_secrets(customer)


_VALIDATOR = jsonschema.Draft202012Validator(customer_schema())


@settings(deadline=None)  # the first validation compiles the schema
@given(cc.customers())
def test_the_schema_validates_every_customer(customer: Customer) -> None:
    _VALIDATOR.validate(_over_json(unstructure(customer)))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(customer_schema())


def test_the_schema_refuses_what_is_not_a_customer() -> None:
    validator = jsonschema.Draft202012Validator(customer_schema())
    assert not validator.is_valid({"id": "c1"})  # no tenant, name, dates
    core = customer_core.connect("memory://")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    ana = unstructure(core.customers.register("loja", admin, name="Ana", phones=["11 98765-4321"]))
    assert validator.is_valid(ana)
    assert not validator.is_valid({**ana, "phones": [{"e164": 11}]})
    assert not validator.is_valid({**ana, "kind": "robot"})


def test_every_field_is_written_secrets_never() -> None:
    core = customer_core.connect("memory://")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    ana = core.customers.register("loja", admin, name="Ana", emails=["ana@x.com"])
    ana = core.customers.set_password("loja", admin, ana.id, "uma senha longa 123")
    assert ana.password_hash is not None
    data = unstructure(ana)
    assert not set(SECRET_FIELDS) & data.keys()
    assert data["note"] is None and data["phones"] == []  # every field, defaults included
    assert set(data) == set(customer_schema()["properties"])
    # A document that brings a hash along does not plant it.
    planted = structure({**data, "password_hash": "x"}, Customer)
    assert planted.password_hash is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tenant_id": None}, "tenant_id"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"phones": [{"e164": 11, "type": "mobile"}]}, "phones"),
        ({"kind": "robot"}, "kind"),
        ({"version": "one"}, "version"),
    ],
)
def test_bad_data_is_an_invalid_value_naming_the_field(change: dict[str, Any], field: str) -> None:
    core = customer_core.connect("memory://")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    data = unstructure(core.customers.register("loja", admin, name="Ana"))
    with pytest.raises(InvalidValue) as bad:
        structure({**data, **change}, Customer)
    assert bad.value.field == field


def test_a_value_not_in_canonical_form_is_the_values_error() -> None:
    core = customer_core.connect("memory://")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    data = unstructure(core.customers.register("loja", admin, name="Ana"))
    with pytest.raises(InvalidValue) as bad:
        structure({**data, "phones": [{"e164": "11 98765-4321", "type": "mobile"}]}, Customer)
    assert bad.value.code is Code.INVALID_PHONE


def test_not_a_mapping_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue):
        structure("Ana", Customer)


def test_reports_round_trip() -> None:
    core = customer_core.connect("memory://")
    admin = Actor(tenant_id="loja", user_id="u1", role="admin")
    sheet = "nome,telefone,email\nAna,11 98765-4321,ana@x.com\nBia,123,bia@\n,,\n"
    report = core.importer.run("loja", admin, io.BytesIO(sheet.encode()))
    assert report.errors or report.warnings  # rows errors are part of the round trip
    data = _over_json(unstructure(report))
    assert data["created"] == report.created and isinstance(data["errors"], list)
    assert structure(data, ImportReport) == report
    core.customers.register("loja", admin, name="Ana", phones=["11 98765-4321"])
    duplicates = core.identity.duplicate_report("loja", admin)
    assert structure(_over_json(unstructure(duplicates)), DuplicateReport) == duplicates
    resolution = core.identity.resolve_inbound("loja", "whatsapp", {"phone": "11 98765-4321"})
    assert structure(_over_json(unstructure(resolution)), Resolution) == _resolved(resolution)


def _resolved(resolution: Resolution) -> Resolution:
    return attrs.evolve(resolution, customer=_without_secrets(resolution.customer))
