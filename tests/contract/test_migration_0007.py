"""Migration 0007 (identity v2) from a populated 0006 database, on SQLite, PostgreSQL and MariaDB.

The database holds what older versions wrote: thousands of customers, each
key with one holder; WhatsApp ids as ``messenger`` keys in the spellings that
came in before the ``0055``/no-country-code fix (``0055…``, the national
number, the 8-digit legacy mobile); a WhatsApp id of one customer on another's
phone line (the old "exact cluster"); a CPF keyed in full-width digits on one
customer and in ASCII on another; customers with a password (a login).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest
from alembic import command
from sqlalchemy import Engine, func, select, text

from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.adapters.sqlalchemy.engine import alembic_config
from customer_core.adapters.sqlalchemy.tables import customer_identities, identity_claims
from customer_core.domain.model.customer import Customer, IdentityKey, IdentityKind
from customer_core.domain.values.email import Email
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import DuplicateIdentity

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
TENANT = "loja"
COUNT = 2000
FULL_WIDTH_CPF = "".join(chr(0xFF10 + int(d)) for d in "52998224725")


def _line(n: int) -> str:
    return f"55119{87650000 + n:08d}"


def _people() -> list[Customer]:
    people = []
    for n in range(COUNT):
        customer = Customer.create(
            id=f"c{n:05d}",
            tenant_id=TENANT,
            name=f"Cliente {n}",
            now=NOW,
            phones=(Phone.parse("+" + _line(n)),),
            emails=(Email.parse(f"cliente{n}@exemplo.com.br"),),
        )
        if n % 10 == 0:  # a shop login
            customer = attrs.evolve(customer, password_hash="scrypt$x")
        people.append(customer)
    return people


def _old_rows(people: list[Customer]) -> list[tuple[str, str, str, str]]:
    rows = []
    for c in people:
        rows.append((TENANT, "phone", c.phones[0].match_key, c.id))
        rows.append((TENANT, "email", c.emails[0].match_key, c.id))
    # WhatsApp ids as older versions keyed them, on lines nobody holds as a phone.
    rows += [
        (TENANT, "messenger", "whatsapp:005511912340001", "c00001"),  # 0055
        (TENANT, "messenger", "whatsapp:11912340002", "c00002"),  # no country code
        (TENANT, "messenger", "whatsapp:551177340003", "c00003"),  # 8-digit legacy mobile
        # Customer 4's WhatsApp id is customer 5's phone line: an old exact cluster.
        (TENANT, "messenger", f"whatsapp:{_line(5)}", "c00004"),
        # One CPF typed in full-width digits on one customer, in ASCII on another.
        (TENANT, "tax_id", FULL_WIDTH_CPF, "c00006"),
        (TENANT, "tax_id", "52998224725", "c00007"),
    ]
    return rows


def line(digits: str) -> IdentityKey:
    return IdentityKey(IdentityKind.PHONE, digits)


def test_0007_rekeys_a_populated_database(
    database_at_0006: Engine, write_old_rows: Any, caplog: pytest.LogCaptureFixture
) -> None:
    engine = database_at_0006
    people = _people()
    write_old_rows(engine, people, _old_rows(people))
    with (
        caplog.at_level(logging.WARNING, logger="alembic.runtime.migration"),
        engine.begin() as connection,
    ):
        command.upgrade(alembic_config(connection), "head")

    i = customer_identities.c
    with engine.connect() as connection:
        kinds: dict[str, int] = {}
        for kind, count in connection.execute(select(i.kind, func.count()).group_by(i.kind)):
            kinds[kind] = count
        claims = connection.scalar(select(func.count()).select_from(identity_claims))
        distinct_keys = connection.scalar(
            select(func.count()).select_from(select(i.kind, i.key).distinct().subquery())
        )
    assert "messenger" not in kinds  # every WhatsApp id is a line now
    assert kinds["login_email"] == COUNT // 10
    assert kinds["tax_id"] == 2 and kinds["email"] == COUNT
    assert kinds["phone"] == COUNT + 4
    assert claims == distinct_keys  # one claim per held key

    storage = SqlStorage(engine)
    with storage() as uow:
        holders = uow.customers.holders(
            TENANT,
            [
                line("5511912340001"),
                line("5511912340002"),
                line("5511977340003"),  # the ninth digit put back
                line(_line(5)),
                IdentityKey(IdentityKind.TAX_ID, "52998224725"),
                IdentityKey(IdentityKind.LOGIN_EMAIL, "cliente10@exemplo.com.br"),
            ],
        )
    assert holders == {
        line("5511912340001"): ("c00001",),
        line("5511912340002"): ("c00002",),
        line("5511977340003"): ("c00003",),
        line(_line(5)): ("c00004", "c00005"),  # now a line two customers share
        IdentityKey(IdentityKind.TAX_ID, "52998224725"): ("c00006", "c00007"),
        IdentityKey(IdentityKind.LOGIN_EMAIL, "cliente10@exemplo.com.br"): ("c00010",),
    }
    # The CPF typed twice is reported (by kind and customer, never by value).
    reported = " ".join(r.getMessage() for r in caplog.records)
    assert ("tax_id" in reported and "c00006" in reported) or "c00007" in reported
    assert "52998224725" not in reported
    # Claims keep exclusive keys exclusive after the migration.
    with pytest.raises(DuplicateIdentity), storage() as uow:
        uow.customers.add(
            Customer.create(
                id="new", tenant_id=TENANT, name="Nova", now=NOW, tax_id=Cpf.parse("529.982.247-25")
            )
        )
        uow.commit()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM customers")) == COUNT
