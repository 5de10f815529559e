"""The schema as SQLAlchemy Core tables: what the migrations create, and what queries use.

Every primary key, unique key and index starts with ``tenant_id``: the data
will be sharded by tenant, and no statement of the adapter spans tenants.
Constraint names come from :data:`NAMING_CONVENTION`, so errors can be
translated by name (see :mod:`.errors`) and migrations can refer to them.

String lengths keep every key under InnoDB's 3072-byte limit in ``utf8mb4``.
Tables are created with a binary, no-pad collation on MariaDB
(``utf8mb4_nopad_bin``, migration 0006; and the sortable columns with ``"C"``
on PostgreSQL) so that comparisons and ordering are by code point, exactly as
in Python and in the memory adapter: ``Foo@x.com`` and ``foo@x.com`` must
never collide unless their match keys say so, nor ``loja`` and ``loja ``.
Id and key columns are :class:`IdText`, which binds nothing but text.

>>> sorted(metadata.tables)  # doctest: +NORMALIZE_WHITESPACE
['audit_log', 'consents', 'customer_blocks', 'customer_identities', 'customers', 'dismissal_members',
 'dismissals', 'duplicate_hints',
 'identity_claims', 'identity_lists', 'merges', 'outbox', 'portfolio_members', 'portfolios']
>>> customer_identities.primary_key.name
'pk_customer_identities'
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from customer_core.domain.values.ids import MAX_ID_LENGTH
from customer_core.domain.values.online import MAX_KEY
from customer_core.errors import Code, InvalidValue

__all__ = [
    "NAMING_CONVENTION",
    "VERSION_TABLE",
    "IdText",
    "UtcDateTime",
    "audit_log",
    "consents",
    "customer_blocks",
    "customer_identities",
    "customers",
    "dismissal_members",
    "dismissals",
    "document_type",
    "duplicate_hints",
    "identity_claims",
    "identity_lists",
    "merges",
    "metadata",
    "outbox",
    "portfolio_members",
    "portfolios",
    "sortable",
]

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

#: Alembic's bookkeeping table; named for this library so it never collides
#: with the host application's own ``alembic_version``.
VERSION_TABLE = "customer_core_version"

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Table options for MariaDB/MySQL: InnoDB for transactions and row locks,
#: utf8mb4 for all of Unicode, binary no-pad collation for exact comparisons
#: (a PAD SPACE collation finds 'loja ' equal to 'loja').
MYSQL_TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}

ID = MAX_ID_LENGTH  # tenant, user and record ids
KEY = MAX_KEY  # identity keys (an e-mail address is at most 254 characters)
NAME = 200  # the domain's name limit
SEARCH_NAME = 512  # folded name and trade name; see mapping.search_name


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every dialect, to the microsecond.

    PostgreSQL has ``timestamptz``; MariaDB and SQLite keep no zone, so they
    store the UTC wall time and get ``tzinfo=UTC`` back on load. MariaDB needs
    ``DATETIME(6)`` not to drop the microseconds. Naive datetimes are refused:
    the domain's datetimes are aware, and guessing a zone would corrupt them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("customer_core stores timezone-aware datetimes only")
        utc = value.astimezone(timezone.utc)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class IdText(TypeDecorator[str]):
    """An id or identity key column, which binds text and nothing else.

    Databases coerce what they are handed: MariaDB compares a text column
    with the number ``1`` numerically (every id that reads as 1 matches; ``0``
    matches every id that does not start with a digit), PostgreSQL raises a
    driver error. The services check every id they are given; this type is
    the adapter's own guard, so no caller of a repository can bind a number,
    ``bytes`` or ``None``-like value into an id comparison on any dialect.
    With ``code_point_order`` the column sorts by code point on PostgreSQL
    (``COLLATE "C"``), as :func:`sortable`.
    """

    impl = String
    cache_ok = True

    def __init__(self, length: int, *, code_point_order: bool = False) -> None:
        super().__init__(length)
        self.length = length
        self.code_point_order = code_point_order

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if self.code_point_order and dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.VARCHAR(self.length, collation="C"))
        return dialect.type_descriptor(String(self.length))

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or type(value) is str:
            return value
        raise InvalidValue(
            f"an id or identity key is text, not {type(value).__name__}", code=Code.INVALID_VALUE
        )


def document_type() -> TypeEngine[Any]:
    """JSON; ``jsonb`` on PostgreSQL so documents can be indexed and queried later."""
    return JSON().with_variant(postgresql.JSONB(), "postgresql")


def sortable(length: int) -> TypeEngine[str]:
    """A string ordered by code point: ``COLLATE "C"`` on PostgreSQL.

    MariaDB gets the same from the tables' binary collation, SQLite by default.
    """
    return String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


customers = Table(
    "customers",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID, code_point_order=True), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(NAME), nullable=False),
    Column("search_name", sortable(SEARCH_NAME), nullable=False),
    Column("trade_name", String(NAME)),
    Column("tax_id", String(14)),
    Column("status", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("relationship_type", String(16), nullable=False),
    Column("portfolio_id", IdText(ID)),
    Column("responsible_id", IdText(ID)),
    Column("is_spammer", Boolean(), nullable=False),
    Column("is_vip", Boolean(), nullable=False),
    Column("first_purchase_at", UtcDateTime()),
    Column("last_contacted_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer(), nullable=False),
    # The whole record (customer_to_document); the columns above are copies
    # for querying, except those set-based updates change on their own
    # (mapping.COLUMN_OWNED), which win when loading.
    Column("document", document_type(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    # The tenant's customers, and a seller's share, with their search key
    # and id: a search picks the ids of a page from the index entries alone,
    # then reads only those rows (migrations 0002-0004; visibility._page_query).
    Index(None, "tenant_id", "search_name", "id"),
    Index(None, "tenant_id", "portfolio_id", "search_name", "id"),
    # Also answers "is any customer of mine outside my portfolios?" by seeks
    # (migration 0005; queries.responsible_outside).
    Index(
        "ix_customers_tenant_responsible_portfolio_name_id",  # the default name is too long
        "tenant_id",
        "responsible_id",
        "portfolio_id",
        "search_name",
        "id",
    ),
    Index(None, "tenant_id", "status"),
    Index(None, "tenant_id", "relationship_type"),
    **MYSQL_TABLE_OPTIONS,
)

# The identity index: one row per (key, holder). An exclusive key (tax id,
# login e-mail, external id, social profile, non-phone messenger id) has one
# holder, a shareable one (phone line, contact e-mail) may have several
# (domain.model.identity). last_seen_at: when the holder last received an
# inbound message on the key (which holder of a shared line a message is for).
customer_identities = Table(
    "customer_identities",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key", IdText(KEY), nullable=False),
    Column("customer_id", IdText(ID), nullable=False),
    Column("last_seen_at", UtcDateTime()),
    PrimaryKeyConstraint("tenant_id", "kind", "key", "customer_id"),
    ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
    Index(None, "tenant_id", "customer_id"),
    sqlite_with_rowid=False,  # the table is its primary key's b-tree (0012)
    **MYSQL_TABLE_OPTIONS,
)

# One claim per key while anyone holds it. Its primary key is THE guarantee
# that an exclusive key belongs to one customer of a tenant, and that two
# transactions creating the first holder of a new shareable key (a new line
# spelt two ways) cannot both succeed, whatever races between writers.
identity_claims = Table(
    "identity_claims",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key", IdText(KEY), nullable=False),
    PrimaryKeyConstraint("tenant_id", "kind", "key"),
    sqlite_with_rowid=False,  # nothing but its key (0012)
    **MYSQL_TABLE_OPTIONS,
)

portfolios = Table(
    "portfolios",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("name", String(NAME), nullable=False),
    Column("description", Text()),
    Column("owner_id", IdText(ID)),
    PrimaryKeyConstraint("tenant_id", "id"),
    # The portfolios a user owns: every restricted actor's scope (migration 0003).
    Index(None, "tenant_id", "owner_id"),
    **MYSQL_TABLE_OPTIONS,
)

portfolio_members = Table(
    "portfolio_members",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("portfolio_id", IdText(ID), nullable=False),
    Column("user_id", IdText(ID), nullable=False),
    PrimaryKeyConstraint("tenant_id", "portfolio_id", "user_id"),
    ForeignKeyConstraint(["tenant_id", "portfolio_id"], ["portfolios.tenant_id", "portfolios.id"]),
    # A user's portfolios are looked up on every request (visibility scope).
    Index(None, "tenant_id", "user_id"),
    **MYSQL_TABLE_OPTIONS,
)

# Domain events written in the transaction of the change they describe; a
# relay publishes them after commit (transactional outbox).
outbox = Table(
    "outbox",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("name", String(100), nullable=False),
    Column("customer_id", IdText(ID)),
    Column("actor_id", IdText(ID)),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("data", document_type(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    **MYSQL_TABLE_OPTIONS,
)

# Block- and allow-lists ("spam", "vip") keyed by identity key, not by
# customer: an entry holds before the customer exists and survives merges.
identity_lists = Table(
    "identity_lists",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("list_name", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key", IdText(KEY), nullable=False),
    Column("customer_id", IdText(ID)),
    PrimaryKeyConstraint("tenant_id", "list_name", "kind", "key"),
    **MYSQL_TABLE_OPTIONS,
)

# The audit entry of each merge, with both records as they were (documents),
# so that the merge can be undone, and the survivor as merged (0013; NULL on
# older rows), so that unmerge can tell what the merge did from what came later.
merges = Table(
    "merges",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("survivor_id", IdText(ID), nullable=False),
    Column("absorbed_id", IdText(ID), nullable=False),
    Column("survivor_before", document_type(), nullable=False),
    Column("absorbed_before", document_type(), nullable=False),
    Column("merged_version", Integer(), nullable=False),
    Column("actor_id", IdText(ID), nullable=False),
    Column("merged_at", UtcDateTime(), nullable=False),
    Column("undone_at", UtcDateTime()),
    Column("survivor_after", document_type()),
    PrimaryKeyConstraint("tenant_id", "id"),
    **MYSQL_TABLE_OPTIONS,
)

# Pairs of customers that an inbound message tied together. The pair is
# keyed in sorted order (lower_id, upper_id), so the same pair given either
# way round is stored once; customer_id and other_id keep it as given.
duplicate_hints = Table(
    "duplicate_hints",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("lower_id", IdText(ID), nullable=False),
    Column("upper_id", IdText(ID), nullable=False),
    Column("reason", String(100), nullable=False),
    Column("customer_id", IdText(ID), nullable=False),
    Column("other_id", IdText(ID), nullable=False),
    Column("noted_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "lower_id", "upper_id", "reason"),
    Index(None, "tenant_id", "upper_id"),  # the hints about a customer, either side (0011)
    **MYSQL_TABLE_OPTIONS,
)

# Decisions that customers are not duplicates (migration 0008). Kept when
# undone (undone_at, undone_by), for the audit. No foreign key to customers:
# a decision outlives a merge or a deletion of one of its customers.
dismissals = Table(
    "dismissals",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("actor_id", IdText(ID), nullable=False),
    Column("dismissed_at", UtcDateTime(), nullable=False),
    Column("undone_at", UtcDateTime()),
    Column("undone_by", IdText(ID)),
    PrimaryKeyConstraint("tenant_id", "id"),
    **MYSQL_TABLE_OPTIONS,
)

# The customers of each dismissal, one row each; the report looks them up by
# dismissal, visibility checks them by customer.
dismissal_members = Table(
    "dismissal_members",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("dismissal_id", IdText(ID), nullable=False),
    Column("customer_id", IdText(ID), nullable=False),
    PrimaryKeyConstraint("tenant_id", "dismissal_id", "customer_id"),
    ForeignKeyConstraint(["tenant_id", "dismissal_id"], ["dismissals.tenant_id", "dismissals.id"]),
    Index(None, "tenant_id", "customer_id"),
    **MYSQL_TABLE_OPTIONS,
)

# Who did what to which customer, and when (migration 0009). No personal data:
# details holds counts, ids and field names, so entries outlive an erasure.
audit_log = Table(
    "audit_log",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor_id", IdText(ID)),
    Column("action", String(64), nullable=False),
    Column("customer_id", IdText(ID)),
    Column("details", document_type(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "customer_id", "at"),
    **MYSQL_TABLE_OPTIONS,
)

# Consent per purpose (migration 0009): each grant a row, its revocation
# recorded on it with its own source and evidence.
consents = Table(
    "consents",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    Column("id", IdText(ID), nullable=False),
    Column("customer_id", IdText(ID), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("legal_basis", String(32), nullable=False),
    Column("granted_at", UtcDateTime(), nullable=False),
    Column("source", String(NAME), nullable=False),
    Column("evidence", Text(), nullable=False),
    Column("actor_id", IdText(ID)),
    Column("revoked_at", UtcDateTime()),
    Column("revocation_source", String(NAME)),
    Column("revocation_evidence", Text()),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "customer_id", "purpose"),
    **MYSQL_TABLE_OPTIONS,
)

# The blocked customers (migration 0010): a copy, for querying, of the
# documents' blocked_at. Lists and searches leave them out with NOT EXISTS on
# this primary key (queries.unblocked), which keeps the name indexes' pages
# index-only: a column on customers would send every candidate to its row.
customer_blocks = Table(
    "customer_blocks",
    metadata,
    Column("tenant_id", IdText(ID), nullable=False),
    # The collation of customers.id: the probe compares them, by this key.
    Column("customer_id", IdText(ID, code_point_order=True), nullable=False),
    Column("blocked_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "customer_id"),
    **MYSQL_TABLE_OPTIONS,
)
