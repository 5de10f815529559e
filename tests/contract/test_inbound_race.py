"""Processes resolving one new line in different spellings create one customer (identity v2).

Eight processes start together: four name the line as a phone (with the
ninth digit, ``+55``, ``0055``, the old 8-digit form), four as a WhatsApp id
(with and without the country code or the ninth digit). Whoever creates the
customer first takes the line's claim; every other creation fails on it and
looks again, finding that customer. Run on SQLite (a file), PostgreSQL and
MariaDB, each in the run's own schema or database.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy import Engine, text

from customer_core import connect

SPELLINGS: list[dict[str, Any]] = [
    {"phone": "(11) 98765-4321"},
    {"phone": "+55 11 98765-4321"},
    {"phone": "0055 11 98765 4321"},
    {"phone": "11 8765-4321"},
    {"messenger": ("whatsapp", "5511987654321")},
    {"messenger": ("whatsapp", "551187654321")},
    {"messenger": ("whatsapp", "11987654321")},
    {"messenger": ("whatsapp", "005511987654321")},
]


def _resolve(url: str, tenant: str, identifiers: dict[str, Any], start_at: float) -> str:
    core = connect(url, upgrade=False)
    try:
        time.sleep(max(0.0, start_at - time.time()))
        return core.identity.resolve_inbound(tenant, "whatsapp", identifiers).customer.id
    finally:
        core.close()


def _url_of(engine: Engine) -> str:
    url = engine.url
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.scalar(text("SELECT current_schema()"))
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def test_one_new_line_in_eight_spellings_from_eight_processes_is_one_customer(
    sql_engine: Engine,
) -> None:
    url, tenant = _url_of(sql_engine), f"t-{uuid.uuid4().hex[:12]}"
    start_at = time.time() + 4.0  # after every process has imported the library
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(SPELLINGS), mp_context=context) as pool:
        futures = [pool.submit(_resolve, url, tenant, s, start_at) for s in SPELLINGS]
        ids = {future.result(timeout=120) for future in futures}
    assert len(ids) == 1, f"{len(ids)} customers for one line"
    core = connect(url, upgrade=False)
    try:
        with core.storage() as uow:
            assert uow.customers.count(tenant) == 1
    finally:
        core.close()
