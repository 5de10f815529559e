"""A minimal Flask application that keeps its customers with customer_core on SQLite.

Try it from a clone of the repository::

    python3 -m pip install -e '.[cli]' 'flask>=3.0'
    customer-core db upgrade sqlite:///customers.db
    flask --app examples/web_app.py run

    curl -X POST localhost:5000/acme/customers -H 'X-User-Id: u1' -H 'X-User-Role: admin' \\
         -H 'Content-Type: application/json' \\
         -d '{"name": "Ana Lima", "phones": ["(11) 98765-4321"], "emails": ["ana@exemplo.com.br"]}'
    curl 'localhost:5000/acme/customers?q=8765-4321' -H 'X-User-Id: u1' -H 'X-User-Role: admin'

What it shows:

- one :class:`~customer_core.CustomerCore` per process, made at start-up: it
  holds the database connection pool, and its services keep no per-request
  state, so every request shares it;
- the schema is migrated by ``customer-core db upgrade`` when you deploy, not
  by each process at start-up (several workers starting at once would race);
- who is acting comes from the request. Here it is read from the
  ``X-User-Id``, ``X-User-Role`` and ``X-User-Permissions`` headers, as set by
  an authenticating proxy in front of the app. Never trust such headers from
  the open internet: in your app, build the actor from your own login session;
- every :class:`~customer_core.CustomerCoreError` becomes an HTTP 4xx answer
  whose JSON carries the stable error ``code`` and the ``field``, so a client
  can point at the right form field and translate the message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.datastructures import Headers

import customer_core as cc

#: HTTP status of each error family; the first matching class wins.
STATUS_BY_ERROR: tuple[tuple[type[cc.CustomerCoreError], int], ...] = (
    (cc.NotFound, 404),  # missing, or not visible to this actor: the same answer on purpose
    (cc.PermissionDenied, 403),  # visible, but the actor's role may not do this
    (cc.Conflict, 409),  # the identifier belongs to someone else, or a stale version
    (cc.MissingDependency, 500),  # the server is missing an extra: not the client's fault
    (cc.CustomerCoreError, 422),  # invalid values and rule violations: fix the input
)

#: What a client may send when registering a customer (everything else is refused):
#: text fields, and lists of phones (text), e-mails (text) and addresses (objects).
TEXT_FIELDS = frozenset({"name", "kind", "tax_id", "trade_name", "note", "language"})
LIST_FIELDS = frozenset({"phones", "emails", "addresses"})
ADDRESS_FIELDS = frozenset(
    {"type", "street", "number", "complement", "neighborhood", "city", "uf", "cep", "country"}
)


class BadRequest(Exception):
    """A request the app refuses before calling the library (no actor, no JSON object)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def status_for(error: cc.CustomerCoreError) -> int:
    """The HTTP status that answers ``error``."""
    return next(status for cls, status in STATUS_BY_ERROR if isinstance(error, cls))


def actor_from_headers(tenant_id: str, headers: Headers) -> cc.Actor:
    """The acting user: tenant from the URL, user, role and permissions from headers."""
    user_id = headers.get("X-User-Id", "").strip()
    if not user_id:
        raise BadRequest("unauthenticated", "the X-User-Id header is missing", status=401)
    permissions = [p.strip() for p in headers.get("X-User-Permissions", "").split(",") if p.strip()]
    try:
        return cc.Actor(
            tenant_id=tenant_id,
            user_id=user_id,
            role=headers.get("X-User-Role", "seller").strip() or "seller",
            permissions=permissions,
        )
    except ValueError as exc:  # an unknown role or permission name
        raise BadRequest("invalid_actor", str(exc)) from exc


def customer_json(customer: cc.Customer) -> dict[str, Any]:
    """The customer as the API shows it (display forms, not match keys)."""
    return {
        "id": customer.id,
        "name": customer.name,
        "kind": customer.kind.value,
        "tax_id": customer.tax_id.formatted if customer.tax_id else None,
        "phones": [{"number": p.international, "type": p.type.value} for p in customer.phones],
        "emails": [str(e) for e in customer.emails],
        "primary_email": str(customer.primary_email) if customer.primary_email else None,
        "status": customer.status,
        "relationship_type": customer.relationship_type.value,
        "portfolio_id": customer.portfolio_id,
        "responsible_id": customer.responsible_id,
        "version": customer.version,
    }


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("invalid_json", "the body must be a JSON object")
    return body


