"""Ports: the interfaces the services need, as :class:`typing.Protocol`.

Adapters implement them (:mod:`customer_core.adapters.memory`,
:mod:`customer_core.adapters.sqlalchemy`, or your own) and prove it by passing
the shipped contract suite, :mod:`customer_core.testing.contract`.

The records that cross them are domain objects, exported here too:
:class:`~customer_core.domain.model.events.DomainEvent` and the audit records
of :mod:`customer_core.domain.model.records` (``Assignment``, ``MergeRecord``,
``DuplicateHint``) and :class:`~customer_core.domain.model.dismissals.Dismissal`.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Protocol, runtime_checkable

import attrs

from customer_core.domain.matching.duplicates import Cluster, MatchRecord
from customer_core.domain.matching.search import SearchQuery
from customer_core.domain.model.activity import Conversation, Order, Ticket, Visit
from customer_core.domain.model.customer import Customer, IdentityKey, RelationshipType
from customer_core.domain.model.dismissals import Dismissal
from customer_core.domain.model.events import DomainEvent
from customer_core.domain.model.portfolio import Portfolio
from customer_core.domain.model.privacy import AuditEntry, Consent
from customer_core.domain.model.records import Assignment, DuplicateHint, MergeRecord
from customer_core.domain.rules.visibility import CustomerFilter, VisibilityScope
from customer_core.domain.values.tax_id import Cnpj, Cpf

__all__ = [
    "ActivityHistory",
    "Assignment",
    "AuditEntry",
    "AuditLog",
    "Clock",
    "Consent",
    "ConsentRepository",
    "ConversationStarter",
    "CustomerRepository",
    "Dismissal",
    "DismissalRepository",
    "DomainEvent",
    "DuplicateHint",
    "DuplicateHintRepository",
    "EventPublisher",
    "HostTransactions",
    "IdGenerator",
    "IdentityListRepository",
    "KeyLookup",
    "LanguageDetector",
    "MergeRecord",
    "MergeRepository",
    "PasswordHasher",
    "PortfolioRepository",
    "SecureErasure",
    "StatisticsRefresh",
    "TaxIdRegistry",
    "TaxIdStatus",
    "UnitOfWork",
    "UnitOfWorkFactory",
]


@attrs.frozen
class KeyLookup:
    """What the identity index and the identity lists say about some keys."""

    #: The customers holding each key, in id order (keys nobody holds are
    #: absent): one for an exclusive key, one or more for a shareable one.
    holding: Mapping[IdentityKey, tuple[Customer, ...]]
    #: The keys on each list asked about (one entry per list, maybe empty).
    listed: Mapping[str, set[IdentityKey]]
    #: When each holder of a shareable key last sent a message on it
    #: (:meth:`CustomerRepository.mark_seen`); absent when never.
    last_seen: Mapping[tuple[IdentityKey, str], datetime] = attrs.field(factory=dict)


class CustomerRepository(Protocol):
    """Customers of every tenant, with the identity index kept in step.

    Every method is scoped by ``tenant_id``. Writes that would give an
    **exclusive** identity key of the tenant to two customers raise
    :class:`~customer_core.errors.DuplicateIdentity` and write nothing;
    **shareable** keys (phone lines, contact e-mails) may have several holders
    (:mod:`customer_core.domain.model.identity`). Every key has one **claim**
    row while anyone holds it: the holder of an exclusive key, the first
    holder of a shareable one. A write that gives a shareable key its first
    holder takes the claim, and fails with ``DuplicateIdentity`` when another
    transaction took it meanwhile, so that concurrent creations of "the
    customer with this new line" end with one customer (the loser looks
    again). The claim goes when the last holder does.
    """

    def add(self, customer: Customer, /, *, first_holder: bool = False) -> Customer:
        """Store a new customer; returns it with ``version == 1``.

        With ``first_holder`` the customer must be the first holder of every
        key it has, shareable ones included: the write fails with
        :class:`~customer_core.errors.DuplicateIdentity` if anyone holds one
        of them by the time it commits. Inbound resolution creates customers
        this way, after finding no holder, so concurrent messages naming one
        new line (in any spelling) create one customer.
        """
        ...

    def get(self, tenant_id: str, customer_id: str, /) -> Customer:
        """The stored customer, or :class:`~customer_core.errors.NotFound`."""
        ...

    def save(self, customer: Customer, /, *, expected_version: int) -> Customer:
        """Replace a stored customer if its version is still ``expected_version``.

        Returns the customer with the version incremented; raises
        :class:`~customer_core.errors.VersionConflict` otherwise.
        """
        ...

    def delete(self, tenant_id: str, customer_id: str, /) -> None:
        """Remove a customer and free its identity keys."""
        ...

    # -- set-based paths (imports, bulk jobs): one round trip per batch -------

    def get_many(self, tenant_id: str, customer_ids: Iterable[str], /) -> dict[str, Customer]:
        """The stored customers among ``customer_ids`` (missing ids are absent)."""
        ...

    def add_many(self, customers: Sequence[Customer], /) -> Sequence[Customer]:
        """:meth:`add` for a batch, all or nothing."""
        ...

    def save_many(self, changes: Sequence[tuple[Customer, int]], /) -> Sequence[Customer]:
        """:meth:`save` for a batch of ``(customer, expected_version)``, all or nothing."""
        ...

    def holders(
        self, tenant_id: str, keys: Iterable[IdentityKey], /
    ) -> dict[IdentityKey, tuple[str, ...]]:
        """The ids of the customers holding each of ``keys``, in id order.

        Keys nobody holds are absent; an exclusive key has one holder.
        """
        ...

    def mark_seen(
        self, tenant_id: str, customer_id: str, keys: Iterable[IdentityKey], at: datetime, /
    ) -> None:
        """Record that ``customer_id`` received a message on its shareable ``keys`` at ``at``.

        Inbound resolution prefers, among the holders of a shared line, the one
        that last received a message on it. Keys the customer does not hold,
        and exclusive keys, are ignored.
        """
        ...

    def look_up(
        self, tenant_id: str, keys: Iterable[IdentityKey], /, *, lists: Collection[str] = ()
    ) -> KeyLookup:
        """Who holds each of ``keys``, with the records, and which of ``lists`` list them.

        One read for what an inbound message needs: :meth:`holders` with the
        customers, and :meth:`IdentityListRepository.listed_in`.
        """
        ...

    def list_page(
        self, tenant_id: str, /, *, after: str | None = None, limit: int = 100
    ) -> Sequence[Customer]:
        """Customers ordered by id, starting after the id ``after``."""
        ...

    def count(self, tenant_id: str, /) -> int: ...

    # -- read paths under visibility: the scope is part of the query ---------

    def get_visible(self, scope: VisibilityScope, customer_id: str, /) -> Customer:
        """The customer if ``scope`` sees it, else :class:`~customer_core.errors.NotFound`."""
        ...

    def find(
        self,
        scope: VisibilityScope,
        customer_filter: CustomerFilter,
        /,
        *,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> Sequence[Customer]:
        """Visible customers passing the filter, ordered by (search key, id), after ``after``."""
        ...

    def search(
        self,
        scope: VisibilityScope,
        query: SearchQuery,
        customer_filter: CustomerFilter,
        /,
        *,
        limit: int = 50,
    ) -> Sequence[Customer]:
        """Visible matches of ``query``, best rank first.

        The ranks are defined in :mod:`customer_core.domain.matching.search`.
        """
        ...

    def count_by_relationship(
        self, scope: VisibilityScope, customer_filter: CustomerFilter, /
    ) -> dict[RelationshipType, int]:
        """Visible customers per relationship type (every type present, zero included)."""
        ...

    def assign(
        self,
        scope: VisibilityScope,
        customer_ids: Sequence[str],
        /,
        *,
        portfolio_id: str | None,
        responsible_id: str | None,
        fields: frozenset[str],
        now: datetime,
        keep_responsibles: frozenset[str] | None = None,
    ) -> Sequence[Assignment]:
        """Set ``fields`` (``portfolio_id`` and/or ``responsible_id``) of the visible ones, in bulk.

        Invisible or unknown ids are skipped; returns what moved. With
        ``keep_responsibles`` (and ``responsible_id`` not in ``fields``), a
        responsible user not among them is cleared in the same write.
        """
        ...

    def delete_visible(
        self, scope: VisibilityScope, customer_ids: Sequence[str], /
    ) -> Sequence[str]:
        """Delete the visible ones among ``customer_ids``; returns the deleted ids."""
        ...

    def blocked_among(self, tenant_id: str, customer_ids: Iterable[str], /) -> frozenset[str]:
        """Those of ``customer_ids`` that are blocked (:attr:`Customer.blocked
        <customer_core.Customer.blocked>`), without loading the records."""
        ...

    def exact_clusters(self, scope: VisibilityScope, /) -> Sequence[Cluster]:
        """The exact clusters among the customers ``scope`` sees, blocked ones left out.

        As :func:`~customer_core.domain.matching.duplicates.exact_clusters`
        of those customers, in its order; an adapter may feed it
        :class:`~customer_core.domain.matching.duplicates.ClusterKeys` read
        from its identity index instead of loading every customer (with the
        ``record`` of each customer that shares a line, which the
        conflicting-evidence rule needs to split the line's holders).
        """
        ...

    def match_records(self, scope: VisibilityScope, /) -> Iterable[MatchRecord]:
        """The match record of each customer ``scope`` sees, blocked ones left out, in any order.

        What the duplicate report's scored suggestions read of every visible
        customer: each is
        :meth:`MatchRecord.of <customer_core.domain.matching.duplicates.MatchRecord.of>`
        of the customer, which an adapter may build with
        :meth:`~customer_core.domain.matching.duplicates.MatchRecord.from_parts`
        from what it reads, without rebuilding the customer. It may be a
        generator that reads as it goes (a million customers): consume it
        inside the unit of work.
        """
        ...


class PortfolioRepository(Protocol):
    """Portfolios (*carteiras*) of every tenant."""

    def add(self, portfolio: Portfolio, /) -> None: ...

    def get(self, tenant_id: str, portfolio_id: str, /) -> Portfolio: ...

    def save(self, portfolio: Portfolio, /) -> None: ...

    def delete(self, tenant_id: str, portfolio_id: str, /) -> Sequence[str]:
        """Delete the portfolio and unassign its customers; returns their ids (each
        change is audited: a customer's trail shows it left the portfolio)."""
        ...

    def list_all(self, tenant_id: str, /) -> Sequence[Portfolio]: ...

    def for_user(self, tenant_id: str, user_id: str, /) -> Sequence[Portfolio]:
        """Portfolios the user is a member or the owner of."""
        ...

    def ids_for_user(self, tenant_id: str, user_id: str, /) -> frozenset[str]:
        """The ids of :meth:`for_user`'s portfolios, without loading them.

        Every request of a restricted actor needs them for its visibility
        scope, so this should be one cheap query.
        """
        ...

    def ids_owned_by(self, tenant_id: str, owner_id: str, /) -> frozenset[str]:
        """The ids of the portfolios ``owner_id`` owns (the "my portfolio" filter)."""
        ...


class IdentityListRepository(Protocol):
    """Block- and allow-lists of identity keys (``"spam"``, ``"vip"``) per tenant.

    Entries are keyed by identifier, not by customer, so they hold before a
    customer exists and survive merges.
    """

    def add(
        self,
        tenant_id: str,
        list_name: str,
        keys: Iterable[IdentityKey],
        /,
        *,
        customer_id: str | None,
    ) -> None: ...

    def remove(self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /) -> None: ...

    def listed(
        self, tenant_id: str, list_name: str, keys: Iterable[IdentityKey], /
    ) -> set[IdentityKey]: ...

    def listed_in(
        self, tenant_id: str, list_names: Collection[str], keys: Iterable[IdentityKey], /
    ) -> dict[str, set[IdentityKey]]:
        """:meth:`listed` for several lists at once (one look-up): an entry per name."""
        ...

    def entries_of(self, tenant_id: str, customer_id: str, /) -> dict[str, set[IdentityKey]]:
        """The keys listed with ``customer_id`` as their customer, per list (lists
        without any are absent). An erasure's look-up: it may read every entry."""
        ...


class MergeRepository(Protocol):
    """Audit entries of merges, kept so a merge can be undone."""

    def add(self, record: MergeRecord, /) -> None: ...

    def get(self, tenant_id: str, merge_id: str, /) -> MergeRecord: ...

    def mark_undone(self, tenant_id: str, merge_id: str, at: datetime, /) -> None: ...

    def in_force(self, tenant_id: str, /) -> Sequence[MergeRecord]:
        """The tenant's merges not undone, oldest first (for reviews such as
        :meth:`~customer_core.services.IdentityService.suspect_merges`)."""
        ...

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[MergeRecord]:
        """Every merge, undone or not, whose survivor or absorbed record is ``customer_id``."""
        ...

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        """Delete the merges :meth:`about` returns (an erasure); returns how many."""
        ...


class DuplicateHintRepository(Protocol):
    """Pairs of customers an inbound message tied together, for the duplicate report."""

    def add(self, hint: DuplicateHint, /) -> None:
        """Remember a pair (idempotent: the same pair and reason is stored once)."""
        ...

    def list_all(self, tenant_id: str, /) -> Sequence[DuplicateHint]: ...

    def list_visible(self, scope: VisibilityScope, /) -> Sequence[DuplicateHint]:
        """The pairs whose two customers ``scope`` sees, in the order of :meth:`list_all`."""
        ...

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[DuplicateHint]:
        """The pairs ``customer_id`` is one of, in the order of :meth:`list_all` (a data
        subject's export: without reading the tenant's other pairs)."""
        ...

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        """Delete the pairs ``customer_id`` is one of (an erasure); returns how many."""
        ...


class AuditLog(Protocol):
    """Who did what to which customer, and when; entries hold no personal data.

    Entries are only ever added: an erasure keeps the entries about the
    erased person (ids and actions), and adds its own. A unit of work adds
    the entries of the events it commits (:meth:`UnitOfWork.record`); services
    add those of reads that hand data out (exports).
    """

    def add(self, entry: AuditEntry, /) -> None: ...

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[AuditEntry]:
        """The entries about ``customer_id``, oldest first."""
        ...


class ConsentRepository(Protocol):
    """Consents per customer and purpose: each grant a record, revocations recorded on it."""

    def add(self, consent: Consent, /) -> None: ...

    def save(self, consent: Consent, /) -> None:
        """Replace a stored consent (a revocation); :class:`~customer_core.errors.NotFound` if absent."""
        ...

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Consent]:
        """The customer's consents, oldest grant first."""
        ...

    def revoked(
        self, tenant_id: str, purpose: str, customer_ids: Collection[str], /
    ) -> dict[str, bool]:
        """For each of ``customer_ids`` with a consent record for ``purpose``:
        whether every one of them is revoked (customers never asked are absent)."""
        ...

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        """Delete the customer's consents (an erasure); returns how many."""
        ...


class DismissalRepository(Protocol):
    """Decisions that customers are not duplicates (:class:`Dismissal`), kept when undone."""

    def add(self, dismissal: Dismissal, /) -> None:
        """Store a new dismissal (a taken id is a :class:`~customer_core.errors.Conflict`)."""
        ...

    def get(self, tenant_id: str, dismissal_id: str, /) -> Dismissal:
        """The dismissal, in force or undone; :class:`~customer_core.errors.NotFound` if none."""
        ...

    def mark_undone(self, tenant_id: str, dismissal_id: str, at: datetime, by: str, /) -> None:
        """Record that ``by`` reversed the decision at ``at``."""
        ...

    def in_force(self, tenant_id: str, /) -> Sequence[Dismissal]:
        """The tenant's dismissals not undone, oldest first (what the duplicate report hides)."""
        ...

    def about(self, tenant_id: str, customer_id: str, /) -> Sequence[Dismissal]:
        """Every dismissal naming ``customer_id``, in force or undone, oldest first (a data
        subject's export)."""
        ...

    def forget(self, tenant_id: str, customer_id: str, /) -> int:
        """Take ``customer_id`` off every dismissal naming it (an erasure, an anonymization);
        how many named it.

        What is left is :meth:`Dismissal.without
        <customer_core.domain.model.dismissals.Dismissal.without>`: a dismissal
        still naming two or more customers keeps them apart (in force or
        undone, as it was), its reason replaced (it may name the person); one
        left with fewer is deleted (a decision about one customer decides nothing).
        """
        ...

    def list_visible(
        self, scope: VisibilityScope, /, *, undone: bool = False
    ) -> Sequence[Dismissal]:
        """The dismissals all of whose customers ``scope`` sees, oldest first.

        Those in force; with ``undone``, the undone ones too. A dismissal
        naming a customer the scope cannot see (or one since deleted) is not
        listed: it would tell who else was reviewed.
        """
        ...


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless :meth:`commit` was called.

    It is used in a ``with`` block: outside it (before ``__enter__``, after
    ``__exit__``) the repositories, :meth:`commit` and :meth:`rollback` raise
    :class:`RuntimeError`, and so does entering it while it is open. A block
    that has ended may be followed by another, a new transaction;
    :meth:`committed_events` is readable after the block.
    """

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def portfolios(self) -> PortfolioRepository: ...

    @property
    def lists(self) -> IdentityListRepository: ...

    @property
    def merges(self) -> MergeRepository: ...

    @property
    def hints(self) -> DuplicateHintRepository: ...

    @property
    def dismissals(self) -> DismissalRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def consents(self) -> ConsentRepository: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every write and recorded event durable, atomically."""
        ...

    def rollback(self) -> None: ...

    def record(self, event: DomainEvent, /) -> None:
        """Queue an event; it is stored in the outbox in the same transaction.

        With it go its audit entries (:func:`~customer_core.domain.model.audit.audit_entries`:
        one per customer the event names) to :attr:`audit`: the audit trail of
        changes is derived from the events, in one place, by the unit of work.
        """
        ...

    def committed_events(self) -> Sequence[DomainEvent]:
        """Events of the last successful commit (for publishing after it)."""
        ...


class UnitOfWorkFactory(Protocol):
    """Opens a new :class:`UnitOfWork` (a storage object is usually one)."""

    def __call__(self) -> UnitOfWork: ...


@runtime_checkable
class HostTransactions(Protocol):
    """Optional for storage: run units of work inside a transaction the host owns.

    While :meth:`joining` is open, every unit of work opened in that context
    (thread or task) is part of the host's transaction: committing it writes
    but does not commit, and its events wait for the host's commit. Storage
    with no such transactions (memory) simply does not implement it; see
    :meth:`customer_core.CustomerCore.unit_of_work`.
    """

    def joining(
        self, host: object, /, *, publish: EventPublisher | None = None
    ) -> AbstractContextManager[None]:
        """Join ``host`` (the host's open connection or session) for the block."""
        ...

    def in_host_transaction(self) -> bool:
        """Whether units of work opened now join a host's transaction."""
        ...


@runtime_checkable
class StatisticsRefresh(Protocol):
    """Optional for storage: keep the query planner's statistics up to date.

    Called after bulk writes (an import) and when :func:`customer_core.connect`
    opens the storage. Storage without planner statistics to keep (memory)
    simply does not implement it.
    """

    def refresh_statistics(self) -> bool:
        """Gather statistics if they are missing or outgrown; True if it did."""
        ...


@runtime_checkable
class SecureErasure(Protocol):
    """Optional for storage: overwrite what deleted rows left behind, after an erasure.

    :meth:`~customer_core.services.PrivacyService.erase` calls it once the
    erasure is committed. SQLite copies its write-ahead log into the
    database file and empties the log (deleted rows are zeroed there:
    ``secure_delete``). Storage with nothing to overwrite does not implement it.
    """

    def purge_freed_space(self) -> bool:
        """Overwrite or truncate what is left of deleted rows; True when it is all gone."""
        ...


class Clock(Protocol):
    """Where services get the time (a fixed clock in tests)."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    """Where services get new ids (sequential ones in tests)."""

    def new_id(self) -> str: ...


class PasswordHasher(Protocol):
    """Hashes customer passwords with a memory-hard KDF; never plain hashes."""

    def hash(self, password: str, /) -> str: ...

    def verify(self, password: str, hashed: str, /) -> bool: ...


class TaxIdStatus(enum.Enum):
    """What the tax authority says of a CPF/CNPJ."""

    REGULAR = "regular"
    IRREGULAR = "irregular"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"


class TaxIdRegistry(Protocol):
    """Looks a CPF/CNPJ up at the tax authority (Receita Federal / Sefaz)."""

    def lookup(self, tax_id: Cpf | Cnpj, /) -> TaxIdStatus: ...


class LanguageDetector(Protocol):
    """Guesses the language of a message (ISO 639-1), or ``None`` when unsure."""

    def detect(self, text: str, /) -> str | None: ...


class EventPublisher(Protocol):
    """Hands committed domain events to the host (a queue, webhooks...)."""

    def publish(self, events: Sequence[DomainEvent], /) -> None: ...


class ConversationStarter(Protocol):
    """Starts the same first message with several customers (the host's messaging)."""

    def start(
        self, tenant_id: str, customer_ids: Sequence[str], /, *, template: str, team: str | None
    ) -> None: ...


class ActivityHistory(Protocol):
    """The host's activity, newest first; each method is scoped by tenant and customer.

    Tickets, conversations, orders and visits live in the host's own systems;
    :class:`~customer_core.services.SummaryService` asks for them only for
    customers the actor sees. A memory one for tests:
    :class:`~customer_core.adapters.memory_activity.MemoryActivity`.
    """

    def latest_tickets(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Ticket]: ...

    def conversation(self, tenant_id: str, customer_id: str, /) -> Conversation | None: ...

    def latest_orders(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Order]: ...

    def latest_visits(
        self, tenant_id: str, customer_id: str, /, *, limit: int
    ) -> Sequence[Visit]: ...
