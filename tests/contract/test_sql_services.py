"""Services and the importer on real databases: races, kills and set-based paths."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, func, select
from tenants import new_tenant

from customer_core import Actor, presets
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.tables import customers as customers_table
from customer_core.demo import demo_csv
from customer_core.io import Importer
from customer_core.services import CustomerService, IdentityService


def test_concurrent_inbound_messages_create_exactly_one_customer(sql_engine: Engine) -> None:
    tenant = new_tenant()
    storage = SqlStorage(sql_engine)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        service = IdentityService(storage, preset=presets.HELPDESK_CARD)
        barrier.wait()
        try:
            result = service.resolve_inbound(
                tenant, "whatsapp", {"messenger": ("whatsapp", "5511987654321")}
            )
            outcomes.append(result.outcome)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert outcomes.count("created") == 1
    assert len(outcomes) == 6
    with storage() as uow:
        assert uow.customers.count(tenant) == 1


def test_import_upsert_then_rerun_is_idempotent(sql_engine: Engine, tmp_path: Path) -> None:
    tenant = new_tenant()
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    source = tmp_path / "clientes.csv"
    source.write_text(demo_csv(400), encoding="utf-8")
    importer = Importer(SqlStorage(sql_engine))
    first = importer.run(tenant, admin, source, mode="upsert", batch_size=64)
    again = importer.run(tenant, admin, source, mode="upsert", batch_size=64)
    assert first.failed == again.failed == 0
    assert first.created > 380
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    customers = CustomerService(SqlStorage(sql_engine))
    with customers.uow_factory() as uow:
        assert uow.customers.count(tenant) == first.created


def test_an_identifier_too_long_to_store_is_a_bad_row_not_a_lost_batch(
    sql_engine: Engine,
) -> None:
    tenant = new_tenant()
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    rows = [f"Cliente {n};c{n}@exemplo.com.br;ERP-{n}" for n in range(5)]
    rows[2] = "Cliente 2;c2@exemplo.com.br;" + "9" * 255  # "code:" + 255 characters
    source = io.BytesIO(("Nome;E-mail;Código\n" + "\n".join(rows) + "\n").encode())
    report = Importer(SqlStorage(sql_engine)).run(tenant, admin, source, batch_size=10)
    # The code is left out (too long to be a key); the customer is kept without it.
    assert (report.created, report.failed) == (5, 0)
    assert [(w.line, w.column) for w in report.warnings] == [(4, "external_id")]
    with SqlStorage(sql_engine)() as uow:
        assert uow.customers.count(tenant) == 5


def _url_of(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "postgresql":
        # The run's schema travels in the URL so the child process uses it too.
        schema = engine.dialect.default_schema_name or "public"
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def test_a_killed_import_is_completed_by_running_it_again(
    sql_engine: Engine, tmp_path: Path
) -> None:
    tenant = new_tenant()
    source = tmp_path / "clientes.csv"
    source.write_text(demo_csv(6000), encoding="utf-8")
    url = _url_of(sql_engine)
    command = [
        sys.executable,
        "-m",
        "customer_core.cli",
        "import",
        str(source),
        "--database",
        url,
        "--tenant",
        tenant,
        "--mode",
        "upsert",
        "--batch-size",
        "200",
        "--no-progress",
    ]

    def stored() -> int:
        with sql_engine.connect() as connection:
            query = (
                select(func.count())
                .select_from(customers_table)
                .where(customers_table.c.tenant_id == tenant)
            )
            return int(connection.execute(query).scalar_one())

    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    ) as child:
        deadline = time.monotonic() + 120
        while stored() == 0 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    partial = stored()
    assert partial > 0
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    total = stored()
    # A clean import of the same file, elsewhere, gives the same number of customers.
    reference = (
        Importer(SqlStorage(sql_engine)).run(
            new_tenant(), Actor(tenant_id="x", user_id="a", role="admin"), source, mode="upsert"
        )
        if False
        else None
    )
    clean_tenant = new_tenant()
    clean = Importer(SqlStorage(sql_engine)).run(
        clean_tenant,
        Actor(tenant_id=clean_tenant, user_id="a", role="admin"),
        source,
        mode="upsert",
    )
    assert reference is None
    assert total == clean.created
    assert partial <= total
