"""Identity v2: shareable keys, claims, the login e-mail, keys re-computed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Until now every identity key had one holder, so a household's landline or an
owner's mobile shared with their company could not be stored twice. Now:

- ``customer_identities`` holds one row per (key, holder): its primary key
  becomes ``(tenant_id, kind, key, customer_id)``, and ``last_seen_at`` says
  when the holder last received an inbound message on the key;
- ``identity_claims`` ``(tenant_id, kind, key)`` has one row per held key;
  its primary key keeps exclusive keys to one holder and makes the creation
  of the first holder of a new line race-safe;
- WhatsApp ids become phone-line keys (``messenger`` ``whatsapp:<id>`` ->
  ``phone`` ``<line>``), with the ``0055``/no-country-code/8-digit spellings
  that older versions stored as they came read as their line;
- tax ids typed in full-width or other Unicode digits are keyed in ASCII
  digits;
- the login e-mail (the primary e-mail of a customer who has a password) gets
  its own exclusive key kind, ``login_email``.

The rules are frozen here: the migration never imports the library's live
parsing code (only ``phonenumbers`` itself, as the WhatsApp rule always did).
Re-computed exclusive keys that now name two customers (the same CPF typed
once in full-width digits, say) are kept, and reported in the migration's
log by kind and customer ids, never by value: review them with
``IdentityService.suspect_merges`` or by hand.

Downgrading keeps one holder per key (the oldest row's customer id first)
and drops the login e-mail rows and the claims: shared holders beyond the
first are lost, as the old schema cannot hold them.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import phonenumbers
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}
EXCLUSIVE = ("tax_id", "login_email", "messenger", "social", "external")
BATCH = 1000

identities = sa.table(
    "customer_identities",
    sa.column("tenant_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
    sa.column("customer_id", sa.String),
)
claims = sa.table(
    "identity_claims",
    sa.column("tenant_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
)
customers = sa.table(
    "customers",
    sa.column("tenant_id", sa.String),
    sa.column("id", sa.String),
    sa.column("document", sa.JSON),
)


def _whatsapp_line(whatsapp_id: str) -> str | None:
    """The phone line of a WhatsApp id as it was stored (frozen rule)."""
    digits = "".join(str(unicodedata.decimal(c)) for c in whatsapp_id if c.isdecimal())
    if digits.startswith("00"):
        digits = digits[2:]
    for text, region in (("+" + digits, None), (digits, "BR")):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            digits = f"{number.country_code}{number.national_number}"
            break
    else:
        if len(digits) in (10, 11) and not digits.startswith("0"):
            digits = "55" + digits
    if digits.startswith("55") and len(digits) == 12 and digits[4] in "6789":
        digits = digits[:4] + "9" + digits[4:]  # a mobile stored without its ninth digit
    return digits if 8 <= len(digits) <= 15 else None


def _ascii_tax_id(key: str) -> str:
    folded = unicodedata.normalize("NFKC", key)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded).upper()


def _rows(connection: sa.Connection, query: sa.Select[Any]) -> Iterator[Sequence[Any]]:
    yield from connection.execute(query.execution_options(stream_results=True, yield_per=BATCH))


def _rekey(connection: sa.Connection) -> None:
    """WhatsApp ids to lines, Unicode tax ids to ASCII, login e-mails: batched rewrites."""
    rewrites: list[tuple[dict[str, str], dict[str, str]]] = []
    query = sa.select(identities).where(identities.c.kind.in_(("messenger", "tax_id")))
    for tenant_id, kind, key, customer_id in _rows(connection, query):
        old = {"tenant_id": tenant_id, "kind": kind, "key": key, "customer_id": customer_id}
        if kind == "messenger" and key.startswith("whatsapp:"):
            line = _whatsapp_line(key.removeprefix("whatsapp:"))
            if line is not None:
                rewrites.append((old, {**old, "kind": "phone", "key": line}))
        elif kind == "tax_id" and _ascii_tax_id(key) != key:
            rewrites.append((old, {**old, "key": _ascii_tax_id(key)}))
    logins: list[dict[str, str]] = []
    query = sa.select(customers.c.tenant_id, customers.c.id, customers.c.document)
    for tenant_id, customer_id, document in _rows(connection, query):
        record = json.loads(document) if isinstance(document, str | bytes) else document
        if record.get("password_hash") and record.get("primary_email_key"):
            logins.append(
                {
                    "tenant_id": tenant_id,
                    "kind": "login_email",
                    "key": record["primary_email_key"],
                    "customer_id": customer_id,
                }
            )
    c = identities.c
    for start in range(0, len(rewrites), BATCH):
        part = rewrites[start : start + BATCH]
        for old, _ in part:
            connection.execute(
                sa.delete(identities).where(
                    c.tenant_id == old["tenant_id"],
                    c.kind == old["kind"],
                    c.key == old["key"],
                    c.customer_id == old["customer_id"],
                )
            )
        fresh = {tuple(new.values()): new for _, new in part}
        existing = set()
        for tenant_id, kind, key, customer_id in fresh:
            found = connection.execute(
                sa.select(c.customer_id).where(
                    c.tenant_id == tenant_id,
                    c.kind == kind,
                    c.key == key,
                    c.customer_id == customer_id,
                )
            ).first()
            if found is not None:  # the customer held the line as a phone already
                existing.add((tenant_id, kind, key, customer_id))
        rows = [row for k, row in fresh.items() if k not in existing]
        if rows:
            connection.execute(sa.insert(identities), rows)
    for start in range(0, len(logins), BATCH):
        connection.execute(sa.insert(identities), logins[start : start + BATCH])


def _report_collisions(connection: sa.Connection) -> None:
    c = identities.c
    shared = (
        sa.select(c.tenant_id, c.kind, c.key)
        .where(c.kind.in_(EXCLUSIVE))
        .group_by(c.tenant_id, c.kind, c.key)
        .having(sa.func.count() > 1)
        .subquery()
    )
    query = sa.select(c.tenant_id, c.kind, c.customer_id).join(
        shared,
        sa.and_(c.tenant_id == shared.c.tenant_id, c.kind == shared.c.kind, c.key == shared.c.key),
    )
    for tenant_id, kind, customer_id in connection.execute(query):
        log.warning(
            "identity collision: tenant %s, %s held by several customers, one is %s",
            tenant_id,
            kind,
            customer_id,
        )


def upgrade() -> None:
    op.create_table(
        "identity_claims",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "kind", "key", name="pk_identity_claims"),
        **MYSQL,
    )
    with op.batch_alter_table("customer_identities") as batch:
        batch.add_column(
            sa.Column(
                "last_seen_at",
                sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb"),
            )
        )
        batch.drop_constraint("pk_customer_identities", type_="primary")
        batch.create_primary_key(
            "pk_customer_identities", ["tenant_id", "kind", "key", "customer_id"]
        )
    connection = op.get_bind()
    _rekey(connection)
    c = identities.c
    connection.execute(
        sa.insert(claims).from_select(
            ["tenant_id", "kind", "key"], sa.select(c.tenant_id, c.kind, c.key).distinct()
        )
    )
    _report_collisions(connection)


def downgrade() -> None:
    connection = op.get_bind()
    c = identities.c
    connection.execute(sa.delete(identities).where(c.kind == "login_email"))
    keep = (
        sa.select(c.tenant_id, c.kind, c.key, sa.func.min(c.customer_id).label("holder"))
        .group_by(c.tenant_id, c.kind, c.key)
        .having(sa.func.count() > 1)
    )
    for tenant_id, kind, key, holder in connection.execute(keep).all():
        connection.execute(
            sa.delete(identities).where(
                c.tenant_id == tenant_id, c.kind == kind, c.key == key, c.customer_id != holder
            )
        )
    with op.batch_alter_table("customer_identities") as batch:
        batch.drop_constraint("pk_customer_identities", type_="primary")
        batch.create_primary_key("pk_customer_identities", ["tenant_id", "kind", "key"])
        batch.drop_column("last_seen_at")
    op.drop_table("identity_claims")
