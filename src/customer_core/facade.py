"""Three lines from nothing to a working customer record, for apps and notebooks.

>>> import customer_core
>>> core = customer_core.connect("memory://", preset=customer_core.presets.OMNICHAT)
>>> admin = customer_core.Actor(tenant_id="loja", user_id="u1", role="admin")
>>> ana = core.customers.register("loja", admin, name="Ana", phones=["11 98765-4321"],
...     emails=["ana@x.com"], addresses=[{"street": "Rua A", "neighborhood": "Centro",
...     "city": "Recife"}])
>>> core.customers.get("loja", admin, ana.id).name
'Ana'
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import attrs

from customer_core import presets
from customer_core.defaults import NoTaxIdRegistry, ScryptPasswordHasher, SystemClock, UuidIds
from customer_core.domain.values.ids import check_id
from customer_core.errors import Code, InvalidOperation, InvalidValue, StorageUnavailable
from customer_core.io.exporter import Exporter
from customer_core.io.importer import Importer
from customer_core.ports import (
    Clock,
    EventPublisher,
    HostTransactions,
    IdGenerator,
    LanguageDetector,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase, check_preset, preset_of
from customer_core.services.customers import CustomerService
from customer_core.services.directory import CustomerDirectory
from customer_core.services.identity import IdentityService
from customer_core.services.portfolios import PortfolioService
from customer_core.services.privacy import PrivacyService, RetentionHold

if TYPE_CHECKING:
    from customer_core.adapters.sqlalchemy import SqlStorage

__all__ = ["DEFAULT_URL", "CustomerCore", "connect"]

_S = TypeVar("_S", bound=ServiceBase)

#: The embedded default: a SQLite file in the working directory.
DEFAULT_URL = "sqlite:///customers.db"


@attrs.frozen
class CustomerCore:
    """The wired services of one storage and one preset."""

    storage: UnitOfWorkFactory
    #: A :class:`~customer_core.presets.Preset`, or a function of the tenant id.
    preset: presets.PresetChoice
    customers: CustomerService
    directory: CustomerDirectory
    portfolios: PortfolioService
    identity: IdentityService
    importer: Importer
    exporter: Exporter
    privacy: PrivacyService

    @classmethod
    def over(
        cls,
        storage: UnitOfWorkFactory,
        /,
        *,
        preset: presets.PresetChoice = presets.DEFAULT,
        language_detector: LanguageDetector | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
        privacy_key: bytes | None = None,
        retention_hold: RetentionHold | None = None,
    ) -> CustomerCore:
        """The services wired over a storage you opened yourself.

        ``storage`` is any :class:`~customer_core.ports.UnitOfWorkFactory`: a
        :class:`~customer_core.adapters.memory.MemoryStore`, a
        :class:`~customer_core.adapters.sqlalchemy.SqlStorage`, or a host's own
        adapter that passes the contract suite (:mod:`customer_core.testing`).
        This is the composition root: every service gets the same ``clock``,
        ``ids``, ``hasher``, ``tax_registry`` and ``publisher``, those given or
        else the standard ones of :mod:`customer_core.defaults`;
        ``language_detector`` goes to :class:`~customer_core.services.IdentityService`.
        ``preset`` is one preset, or a function from a tenant id to its preset
        (:data:`~customer_core.presets.PresetChoice`), for tenants configured
        differently.
        ``privacy_key`` (the HMAC key erased spammers stay blocked by: bytes
        from outside the database) and ``retention_hold`` (the host's legal
        holds) go to :class:`~customer_core.services.PrivacyService`
        (docs/privacy.md), the key to the identity service's inbound too.

        >>> from customer_core.adapters.memory import MemoryStore
        >>> core = CustomerCore.over(MemoryStore(), preset=presets.OMNICHANNEL)
        >>> core.preset is presets.OMNICHANNEL
        True
        """
        check_preset(preset)
        clock = clock or SystemClock()
        ids = ids or UuidIds()
        hasher = hasher or ScryptPasswordHasher()
        tax_registry = tax_registry or NoTaxIdRegistry()

        def wired(service: type[_S]) -> _S:
            return service(
                storage,
                preset=preset,
                clock=clock,
                ids=ids,
                hasher=hasher,
                tax_registry=tax_registry,
                publisher=publisher,
            )

        identity = IdentityService(
            storage,
            preset=preset,
            language_detector=language_detector,
            clock=clock,
            ids=ids,
            hasher=hasher,
            tax_registry=tax_registry,
            publisher=publisher,
        )
        identity.privacy_key = privacy_key
        return cls(
            storage=storage,
            preset=preset,
            customers=wired(CustomerService),
            directory=wired(CustomerDirectory),
            portfolios=wired(PortfolioService),
            identity=identity,
            importer=wired(Importer),
            exporter=wired(Exporter),
            privacy=PrivacyService(
                storage,
                preset=preset,
                clock=clock,
                ids=ids,
                hasher=hasher,
                tax_registry=tax_registry,
                publisher=publisher,
                privacy_key=privacy_key,
                retention_hold=retention_hold,
            ),
        )

    def preset_for(self, tenant_id: str, /) -> presets.Preset:
        """The preset of ``tenant_id`` (the one preset, or what the function gives).

        >>> core = connect("memory://", preset=lambda tenant: presets.OMNICHAT)
        >>> core.preset_for("loja").name
        'omnichat'
        """
        return preset_of(self.preset, check_id(tenant_id, "tenant_id"))

    def unit_of_work(
        self, *, connection: object = None, session: object = None
    ) -> AbstractContextManager[None]:
        """Run the library's calls of the block in the host's own transaction.

        Give the host's SQLAlchemy ``connection`` or ``session`` on the same
        database: customers written in the block commit or roll back with the
        host's rows, when the host commits or rolls back; events reach the
        publisher after the host's commit. Imports refuse to run in the block
        (they commit in batches). See :doc:`/howto/host-transactions`.
        """
        host = connection if session is None else session
        if (connection is None) == (session is None):
            raise InvalidOperation(
                "give the host's connection or its session (one of them)",
                code=Code.INVALID_OPERATION,
                field="connection",
            )
        if not isinstance(self.storage, HostTransactions):
            raise InvalidOperation(
                "only a SQL storage joins a host's transaction",
                code=Code.INVALID_OPERATION,
                field="connection",
            )
        return self.storage.joining(host, publish=self.customers.publisher)

    def close(self) -> None:
        """Release database connections (a memory storage has none)."""
        close = getattr(self.storage, "close", None)  # SqlStorage's closes its kept connections
        if close is None:
            close = getattr(getattr(self.storage, "engine", None), "dispose", None)
        if close is not None:
            close()


def connect(
    url: str = DEFAULT_URL,
    /,
    *,
    preset: presets.PresetChoice = presets.DEFAULT,
    upgrade: bool = True,
    require_schema: bool = False,
    language_detector: LanguageDetector | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    hasher: PasswordHasher | None = None,
    tax_registry: TaxIdRegistry | None = None,
    publisher: EventPublisher | None = None,
    privacy_key: bytes | None = None,
    retention_hold: RetentionHold | None = None,
) -> CustomerCore:
    """Open a storage and wire the services.

    ``url`` is ``memory://`` or an SQLAlchemy URL (``sqlite:///file.db``,
    ``postgresql+psycopg://...``, ``mysql+pymysql://...``; needs
    ``customer-core[sql]``). With ``upgrade`` the schema is migrated to the
    latest version first. With ``require_schema`` (and no ``upgrade``), a
    database that is not at the latest schema, or a SQLite file that does not
    exist (it is not created), raises :class:`StorageUnavailable` (field
    ``url``, as for a database that cannot be opened) saying
    ``run: customer-core db upgrade URL``: what a command line or a web
    application does before serving. The other options are those of
    :meth:`CustomerCore.over`: ``clock``, ``ids``, ``hasher``,
    ``tax_registry`` and ``publisher`` go to every service; ``privacy_key``
    and ``retention_hold`` to :class:`~customer_core.services.PrivacyService`.
    """
    if not isinstance(url, str):
        raise InvalidValue("the database URL is text", code=Code.INVALID_VALUE, field="url")
    storage: UnitOfWorkFactory = (
        _open_memory()
        if url.startswith("memory:")
        else _open_sql(url, upgrade=upgrade, require_schema=require_schema and not upgrade)
    )
    return CustomerCore.over(
        storage,
        preset=preset,
        language_detector=language_detector,
        clock=clock,
        ids=ids,
        hasher=hasher,
        tax_registry=tax_registry,
        publisher=publisher,
        privacy_key=privacy_key,
        retention_hold=retention_hold,
    )


def _open_memory() -> UnitOfWorkFactory:
    # Imported here: ``import customer_core`` loads no storage adapter.
    from customer_core.adapters.memory import MemoryStore

    return MemoryStore()


def _open_sql(url: str, *, upgrade: bool, require_schema: bool = False) -> UnitOfWorkFactory:
    """The SQL storage at ``url``; a URL or database that cannot be used is our error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from customer_core.adapters.sqlalchemy import SqlStorage, schema_is_current

    try:
        # The hint may be printed: never with the password.
        hint = f"run: customer-core db upgrade {make_url(url).render_as_string(hide_password=True)}"
        sql = SqlStorage(url)
        missing = _missing_sqlite_file(sql) if require_schema else None
        if missing is not None:
            raise StorageUnavailable(
                f"there is no database at {missing} ({hint})",
                code=Code.STORAGE_UNAVAILABLE,
                field="url",
            )
        if require_schema and not schema_is_current(sql.engine):
            sql.engine.dispose()
            raise StorageUnavailable(
                f"the database has no customer-core schema, or an older one: {hint}",
                code=Code.STORAGE_UNAVAILABLE,
                field="url",
            )
        if upgrade:
            sql.upgrade()
            sql.refresh_statistics()  # a database filled by any means plans well
    except ArgumentError as exc:  # the message never repeats the URL (it may hold a password)
        raise InvalidValue(
            f"not a usable database URL: {exc}", code=Code.INVALID_VALUE, field="url"
        ) from exc
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        raise StorageUnavailable(
            f"cannot open the database ({type(exc.orig).__name__}: {reason})",
            code=Code.STORAGE_UNAVAILABLE,
            field="url",
        ) from exc
    return sql


def _missing_sqlite_file(sql: SqlStorage) -> Path | None:
    """The file of a SQLite database that does not exist yet (connecting would create it)."""
    url = sql.engine.url
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return None if Path(database).exists() else Path(database)
