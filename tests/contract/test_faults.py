"""Faults in the middle of a unit of work roll everything back and surface as our errors."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DataError, OperationalError

from customer_core import (
    Code,
    Customer,
    InvalidStoredValue,
    InvalidValue,
    Phone,
    StorageUnavailable,
)
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine
from customer_core.adapters.sqlalchemy.errors import storage_error

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


@pytest.mark.parametrize(
    "server",
    [
        pytest.param("postgresql", marks=pytest.mark.postgresql),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_a_value_the_database_refuses_is_invalid_stored_value_not_retryable(
    server: str, request: pytest.FixtureRequest
) -> None:
    # SQLite stores any length in a VARCHAR(1): it has nothing to refuse here.
    sql_engine: Engine = request.getfixturevalue(f"{server}_engine")
    storage = SqlStorage(sql_engine)
    table = f"refused_{uuid.uuid4().hex[:12]}"
    with pytest.raises(InvalidStoredValue) as info, storage() as uow:
        connection = uow._connection
        assert connection is not None
        connection.execute(text(f"CREATE TEMPORARY TABLE {table} (v VARCHAR(1))"))
        connection.execute(text(f"INSERT INTO {table} VALUES ('ab')"))
    error = info.value
    assert isinstance(error, InvalidValue)
    assert not isinstance(error, StorageUnavailable)  # a retry would fail the same way
    assert (error.code, error.field) == (Code.INVALID_STORED_VALUE, None)
    assert isinstance(error.__cause__, DataError)


def test_storage_error_tells_a_refused_value_from_an_unavailable_database() -> None:
    refused = storage_error(DataError("INSERT ...", {}, Exception("value too long")))
    assert type(refused) is InvalidStoredValue
    assert refused.code == "invalid_stored_value"
    gone = storage_error(OperationalError("SELECT 1", {}, Exception("server closed")))
    assert type(gone) is StorageUnavailable
    assert gone.code == "storage_unavailable"
    assert storage_error(ValueError("ours")) is None
