"""Portfolios (*carteiras*): named groups of customers served by their member agents."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["Portfolio"]


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen(kw_only=True)
class Portfolio:
    """A *carteira*: a named group of customers served by its member agents."""

    id: str
    tenant_id: str
    name: str
    description: str | None = None
    member_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    owner_id: str | None = None

    @property
    def team(self) -> frozenset[str]:
        """Its members and its owner: the users who see its customers through it."""
        owner = frozenset() if self.owner_id is None else frozenset({self.owner_id})
        return self.member_ids | owner
