"""Cheap rejections of candidate pairs, from keys computed once per record.

Most candidate pairs share a name sound and nothing else: no contact key,
no e-mail local part one letter from the other's, no mobile one digit from
the other's. :func:`~customer_core.domain.matching.duplicates.suggest_duplicates`
skips them before scoring. Comparing strings for every pair made the report
slow, so each record's e-mails and mobiles are reduced once to a few *typo
keys* that any two strings one edit apart share: a necessary condition,
never a sufficient one. When two records share no typo key, the pair holds
no typo; when they share one, the exact comparison decides, as before. A key
is kept as its hash (a few bytes a record, for a million records): equal
keys have equal hashes, so a collision only sends a pair on to the exact
comparison.

Why a key must be shared: a typo is one edit (a character replaced,
inserted or deleted, or two neighbours swapped), which touches at most two
neighbouring positions. The head and the tail of a string, with at least
two positions between them, cannot both be touched: one edit leaves the
head or the tail intact (the tail counted from the end, so that an insertion
does not shift it).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["EMAIL_TYPO_MIN_LENGTH", "typo_keys"]

#: The shortest local part an e-mail typo is looked for in (see ``_email_typo``).
EMAIL_TYPO_MIN_LENGTH = 6
#: Letters of a local part's head and tail: six letters leave two between them.
_EMAIL_EDGE = 2


def _not_letters(local: str) -> str:
    """The digits and separators of a local part, in order: a typo edits letters only."""
    return "".join(c for c in local if not c.isalpha())


def typo_keys(emails: Iterable[str], mobiles: Iterable[str]) -> frozenset[int]:
    """The typo keys of a record's e-mail addresses and mobile lines.

    Two local parts one letter apart at one domain, both at least
    :data:`EMAIL_TYPO_MIN_LENGTH` long, share a key: the domain, the digits
    and separators (the edit touches letters only, so they are the same, in
    the same order) and the first or the last two characters. So do two
    mobiles of one length and one country and area code (the first four
    digits) one digit apart: those digits and the rest's head before its
    middle digit, or its tail after it.
    """
    keys: set[int] = set()
    mail = dict(email.rpartition("@")[::2] for email in emails)  # as the typo rule reads them
    for local, domain in mail.items():
        if len(local) >= EMAIL_TYPO_MIN_LENGTH:
            mailbox = ("email", domain, _not_letters(local))
            keys.add(hash((*mailbox, 0, local[:_EMAIL_EDGE])))
            keys.add(hash((*mailbox, 1, local[-_EMAIL_EDGE:])))
    for line in mobiles:
        area = ("mobile", len(line), line[:4])
        number = line[4:]
        middle = len(number) // 2
        keys.add(hash((*area, 0, number[:middle])))
        keys.add(hash((*area, 1, number[middle + 1 :])))
    return frozenset(keys)
