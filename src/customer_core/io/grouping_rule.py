"""The grouping rule of the import, row by row: what it reads of a row, in which order
it reads rows, and which groups a row joins (used by :class:`~customer_core.io.grouping.FileGroups`).

A row is reduced to what the rule reads (:class:`Staged`): its identity keys,
its name and trade name, its kind, its CPF/CNPJ, external id and customer id;
a group to its first row's name and the ids of all its rows (:class:`Rep`).
"""

from __future__ import annotations

from typing import Any

import attrs

from customer_core.domain.matching.records import MatchRecord, NameKey
from customer_core.domain.model.customer import CustomerKind, IdentityKey
from customer_core.domain.model.identity import IdentityKind
from customer_core.io.rows import Draft, row_match_record

__all__ = [
    "EXCLUSIVE",
    "SEP",
    "Rep",
    "Staged",
    "canonical",
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
    row's customer; one each: two different ones never join), and whether it
    is a company (``Draft.customer_kind``)."""

    name: str
    tax: str | None
    external: str | None
    company: bool = False
    customer: str | None = None

    @classmethod
    def of(cls, draft: Draft) -> Rep:
        tax, ext = draft.tax_id, draft.external_id
        return cls(
            draft.name,
            None if tax is None else f"{tax.kind}:{tax.digits}",
            None if ext is None else f"{ext.system.lower()}\x1f{ext.id}",
            draft.customer_kind is CustomerKind.COMPANY,
            draft.customer_id,
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

    def absorb(self, other: Rep) -> Rep:
        # Only reps that do not clash are absorbed: both are people or both companies.
        return Rep(
            self.name,
            self.tax or other.tax,
            self.external or other.external,
            self.company,
            self.customer or other.customer,
        )


def canonical(draft: Draft, rep: Rep, texts: list[str]) -> str:
    """The row's place in the grouping order: a function of what the grouping reads.

    Rows with a CPF/CNPJ first (their names are the most reliable), then
    fuller names (*Ana Maria Lima* before *Ana M. Lima* before *Ana Lima*
    before *Ana*: the first row of a group is what later rows' names must
    fit), then the rest, so that two rows that tie read the same to the
    grouping.
    """
    words = draft.name.split()
    spelled = min(sum(1 for w in words if len(w.rstrip(".")) > 1), 99)
    letters = min(sum(map(len, words)), 9999)
    return SEP.join(
        (
            "0" if rep.tax is not None else "1",
            f"{99 - spelled:02d}",
            f"{9999 - letters:04d}",
            draft.name,
            draft.trade_name or "",
            "1" if rep.company else "0",
            rep.tax or "",
            rep.external or "",
            rep.customer or "",
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
        _, ordinal, keys, lines, name, trade, tax, ext, company, customer = row
        return cls(
            ordinal,
            keys.split(SEP) if keys else [],
            tuple(map(int, lines.split(","))),
            Rep(name, tax, ext, bool(company), customer),
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
    """
    ranked = sorted(weight, key=lambda group: (-weight[group], group))
    combined, taken = rep, list[int]()
    for group in ranked:
        if combined.clashes(reps[group]):
            if not taken or weight[group] == weight[taken[0]]:
                return None
            continue
        taken.append(group)
        combined = combined.absorb(reps[group])
    return sorted(taken)
