"""Exact duplicate clusters read from the identity index, loading only the customers involved.

:func:`~customer_core.domain.matching.duplicates.exact_clusters` needs only
the keys that visible customers *share*: a phone line held by several (a
WhatsApp id is stored as its line), a CNPJ root held by several. Two
set-based queries on ``customer_identities`` find just those, with the
visibility scope in their ``WHERE``; the customers sharing a line are loaded
(whether they hold it as a WhatsApp id is in the record, not in the index,
and their names decide whether they can be one customer), and the domain function builds the clusters, so the rule lives in one place
for every adapter.

Rebuilding every customer from its document to extract these keys cost about
60 µs a customer (a minute for a million); the index finds the few that share.
"""

from __future__ import annotations

from typing import Any

import attrs
from sqlalchemy import Connection, Select, and_, func, select

from customer_core.adapters.sqlalchemy.mapping import LOADED, customer_from_row
from customer_core.adapters.sqlalchemy.queries import unblocked, visible
from customer_core.adapters.sqlalchemy.tables import customer_identities, customers
from customer_core.domain.matching.duplicates import ClusterKeys
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.customer import CustomerKind, IdentityKind
from customer_core.domain.rules.visibility import VisibilityScope
from customer_core.domain.values.tax_id import CNPJ_ROOT_LENGTH

__all__ = ["cluster_keys"]

#: The index keys a CPF by its 11 digits and a CNPJ by its 14 characters, the root first.
CNPJ_LENGTH = 14
_COMPANY = CustomerKind.COMPANY.value


def _sharing_a_line(scope: VisibilityScope) -> Select[Any]:
    """The visible customers holding a phone line that another visible customer holds."""
    i, c = customer_identities.c, customers.c
    held = customer_identities.join(
        customers, and_(c.tenant_id == i.tenant_id, c.id == i.customer_id)
    )
    lines = and_(
        i.tenant_id == scope.tenant_id,
        i.kind == IdentityKind.PHONE.value,
        visible(scope),
        unblocked(),
    )
    shared = (
        select(i.key)
        .select_from(held)
        .where(lines)
        .group_by(i.key)
        .having(func.count(i.customer_id) > 1)
    )
    sharing = select(i.customer_id).select_from(held).where(lines, i.key.in_(shared))
    return select(*LOADED).where(c.tenant_id == scope.tenant_id, c.id.in_(sharing))


def _shared_roots(scope: VisibilityScope) -> Select[Any]:
    """(customer, kind, root) of the visible customers whose CNPJ root another one has."""
    i, c = customer_identities.c, customers.c
    root = func.substr(i.key, 1, CNPJ_ROOT_LENGTH)
    held = customer_identities.join(
        customers, and_(c.tenant_id == i.tenant_id, c.id == i.customer_id)
    )
    cnpjs = and_(
        i.tenant_id == scope.tenant_id,
        i.kind == IdentityKind.TAX_ID.value,
        func.length(i.key) == CNPJ_LENGTH,
        visible(scope),
        unblocked(),
    )
    shared = (
        select(root)
        .select_from(held)
        .where(cnpjs)
        .group_by(root)
        .having(func.count(i.customer_id.distinct()) > 1)
    )
    return select(c.id, c.kind, root).select_from(held).where(cnpjs, root.in_(shared))


def cluster_keys(connection: Connection, scope: VisibilityScope, /) -> list[ClusterKeys]:
    """The keys of the visible customers that share a line or a CNPJ root, and only those."""
    found: dict[str, ClusterKeys] = {}
    for row in connection.execute(_sharing_a_line(scope)).mappings():
        customer = customer_from_row(row)
        found[customer.id] = attrs.evolve(ClusterKeys.of(customer), record=MatchRecord.of(customer))
    for customer_id, kind, root in connection.execute(_shared_roots(scope)):
        keys = found.get(customer_id) or ClusterKeys(customer_id, kind == _COMPANY)
        found[customer_id] = attrs.evolve(keys, cnpj_root=root)
    return list(found.values())
