"""Faults in the middle of a unit of work roll everything back and surface as our errors."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import Engine, text

from customer_core import Customer, Phone, StorageUnavailable
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _customer(tenant: str) -> Customer:
    return Customer.create(
        id=uuid.uuid4().hex,
        tenant_id=tenant,
        name="Ana",
        now=NOW,
        phones=(Phone.parse("11 98765-4321"),),
    )


KILL = {
    "postgresql": ("SELECT pg_backend_pid()", "SELECT pg_terminate_backend({pid})"),
    "mysql": ("SELECT CONNECTION_ID()", "KILL {pid}"),
}


@pytest.mark.parametrize(
    "server",
    [
        pytest.param("postgresql", marks=pytest.mark.postgresql),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_a_connection_dropped_mid_transaction_writes_nothing(
    server: str, request: pytest.FixtureRequest
) -> None:
    # SQLite is embedded: there is no server connection that could drop.
    sql_engine: Engine = request.getfixturevalue(f"{server}_engine")
    who, kill = KILL[sql_engine.url.get_backend_name()]
    storage = SqlStorage(sql_engine)
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    with pytest.raises(StorageUnavailable) as info, storage() as uow:
        uow.customers.add(_customer(tenant))
        pid = uow._connection.execute(text(who)).scalar_one()  # type: ignore[union-attr]
        with sql_engine.connect() as killer:
            killer.execute(text(kill.format(pid=int(pid))))
            killer.commit()
        uow.customers.add(_customer(tenant + "-2"))
        uow.commit()
    assert info.value.code == "storage_unavailable"
    with storage() as uow:
        assert uow.customers.count(tenant) == 0
        assert uow.customers.count(tenant + "-2") == 0


def test_an_unreachable_server_is_storage_unavailable() -> None:
    storage = SqlStorage(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    with pytest.raises(StorageUnavailable), storage() as uow:
        uow.customers.count("t")
    storage.engine.dispose()
