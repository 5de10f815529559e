"""The FastAPI example (examples/fastapi_app.py) through its TestClient, on a SQLite file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

# examples/ is a folder of scripts, not a package: import them from its path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import fastapi_app

ADMIN = {"X-User-Id": "u1", "X-User-Role": "admin"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = fastapi_app.create_app(f"sqlite:///{tmp_path / 'shop.db'}")
    with TestClient(app) as client:  # runs the lifespan: the core opens and closes
        yield client


def test_register_get_and_search(client: TestClient) -> None:
    created = client.post(
        "/acme/customers", json={"name": "Ana Lima", "phones": ["11 98765-4321"]}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    ana = created.json()
    jsonschema.validate(ana, client.get("/schemas/customer").json())
    assert client.get(f"/acme/customers/{ana['id']}", headers=ADMIN).json()["name"] == "Ana Lima"
    found = client.get("/acme/customers", params={"q": "11 98765-4321"}, headers=ADMIN).json()
    assert [c["id"] for c in found["items"]] == [ana["id"]]


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "code", "field"),
    [
        (
            "/acme/customers",
            {"name": "Ana", "phones": ["123"]},
            ADMIN,
            422,
            "invalid_phone",
            "phones",
        ),
        ("/acme/customers", {"name": ""}, ADMIN, 422, "required_field", "name"),
        ("/acme/customers", {"name": "Ana", "cor": "azul"}, ADMIN, 422, "extra_fields", "cor"),
    ],
)
def test_errors_are_http_answers(
    client: TestClient,
    path: str,
    body: dict[str, object],
    headers: dict[str, str],
    status: int,
    code: str | None,
    field: str | None,
) -> None:
    answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["error"]["code"] == code
        assert answer.json()["error"]["field"] == field


def test_not_found_and_unauthenticated(client: TestClient) -> None:
    missing = client.get("/acme/customers/nobody", headers=ADMIN)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert client.get("/acme/customers/nobody").status_code == 401


def test_an_order_and_its_customer_commit_together(client: TestClient) -> None:
    order = {"number": 1, "total_cents": 1990}
    placed = client.post(
        "/acme/orders", json={"customer": {"name": "Ana Lima"}, "order": order}, headers=ADMIN
    )
    assert placed.status_code == 201, placed.text
    ana = placed.json()["customer"]
    assert client.get(f"/acme/customers/{ana['id']}", headers=ADMIN).status_code == 200
    # The same order number again: refused after Bia was registered, so Bia goes too.
    refused = client.post(
        "/acme/orders", json={"customer": {"name": "Bia Souza"}, "order": order}, headers=ADMIN
    )
    assert refused.status_code == 409
    assert client.get("/acme/customers", params={"q": "Bia"}, headers=ADMIN).json() == {"items": []}


def test_an_unreachable_database_is_503() -> None:
    # Nothing listens on port 1; without upgrade, connect() opens no connection yet.
    app = fastapi_app.create_app("postgresql+psycopg://u@127.0.0.1:1/none", upgrade=False)
    with TestClient(app) as client:
        answer = client.get("/acme/customers/c1", headers=ADMIN)
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "storage_unavailable"
    assert answer.headers["Retry-After"] == "5"
