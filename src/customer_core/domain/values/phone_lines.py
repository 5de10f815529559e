"""One line, one phone: joining two lists of phones without losing what either says.

A customer holds each line once (the identity key is the line, DESIGN §4),
so two spellings of one line (a merge of two records, two cells of an import
row) become one phone, the richer of the two: an extension (*ramal*) over
none, a type someone chose (``home``, ``work``, ``fax``) over one inferred
from the number (``mobile``, ``landline``, ``other``). When both say
something different (two extensions of a switchboard), the first list's
value stays and the other phone is returned as *not kept*, for the caller to
report: people reached at other extensions of one line are a company's
contacts, each with their own phone.

>>> from customer_core import Phone
>>> desk = Phone.parse("11 3333-4444")
>>> rui = Phone.parse("11 3333-4444 ramal 25", type="work")
>>> lia = Phone.parse("11 3333-4444 ramal 30")
>>> kept, not_kept = union_phones((desk,), (rui,))
>>> [(p.extension, p.type.value) for p in kept], not_kept
([('25', 'work')], ())
>>> kept, not_kept = union_phones(kept, (lia,))
>>> [p.extension for p in kept], [p.extension for p in not_kept]
(['25'], ['30'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import attrs

from customer_core.domain.values.phone import Phone, PhoneType

__all__ = ["INFERRED_TYPES", "details_not_kept", "richer_phone", "union_phones"]

#: The types :meth:`Phone.parse` gives a number by itself; any other was chosen.
INFERRED_TYPES = frozenset({PhoneType.MOBILE, PhoneType.LANDLINE, PhoneType.OTHER})


def richer_phone(
    kept: Phone, other: Phone, /, *, allowed_types: Collection[PhoneType] | None = None
) -> Phone:
    """``kept`` (same line as ``other``) with what ``other`` adds to it.

    Its extension when ``kept`` has none; its type when it was chosen and
    ``kept``'s was inferred (and ``allowed_types``, a preset's, allows it).
    Everything else is ``kept``'s: the spelling, whether it is a *recado* number.
    """
    extension = kept.extension or other.extension
    chosen = (
        kept.type in INFERRED_TYPES
        and other.type not in INFERRED_TYPES
        and (allowed_types is None or other.type in allowed_types)
    )
    phone_type = other.type if chosen else kept.type
    if (extension, phone_type) == (kept.extension, kept.type):
        return kept
    return attrs.evolve(kept, extension=extension, type=phone_type)


def details_not_kept(kept: Phone, other: Phone, /) -> bool:
    """Whether ``other`` (same line) says what ``kept`` does not carry: an extension, a chosen type."""
    lost_extension = other.extension is not None and other.extension != kept.extension
    lost_type = other.type not in INFERRED_TYPES and other.type is not kept.type
    return lost_extension or lost_type


def union_phones(
    first: Iterable[Phone],
    second: Iterable[Phone],
    /,
    *,
    allowed_types: Collection[PhoneType] | None = None,
) -> tuple[tuple[Phone, ...], tuple[Phone, ...]]:
    """``first`` then the lines of ``second`` it lacks, each shared line the richer phone.

    Returns the phones and the phones of ``second`` whose extension or type
    the result does not carry (:func:`details_not_kept`), for the caller to report.
    """
    phones = list(first)
    at = {p.match_key: i for i, p in enumerate(phones)}
    not_kept: list[Phone] = []
    for phone in second:
        i = at.get(phone.match_key)
        if i is None:
            at[phone.match_key] = len(phones)
            phones.append(phone)
            continue
        phones[i] = richer_phone(phones[i], phone, allowed_types=allowed_types)
        if details_not_kept(phones[i], phone):
            not_kept.append(phone)
    return tuple(phones), tuple(not_kept)
