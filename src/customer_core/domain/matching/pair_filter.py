"""Cheap rejections of candidate pairs, from keys computed once per record.

Most candidate pairs share a name sound and nothing else: no contact key,
no e-mail local part one letter from the other's, no mobile one digit from
the other's. :func:`~customer_core.domain.matching.duplicates.suggest_duplicates`
skips them before scoring. Comparing strings for every pair made the report
slow, so each record's e-mails and mobiles are reduced once to *typo keys*
that any two strings one edit apart share: a necessary condition, never a
sufficient one. When two records share no typo key, the pair holds no typo;
when they share one, the exact comparison decides, as before. A key is
stored as its hash: two equal keys have equal hashes, so a collision only
sends a pair on to the exact comparison.

Why one key must be shared: a typo is one edit (a character replaced,
inserted or deleted, or two neighbours swapped), which touches at most two
neighbouring positions. Cut the shorter string into a head and a tail with
at least two positions between them: one edit leaves the head or the tail
intact, the tail counted from the end so that an insertion does not shift
it. A string of length ``n`` gives the keys of the cut of its own length and
of length ``n - 1`` (as the longer of two).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from customer_core.domain.matching.records import MatchRecord

__all__ = ["EMAIL_TYPO_MIN_LENGTH", "PairFeatures", "typo_keys"]

#: The shortest local part an e-mail typo is looked for in (see ``_email_typo``).
EMAIL_TYPO_MIN_LENGTH = 6


def _edge(length: int) -> int:
    """Head and tail length for strings of ``length``: at least two positions between them."""
    return max(0, (length - 2) // 2)


def _not_letters(local: str) -> str:
    """The digits and separators of a local part, in order: a typo edits letters only."""
    return "".join(c for c in local if not c.isalpha())


def _cuts(tag: tuple[str, ...], text: str) -> Iterator[int]:
    for length in (len(text), len(text) - 1):
        edge = _edge(length)
        yield hash((*tag, length, 0, text[:edge]))
        yield hash((*tag, length, 1, text[len(text) - edge :]))


def typo_keys(mail: dict[str, str], mobiles: Iterable[str]) -> frozenset[int]:
    """The typo keys of a record's mailboxes (local part -> domain) and mobiles.

    Two local parts one letter apart at one domain, both at least
    :data:`EMAIL_TYPO_MIN_LENGTH` long, share a key (the edit touches letters
    only, so their digits and separators are the same, in the same order, and
    are part of the key); so do two mobiles of one
    length and one country and area code (the first four digits) one digit
    apart.
    """
    keys: set[int] = set()
    for local, domain in mail.items():
        if len(local) >= EMAIL_TYPO_MIN_LENGTH:
            keys.update(_cuts(("email", domain, _not_letters(local)), local))
    for line in mobiles:
        keys.update(_cuts(("mobile", line[:4]), line[4:]))
    return frozenset(keys)


class PairFeatures:
    """What the cheap rejections of one record read, computed once."""

    __slots__ = ("contact", "mail", "typos")

    def __init__(self, record: MatchRecord, contact: frozenset[str]) -> None:
        #: Every key whose match is contact evidence (see ``_contact_keys``).
        self.contact = contact
        #: Local part -> domain, as the e-mail typo rule reads them.
        self.mail = dict(email.rpartition("@")[::2] for email in record.emails)
        self.typos = typo_keys(self.mail, record.mobiles)
