"""The Django example (examples/django_app) on PostgreSQL, through Django's test client.

The run gets a schema of its own on the server of ``CUSTOMER_CORE_POSTGRES_URL``
(dropped at the end); an unreachable server skips, except under ``CI=true``.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, make_url, text
from sqlalchemy.exc import OperationalError

import customer_core as cc
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine
from customer_core.adapters.sqlalchemy.tables import VERSION_TABLE

pytest.importorskip("django")  # the test extra installs it; a bare install skips

pytestmark = pytest.mark.postgresql

POSTGRES_URL = os.environ.get(
    "CUSTOMER_CORE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "django_app"
ADMIN = {"X-User-Id": "u1", "X-User-Role": "admin"}


def postgres_admin() -> Engine:
    """The server, or a skip saying why not (a failure under ``CI=true``)."""
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 10})
    try:
        with engine.connect():
            return engine
    except OperationalError as exc:
        engine.dispose()
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        reason = f"PostgreSQL is unreachable at {shown}: {exc.args[0]!s:.200}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the database tests must run)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def shop() -> Iterator[Any]:
    """The example, set up and migrated (``manage.py migrate``) in a schema of its own."""
    admin = postgres_admin()
    schema = f"cc_django_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).render_as_string(hide_password=False)
    saved = {k: os.environ.get(k) for k in ("CUSTOMER_CORE_DATABASE", "SHOP_DATABASE_SCHEMA")}
    os.environ.update(CUSTOMER_CORE_DATABASE=url, SHOP_DATABASE_SCHEMA=schema)
    # Left set afterwards: Django is set up once per process.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_settings")
    sys.path.insert(0, str(EXAMPLE))
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("migrate", verbosity=0)  # again: both are up to date, nothing happens
        from shop import customers

        yield customers
        connections.close_all()
        customers.library_engine().dispose()
    finally:
        sys.path.remove(str(EXAMPLE))
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def published(shop: Any) -> list[str]:
    return [event.name for event in shop.get_core().customers.publisher.publisher.published]


def names(shop: Any, tenant_id: str) -> list[str]:
    admin = shop.get_core()
    actor = cc.Actor(tenant_id=tenant_id, user_id="u1", role="admin")
    return sorted(c.name for c in admin.directory.list(tenant_id, actor).items)


def post_order(tenant_id: str, body: dict[str, Any]) -> Any:
    from django.test import Client

    return Client().post(
        f"/{tenant_id}/orders", body, content_type="application/json", headers=ADMIN
    )


def test_migrate_runs_the_library_migrations_beside_djangos(shop: Any) -> None:
    tables = set(inspect(shop.library_engine()).get_table_names())
    assert {"django_migrations", "shop_order", VERSION_TABLE, "customers"} <= tables
    storage = shop.get_core().storage
    assert isinstance(storage, SqlStorage)


def test_a_customer_and_the_order_commit_together(shop: Any) -> None:
    from shop.models import Order

    answer = post_order(
        "acme", {"customer": {"name": "Ana Lima"}, "order": {"number": 1, "total_cents": 1990}}
    )
    assert answer.status_code == 201, answer.content
    ana = answer.json()["customer"]
    assert Order.objects.get(tenant_id="acme", number=1).customer_id == ana["id"]
    assert names(shop, "acme") == ["Ana Lima"]
    assert "customer.registered" in published(shop)  # after Django's commit


def test_an_error_after_the_customer_rolls_both_back(shop: Any) -> None:
    from shop.models import Order

    first = {"customer": {"name": "Bia Souza"}, "order": {"number": 7, "total_cents": 100}}
    assert post_order("beta", first).status_code == 201
    events = len(published(shop))
    # Order 7 exists: the second customer is registered, then the order fails.
    second = {"customer": {"name": "Caio Prado"}, "order": {"number": 7, "total_cents": 200}}
    answer = post_order("beta", second)
    assert answer.status_code == 409, answer.content
    assert names(shop, "beta") == ["Bia Souza"]  # Caio went with the order
    assert Order.objects.filter(tenant_id="beta").count() == 1
    assert len(published(shop)) == events  # nothing published for a rollback


def test_a_library_error_is_an_http_answer_and_stores_nothing(shop: Any) -> None:
    from shop.models import Order

    body = {
        "customer": {"name": "Duda", "phones": ["123"]},
        "order": {"number": 1, "total_cents": 5},
    }
    answer = post_order("gama", body)
    assert answer.status_code == 422, answer.content
    assert (answer.json()["error"]["code"], answer.json()["error"]["field"]) == (
        "invalid_phone",
        "phones",
    )
    assert not Order.objects.filter(tenant_id="gama").exists()
    assert names(shop, "gama") == []


def test_an_exception_in_atomic_rolls_back_the_customers(shop: Any) -> None:
    from django.db import transaction

    core = shop.get_core()
    actor = cc.Actor(tenant_id="delta", user_id="u1", role="admin")
    events = len(published(shop))
    with pytest.raises(RuntimeError, match="payment refused"), transaction.atomic():
        with shop.django_transaction(core):
            core.customers.register("delta", actor, name="Eva Reis")
            # the block's own reads see the uncommitted customer
            assert [c.name for c in core.directory.search("delta", actor, "Eva")] == ["Eva Reis"]
        assert len(published(shop)) == events  # not before Django commits
        raise RuntimeError("payment refused")
    assert names(shop, "delta") == []
    assert len(published(shop)) == events


def test_the_block_needs_djangos_transaction(shop: Any) -> None:
    with pytest.raises(cc.InvalidOperation) as raised, shop.django_transaction(shop.get_core()):
        pass
    assert (raised.value.code, raised.value.field) == ("invalid_operation", "transaction")


def test_events_wait_for_djangos_commit(shop: Any) -> None:
    from django.db import transaction

    core = shop.get_core()
    actor = cc.Actor(tenant_id="epsilon", user_id="u1", role="admin")
    events = len(published(shop))
    with transaction.atomic():
        with shop.django_transaction(core):
            core.customers.register("epsilon", actor, name="Fabi Dias")
        assert len(published(shop)) == events
    assert published(shop)[events:] == ["customer.registered"]
    assert names(shop, "epsilon") == ["Fabi Dias"]
