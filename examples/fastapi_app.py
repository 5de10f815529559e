"""customer_core in a FastAPI application: the core as a dependency, errors as HTTP answers.

What it shows:

- the core is made once, at start-up, and handed to each endpoint by a
  dependency (``CoreDep``); the acting user comes from the request's headers
  (``ActorDep``: a real application takes it from its authentication);
- every library error becomes an HTTP answer with its stable code and field:
  404 not found (or not visible), 403 not allowed, 409 conflict, 503 when the
  database cannot be reached (``StorageUnavailable``), 422 for the rest;
- responses are :func:`customer_core.serialization.unstructure` of what the
  library returns, and ``GET /schemas/customer`` is its JSON Schema;
- ``POST /{tenant}/orders`` registers a customer and stores the shop's own
  order in one transaction (:meth:`customer_core.CustomerCore.unit_of_work`):
  an order refused after the customer was registered takes the customer with it.

Run it (``pip install fastapi uvicorn``)::

    uvicorn --factory fastapi_app:create_app
    curl -X POST localhost:8000/acme/customers -H 'X-User-Id: u1' -H 'X-User-Role: admin' \\
         -H 'Content-Type: application/json' -d '{"name": "Ana Lima", "phones": ["11 98765-4321"]}'
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, insert, select

import customer_core as cc
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.serialization import customer_schema, unstructure
from customer_core.services import CustomerService

#: HTTP status of each error family; the first matching class wins.
STATUS_BY_ERROR: tuple[tuple[type[cc.CustomerCoreError], int], ...] = (
    (cc.NotFound, 404),  # missing, or not visible to this actor: the same answer on purpose
    (cc.PermissionDenied, 403),
    (cc.Conflict, 409),  # the identifier belongs to someone else, or a stale version
    (cc.StorageUnavailable, 503),  # the database is down or busy: try again later
    (cc.MissingDependency, 500),  # the server is missing an extra: not the client's fault
    (cc.CustomerCoreError, 422),  # invalid values and rule violations: fix the input
)

#: The shop's own table, next to the library's, on the same database.
shop_tables = MetaData()
orders = Table(
    "shop_orders",
    shop_tables,
    Column("tenant_id", String(64), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("customer_id", String(64), nullable=False),
    Column("total_cents", Integer, nullable=False),
)


#: What a client may send when registering a customer: the keyword arguments of
#: ``register`` but the password (set apart, by the customer).
REGISTRATION_FIELDS = frozenset(
    parameter.name
    for parameter in inspect.signature(CustomerService.register).parameters.values()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.name != "password"
)


def registration(body: Any) -> dict[str, Any]:
    """``body`` as ``register``'s keyword arguments; an unknown field is the client's error."""
    if not isinstance(body, dict):
        raise cc.InvalidValue("expected a JSON object", code=cc.Code.INVALID_VALUE, field="body")
    unknown = sorted(set(body) - REGISTRATION_FIELDS)
    if unknown:
        raise cc.InvalidValue(
            f"unknown fields: {', '.join(unknown)}", code=cc.Code.EXTRA_FIELDS, field=unknown[0]
        )
    return {"name": "", **body}


def status_for(error: cc.CustomerCoreError) -> int:
    return next(status for cls, status in STATUS_BY_ERROR if isinstance(error, cls))


def get_core(request: Request) -> cc.CustomerCore:
    core: cc.CustomerCore = request.app.state.core
    return core


def get_actor(
    tenant_id: str,
    x_user_id: Annotated[str | None, Header()] = None,
    x_user_role: Annotated[str, Header()] = "seller",
) -> cc.Actor:
    """The acting user; a real application reads its session or token here."""
    if not x_user_id:
        raise HTTPException(401, "the X-User-Id header is missing")
    return cc.Actor(tenant_id=tenant_id, user_id=x_user_id, role=x_user_role)


def get_connection(core: Annotated[cc.CustomerCore, Depends(get_core)]) -> Iterator[Connection]:
    """A connection of the shop's own; what the endpoint does not commit is rolled back."""
    storage = core.storage
    assert isinstance(storage, SqlStorage)
    with storage.engine.connect() as connection:
        yield connection


CoreDep = Annotated[cc.CustomerCore, Depends(get_core)]
ActorDep = Annotated[cc.Actor, Depends(get_actor)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]
JsonBody = Annotated[dict[str, Any], Body()]


def create_app(
    database_url: str | None = None,
    *,
    preset: cc.presets.PresetChoice = cc.presets.DEFAULT,
    upgrade: bool = True,
) -> FastAPI:
    """The application on ``database_url`` (default: ``$CUSTOMER_CORE_DATABASE``)."""
    url = database_url or os.environ.get("CUSTOMER_CORE_DATABASE", "sqlite:///customers.db")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        core = cc.connect(url, preset=preset, upgrade=upgrade)
        if upgrade:  # the shop's tables; a real shop migrates them with its own Alembic
            storage = core.storage
            assert isinstance(storage, SqlStorage)
            shop_tables.create_all(storage.engine)
        app.state.core = core
        yield
        core.close()

    app = FastAPI(title="customer_core example", lifespan=lifespan)

    @app.exception_handler(cc.CustomerCoreError)
    async def library_error(_: Request, error: cc.CustomerCoreError) -> JSONResponse:
        body = {"error": {"code": error.code, "field": error.field, "message": error.message}}
        status = status_for(error)
        headers = {"Retry-After": "5"} if status == 503 else None
        return JSONResponse(body, status_code=status, headers=headers)

    @app.get("/schemas/customer")
    def schema() -> dict[str, Any]:
        return customer_schema()

    @app.post("/{tenant_id}/customers", status_code=201)
    def register(tenant_id: str, body: JsonBody, core: CoreDep, actor: ActorDep) -> Any:
        return unstructure(core.customers.register(tenant_id, actor, **registration(body)))

    @app.get("/{tenant_id}/customers/{customer_id}")
    def get(tenant_id: str, customer_id: str, core: CoreDep, actor: ActorDep) -> Any:
        return unstructure(core.customers.get(tenant_id, actor, customer_id))

    @app.get("/{tenant_id}/customers")
    def search(tenant_id: str, q: str, core: CoreDep, actor: ActorDep) -> Any:
        return {"items": unstructure(core.directory.search(tenant_id, actor, q))}

    @app.post("/{tenant_id}/orders", status_code=201)
    def place_order(
        tenant_id: str, body: JsonBody, core: CoreDep, actor: ActorDep, connection: ConnectionDep
    ) -> Any:
        """A new customer and its first order, committed together or not at all.

        The block is opened here, in the endpoint: FastAPI runs dependencies
        in other threads, and a block belongs to the thread (or task) that
        opened it.
        """
        with core.unit_of_work(connection=connection):
            customer = core.customers.register(tenant_id, actor, **registration(body["customer"]))
            number = int(body["order"]["number"])
            taken = connection.execute(
                select(orders.c.number).where(
                    orders.c.tenant_id == tenant_id, orders.c.number == number
                )
            ).first()
            if taken is not None:  # raising leaves the block: nothing is committed
                raise HTTPException(409, f"order {number} exists")
            connection.execute(
                insert(orders).values(
                    tenant_id=tenant_id,
                    number=number,
                    customer_id=customer.id,
                    total_cents=int(body["order"]["total_cents"]),
                )
            )
        connection.commit()  # the customer, its events' outbox rows and the order
        return {"customer": unstructure(customer), "order": number}

    return app
