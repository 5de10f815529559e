"""The grouping rule of the import, row by row: what it reads of a row, in which order
it reads rows, and which groups a row joins (used by :class:`~customer_core.io.grouping.FileGroups`).

A row is reduced to what the rule reads (:class:`Staged`): its identity keys,
its name and trade name, its kind, its CPF/CNPJ, external id and customer id,
and where a company is; a group to its first row's name, the ids of all its
rows and where its company rows are (:class:`Rep`).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from customer_core.domain.matching.company_ties import establishments_apart
from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.records import MatchRecord, NameKey
from customer_core.domain.model.customer import CustomerKind, IdentityKey
from customer_core.domain.model.identity import IdentityKind
from customer_core.io.area_codes import area_code_of
from customer_core.io.rows import Draft, row_match_record

__all__ = [
    "EXCLUSIVE",
    "SEP",
    "Rep",
    "Staged",
    "canonical",
    "fullness",
    "key_of",
    "key_text",
    "placed",
    "shareable_text",
]

#: An exclusive key's weight when a row reaches groups that disagree: above any
#: number of shareable keys.
EXCLUSIVE = 1 << 20
#: Between a staged row's key texts (a key text holds ``\x1f``, never this).
SEP = "\x1e"


def key_text(key: IdentityKey) -> str:
    return f"{key.kind.value}\x1f{key.key}"


def key_of(text: str) -> IdentityKey:
    kind, key = text.split("\x1f", 1)
    return IdentityKey(IdentityKind(kind), key)


#: The start of a shareable key's text (see :func:`key_text`).
_SHAREABLE_TEXT = tuple(f"{kind.value}\x1f" for kind in IdentityKind if kind.shareable)


def shareable_text(text: str) -> bool:
    """Whether the key of ``text`` is shareable, read without building the key."""
    return text.startswith(_SHAREABLE_TEXT)


@attrs.frozen
class Rep:
    """What the grouping rule needs of a group: its first row's name, its CPF/CNPJ,
    external id and customer id (a file exported by this library names each
    row's customer; one each: two different ones never join), whether it
    is a company (``Draft.customer_kind``) and, for a company, where it is:
    the area codes (DDD) its phones dial and the state (UF) of its address
    (``places``: sorted, comma-joined, ``11,91,SP``; see :meth:`apart`)."""

    name: str
    tax: str | None
    external: str | None
    company: bool = False
    customer: str | None = None
    places: str | None = None

    @classmethod
    def of(cls, draft: Draft) -> Rep:
        tax, ext = draft.tax_id, draft.external_id
        company = draft.customer_kind is CustomerKind.COMPANY
        places = {code for p in draft.phones if (code := area_code_of(p))}
        if draft.address is not None and draft.address.uf is not None:
            places.add(draft.address.uf)
        return cls(
            draft.name,
            None if tax is None else f"{tax.kind}:{tax.digits}",
            None if ext is None else f"{ext.system.lower()}\x1f{ext.id}",
            company,
            draft.customer_id,
            (",".join(sorted(places)) or None) if company else None,
        )

    def record(self) -> MatchRecord:
        company = self.company or (self.tax is not None and self.tax.startswith("cnpj"))
        return MatchRecord(
            id="",
            company=company,
            names=(NameKey.parse(self.name, company=company),),
            tax_id=self.tax,
        )

    def clashes(self, other: Rep) -> bool:
        """Whether the two can never be one customer, whatever key they share.

        Two CPF/CNPJs, external ids or customer ids, or a person and a
        company: an exclusive key shared by a person and a company (a ``Tipo``
        PJ row carrying its owner's CPF, one external id on *Ana Lima* and
        *Ana Lima ME*) is a contradiction for the user to settle, as an upsert
        reports it against a stored customer, not a reason to make the
        company its owner (the person may be the company's contact, never it).
        """
        return self.company != other.company or any(
            mine is not None and theirs is not None and mine != theirs
            for mine, theirs in (
                (self.tax, other.tax),
                (self.external, other.external),
                (self.customer, other.customer),
            )
        )

    def apart(self, other: Rep) -> bool:
        """Whether a shared phone or e-mail is no reason to make the two one customer:
        two companies that are a firm's establishments by place (no area code or no
        state in common, :func:`~customer_core.domain.matching.company_ties.establishments_apart`).

        Rows of one establishment share a line, or at least its area code and
        state. A CPF/CNPJ or external id they share still makes them one:
        only a shareable key is weighed (:func:`placed`). People are never
        apart by place: a person keeps their mobile's DDD when they move, and
        a file keeps their old address.
        """
        if not (self.company and other.company and self.places and other.places):
            return False
        return establishments_apart(
            *_codes_and_states(self.places), *_codes_and_states(other.places)
        )

    def absorb(self, other: Rep) -> Rep:
        # Only reps that do not clash are absorbed: both are people or both companies.
        places = {p for r in (self, other) if r.places for p in r.places.split(",")}
        return Rep(
            self.name,
            self.tax or other.tax,
            self.external or other.external,
            self.company,
            self.customer or other.customer,
            ",".join(sorted(places)) or None,
        )


def _codes_and_states(places: str) -> tuple[set[str], set[str]]:
    """The area codes and the addresses' states of ``Rep.places``."""
    codes = {p for p in places.split(",") if p.isdigit()}
    return codes, {p for p in places.split(",") if not p.isdigit()}


_NUMBERS = re.compile(r"[\d()+\-./]+$")


def fullness(draft: Draft, rep: Rep) -> tuple[str, str, str]:
    """How much a row says of who it is, as text that sorts the fullest first: a
    CPF/CNPJ, then more words of letters, then more letters."""
    words = draft.name.split()
    # Words of letters: a WhatsApp profile named by its number spells no name.
    spelled = min(sum(1 for w in words if len(w.rstrip(".")) > 1 and not _NUMBERS.match(w)), 99)
    letters = min(sum(map(len, words)), 9999)
    return "0" if rep.tax is not None else "1", f"{99 - spelled:02d}", f"{9999 - letters:04d}"


def canonical(draft: Draft, rep: Rep, texts: list[str]) -> str:
    """The row's place in the grouping order: a function of what the grouping reads.

    Rows with a CPF/CNPJ first (their names are the most reliable), then
    fuller names (*Ana Maria Lima* before *Ana M. Lima* before *Ana Lima*
    before *Ana*: the first row of a group is what later rows' names must
    fit, :func:`fullness`), among names as full a company's rows that say
    where it is first (a row with only the firm's mailbox then meets its
    establishments already told apart, :meth:`Rep.apart`), then the rest,
    so that two rows that tie read the same to the grouping.
    """
    return SEP.join(
        (
            *fullness(draft, rep),
            "0" if rep.places else "1",
            draft.name,
            draft.trade_name or "",
            "1" if rep.company else "0",
            rep.tax or "",
            rep.external or "",
            rep.customer or "",
            rep.places or "",
            *sorted(texts),
        )
    )


@attrs.frozen
class Staged:
    """What the grouping reads of a staged row (the row itself stays in the spill file)."""

    ordinal: int
    keys: list[str]
    lines: tuple[int, ...]
    rep: Rep
    trade_name: str | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Staged:
        _, ordinal, keys, lines, name, trade, tax, ext, company, customer, places = row
        return cls(
            ordinal,
            keys.split(SEP) if keys else [],
            tuple(map(int, lines.split(","))),
            Rep(name, tax, ext, bool(company), customer, places),
            trade,
        )

    def record(self) -> MatchRecord:
        rep = self.rep
        return row_match_record(rep.name, self.trade_name, company=rep.company, tax_id=rep.tax)


def placed(rep: Rep, weight: dict[int, int], reps: dict[int, Rep]) -> list[int] | None:
    """The groups a row joins, of those its keys reach (``weight``: how many of its keys
    each holds, an exclusive key counting more than any number of shareable ones).

    All of them when their CPF/CNPJs and external ids agree and all are people or
    all companies (:meth:`Rep.clashes`). Else the one holding
    most of the row's keys, with those that agree with it: an unnumbered branch
    row sharing the company's e-mail with every branch but the phone with one
    goes with that one. ``None`` when two that disagree hold as many (the row
    cannot be placed) or the closest disagrees with the row itself.

    A group reached by shareable keys only (a phone, an e-mail) whose company
    is elsewhere than the row and the groups taken (:meth:`Rep.apart`:
    another establishment of the firm) is left out; when
    it holds as many of the row's keys as the closest taken, the row (a
    branch row with the firm's mailbox and nothing else) is nobody's more
    than the other's and stands alone (``[]``): the duplicate report shows it.
    So does a row reaching, by shareable keys, groups that are different
    customers to one another (:func:`conflicting_evidence` of their names: a
    couple's shared mobile on a WhatsApp row named only by its number, or a
    lone *Ana* on the landline of *Ana Lima* and *Ana Souza*): it is compatible
    with each, so it would make them one; it joins the one holding more of its
    keys, else stays alone.
    """
    ranked = sorted(weight, key=lambda group: (-weight[group], group))
    combined, taken = rep, list[int]()
    for group in ranked:
        other = reps[group]
        if combined.clashes(other):
            if not taken or weight[group] == weight[taken[0]]:
                return None
            continue
        if weight[group] < EXCLUSIVE and (
            combined.apart(other) or _different_customers(other, taken, reps)
        ):
            if taken and weight[group] == weight[taken[0]]:
                return []
            continue
        taken.append(group)
        combined = combined.absorb(other)
    return sorted(taken)


def _different_customers(other: Rep, taken: list[int], reps: dict[int, Rep]) -> bool:
    """Whether group ``other`` and a group already ``taken`` are different customers."""
    if not taken:
        return False
    record = other.record()
    return any(conflicting_evidence(reps[group].record(), record) for group in taken)
