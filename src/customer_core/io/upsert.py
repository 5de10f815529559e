"""A group of rows against the stored customers: which one it is, and what it changes.

A group is the rows of one customer in a file (:mod:`customer_core.io.grouping`).
Its rows may spell the customer's name, note or address differently: each
spelling is the customer's, so a stored customer fits the group when it fits
any of them, and a stored value that one of the rows says is kept. That is
what makes a re-run of an edited file change nothing: the row whose values a
new customer took (the first in the grouping's order of content) may not be
the first any more once rows are added or changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from customer_core.domain.matching.evidence import Conflict, conflicting_evidence
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.customer import Customer, CustomerKind, IdentityKey
from customer_core.domain.model.identity import IdentityKind
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.domain.values.address import Address
from customer_core.domain.values.phone_lines import details_not_kept, richer_phone
from customer_core.domain.values.text import accents, fold, fold_tokens
from customer_core.errors import Code, CustomerCoreError, DuplicateIdentity, InvalidOperation
from customer_core.io.cells import RowError
from customer_core.io.grouping_rule import Rep, canonical, fullness, key_text
from customer_core.io.rows import ADDRESS_PARTS, Draft, address_parts, phone_not_kept
from customer_core.presets import Preset

__all__ = ["Group", "check_repaired", "owner", "phones_not_kept", "updated"]


@attrs.frozen
class Group:
    """The rows of one customer: merged into one :class:`Draft`, and each as it was."""

    draft: Draft
    keys: set[IdentityKey]
    rows: tuple[Draft, ...]
    #: What merging the rows left out (a second extension of one line), to report.
    warnings: tuple[RowError, ...] = ()

    @classmethod
    def of(cls, rows: Sequence[Draft]) -> Group:
        """The group of ``rows`` (in file order): merged in the grouping's order of
        their content, so that a reordered file makes the same customer."""
        first, *rest = sorted(rows, key=_content_order) if len(rows) > 1 else rows
        draft = first
        for row in rest:
            draft = draft.absorb(row)
        own = {w for row in rows for w in row.warnings}
        added = tuple(w for w in draft.warnings if w not in own)
        if rest:  # one row's name has no other spelling to take accents from
            name = accented(draft.name, (row.name for row in rows))
            if name != draft.name:
                draft = attrs.evolve(draft, name=name)
        return cls(draft, draft.identity_keys(), tuple(rows), added)

    def conflict(self, customer: Customer) -> Conflict | None:
        """Why ``customer`` is another customer than this group's, or ``None``: it fits
        a name of the group (the first reason it fits none otherwise)."""
        stored = MatchRecord.of(customer)
        first: Conflict | None = None
        for name in dict.fromkeys(row.name for row in self.rows):
            conflict = conflicting_evidence(
                attrs.evolve(self.draft, name=name).match_record(), stored
            )
            if conflict is None:
                return None
            first = first or conflict
        return first


def _content_order(row: Draft) -> tuple[object, ...]:
    """The order in which a group's rows give a new customer its values: the fullest
    first (:func:`~customer_core.io.grouping_rule.fullness`: a CPF/CNPJ, more of
    a name), a name in capitals or in lower case after one written as a name,
    one with its accents before one without, then the grouping's order and the
    rest of the row's values: which row's name, primary phone or address a
    customer takes is a function of the rows, not of the file's order."""
    rep = Rep.of(row)
    texts = [key_text(k) for k in row.identity_keys()]
    shouted = row.name.isupper() or row.name.islower()
    return (
        fullness(row, rep),
        shouted,
        -accents(row.name),  # "João" over "Joao": accents are part of the name
        canonical(row, rep, texts),
        # Every value as typed (a value's repr may mask it: Phone, Email).
        str(attrs.astuple(attrs.evolve(row, lines=(), warnings=()), recurse=True)),
    )


