"""The one boundary where database integrity errors become ``customer_core`` errors.

Every write of the repositories runs inside :func:`guarded_write`: a SAVEPOINT
that a failed statement rolls back, so the transaction stays usable
(PostgreSQL aborts the whole transaction on any error otherwise) and a refused
write leaves nothing behind. The violated constraint is identified **by name**
(fixed by the naming convention in :mod:`.tables`), as each driver reports it:

- PostgreSQL (psycopg): ``exc.orig.diag.constraint_name``;
- MariaDB/MySQL (PyMySQL): error 1062 names the key, ``PRIMARY`` for a primary
  key, so the table of the failing statement says whose;
- SQLite names no constraint: it lists the table's columns, which identify it.

>>> from customer_core.adapters.sqlalchemy.tables import identity_claims
>>> sqlite_constraint("UNIQUE constraint failed: identity_claims.tenant_id, "
...                   "identity_claims.kind, identity_claims.key")
'pk_identity_claims'
>>> mysql_constraint("Duplicate entry 't-tax_id-5299' for key 'PRIMARY'", identity_claims)
'pk_identity_claims'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection, CursorResult, Delete, Insert, Table, Update
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    StatementError,
)
from sqlalchemy.sql.schema import PrimaryKeyConstraint, UniqueConstraint

from customer_core.adapters.sqlalchemy.driver_writes import insert_many
from customer_core.adapters.sqlalchemy.tables import metadata
from customer_core.errors import (
    Code,
    Conflict,
    CustomerCoreError,
    InvalidStoredValue,
    StorageUnavailable,
)

__all__ = [
    "GuardedRepository",
    "Handlers",
    "Writes",
    "constraint_name",
    "guarded_write",
    "mysql_constraint",
    "sqlite_constraint",
]

#: What to raise for each constraint name; called after the savepoint rolled
#: back, so a handler may query (to name the holder of an identity key).
Handlers = Mapping[str, Callable[[], CustomerCoreError]]

_MYSQL_DUPLICATE_KEY = 1062
_MYSQL_FOREIGN_KEY = (1451, 1452)
_MYSQL_KEY_NAME = re.compile(r"for key '([^']+)'")
_MYSQL_CONSTRAINT_NAME = re.compile(r"CONSTRAINT `([^`]+)`")
_SQLITE_UNIQUE = "UNIQUE constraint failed: "


class Writes:
    """The statements of one guarded write; remembers which table is being written."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.table: Table | None = None

    def execute(
        self,
        statement: Insert | Update | Delete,
        parameters: Mapping[str, Any] | list[dict[str, Any]] | None = None,
    ) -> CursorResult[Any]:
        target = statement.table
        self.table = target if isinstance(target, Table) else None
        return self.connection.execute(statement, parameters)

    def insert_many(self, statement: Insert, rows: Sequence[dict[str, Any]]) -> None:
        """An INSERT of many rows (on SQLite, on the driver: :mod:`.driver_writes`)."""
        self.table = statement.table if isinstance(statement.table, Table) else None
        insert_many(self.connection, statement, rows)


def _no_op() -> None:
    """Default ``before_write`` hook: nothing to prepare."""


class GuardedRepository:
    """Base of the repositories: one connection, and writes through :func:`guarded_write`."""

    def __init__(
        self, connection: Connection, *, before_write: Callable[[], None] = _no_op
    ) -> None:
        self._connection = connection
        # Called before each write; the unit of work uses it to turn a
        # read-only SQLite transaction into a write transaction.
        self._before_write = before_write

    def _writing(self, handlers: Handlers) -> AbstractContextManager[Writes]:
        self._before_write()
        return guarded_write(self._connection, handlers)


@contextmanager
def guarded_write(connection: Connection, handlers: Handlers) -> Iterator[Writes]:
    """Run the writes of one repository call in a SAVEPOINT and translate integrity errors.

    A violation with no handler is still a :class:`~customer_core.errors.Conflict`
    (nothing was written), carrying the constraint name in ``details``.
    """
    writes = Writes(connection)
    try:
        with connection.begin_nested():
            yield writes
    except IntegrityError as exc:
        name = constraint_name(exc, writes.table)
        handler = handlers.get(name) if name is not None else None
        if handler is not None:
            raise handler() from exc
        raise Conflict(
            "the write conflicts with stored data", code=Code.CONFLICT, constraint=name
        ) from exc


def constraint_name(exc: IntegrityError, table: Table | None) -> str | None:
    """The name of the constraint ``exc`` reports, or ``None`` when it cannot be told."""
    original = exc.orig
    diag = getattr(original, "diag", None)
    if diag is not None:
        name = diag.constraint_name
        return str(name) if name else None
    args: tuple[Any, ...] = original.args if original is not None else ()
    if len(args) >= 2 and isinstance(args[0], int):
        if args[0] == _MYSQL_DUPLICATE_KEY and table is not None:
            return mysql_constraint(str(args[1]), table)
        if args[0] in _MYSQL_FOREIGN_KEY:
            found = _MYSQL_CONSTRAINT_NAME.search(str(args[1]))
            return found.group(1) if found else None
        return None
    return sqlite_constraint(str(original))


def mysql_constraint(message: str, table: Table) -> str | None:
    """The key named in a MariaDB/MySQL duplicate-key message (``PRIMARY`` is ``table``'s)."""
    found = _MYSQL_KEY_NAME.search(message)
    if found is None:
        return None
    key = found.group(1).rpartition(".")[2]  # MySQL 8 writes 'table.key'
    if key == "PRIMARY":
        return str(table.primary_key.name)
    return key


def sqlite_constraint(message: str) -> str | None:
    """The primary key or unique constraint whose columns a SQLite message lists."""
    if not message.startswith(_SQLITE_UNIQUE):
        return None
    qualified = [part.strip() for part in message[len(_SQLITE_UNIQUE) :].split(",")]
    table_names = {q.partition(".")[0] for q in qualified}
    table = metadata.tables.get(table_names.pop()) if len(table_names) == 1 else None
    if table is None:
        return None
    columns = {q.partition(".")[2] for q in qualified}
    for constraint in table.constraints:
        if (
            isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint)
            and {c.name for c in constraint.columns} == columns
        ):
            return str(constraint.name)
    return None


def storage_error(exc: BaseException | None) -> CustomerCoreError | None:
    """Driver failures that are not about our data, as our errors (``None`` otherwise).

    A dropped connection, an unreachable server or a lock wait that timed out
    is :class:`StorageUnavailable` (retry); a value the database cannot store
    (PostgreSQL refuses NUL characters, say) is :class:`InvalidStoredValue`,
    which a retry does not cure. Either way the unit of work has been rolled
    back. Our own error raised while binding
    a parameter (:class:`~.tables.IdText` refusing a number) comes out as it
    was raised, not wrapped in SQLAlchemy's ``StatementError``.
    """
    if isinstance(exc, StatementError) and isinstance(exc.orig, CustomerCoreError):
        return exc.orig
    if isinstance(exc, DataError):
        return InvalidStoredValue(
            "the database refused a value; nothing was written",
            code=Code.INVALID_STORED_VALUE,
            field=None,
        )
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return StorageUnavailable(
            f"the database is unavailable ({type(exc.orig).__name__}); nothing was written",
            code=Code.STORAGE_UNAVAILABLE,
        )
    return None
