"""customer_core inside Django: the core, and its calls in Django's own transaction.

Django and SQLAlchemy each own their connections; for a customer and the
shop's order to commit together, both must write on *one* connection, in one
transaction. :func:`django_transaction` lends the library Django's connection:

- :func:`django_engine` is an SQLAlchemy engine without a pool of its own
  (``NullPool``) whose ``creator`` hands out the connection Django is using in
  this thread, wrapped so that SQLAlchemy never commits, rolls back or closes
  it: ``transaction.atomic()`` decides, and Django closes its connections;
- :func:`django_transaction` (inside ``atomic()``) joins a connection of that
  engine with :meth:`customer_core.CustomerCore.unit_of_work`: every library
  call is a ``SAVEPOINT`` in Django's transaction;
- the library's events go to the publisher through Django's
  ``transaction.on_commit``: after Django's commit, never after its rollback.

Calls outside the block run on the library's own engine
(:func:`library_engine`, on the same database) and commit on their own.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
from django.db import connections, transaction
from psycopg.pq import Format
from sqlalchemy import URL, Engine, NullPool
from sqlalchemy import create_engine as sqlalchemy_engine

import customer_core as cc
from customer_core.adapters.sqlalchemy import SqlStorage, create_engine
from customer_core.domain.model.events import DomainEvent
from customer_core.ports import EventPublisher

#: Types whose values Django's psycopg connection loads its own way (``jsonb``
#: as text for its JSONField, timestamps in its time zone); the library's
#: statements read them with psycopg's standard loaders.
_STANDARD_LOADERS = ("jsonb", "json", "timestamptz")


class _DjangoOwned:
    """Django's DBAPI connection as SQLAlchemy sees it: Django ends its transactions."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        object.__setattr__(self, "_raw", raw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._raw, name, value)

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        cursor = self._raw.cursor(*args, **kwargs)
        for name in _STANDARD_LOADERS:  # per cursor: Django's own cursors are untouched
            oid = psycopg.adapters.types[name].oid
            for format in (Format.TEXT, Format.BINARY):
                loader = psycopg.adapters.get_loader(oid, format)
                if loader is not None:
                    cursor.adapters.register_loader(oid, loader)
        return cursor

    # SQLAlchemy commits, rolls back and closes the connections it checks out
    # (a pool's reset, a Connection closed without commit): on Django's
    # connection these are Django's to do, when atomic() ends.
    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass

    def add_notice_handler(self, handler: Any) -> None:
        """Not added: SQLAlchemy would add one per checkout to a long-lived connection."""


@functools.cache
def django_engine(using: str = "default") -> Engine:
    """An SQLAlchemy engine whose every connection is Django's current one for ``using``."""
    django_connection = connections[using]
    if django_connection.vendor != "postgresql":
        raise cc.InvalidOperation(
            f"the Django example runs on PostgreSQL, not {django_connection.vendor}",
            code=cc.Code.INVALID_OPERATION,
            field="using",
        )

    def borrow() -> _DjangoOwned:
        current = connections[using]  # this thread's: Django's connections are per thread
        current.ensure_connection()
        return _DjangoOwned(current.connection)

    return sqlalchemy_engine(
        "postgresql+psycopg://",
        creator=borrow,
        poolclass=NullPool,
        pool_reset_on_return=None,
        use_native_hstore=False,  # its set-up wants psycopg's own class; the library has no hstore
    )


@functools.cache
def library_engine(using: str = "default") -> Engine:
    """The library's own engine on Django's database ``using``, for calls that commit alone."""
    settings = connections[using].settings_dict
    url = URL.create(
        "postgresql+psycopg",
        username=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=int(settings["PORT"]) if settings["PORT"] else None,
        database=settings["NAME"],
    )
    return create_engine(url, connect_args=dict(settings["OPTIONS"]))


#: The database alias whose transaction the events in hand wait for.
_deferring: ContextVar[str | None] = ContextVar("deferring", default=None)


class OnDjangoCommit:
    """Hands the events of a :func:`django_transaction` block on once Django commits."""

    def __init__(self, publisher: EventPublisher) -> None:
        self.publisher = publisher

    def publish(self, events: Sequence[DomainEvent], /) -> None:
        using = _deferring.get()
        if using is None:  # a call that committed on its own
            self.publisher.publish(events)
        else:
            batch = tuple(events)
            transaction.on_commit(lambda: self.publisher.publish(batch), using=using)


class EventLog:
    """Logs the events and keeps them; a real shop hands them to its queue here."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent], /) -> None:
        for event in events:
            logging.getLogger(__name__).info("%s %s", event.name, event.customer_id)
        self.published.extend(events)


@functools.cache
def get_core() -> cc.CustomerCore:
    """The process's core, on the default database (migrated by ``manage.py migrate``)."""
    publisher = OnDjangoCommit(EventLog())
    return cc.CustomerCore.over(SqlStorage(library_engine()), publisher=publisher)


@contextmanager
def django_transaction(core: cc.CustomerCore, using: str = "default") -> Iterator[None]:
    """The library's calls in the block join Django's transaction (inside ``atomic()``)."""
    if not connections[using].in_atomic_block:
        raise cc.InvalidOperation(
            "open transaction.atomic() first: the block joins Django's transaction",
            code=cc.Code.INVALID_OPERATION,
            field="transaction",
        )
    with django_engine(using).connect() as connection:
        with core.unit_of_work(connection=connection):
            yield
        # SQLAlchemy's commit hands the block's events to the publisher (which
        # waits for Django's); the database's COMMIT is atomic()'s.
        token = _deferring.set(using)
        try:
            connection.commit()
        finally:
            _deferring.reset(token)
