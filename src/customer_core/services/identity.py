"""Identity: inbound messages, spam/VIP lists, duplicate report and decisions, merge, unmerge.

:class:`IdentityService` is the facade: the duplicate report is its own;
it is composed of an
:class:`~customer_core.services.resolver.InboundResolver` for inbound
messages, a :class:`~customer_core.services.merging.CustomerMerging` for
merges, a :class:`~customer_core.services.decisions.DuplicateDecisions`
for the report's dismissals and an
:class:`~customer_core.services.identity_lists.IdentityLists` for the spam
and VIP lists, all sharing its dependencies.

Inbound resolution looks every identifier up through its match key, in a
documented priority order, when the identifiers point to different customers:

======  =====================================
order   identifier
======  =====================================
0       CPF/CNPJ, external id
1       messenger id (WhatsApp, Telegram...), social profile
2       mobile phone (and the line of a WhatsApp id)
3       e-mail
4       landline
======  =====================================

The best match wins and the others are reported as a ``conflict`` (and shown
by the duplicate report); nothing is ever merged silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from customer_core import presets
from customer_core.domain.matching.duplicates import (
    Cluster,
    Evidence,
    Suggestion,
    suggest_duplicates,
)
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer
from customer_core.domain.model.dismissals import Dismissal, DismissalKind, DismissedPairs
from customer_core.domain.model.privacy import check_secret
from customer_core.domain.model.records import MergeRecord
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.errors import Code, InvalidValue
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    LanguageDetector,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWork,
    UnitOfWorkFactory,
)
from customer_core.services.base import ServiceBase
from customer_core.services.decisions import DuplicateDecisions, without_dismissed
from customer_core.services.identity_lists import IdentityLists
from customer_core.services.inbound import SPAM, VIP, Inbound, Resolution
from customer_core.services.merging import CustomerMerging, SuspectMerge
from customer_core.services.resolver import InboundResolver

__all__ = ["DuplicateReport", "IdentityService", "Inbound", "Resolution"]


@attrs.frozen
class DuplicateReport:
    """Exact clusters and scored suggestions, each with its evidence; company groups apart.

    ``groups`` are companies that share a CNPJ root (evidence
    ``same_cnpj_root``): branches of one company, different customers of one
    group, listed for review but never duplicates of each other.
    """

    clusters: tuple[Cluster, ...]
    suggestions: tuple[Suggestion, ...]
    groups: tuple[Cluster, ...] = ()


class IdentityService(ServiceBase):
    """Inbound resolution, spam/VIP lists, duplicates, merges and unmerges."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.PresetChoice = presets.DEFAULT,
        language_detector: LanguageDetector | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        hasher: PasswordHasher | None = None,
        tax_registry: TaxIdRegistry | None = None,
        publisher: EventPublisher | None = None,
    ) -> None:
        """The dependencies of :class:`~customer_core.services.base.ServiceBase`, and
        the ``language_detector`` that fills an inbound customer's language."""
        super().__init__(
            uow_factory,
            preset=preset,
            clock=clock,
            ids=ids,
            hasher=hasher,
            tax_registry=tax_registry,
            publisher=publisher,
        )
        self._inbound = InboundResolver(self._deps, language_detector)
        self._merging = CustomerMerging(self._deps)
        self._decisions = DuplicateDecisions(self._deps)
        self._lists = IdentityLists(self._deps)

    @property
    def language_detector(self) -> LanguageDetector | None:
        """Fills an inbound customer's language from the message's text (``None``: left empty)."""
        return self._inbound.language_detector

    @language_detector.setter
    def language_detector(self, detector: LanguageDetector | None) -> None:
        self._inbound.language_detector = detector

    @property
    def privacy_key(self) -> bytes | None:
        """The host's HMAC key: an erased spammer's identifiers stay blocked by it
        (:meth:`PrivacyService.erase <customer_core.services.PrivacyService.erase>`)."""
        return self._inbound.privacy_key

    @privacy_key.setter
    def privacy_key(self, key: bytes | None) -> None:
        self._inbound.privacy_key = check_secret(key)

    # -- inbound: InboundResolver -------------------------------------------

    def resolve_inbound(
        self,
        tenant_id: str,
        channel: str,
        identifiers: Mapping[str, Any] | Inbound,
        /,
        *,
        display_name: str | None = None,
        avatar_url: str | None = None,
        message_text: str | None = None,
    ) -> Resolution:
        """Match an inbound message to one customer, attach new identifiers, or create one.

        On a line or e-mail several customers share, one holder is chosen
        (``outcome="ambiguous"``, the others in ``Resolution.ambiguous``) and
        nothing of the message is attached to it or to any other: no
        identifier, avatar or language.

        Safe under concurrency: the unique identity index decides the race and
        the loser re-reads the winner.
        """
        return self._inbound.resolve(
            tenant_id,
            channel,
            identifiers,
            display_name=display_name,
            avatar_url=avatar_url,
            message_text=message_text,
        )

    # -- spam and VIP lists -------------------------------------------------

    def mark_spammer(
        self, tenant_id: str, actor: Actor, customer_id: str, /, on: bool = True
    ) -> Customer:
        """Blocklist the customer's identifiers: their messages are reported as spam.

        Any actor who sees the customer may (the visibility rule; there is no
        permission of its own); a blocked customer (LGPD) is refused with
        ``blocked``. Audited as ``customer.spam_set`` / ``customer.spam_cleared``.
        With ``on=False``, what another spammer holds too (a shared landline)
        stays listed.
        """
        return self._lists.flag(tenant_id, actor, customer_id, SPAM, on)

    def mark_vip(
        self, tenant_id: str, actor: Actor, customer_id: str, /, on: bool = True
    ) -> Customer:
        """Allowlist the customer's identifiers: their messages always come through.

        Authorized and audited as :meth:`mark_spammer` (``customer.vip_set``...).
        """
        return self._lists.flag(tenant_id, actor, customer_id, VIP, on)

    def block(
        self,
        tenant_id: str,
        actor: Actor,
        identifiers: Mapping[str, Any],
        /,
        *,
        list_name: str = SPAM,
    ) -> None:
        """List identifiers, typically ones no customer holds yet (a spam address).

        Authorized as :meth:`mark_spammer` is: an identifier a customer holds
        may be listed only by an actor who sees that customer (each holder of
        a shared line), else ``not_found`` on ``identifiers``, naming nobody;
        a blocked holder (LGPD) gives ``blocked``. Listing a customer's
        identifier does not flag the customer (``is_spammer`` stays as it
        is): :meth:`mark_spammer` lists all of them. Audited as
        ``identifiers.spam_listed`` (``identifiers.vip_listed``) about each
        holder, or about no customer, with the kinds of identifiers and how
        many keys, never the identifiers.
        """
        self._lists.block(tenant_id, actor, identifiers, list_name)

    # -- duplicates ---------------------------------------------------------

    def exact_clusters(self, tenant_id: str, actor: Actor, /) -> tuple[Cluster, ...]:
        """The exact clusters among the customers the actor can see, ordered by ids.

        Those of :func:`~customer_core.domain.matching.duplicates.exact_clusters`
        (a line shared by holders the conflicting-evidence rule does not keep
        apart) and the pairs an inbound message tied together
        (``inbound_conflict``): the clusters of :meth:`duplicate_report`,
        without its scored suggestions and its company groups. Storage reads
        them from its identity index, so only the customers sharing a line
        are loaded. A cluster every pair of which was dismissed
        (:meth:`dismiss`) is left out.
        """
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            clusters, _ = self._exact_clusters(uow, scope)
            dismissed = DismissedPairs(uow.dismissals.in_force(tenant_id))
        return without_dismissed(dismissed, clusters, ())[0]

    def _exact_clusters(
        self, uow: UnitOfWork, scope: VisibilityScope
    ) -> tuple[tuple[Cluster, ...], tuple[Cluster, ...]]:
        """The duplicate clusters and the company groups (a shared CNPJ root), by ids."""
        found = uow.customers.exact_clusters(scope)
        groups = [c for c in found if c.evidence[0].kind == "same_cnpj_root"]
        clusters = [c for c in found if c.evidence[0].kind != "same_cnpj_root"]
        hints = uow.hints.list_visible(scope)
        blocked = uow.customers.blocked_among(
            scope.tenant_id, {i for h in hints for i in (h.customer_id, h.other_id)}
        )
        clusters += [
            Cluster(
                tuple(sorted((h.customer_id, h.other_id))),
                (Evidence("inbound_conflict", h.reason, 1.0),),
            )
            for h in hints
            if not {h.customer_id, h.other_id} & blocked  # a blocked customer is left out
        ]
        return tuple(sorted(clusters, key=lambda c: c.ids)), tuple(groups)

    def duplicate_report(
        self, tenant_id: str, actor: Actor, /, *, threshold: float = 0.6
    ) -> DuplicateReport:
        """Exact clusters, scored suggestions and company groups among the visible customers.

        ``threshold`` is the lowest score (0 to 1) a suggestion needs. Pairs
        someone dismissed (:meth:`dismiss`) are not suggested again, and a
        cluster or group every pair of which was dismissed is left out.
        Companies sharing a CNPJ root are listed as ``groups``, never as
        duplicates: record them with ``dismiss(..., kind="same_group")``.
        """
        number = isinstance(threshold, (int, float)) and not isinstance(threshold, bool)
        if not number or not 0 <= threshold <= 1:  # also refuses NaN
            raise InvalidValue(
                f"the threshold is a score from 0 to 1, got {threshold!r}",
                code=Code.INVALID_VALUE,
                field="threshold",
            )
        with self.uow_factory() as uow:
            scope = self._scope(uow, tenant_id, actor)
            clusters, groups = self._exact_clusters(uow, scope)
            dismissed = DismissedPairs(uow.dismissals.in_force(tenant_id))
            # Read in the transaction, compared after it: a million customers take
            # minutes to compare, and a read transaction held that long keeps
            # SQLite's log from being checkpointed (and old rows from PostgreSQL's vacuum).
            records = list(uow.customers.match_records(scope))
        suggestions = suggest_duplicates(records, threshold=threshold)
        shown, suggested = without_dismissed(dismissed, clusters, suggestions)
        return DuplicateReport(shown, suggested, without_dismissed(dismissed, groups, ())[0])

    # -- decisions: DuplicateDecisions -----------------------------------------

    def dismiss(
        self,
        tenant_id: str,
        actor: Actor,
        customer_ids: Sequence[str],
        /,
        reason: str,
        *,
        kind: DismissalKind | str = DismissalKind.NOT_DUPLICATE,
    ) -> Dismissal:
        """Record that these customers are not duplicates, with who, when and why.

        The duplicate report stops suggesting any pair of them, and hides an
        exact cluster once every pair in it is dismissed. ``kind`` is
        ``"not_duplicate"`` (twins, a father and son...) or ``"same_group"``:
        different customers of one group, companies whose CNPJs share a root
        (branches). Every customer must be visible to the actor, who needs
        the right to merge. Undo it with :meth:`undo_dismissal`.
        """
        return self._decisions.dismiss(tenant_id, actor, customer_ids, reason, kind)

    def undo_dismissal(self, tenant_id: str, actor: Actor, dismissal_id: str, /) -> Dismissal:
        """Reverse a dismissal: the report may suggest its customers again.

        The dismissal is kept, marked undone (``undone_at``, ``undone_by``);
        undoing it twice is refused with ``already_undone``.
        """
        return self._decisions.undo(tenant_id, actor, dismissal_id)

    def dismissals(
        self, tenant_id: str, actor: Actor, /, *, undone: bool = False
    ) -> tuple[Dismissal, ...]:
        """The dismissals in force (with ``undone``, the undone ones too), oldest first.

        Only those whose customers the actor can all see are listed.
        """
        return self._decisions.list(tenant_id, actor, undone)

    # -- merges: CustomerMerging ---------------------------------------------

    def merge(
        self,
        tenant_id: str,
        actor: Actor,
        survivor_id: str,
        absorbed_ids: str | Sequence[str],
        /,
        *,
        choices: Mapping[str, Literal["survivor", "absorbed"]] | None = None,
        drop: Sequence[str] = (),
    ) -> MergeRecord:
        """Merge one or more customers into ``survivor``, keeping every identifier.

        Several absorbed customers are merged one after the other, in one
        transaction: each step is its own audit entry, so :meth:`unmerge` can
        undo them one by one, the last step first. ``choices`` take a scalar field from the absorbed
        record instead of the survivor (the fields of
        :data:`~customer_core.domain.matching.merge.MERGEABLE_FIELDS`; any
        other, a password hash or a primary key among them, is refused with
        ``invalid_operation`` on ``choices``). When the union would exceed the
        preset's limits the merge is refused with the cardinality error;
        ``drop`` names the identifiers (phones, e-mails as typed, others by
        match key) to leave out instead. Each must be on the survivor or on a
        customer absorbed: one on none of them is refused with
        ``invalid_value`` on ``drop``, before anything is merged. Returns the
        audit entry of the last step.
        """
        return self._merging.merge(
            tenant_id, actor, survivor_id, absorbed_ids, choices=choices, drop=drop
        )

    def suspect_merges(self, tenant_id: str, actor: Actor, /) -> tuple[SuspectMerge, ...]:
        """Merges in force that joined what the conflicting-evidence rule keeps apart.

        Merges made before that rule (or with a tax id dropped on purpose) may
        have joined a household, an owner and their company, or a father and
        son. They cannot be repaired automatically: this lists them, oldest
        first, for review and :meth:`unmerge` (after the later merges
        involving the same survivor, which it names). Only merges whose survivor and
        absorbed record the actor can both see are listed.
        """
        return self._merging.suspect_merges(tenant_id, actor)

    def unmerge(self, tenant_id: str, actor: Actor, merge_id: str, /) -> tuple[Customer, Customer]:
        """Restore both customers as they were before the merge.

        What the survivor gained or lost after the merge (a new phone, a
        note cleared) stays with it; what came from the absorbed record goes
        back to it, and a field the merge changed returns to the survivor's
        own value unless it was changed since. What the merge dropped from
        the survivor (``drop``) comes back to it, except an exclusive
        identifier another customer holds now, or one the preset has no room
        for any more: those stay off, and the ``customer.unmerged`` event and
        audit entry name their kinds in ``kept_off`` (the merge record still
        holds them). Merges recorded before migration 0013 lack the survivor
        as merged and are undone by the older rule: a field the survivor had
        and the absorbed record lacked, cleared after the merge, gets its old
        value back, and what the merge dropped from the survivor stays dropped.

        Merges involving the same survivor are undone newest first: while a
        later merge into the survivor (or one that absorbed it into a third
        customer) is in force, this is refused with ``invalid_operation`` on
        ``merge_id``, naming that merge in the message and in
        ``details["later_merge_id"]`` (left out when the actor cannot see the
        customer it absorbed). A merge undone already gives ``already_undone``.
        """
        return self._merging.unmerge(tenant_id, actor, merge_id)
