"""Inbound resolution: the customer an inbound message comes from, found or created.

:class:`InboundResolver` is a part of
:class:`~customer_core.services.IdentityService`, which offers (and
documents) it as :meth:`~customer_core.services.IdentityService.resolve_inbound`;
the identifiers, their priority and the result are in
:mod:`customer_core.services.inbound`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from customer_core.domain.matching.names import names_compatible
from customer_core.domain.matching.records import NameKey
from customer_core.domain.model.customer import Customer, CustomerKind, IdentityKey, Source
from customer_core.domain.model.privacy import blocked_key
from customer_core.domain.model.records import DuplicateHint
from customer_core.domain.values.language import Language
from customer_core.errors import Code, DuplicateIdentity, InvalidValue, VersionConflict
from customer_core.ports import KeyLookup, LanguageDetector
from customer_core.services import inputs
from customer_core.services.base import Dependencies
from customer_core.services.inbound import (
    SPAM,
    VIP,
    Inbound,
    Outcome,
    Resolution,
    attach_new_identifiers,
)

__all__ = ["InboundResolver"]

_RETRIES = 5


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


class InboundResolver:
    """Match an inbound message to one customer, attach new identifiers, or create one."""

    __slots__ = ("_deps", "language_detector", "privacy_key")

    def __init__(self, deps: Dependencies, language_detector: LanguageDetector | None) -> None:
        self._deps = deps
        #: Fills a new customer's language from the message's text.
        self.language_detector = language_detector
        #: The host's privacy key: erased spammers' identifiers are blocklisted
        #: by their keyed hash under it (:mod:`customer_core.domain.model.privacy`).
        self.privacy_key: bytes | None = None

    def _with_hashes(self, keys: dict[IdentityKey, int]) -> dict[IdentityKey, int]:
        """``keys``, and their keyed hashes when there is a privacy key (never held: only listed)."""
        if self.privacy_key is None:
            return keys
        last = max(keys.values(), default=0) + 1
        return keys | {blocked_key(k, self.privacy_key): last for k in keys}

    def _language(self, text: str | None) -> Language | None:
        if not text or self.language_detector is None:
            return None
        code = self.language_detector.detect(text)
        try:
            return Language.parse(code) if code else None
        except InvalidValue:
            return None

    def resolve(
        self,
        tenant_id: str,
        channel: str,
        identifiers: Mapping[str, Any] | Inbound,
        *,
        display_name: str | None,
        avatar_url: str | None,
        message_text: str | None,
    ) -> Resolution:
        """Safe under concurrency: the unique identity index decides the race and
        the loser re-reads the winner, up to five times."""
        for field, text in (
            ("display_name", display_name),
            ("avatar_url", avatar_url),
            ("message_text", message_text),
        ):
            if text is not None and not isinstance(text, str):
                raise InvalidValue("expected text", code=Code.INVALID_VALUE, field=field)
        avatar_url = inputs.as_avatar_url(avatar_url)  # as register checks it
        region = self._deps.preset.default_region
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
        with self._deps.uow_factory() as uow:
            found = uow.customers.look_up(tenant_id, self._with_hashes(keys), lists=(SPAM, VIP))
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
                    self._deps.new_event(
                        "customer.registered",
                        None,
                        tenant_id,
                        stored.id,
                        source="inbound",
                        channel=channel,
                    )
                )
                self._deps.commit(uow)
                return Resolution(customer=stored, outcome="created", spam=spam, vip=vip)
            best_key = min(found.holding, key=lambda k: (keys[k], k.kind.value, k.key))
            candidates = found.holding[best_key]
            said = _name_evidence(display_name)
            current = min(candidates, key=lambda h: _holder_order(h, best_key, found, said))
            if current.blocked:  # kept, not processed: no identifier, hint or duplicate
                return Resolution(customer=current, outcome="blocked", spam=spam, vip=vip)
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
            # Picked among the holders of a shared line or e-mail by the order
            # alone, the customer may not be the sender: nothing of the message
            # goes on the record (never merge silently). A sender whose full
            # name fits the chosen holder and none of the others is that holder
            # (Pedro writing from the household's landline). Nor identifiers
            # when the sender's full name is another person's.
            compatible = said is None or names_compatible(said, current.name)
            guessed = bool(ambiguous) and not (
                said is not None
                and compatible
                and not any(
                    names_compatible(said, h.name) for h in candidates if h.id != current.id
                )
            )
            changed, attached = (
                attach_new_identifiers(
                    current, inbound, set(found.holding), self._deps.preset.contact
                )
                if compatible and not guessed
                else (current, [])
            )
            avatar, language = changed.avatar_url, changed.language
            if not guessed:
                avatar = avatar or avatar_url
                language = language or self._language(message_text)
            fields = list(dict.fromkeys(attached))
            fields += [
                name
                for name, value in (("avatar_url", avatar), ("language", language))
                if value != getattr(changed, name)
            ]
            if (avatar, language) != (changed.avatar_url, changed.language):
                changed = attrs.evolve(changed, avatar_url=avatar, language=language)
            wrote = bool(ambiguous or others)
            if changed is not current and changed != current:
                wrote = True
                current = uow.customers.save(
                    attrs.evolve(changed, updated_at=self._deps.clock.now()),
                    expected_version=current.version,
                )
                uow.record(
                    self._deps.new_event(
                        "customer.updated",
                        None,
                        tenant_id,
                        current.id,
                        source="inbound",
                        channel=channel,
                        fields=fields,
                    )
                )
            if ambiguous:  # which holder of a shared line last wrote decides next time
                uow.customers.mark_seen(tenant_id, current.id, [best_key], self._deps.clock.now())
            for other in others:
                uow.hints.add(
                    DuplicateHint(
                        tenant_id=tenant_id,
                        customer_id=current.id,
                        other_id=other,
                        reason=f"inbound:{channel}",
                        noted_at=self._deps.clock.now(),
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
            if wrote:  # a plain match reads only: nothing to commit
                self._deps.commit(uow)
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
            id=self._deps.ids.new_id(),
            tenant_id=tenant_id,
            name=name[:200],
            now=self._deps.clock.now(),
            source=Source.INBOUND,
            avatar_url=avatar_url,
            language=self._language(message_text),
        )
        customer, _ = attach_new_identifiers(customer, inbound, set(), self._deps.preset.contact)
        return customer
