"""Identity: resolve inbound messages, spam/VIP lists, duplicate report, merge and unmerge.

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

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from customer_core import presets
from customer_core.domain.matching.duplicates import (
    Cluster,
    Evidence,
    MatchRecord,
    Suggestion,
    suggest_duplicates,
)
from customer_core.domain.matching.names import names_compatible
from customer_core.domain.matching.records import NameKey
from customer_core.domain.matching.search import search_key
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, CustomerKind, IdentityKey, Source
from customer_core.domain.model.records import DuplicateHint
from customer_core.domain.rules.visibility import (
    CustomerFilter,
    VisibilityScope,
)
from customer_core.domain.values.language import Language
from customer_core.errors import (
    Code,
    DuplicateIdentity,
    InvalidValue,
    VersionConflict,
)
from customer_core.ports import (
    Clock,
    EventPublisher,
    IdGenerator,
    KeyLookup,
    LanguageDetector,
    PasswordHasher,
    TaxIdRegistry,
    UnitOfWork,
    UnitOfWorkFactory,
)
from customer_core.services import inputs
from customer_core.services.base import check_tenant
from customer_core.services.inbound import Inbound, Outcome, Resolution, attach_new_identifiers
from customer_core.services.merging import CustomerMerging

__all__ = ["DuplicateReport", "IdentityService", "Inbound", "Resolution"]

SPAM, VIP = "spam", "vip"
_RETRIES = 5


@attrs.frozen
class DuplicateReport:
    """Exact clusters and scored suggestions, each with its evidence."""

    clusters: tuple[Cluster, ...]
    suggestions: tuple[Suggestion, ...]


def _name_evidence(display_name: str | None) -> str | None:
    """The display name when it can tell people apart: a name of two words or more.

    A channel's display name is often a nickname or a decoration (``~Aninha~``,
    ``Mãe ❤``): one word says nothing against *Ana Lima*. *Bruno Lima* does.
    """
    if display_name is None or len(NameKey.parse(display_name).words) < 2:
        return None
    return display_name


def _holder_order(
    holder: Customer, key: IdentityKey, found: KeyLookup, display_name: str | None
) -> tuple[bool, bool, float, bool, datetime, str]:
    """Which holder of a shared key a message is for, best first.

    A holder whose name fits the message's display name (when it is a full name);
    then the one that last received a message on this key; then a person
    before a company (an owner's mobile is the owner's); then the oldest.
    """
    seen = found.last_seen.get((key, holder.id))
    return (
        display_name is not None and not names_compatible(display_name, holder.name),
        seen is None,
        -seen.timestamp() if seen is not None else 0.0,
        holder.kind is CustomerKind.COMPANY,
        holder.created_at,
        holder.id,
    )


class IdentityService(CustomerMerging):
    """Inbound resolution, lists, duplicates and merges (:class:`.CustomerMerging`)."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        preset: presets.Preset = presets.DEFAULT,
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
        self.language_detector = language_detector

    # -- inbound ------------------------------------------------------------

    def _language(self, text: str | None) -> Language | None:
        if not text or self.language_detector is None:
            return None
        code = self.language_detector.detect(text)
        try:
            return Language.parse(code) if code else None
        except InvalidValue:
            return None

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

        Safe under concurrency: the unique identity index decides the race and
        the loser re-reads the winner.
        """
        for field, text in (
            ("display_name", display_name),
            ("avatar_url", avatar_url),
            ("message_text", message_text),
        ):
            if text is not None and not isinstance(text, str):
                raise InvalidValue("expected text", code=Code.INVALID_VALUE, field=field)
        avatar_url = inputs._text(avatar_url, "avatar_url")  # as register checks it
        region = self.preset.default_region
        inbound = (
            identifiers
            if isinstance(identifiers, Inbound)
            else Inbound.parse(identifiers, region=region)
        )
        keys = inbound.lookup_keys()
        for _ in range(_RETRIES):
            try:
                return self._resolve_once(
                    tenant_id, channel, inbound, keys, display_name, avatar_url, message_text
                )
            except (DuplicateIdentity, VersionConflict):
                continue  # another message created or changed it first: look again
        raise VersionConflict(
            "the customer kept changing during resolution",
            code=Code.VERSION_CONFLICT,
            field="identifiers",
        )

    def _resolve_once(
        self,
        tenant_id: str,
        channel: str,
        inbound: Inbound,
        keys: dict[IdentityKey, int],
        display_name: str | None,
        avatar_url: str | None,
        message_text: str | None,
    ) -> Resolution:
        with self.uow_factory() as uow:
            found = uow.customers.look_up(tenant_id, keys, lists=(SPAM, VIP))
            spam, vip = bool(found.listed[SPAM]), bool(found.listed[VIP])
            if not found.holding:
                customer = self._new_inbound(
                    tenant_id, inbound, display_name, avatar_url, message_text
                )
                # Only as the first holder of its keys: a message naming the same
                # new line (in any spelling) that created a customer meanwhile
                # makes this fail, and the retry finds that customer.
                stored = uow.customers.add(customer, first_holder=True)
                uow.record(
                    self._new_event(
                        "customer.registered",
                        None,
                        tenant_id,
                        stored.id,
                        source="inbound",
                        channel=channel,
                    )
                )
                self._commit(uow)
                return Resolution(customer=stored, outcome="created", spam=spam, vip=vip)
            best_key = min(found.holding, key=lambda k: (keys[k], k.kind.value, k.key))
            candidates = found.holding[best_key]
            said = _name_evidence(display_name)
            current = min(candidates, key=lambda h: _holder_order(h, best_key, found, said))
            ambiguous = tuple(h.id for h in candidates if h.id != current.id)
            others: tuple[str, ...] = ()
            if len(found.holding) > 1:  # several keys matched: any held by someone else?
                held = set(current.identity_keys())
                others = tuple(
                    dict.fromkeys(
                        h.id
                        for key, holders in found.holding.items()
                        if key not in held
                        for h in holders
                        if h.id != current.id
                    )
                )
            compatible = said is None or names_compatible(said, current.name)
            changed, attached = (
                attach_new_identifiers(current, inbound, set(found.holding), self.preset.contact)
                if compatible
                else (current, [])
            )
            avatar = changed.avatar_url or avatar_url
            language = changed.language or self._language(message_text)
            if (avatar, language) != (changed.avatar_url, changed.language):
                changed = attrs.evolve(changed, avatar_url=avatar, language=language)
            if changed is not current and changed != current:
                current = uow.customers.save(
                    attrs.evolve(changed, updated_at=self.clock.now()),
                    expected_version=current.version,
                )
            if ambiguous:  # which holder of a shared line last wrote decides next time
                uow.customers.mark_seen(tenant_id, current.id, [best_key], self.clock.now())
            for other in others:
                uow.hints.add(
                    DuplicateHint(
                        tenant_id=tenant_id,
                        customer_id=current.id,
                        other_id=other,
                        reason=f"inbound:{channel}",
                        noted_at=self.clock.now(),
                    )
                )
            outcome: Outcome = (
                "conflict"
                if others
                else "ambiguous"
                if ambiguous
                else "attached"
                if attached
                else "matched"
            )
            self._commit(uow)
        spam = spam or current.is_spammer
        vip = vip or current.is_vip
        return Resolution(
            customer=current,
            outcome=outcome,
            attached=tuple(attached),
            conflicts=others,
            ambiguous=ambiguous,
            spam=spam,
            vip=vip,
        )

    def _new_inbound(
        self,
        tenant_id: str,
        inbound: Inbound,
        display_name: str | None,
        avatar_url: str | None,
        message_text: str | None,
    ) -> Customer:
        fallback = next(
            (
                str(v)
                for v in (
                    *inbound.emails,
                    *inbound.phones,
                    *inbound.messenger_ids,
                    *inbound.social_profiles,
                    *inbound.external_ids,
                )
            ),
            "?",
        )
        name = (display_name or "").strip() or fallback
        customer = Customer.create(
            id=self.ids.new_id(),
            tenant_id=tenant_id,
            name=name[:200],
            now=self.clock.now(),
            source=Source.INBOUND,
            avatar_url=avatar_url,
            language=self._language(message_text),
        )
        customer, _ = attach_new_identifiers(customer, inbound, set(), self.preset.contact)
        return customer

    # -- spam and VIP lists -------------------------------------------------

    def _flag(
        self, tenant_id: str, actor: Actor, customer_id: str, list_name: str, on: bool
    ) -> Customer:
        if not isinstance(on, bool):
            raise InvalidValue("expected true or false", code=Code.INVALID_VALUE, field="on")
        with self.uow_factory() as uow:
            current = uow.customers.get_visible(self._scope(uow, tenant_id, actor), customer_id)
            flagged = (
                attrs.evolve(current, is_spammer=on)
                if list_name == SPAM
                else attrs.evolve(current, is_vip=on)
            )
            keys = current.identity_keys()
            if on:
                uow.lists.add(tenant_id, list_name, keys, customer_id=customer_id)
            else:
                uow.lists.remove(tenant_id, list_name, keys)
            saved = uow.customers.save(
                attrs.evolve(flagged, updated_at=self.clock.now()),
                expected_version=current.version,
            )
            uow.record(
                self._new_event(
                    f"customer.{list_name}_{'set' if on else 'cleared'}",
                    actor,
                    tenant_id,
                    customer_id,
                )
            )
            self._commit(uow)
        return saved

    def mark_spammer(
        self, tenant_id: str, actor: Actor, customer_id: str, /, on: bool = True
    ) -> Customer:
        """Blocklist the customer's identifiers: their messages are reported as spam."""
        return self._flag(tenant_id, actor, customer_id, SPAM, on)

    def mark_vip(
        self, tenant_id: str, actor: Actor, customer_id: str, /, on: bool = True
    ) -> Customer:
        """Allowlist the customer's identifiers: their messages always come through."""
        return self._flag(tenant_id, actor, customer_id, VIP, on)

    def block(
        self,
        tenant_id: str,
        actor: Actor,
        identifiers: Mapping[str, Any],
        /,
        *,
        list_name: str = SPAM,
    ) -> None:
        """List identifiers that belong to no customer yet (e.g. a spam address)."""
        check_tenant(tenant_id, actor)
        if list_name not in (SPAM, VIP):
            raise InvalidValue(
                "the list is 'spam' or 'vip'", code=Code.INVALID_VALUE, field="list_name"
            )
        inbound = Inbound.parse(identifiers, region=self.preset.default_region)
        with self.uow_factory() as uow:
            uow.lists.add(tenant_id, list_name, inbound.lookup_keys(), customer_id=None)
            self._commit(uow)

    # -- duplicates ---------------------------------------------------------

    def _visible_records(self, uow: UnitOfWork, scope: VisibilityScope) -> list[MatchRecord]:
        """Compact match records of the visible customers, read page by page.

        Only the records are kept (a few hundred bytes each), not whole customers.
        """
        records: list[MatchRecord] = []
        after = None
        while page := uow.customers.find(scope, CustomerFilter(), after=after, limit=500):
            records += (MatchRecord.of(c) for c in page)
            last = page[-1]
            after = (search_key(last), last.id)
        return records

    def exact_clusters(self, tenant_id: str, actor: Actor, /) -> tuple[Cluster, ...]:
        """The exact clusters among the customers the actor can see, ordered by ids.

        Those of :func:`~customer_core.domain.matching.duplicates.exact_clusters`
        (a shared phone line, a CNPJ root) and the pairs an inbound message
        tied together (``inbound_conflict``): the clusters of
        :meth:`duplicate_report`, without its scored suggestions. Storage
        reads them from its identity index, so no customer is loaded.
        """
        with self.uow_factory() as uow:
            return self._exact_clusters(uow, self._scope(uow, tenant_id, actor))

    def _exact_clusters(self, uow: UnitOfWork, scope: VisibilityScope) -> tuple[Cluster, ...]:
        clusters = list(uow.customers.exact_clusters(scope))
        clusters += [
            Cluster(
                tuple(sorted((h.customer_id, h.other_id))),
                (Evidence("inbound_conflict", h.reason, 1.0),),
            )
            for h in uow.hints.list_visible(scope)
        ]
        return tuple(sorted(clusters, key=lambda c: c.ids))

    def duplicate_report(
        self, tenant_id: str, actor: Actor, /, *, threshold: float = 0.6
    ) -> DuplicateReport:
        """Exact clusters and scored suggestions among the customers the actor can see.

        ``threshold`` is the lowest score (0 to 1) a suggestion needs.
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
            clusters = self._exact_clusters(uow, scope)
            customers = self._visible_records(uow, scope)
        return DuplicateReport(clusters, tuple(suggest_duplicates(customers, threshold=threshold)))