def check_repaired(
    group: Group, holders: Mapping[IdentityKey, tuple[str, ...]], stored: Mapping[str, Customer]
) -> None:
    """A repaired CPF/CNPJ (its dropped zeros put back) is a guess: alone, it links to
    no customer stored before the import, but one of the very name (the same row
    imported again).

    Its holder is the row's customer only when another identifier of the row
    (a phone, an e-mail, a code) leads to the same customer, or the holder's
    name is spelled as a row of the group spells it. ``holders`` are those
    stored before the run: rows of this file with the same CPF/CNPJ were
    already grouped as one customer (:class:`~.grouping.FileGroups`).
    """
    keys = group.keys
    tax_keys = {k for k in keys if k.kind is IdentityKind.TAX_ID}
    by_tax = {h for k in tax_keys for h in holders.get(k, ())}
    by_others = {h for k in keys - tax_keys for h in holders.get(k, ())}
    names = {tuple(fold_tokens(row.name)) for row in group.rows}
    guessed = {
        h
        for h in by_tax - by_others
        if h not in stored or tuple(fold_tokens(stored[h].name)) not in names
    }
    if guessed:
        raise DuplicateIdentity(
            "the CPF/CNPJ had lost its leading zeros and, repaired, is a stored customer's; "
            "nothing else of the row says it is that customer: check the document",
            code=Code.DUPLICATE_IDENTITY,
            field="tax_id",
        )


def owner(
    group: Group,
    holders: Mapping[IdentityKey, tuple[str, ...]],
    existing: Mapping[str, Customer],
    scope: VisibilityScope,
    preset: Preset | None = None,
) -> str | None:
    """The stored customer a group updates, or ``None`` for a new one (maybe sharing a key).

    A row that names a customer by id (a file this library exported) is that
    customer when the actor can see it, unless the evidence conflicts (another
    person's name, another CPF/CNPJ, a company for a person, identifiers that
    are all another customer's: nothing changes);
    an id that names nobody visible is ignored and the row matched by its
    identifiers.

    Through an exclusive key (CPF/CNPJ, external id): its holder, unless the
    evidence conflicts (another name: ``conflicting_evidence``, nothing
    changes). Through shareable keys only (a phone line, an e-mail): the
    compatible holder sharing the most keys with the group, then (with
    ``preset``) one the group would leave as it is, a person before a
    company, then the oldest; with no compatible holder the group is a new
    customer that shares the key (a household, an owner and their company).
    Preferring the holder that already says what the group says is what keeps
    a re-run unchanged when the group's own customer is not the oldest holder.
    """
    draft, keys = group.draft, group.keys
    if draft.customer_id is None and not any(k in holders for k in keys):
        return None  # the common case of a first import: nobody holds any key
    named = existing.get(draft.customer_id) if draft.customer_id else None
    if named is not None and scope.allows_customer(named):
        # An id is an exclusive key like any other: a row whose id column slid
        # onto another customer's row (a column sorted alone) changes nothing.
        _refuse_conflict(
            group, named, "the row's customer id names another customer", "customer_id"
        )
        held = {h for k in keys for h in holders.get(k, ())}
        if held and named.id not in held:
            # Every identifier of the row is someone else's: the export wrote each
            # customer's own on its row, so the id is what moved.
            raise InvalidOperation(
                "the row's id names another customer than its phones, e-mails and CPF/CNPJ do",
                code=Code.CONFLICTING_EVIDENCE,
                field="customer_id",
                reason="identifiers",
                holder_ids=[named.id],
            )
        return named.id
    exclusive = {h for k in keys if not k.kind.shareable for h in holders.get(k, ())}
    if len(exclusive) > 1:
        raise DuplicateIdentity(
            "the row's identifiers belong to different customers",
            code=Code.DUPLICATE_IDENTITY,
            field="identifiers",
            holder_ids=[
                h for h in sorted(exclusive) if (c := existing.get(h)) and scope.allows_customer(c)
            ],
        )
    if exclusive:
        (found,) = exclusive
        current = existing.get(found)
        if current is None or not scope.allows_customer(current):
            raise DuplicateIdentity(
                "an identifier of the row belongs to a customer you cannot see",
                code=Code.DUPLICATE_IDENTITY,
                field="identifiers",
            )
        _refuse_conflict(
            group, current, "the row's identifier is another customer's", "identifiers"
        )
        return found
    shared: dict[str, int] = {}
    for key in keys:
        for holder in holders.get(key, ()):
            shared[holder] = shared.get(holder, 0) + 1
    candidates = [
        current
        for holder in shared
        if (current := existing.get(holder)) is not None
        and scope.allows_customer(current)
        and group.conflict(current) is None
    ]
    if not candidates:
        return None
    most = max(shared[c.id] for c in candidates)
    tied = [c for c in candidates if shared[c.id] == most]
    same = {
        c.id for c in tied if preset is not None and len(tied) > 1 and _unchanged(c, group, preset)
    }
    best = min(
        tied,
        key=lambda c: (c.id not in same, c.kind is CustomerKind.COMPANY, c.created_at, c.id),
    )
    return best.id


