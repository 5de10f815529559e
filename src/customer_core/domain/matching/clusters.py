"""Exact clusters: records sharing a phone line across fields, or a CNPJ root."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import attrs

from customer_core.domain.matching.records import Cluster, Evidence, MatchRecord
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.values.tax_id import Cnpj, cnpj_root

__all__ = ["ClusterKeys", "exact_clusters"]


@attrs.frozen
class ClusterKeys:
    """What :func:`exact_clusters` needs of a customer: phone lines and CNPJ root, no names.

    Storage adapters build it from their identity index (phone keys, the
    lines of WhatsApp ids, tax ids) without loading whole customers; keys a
    record holds alone may be left out, since only shared keys make clusters.
    """

    id: str
    company: bool
    #: Phone lines (match keys), the lines of its WhatsApp ids included.
    lines: tuple[str, ...] = ()
    #: The lines held as WhatsApp ids.
    whatsapp: tuple[str, ...] = ()
    #: The root of its CNPJ (:func:`~customer_core.domain.values.tax_id.cnpj_root`).
    cnpj_root: str | None = None

    @classmethod
    def of(cls, each: Customer | MatchRecord, /) -> ClusterKeys:
        """The keys of a customer or of its match record."""
        if isinstance(each, MatchRecord):
            kind, _, digits = (each.tax_id or "").partition(":")
            root = cnpj_root(digits) if kind == Cnpj.kind else None
            return cls(each.id, each.company, each.lines, each.whatsapp, root)
        whatsapp = {k for m in each.messenger_ids if (k := m.phone_key) is not None}
        lines = whatsapp | {p.match_key for p in each.phones if p.is_identity}
        root = each.tax_id.root if isinstance(each.tax_id, Cnpj) else None
        company = each.kind is CustomerKind.COMPANY
        return cls(each.id, company, tuple(sorted(lines)), tuple(sorted(whatsapp)), root)


def exact_clusters(customers: Iterable[Customer | MatchRecord | ClusterKeys], /) -> list[Cluster]:
    """Records sharing a phone line across fields (same kind), or a CNPJ root.

    A line counts when at least one record holds it as a WhatsApp id: two
    *phones* on two records cannot both be stored (the unique index), and
    outside storage a shared phone is scored evidence, not identity (a
    household's landline). A person and a company sharing a line are not a
    cluster: the line is usually the owner's.
    """
    holders: dict[tuple[str, bool], set[str]] = defaultdict(set)
    as_messenger: set[tuple[str, bool]] = set()
    by_root: dict[str, set[str]] = defaultdict(set)
    for each in customers:
        keys = each if isinstance(each, ClusterKeys) else ClusterKeys.of(each)
        for line in keys.lines:
            holders[line, keys.company].add(keys.id)
        for line in keys.whatsapp:
            as_messenger.add((line, keys.company))
        if keys.cnpj_root is not None:
            by_root[keys.cnpj_root].add(keys.id)
    clusters = [
        Cluster(tuple(sorted(ids)), (Evidence("same_phone_line", f"+{line}", 1.0),))
        for (line, company), ids in holders.items()
        if len(ids) > 1 and (line, company) in as_messenger
    ]
    clusters += [
        Cluster(tuple(sorted(ids)), (Evidence("same_cnpj_root", root, 1.0),))
        for root, ids in by_root.items()
        if len(ids) > 1
    ]
    return sorted(clusters, key=lambda c: (c.ids, c.evidence[0].detail))
