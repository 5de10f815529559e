"""Default adapters for the small ports: clock, ids, password hashing, tax id registry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timezone

from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.ports import TaxIdStatus

__all__ = ["NoTaxIdRegistry", "ScryptPasswordHasher", "SystemClock", "UuidIds"]


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class UuidIds:
    """Random UUID4 ids as 32 hex characters (sortable text, portable to every database)."""

    def new_id(self) -> str:
        return uuid.uuid4().hex


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