def _refuse_conflict(group: Group, customer: Customer, what: str, field: str) -> None:
    """Refuse the row when the evidence says ``customer`` is another customer than its own
    (``conflicting_evidence`` on ``field``, naming the customer)."""
    conflict = group.conflict(customer)
    if conflict is not None:
        raise InvalidOperation(
            f"{what}: {conflict.message}",
            code=Code.CONFLICTING_EVIDENCE,
            field=field,
            reason=conflict.value,
            holder_ids=[customer.id],
        )


def _unchanged(current: Customer, group: Group, preset: Preset) -> bool:
    try:
        return updated(current, group, preset) == current
    except CustomerCoreError:  # the group's values would not fit this customer
        return False


def updated(current: Customer, group: Group, preset: Preset) -> Customer:
    """``current`` with what the group says: identifiers added, scalars from the
    rows where they have them, a stored value one of the rows says kept.

    The name changes only to one that fits the stored customer (never to
    another person's) and says more than it (:func:`said_by`: never to
    an abbreviation or a spelling without its accents, as a record a merge
    kept the fuller name of); the CPF/CNPJ is only ever filled in (a
    different one is a conflict, found before).
    """
    draft, rows = group.draft, group.rows
    changed = current
    names = [row.name for row in rows]
    if current.name not in names:
        stored = MatchRecord.of(current)
        fitting = (
            n
            for n in names
            if conflicting_evidence(attrs.evolve(draft, name=n).match_record(), stored) is None
        )
        name = next(fitting, current.name)
        if not said_by(current.name, name):
            changed = changed.update(name=accented(name, [current.name]))
    if draft.tax_id is not None and current.tax_id is None:
        changed = changed.update(tax_id=draft.tax_id)
    if draft.trade_name and current.trade_name not in {row.trade_name for row in rows}:
        changed = changed.update(trade_name=draft.trade_name)
    if draft.note and current.note not in {row.note for row in rows}:
        changed = changed.update(note=draft.note)
    policy = preset.contact
    for phone in draft.phones:
        line = next((p for p in changed.phones if p.match_key == phone.match_key), None)
        if line is None:
            changed = changed.add_phone(phone, policy=policy)
            continue
        # The row's extension (or type) for a line stored without one: filled in, as a CPF is.
        richer = richer_phone(line, phone, allowed_types=policy.allowed_phone_types)
        if richer != line:
            changed = changed.replace_phone(line.match_key, richer, policy=policy)
    for email in draft.emails:
        if email.match_key not in {e.match_key for e in changed.emails}:
            changed = changed.add_email(email, policy=policy)
    if draft.external_id and draft.external_id not in changed.external_ids:
        changed = changed.add_external_id(draft.external_id)
    said = [row.address for row in rows if row.address is not None]
    if said and not any(_same_place(a, b) for a in said for b in changed.addresses):
        address = max(said, key=address_parts)  # the fullest; the first of equals
        same_type = [i for i, a in enumerate(changed.addresses) if a.type is address.type]
        changed = (
            changed.replace_address(same_type[0], address, policy=policy)
            if same_type
            else changed.add_address(address, policy=policy)
        )
    changed.check(policy, preset.registration, before=current)
    return changed