def check_shape(body: Mapping[str, Any]) -> None:
    """Refuse JSON of the wrong shape with the library's error codes.

    The library validates every *value* (a phone, a CPF...); the shape of a
    JSON document (a string where a list belongs) is the web layer's job.
    """

    def invalid(field: str, message: str) -> cc.InvalidValue:
        return cc.InvalidValue(message, code="invalid_value", field=field)

    for field, value in body.items():
        if field in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise invalid(field, "expected text")
        elif field in LIST_FIELDS:
            if not isinstance(value, list):
                raise invalid(field, "expected a list")
            if field == "addresses":
                for address in value:
                    if not isinstance(address, dict) or set(address) - ADDRESS_FIELDS:
                        raise invalid(field, f"an address has only {sorted(ADDRESS_FIELDS)}")
        else:
            raise invalid(field, "unknown field")


def create_app(
    database_url: str | None = None,
    *,
    preset: cc.Preset = cc.presets.DEFAULT,
    upgrade: bool = False,
) -> Flask:
    """The application, on ``database_url`` (default: ``$CUSTOMER_CORE_DATABASE``).

    ``upgrade=True`` migrates the schema first, which is handy for a single
    process (tests, a demo); deployments run ``customer-core db upgrade``.
    """
    url = database_url or os.environ.get("CUSTOMER_CORE_DATABASE", "sqlite:///customers.db")
    core = cc.connect(url, preset=preset, upgrade=upgrade)
    app = Flask(__name__)
    app.extensions["customer_core"] = core

    @app.errorhandler(cc.CustomerCoreError)
    def library_error(error: cc.CustomerCoreError) -> tuple[Response, int]:
        body: dict[str, Any] = {
            "error": {"code": error.code, "field": error.field, "message": error.message}
        }
        if isinstance(error, cc.ValidationFailed):  # every problem, for the form to mark
            body["error"]["errors"] = [e._asdict() for e in error.errors]
        return jsonify(body), status_for(error)

    @app.errorhandler(BadRequest)
    def bad_request(error: BadRequest) -> tuple[Response, int]:
        body = {"error": {"code": error.code, "field": None, "message": error.message}}
        return jsonify(body), error.status

    @app.post("/<tenant_id>/customers")
    def register(tenant_id: str) -> tuple[Response, int]:
        actor = actor_from_headers(tenant_id, request.headers)
        body = _json_object()
        check_shape(body)
        fields = {k: v for k, v in body.items() if k != "name"}
        customer = core.customers.register(tenant_id, actor, name=body.get("name", ""), **fields)
        return jsonify(customer_json(customer)), 201

    @app.get("/<tenant_id>/customers/<customer_id>")
    def get(tenant_id: str, customer_id: str) -> Response:
        actor = actor_from_headers(tenant_id, request.headers)
        return jsonify(customer_json(core.customers.get(tenant_id, actor, customer_id)))

    @app.get("/<tenant_id>/customers")
    def search(tenant_id: str) -> Response:
        """``?q=`` searches name, e-mail, phone or CPF/CNPJ; without it, one page of the list."""
        actor = actor_from_headers(tenant_id, request.headers)
        text = request.args.get("q", "").strip()
        if text:
            found = core.directory.search(tenant_id, actor, text)
            return jsonify({"items": [customer_json(c) for c in found], "next_cursor": None})
        page = core.directory.list(tenant_id, actor, cursor=request.args.get("cursor"))
        return jsonify(
            {"items": [customer_json(c) for c in page.items], "next_cursor": page.next_cursor}
        )

    return app


if __name__ == "__main__":
    # One command to try it: migrate the default SQLite file, then serve on localhost.
    create_app(upgrade=True).run(debug=False)
