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

from typing import TypeVar

import attrs

from customer_core import presets
from customer_core.defaults import NoTaxIdRegistry, ScryptPasswordHasher, SystemClock, UuidIds
from customer_core.errors import Code, InvalidValue, StorageUnavailable
from customer_core.io.exporter import Exporter
from customer_core.io.importer import Importer
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    LanguageDetector,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase
from customer_core.services.customers import CustomerService
from customer_core.services.directory import CustomerDirectory
from customer_core.services.identity import IdentityService
from customer_core.services.portfolios import PortfolioService
from customer_core.services.privacy import PrivacyService, RetentionHold

__all__ = ["DEFAULT_URL", "CustomerCore", "connect"]

_S = TypeVar("_S", bound=ServiceBase)

#: The embedded default: a SQLite file in the working directory.
DEFAULT_URL = "sqlite:///customers.db"


@attrs.frozen
class CustomerCore:
    """The wired services of one storage and one preset."""

    storage: UnitOfWorkFactory
    preset: presets.Preset
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
        preset: presets.Preset = presets.DEFAULT,
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
        ``privacy_key`` (the HMAC key erased spammers stay blocked by: bytes
        from outside the database) and ``retention_hold`` (the host's legal
        holds) go to :class:`~customer_core.services.PrivacyService`
        (docs/privacy.md), the key to the identity service's inbound too.

        >>> from customer_core.adapters.memory import MemoryStore
        >>> core = CustomerCore.over(MemoryStore(), preset=presets.OMNICHANNEL)
        >>> core.preset is presets.OMNICHANNEL
        True
        """
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

    def close(self) -> None:
        """Release database connections (a memory storage has none)."""
        dispose = getattr(getattr(self.storage, "engine", None), "dispose", None)
        if dispose is not None:
            dispose()


def connect(
    url: str = DEFAULT_URL,
    /,
    *,
    preset: presets.Preset = presets.DEFAULT,
    upgrade: bool = True,
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
    latest version first. The other options are those of
    :meth:`CustomerCore.over`: ``clock``, ``ids``, ``hasher``,
    ``tax_registry`` and ``publisher`` go to every service; ``privacy_key``
    and ``retention_hold`` to :class:`~customer_core.services.PrivacyService`.
    """
    if not isinstance(url, str):
        raise InvalidValue("the database URL is text", code=Code.INVALID_VALUE, field="url")
    storage: UnitOfWorkFactory = (
        _open_memory() if url.startswith("memory:") else _open_sql(url, upgrade=upgrade)
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


def _open_sql(url: str, *, upgrade: bool) -> UnitOfWorkFactory:
    """The SQL storage at ``url``; a URL or database that cannot be used is our error."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from customer_core.adapters.sqlalchemy import SqlStorage

    try:
        sql = SqlStorage(url)
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
        ) from exc
    return sql