def said_by(stored: str, row: str) -> bool:
    """Whether the stored name already says all that ``row``'s spelling of it says.

    Each word of ``row`` is a word of ``stored`` (accents, case aside) or the
    initial of one (*Daniela W. Tavares* of *Daniela Wachholz Tavares*,
    *Maria Silva* of *Maria da Silva*); spelled with the same words, the
    stored one has as many accents and is not the one in capitals or lower
    case (*João Pereira* over *Joao Pereira*; *JOÃO PEREIRA* and *joão
    pereira* are rewritten).

    >>> said_by("Daniela Wachholz Tavares", "Daniela W. Tavares")
    True
    >>> said_by("Joao Pereira", "João Pereira"), said_by("João Pereira", "Joao Pereira")
    (False, True)
    >>> said_by("Maria Silva", "Maria da Silva Santos")
    False
    >>> said_by("maria da silva", "Maria da Silva"), said_by("Acme Ltda", "ACME LTDA")
    (False, True)
    """
    ours, theirs = fold_tokens(stored), fold_tokens(row)
    if ours == theirs:  # one spelling: a name written as a name over capitals or lower case
        shouted = stored.isupper() or stored.islower()
        return not (shouted and not (row.isupper() or row.islower())) and (
            accents(stored) >= accents(row)
        )
    initials = {word[0] for word in ours}
    left = list(ours)
    for word in theirs:
        if word in left:
            left.remove(word)
        elif len(word.rstrip(".")) != 1 or word[0] not in initials:
            return False
    return True


def accented(name: str, others: Iterable[str]) -> str:
    """``name`` with the accents other spellings of the same person's name give its words.

    A fuller name typed without accents keeps those the shorter one had: *Maria
    Jose da Silva* with *Maria José* is *Maria José da Silva*, in the word's own
    capitals.

    >>> accented("Maria Jose da Silva", ["Maria José"]), accented("JOSE SILVA", ["José"])
    ('Maria José da Silva', 'JOSÉ SILVA')
    """
    spelled: dict[str, str] = {}
    for other in others:
        for word in other.split():
            key = fold(word)
            if accents(word) > accents(spelled.get(key, "")):
                spelled[key] = word
    words = []
    for word in name.split(" "):
        better = spelled.get(fold(word))
        if better is None or accents(better) <= accents(word):
            words.append(word)
        elif word.isupper():
            words.append(better.upper())
        elif word.islower():
            words.append(better.lower())
        else:
            words.append(better[:1].upper() + better[1:].lower() if word[:1].isupper() else better)
    return " ".join(words)


def phones_not_kept(group: Group, customer: Customer) -> list[RowError]:
    """Warnings for the group's phones whose line ``customer`` keeps with another
    extension or type (one phone per line: the stored one stays)."""
    kept = {p.match_key: p for p in customer.phones}
    line = min(group.draft.lines)
    return [
        phone_not_kept(line, None, p)
        for p in group.draft.phones
        if p.match_key in kept and details_not_kept(kept[p.match_key], p)
    ]


def _same_place(row: Address, stored: Address) -> bool:
    """Whether a row's address is a stored one whatever its type, or part of it.

    A file's address columns are read as the delivery address, and the
    export writes the first address (the default one, say) there; the same
    place typed otherwise is no change. Nor is a row that fills in only some
    of the stored address's parts, each as stored (a city and state, a
    CEP): the blank cells do not erase the street, number and CEP.
    """
    if attrs.evolve(row, type=stored.type) == stored:
        return True
    return all(
        _folded(getattr(stored, part)) == _folded(value)
        for part in ADDRESS_PARTS
        if (value := getattr(row, part))
    )


def _folded(value: str | None) -> str:
    return fold(value or "")
