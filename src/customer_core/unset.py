"""``UNSET``: "leave this field as it is", where ``None`` means "clear it".

A partial update such as
:meth:`CustomerService.update <customer_core.services.CustomerService.update>`
takes every field it can change as a keyword-only parameter whose default is
:data:`UNSET`: a field left out (or given as ``UNSET``) keeps its value, a
field given as ``None`` is cleared. ``UNSET`` is the only member of the enum
:class:`Unset`, so a type checker tells it apart from every real value
(``str | None | Unset``, narrowed by ``value is UNSET``).

>>> from customer_core import UNSET
>>> UNSET
UNSET
>>> bool(UNSET)
False
"""

from __future__ import annotations

import enum
from typing import Final, Literal

__all__ = ["UNSET", "Unset"]


class Unset(enum.Enum):
    """The type of :data:`UNSET`; it has that one member."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


#: A field left out of a partial update (not ``None``, which clears it).
UNSET: Final = Unset.UNSET
