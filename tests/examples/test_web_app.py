"""The Flask example (examples/web_app.py) through Flask's test client, on a SQLite file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import customer_core as cc
from customer_core.adapters.sqlalchemy import SqlStorage

# examples/ is a folder of scripts, not a package: import them from its path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import web_app

ADMIN = {"X-User-Id": "u1", "X-User-Role": "admin"}
ANA = {
    "name": "Ana Lima",
    "tax_id": "529.982.247-25",
    "phones": ["(11) 98765-4321"],
    "emails": ["Ana.Lima@Exemplo.com.br"],
}


def _dispose(app: Flask) -> None:
    core: cc.CustomerCore = app.extensions["customer_core"]
    assert isinstance(core.storage, SqlStorage)
    core.storage.engine.dispose()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'customers.db'}"


@contextmanager
def _client(database: str, preset: cc.Preset = cc.presets.DEFAULT) -> Iterator[FlaskClient]:
    app = web_app.create_app(database, preset=preset, upgrade=True)
    app.testing = True
    try:
        yield app.test_client()
    finally:
        _dispose(app)


@pytest.fixture
def client(database: str) -> Iterator[FlaskClient]:
    with _client(database) as test_client:
        yield test_client


def _error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.get_json()["error"]
    return body


def test_register_then_get_and_search(client: FlaskClient) -> None:
    created = client.post("/acme/customers", json=ANA, headers=ADMIN)
    assert created.status_code == 201
    ana = created.get_json()
    assert ana["phones"] == [{"number": "+55 11 98765-4321", "type": "mobile"}]
    assert (ana["primary_email"], ana["version"]) == ("Ana.Lima@exemplo.com.br", 1)

    fetched = client.get(f"/acme/customers/{ana['id']}", headers=ADMIN)
    assert fetched.status_code == 200
    assert fetched.get_json() == ana

    # The number typed the old way (no ninth digit), with the country code.
    found = client.get("/acme/customers", query_string={"q": "+55 11 8765-4321"}, headers=ADMIN)
    assert [c["id"] for c in found.get_json()["items"]] == [ana["id"]]


def test_list_without_query_pages(client: FlaskClient) -> None:
    client.post("/acme/customers", json=ANA, headers=ADMIN)
    listed = client.get("/acme/customers", headers=ADMIN).get_json()
    assert [c["name"] for c in listed["items"]] == ["Ana Lima"]
    assert listed["next_cursor"] is None


def test_customers_outlive_the_process(database: str) -> None:
    first = web_app.create_app(database, upgrade=True)
    ana = first.test_client().post("/acme/customers", json=ANA, headers=ADMIN).get_json()
    _dispose(first)
    second = web_app.create_app(database)  # already migrated: no upgrade at start-up
    try:
        again = second.test_client().get(f"/acme/customers/{ana['id']}", headers=ADMIN)
        assert again.get_json()["name"] == "Ana Lima"
    finally:
        _dispose(second)


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"name": "Bia", "phones": ["11 9876"]}, 422, "invalid_phone", "phones"),
        ({"name": "Bia", "tax_id": "111.111.111-11"}, 422, "invalid_cpf", "tax_id"),
        ({"phones": ["11 91234-5678"]}, 422, "required_field", "name"),
        ({"name": "Bia", "phones": "11 91234-5678"}, 422, "invalid_value", "phones"),
        ({"name": "Bia", "tax_id": 52998224725}, 422, "invalid_value", "tax_id"),
        ({"name": "Bia", "addresses": [{"rua": "A"}]}, 422, "invalid_value", "addresses"),
        ({"name": "Bia", "password": "secret123"}, 422, "invalid_value", "password"),
        ({"name": "Bia", "tax_id": "52998224725"}, 409, "duplicate_identity", "tax_id"),
    ],
)
def test_errors_are_4xx_with_the_code(
    client: FlaskClient, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    client.post("/acme/customers", json=ANA, headers=ADMIN)
    response = client.post("/acme/customers", json=body, headers=ADMIN)
    assert response.status_code == status
    assert (_error(response)["code"], _error(response)["field"]) == (code, field)


def test_a_form_gets_every_problem_at_once(client: FlaskClient) -> None:
    body = {"name": "Bia", "tax_id": "111.111.111-11", "phones": ["11 98765-4321", "11 9876"]}
    response = client.post("/acme/customers", json=body, headers=ADMIN)
    assert response.status_code == 422
    error = _error(response)
    assert (error["code"], error["field"]) == ("invalid_cpf", "tax_id")  # the first
    assert [(e["field"], e["index"], e["code"]) for e in error["errors"]] == [
        ("tax_id", None, "invalid_cpf"),
        ("phones", 1, "invalid_phone"),
    ]


def test_a_body_that_is_not_a_json_object_is_400(client: FlaskClient) -> None:
    response = client.post("/acme/customers", data="name=Ana", headers=ADMIN)
    assert (response.status_code, _error(response)["code"]) == (400, "invalid_json")


def test_the_actor_comes_from_the_headers(client: FlaskClient) -> None:
    anonymous = client.post("/acme/customers", json=ANA)
    assert (anonymous.status_code, _error(anonymous)["code"]) == (401, "unauthenticated")
    bad_role = client.post("/acme/customers", json=ANA, headers={**ADMIN, "X-User-Role": "boss"})
    assert (bad_role.status_code, _error(bad_role)["code"]) == (400, "invalid_actor")


def test_invisible_is_not_found_like_unknown(database: str) -> None:
    with _client(database, cc.presets.HELPDESK_PORTFOLIO) as client:
        ana = client.post("/acme/customers", json=ANA, headers=ADMIN).get_json()
        seller = {"X-User-Id": "s1", "X-User-Role": "seller"}
        hidden = client.get(f"/acme/customers/{ana['id']}", headers=seller)
        unknown = client.get("/acme/customers/no-such-id", headers=seller)
        assert hidden.status_code == unknown.status_code == 404
        assert _error(hidden) == _error(unknown)
        # With the permission to see customers outside any portfolio, Ana is there.
        allowed = {**seller, "X-User-Permissions": "view_unassigned"}
        assert client.get(f"/acme/customers/{ana['id']}", headers=allowed).status_code == 200


def test_status_for_covers_every_error_class() -> None:
    assert web_app.status_for(cc.NotFound("x")) == 404
    assert web_app.status_for(cc.PermissionDenied("x")) == 403
    assert web_app.status_for(cc.VersionConflict("x")) == 409
    assert web_app.status_for(cc.MissingDependency("x")) == 500
    assert web_app.status_for(cc.CardinalityExceeded("x")) == 422
