"""Set-based INSERTs on SQLite, run as the driver's ``executemany``.

An import writes each batch as a few INSERTs of thousands of rows (customers,
their identity rows and claims, outbox and audit rows). On SQLite,
SQLAlchemy's execution of such a statement builds every row's parameters
through its generic machinery (an execution context, ``construct_params``
per row, a dict per row), which cost more than SQLite's own work of
inserting them. :func:`insert_many` compiles each INSERT once for the columns
given, and hands the driver one list of positional rows made with the bind
processors of SQLAlchemy's own column types (as :mod:`.driver_reads` does for
the inbound look-up), so the values stored are the ones
``Connection.execute`` would store (a test compares both on every table the
import writes). The transaction is begun as SQLAlchemy's autobegin would,
and a driver error is raised as SQLAlchemy's, which :func:`.errors.guarded_write`
and the unit of work translate. Other dialects, and statements with values
or parameters of their own, keep the ordinary path.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import attrs
from sqlalchemy import Connection, Dialect, Insert

from customer_core.adapters.sqlalchemy.driver_reads import Processor, bind_processor, on_driver
from customer_core.adapters.sqlalchemy.tables import IdText

__all__ = ["PreparedInsert", "insert_many", "prepared_insert"]

#: Compiled INSERTs by (statement's cache key, columns given); a handful in all.
_PREPARED: dict[tuple[Any, ...], PreparedInsert | None] = {}
_MAX_PREPARED = 256


@attrs.frozen
class PreparedInsert:
    """An INSERT compiled for SQLite's qmark parameters, with its bind processors."""

    sql: str
    #: Positional parameters: (column key, bind processor), in the order of the ``?``.
    parameters: tuple[tuple[str, Processor], ...]
    #: Positions of :class:`~.tables.IdText` parameters: their processor only
    #: refuses what is not text, so it is called for those values alone.
    text_only: frozenset[int] = frozenset()

    def run(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` (dicts by column key) with one ``executemany``."""
        names = [name for name, _ in self.parameters]
        values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        processed: list[Any] = [values(row) for row in rows]
        # Column by column: a handful of processors over thousands of rows
        # costs less than a generator per row (this is most of an import's
        # Python time on the way to the driver).
        converting = [
            (i, process) for i, (_, process) in enumerate(self.parameters) if process is not None
        ]
        if converting:
            processed = [list(row) for row in processed]
            for i, process in converting:
                if i in self.text_only:
                    for row in processed:
                        value = row[i]
                        if value is not None and value.__class__ is not str:
                            process(value)  # raises: an id is text
                else:
                    for row in processed:
                        row[i] = process(row[i])
        sql = self.sql
        on_driver(connection, sql, processed, lambda driver: driver.executemany(sql, processed))


def prepared_insert(
    statement: Insert, dialect: Dialect, columns: tuple[str, ...]
) -> PreparedInsert | None:
    """``statement`` compiled for ``columns`` on the driver, or ``None`` for the ordinary path."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    cache_key = statement._generate_cache_key()
    if cache_key is None or cache_key.bindparams:  # values of its own: not one shape a call
        return None
    key = (cache_key.key, columns, id(dialect))
    if key in _PREPARED:
        return _PREPARED[key]
    compiled = statement.compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    binds = compiled.binds
    found: PreparedInsert | None = None
    if (
        compiled.positiontup is not None
        and all(name in columns for name in compiled.positiontup)
        and not any(bind.expanding for bind in binds.values())
        and not compiled.insert_prefetch  # Python-side defaults: SQLAlchemy fills those
        and not compiled.returning
    ):
        found = PreparedInsert(
            sql=compiled.string,
            parameters=tuple(
                (name, bind_processor(binds[name], dialect)) for name in compiled.positiontup
            ),
            text_only=frozenset(
                i
                for i, name in enumerate(compiled.positiontup)
                if isinstance(binds[name].type, IdText)
            ),
        )
    if len(_PREPARED) >= _MAX_PREPARED:
        _PREPARED.clear()
    _PREPARED[key] = found
    return found


def insert_many(connection: Connection, statement: Insert, rows: Sequence[dict[str, Any]]) -> None:
    """Run ``statement`` for ``rows`` (dicts with the same keys): on SQLite, on the driver."""
    if not rows:
        return
    columns = tuple(rows[0])
    fast = prepared_insert(statement, connection.dialect, columns)
    if fast is None or any(len(row) != len(columns) for row in rows):
        connection.execute(statement, list(rows))  # SQLAlchemy's own handling (and errors)
        return
    fast.run(connection, rows)
