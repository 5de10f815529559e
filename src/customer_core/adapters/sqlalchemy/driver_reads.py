"""The inbound look-up on SQLite, run on the driver's cursor.

Every inbound message runs one small SELECT on the identity index. On
SQLite, SQLAlchemy's execution of it (execution context, parameter
construction, result metadata, row objects) costs about twice what SQLite
takes to run it on its indexes. :func:`prepared` compiles such a statement
once for a dialect and :meth:`PreparedRead.rows` runs it on the DBAPI cursor,
through the bind and result processors of SQLAlchemy's own column types, so
the values going in and coming out are the ones ``Connection.execute`` would
give (a test compares both on every column kind). It begins the
transaction as SQLAlchemy's autobegin would (the unit of work's ``BEGIN``),
and a driver error is raised as SQLAlchemy's, which the unit of work
translates. Other dialects, and statements with expanding parameters, keep
the ordinary path (:func:`prepared` returns ``None``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeVar

import attrs
from sqlalchemy import BindParameter, Connection, Dialect, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import CompoundSelect, Select

__all__ = ["PreparedRead", "Processor", "bind_processor", "on_driver", "prepared", "read_rows"]

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


def on_driver(
    connection: Connection, sql: str, parameters: Any, call: Callable[[sqlite3.Connection], T]
) -> T:
    """``call`` on the DBAPI connection, in the unit of work's transaction, begun as the
    first ``execute()`` would begin it; a driver error is raised as SQLAlchemy's (for
    ``sql`` with ``parameters``), which the unit of work and ``guarded_write`` translate."""
    if not connection.in_transaction():
        connection.begin()
    driver: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
    try:
        return call(driver)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, parameters, exc, sqlite3.Error) from exc


def bind_processor(bind: BindParameter[Any], dialect: Dialect) -> Processor:
    """What SQLAlchemy does to a value of ``bind`` before the driver gets it (its column type's)."""
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


@attrs.frozen
class PreparedRead:
    """A SELECT compiled for SQLite's qmark parameters, with its type processors."""

    sql: str
    #: Positional parameters: (name, bind processor), in the order of the ``?``.
    parameters: tuple[tuple[str, Processor], ...]
    #: Values of the statement's own literals (``kind = 'phone'``), by name.
    constants: Mapping[str, Any]
    #: Result columns: (name, result processor), in the order of the select.
    columns: tuple[tuple[str, Processor], ...]

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows for ``values``, each a dict by column name."""
        given = {**self.constants, **values}
        parameters = [
            given[name] if process is None else process(given[name])
            for name, process in self.parameters
        ]
        sql = self.sql
        fetched = on_driver(
            connection, sql, parameters, lambda driver: driver.execute(sql, parameters).fetchall()
        )
        columns = self.columns
        return [
            {
                name: value if process is None else process(value)
                for (name, process), value in zip(columns, row, strict=True)
            }
            for row in fetched
        ]


@lru_cache(maxsize=256)
def prepared(statement: Select[Any] | CompoundSelect[Any], dialect: Dialect) -> PreparedRead | None:
    """``statement`` prepared for the driver, or ``None`` where the ordinary path is needed."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    compiled = statement.compile(dialect=dialect)
    binds = compiled.binds
    if compiled.positiontup is None or any(bind.expanding for bind in binds.values()):
        return None

    return PreparedRead(
        sql=compiled.string,
        parameters=tuple(
            (name, bind_processor(binds[name], dialect)) for name in compiled.positiontup
        ),
        constants={name: bind.effective_value for name, bind in binds.items() if not bind.required},
        columns=tuple(
            (column.name, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for column in statement.selected_columns
        ),
    )


def read_rows(
    connection: Connection, statement: Executable, parameters: Mapping[str, Any]
) -> Iterable[Mapping[Any, Any]]:
    """The rows of a SELECT, on the driver's cursor where :func:`prepared` allows it."""
    if isinstance(statement, Select | CompoundSelect):
        fast = prepared(statement, connection.dialect)
        if fast is not None:
            return fast.rows(connection, parameters)
    return connection.execute(statement, parameters).mappings()
