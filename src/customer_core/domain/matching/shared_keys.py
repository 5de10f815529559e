"""Which keys more than one record may hold, without keeping every key of a tenant.

Most keys the duplicate report derives from a record (its phone line, its
e-mail, its CEP) are held by that record alone, and a key held once never
makes a pair: it joins no block, is no shared evidence, passes no filter.
Keeping every such key of a million records until the few shared ones are
known took about a gigabyte. :class:`SeenTwice` answers "could another
record hold this key too?" from two bit tables of fixed size: each key
of each record sets its bit in the first table, or in the second when the
first has it already. A key two records hold always has its second bit
set; a key held once usually has not, but may (another key's hash took the
same bit), so the answer is a **superset** of the shared keys: whatever is
kept on its word must still be checked exactly (a block of one member is
dropped, a pair sharing a key is still compared in full).

>>> seen = SeenTwice(3)
>>> seen.add({"phone:1", "cep:2"})
>>> seen.add({"phone:1", "cep:3"})
>>> seen.maybe_shared("phone:1"), seen.maybe_shared("cep:3"), seen.maybe_shared("cep:4")
(True, False, False)
>>> seen.kept(["phone:1", "cep:3", "word:ana"], only=("phone:", "cep:"))
['phone:1', 'word:ana']
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

__all__ = ["SeenTwice"]

_K = TypeVar("_K", bound=Hashable)

#: Bits per key expected, in each table: few keys held once look shared (about 1%).
_BITS_PER_KEY = 8
#: The smallest table (128 KB): a small tenant pays nothing noticeable.
_MIN_BITS = 1 << 20


class SeenTwice:
    """A conservative "held by two records or more" test over the keys :meth:`add` saw.

    ``expected_keys`` (different keys, roughly) sizes the tables; more keys
    than that only make more keys held once look shared. Each record's keys
    of a ``family`` are added once each (a set): a key repeated in one record
    looks shared. Families (small numbers) keep apart equal keys of two kinds
    that one record holds both of.
    """

    def __init__(self, expected_keys: int, /) -> None:
        bits = max(_MIN_BITS, 1 << (max(expected_keys, 1) * _BITS_PER_KEY).bit_length())
        self._mask = bits - 1
        self._seen = bytearray(bits >> 3)
        self._twice = bytearray(bits >> 3)

    def add(self, keys: Iterable[Hashable], /, family: int = 0) -> None:
        """Count the keys of one record; the same key in another ``family`` is another key."""
        seen, twice, mask = self._seen, self._twice, self._mask
        for key in keys:
            h = (hash(key) + family) & mask
            at, bit = h >> 3, 1 << (h & 7)
            if seen[at] & bit:
                twice[at] |= bit
            else:
                seen[at] |= bit

    def kept(
        self, keys: Iterable[_K], /, family: int = 0, *, only: tuple[str, ...] = ()
    ) -> list[_K]:
        """The ``keys`` that :meth:`maybe_shared` keeps; with ``only``, the text keys
        that start otherwise are kept whatever (a loop here: a call a key cost more)."""
        twice, mask = self._twice, self._mask
        found = []
        for key in keys:
            if only and not key.startswith(only):  # type: ignore[attr-defined]
                found.append(key)
                continue
            h = (hash(key) + family) & mask
            if twice[h >> 3] & (1 << (h & 7)):
                found.append(key)
        return found

    def maybe_shared(self, key: Hashable, /, family: int = 0) -> bool:
        """False when no two records hold ``key``; true when they do, and for a few others."""
        h = (hash(key) + family) & self._mask
        return bool(self._twice[h >> 3] & (1 << (h & 7)))
