"""Exact clusters: records sharing a phone line across fields, or a CNPJ root.

A shared line clusters only holders the conflicting-evidence rule
(:func:`~customer_core.domain.matching.evidence.conflicting_evidence`) does
not keep apart: a mother's WhatsApp on her daughter's record, a father and
his *Júnior* son, are not one customer however exact the line is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import attrs

from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.records import Cluster, Evidence, MatchRecord
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.values.tax_id import Cnpj, cnpj_root

__all__ = ["ClusterKeys", "exact_clusters"]


@attrs.frozen
class ClusterKeys:
    """What :func:`exact_clusters` needs of a customer: phone lines, CNPJ root, its record.

    Storage adapters build it from their identity index (phone keys, the
    lines of WhatsApp ids, tax ids) without loading whole customers; keys a
    record holds alone may be left out, since only shared keys make clusters.
    The customers that share a line are loaded, and their ``record`` given,
    so that the conflicting-evidence rule can split the holders of a line.
    """

    id: str
    company: bool
    #: Phone lines (match keys), the lines of its WhatsApp ids included.
    lines: tuple[str, ...] = ()
    #: The lines held as WhatsApp ids.
    whatsapp: tuple[str, ...] = ()
    #: The root of its CNPJ (:func:`~customer_core.domain.values.tax_id.cnpj_root`).
    cnpj_root: str | None = None
    #: Its match record (names, kind, tax id); ``None``: unknown, no evidence against.
    record: MatchRecord | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, each: Customer | MatchRecord, /) -> ClusterKeys:
        """The keys of a customer or of its match record."""
        if isinstance(each, MatchRecord):
            kind, _, digits = (each.tax_id or "").partition(":")
            root = cnpj_root(digits) if kind == Cnpj.kind else None
            return cls(each.id, each.company, each.lines, each.whatsapp, root, each)
        whatsapp = {k for m in each.messenger_ids if (k := m.phone_key) is not None}
        lines = whatsapp | {p.match_key for p in each.phones if p.is_identity}
        root = each.tax_id.root if isinstance(each.tax_id, Cnpj) else None
        company = each.kind is CustomerKind.COMPANY
        return cls(each.id, company, tuple(sorted(lines)), tuple(sorted(whatsapp)), root)


def _compatible_groups(
    ids: Iterable[str], record_of: Callable[[str], MatchRecord | None]
) -> list[list[str]]:
    """``ids`` in groups of holders no two of which the conflicting-evidence rule keeps apart.

    In id order, each joins the first group it is compatible with, so the
    grouping does not depend on the order records were read in.
    """
    groups: list[list[tuple[str, MatchRecord | None]]] = []
    for customer_id in sorted(ids):
        record = record_of(customer_id)
        for group in groups:
            if record is None or all(
                other is None or conflicting_evidence(record, other) is None for _, other in group
            ):
                group.append((customer_id, record))
                break
        else:
            groups.append([(customer_id, record)])
    return [[customer_id for customer_id, _ in group] for group in groups]


def exact_clusters(customers: Iterable[Customer | MatchRecord | ClusterKeys], /) -> list[Cluster]:
    """Records sharing a phone line across fields (same kind), or a CNPJ root.

    A line counts when at least one record holds it as a WhatsApp id: two
    *phones* on two records cannot both be stored (the unique index), and
    outside storage a shared phone is scored evidence, not identity (a
    household's landline). A person and a company sharing a line are not a
    cluster: the line is usually the owner's. Nor are holders the
    conflicting-evidence rule keeps apart (different names, a *Júnior* on one
    side): the line's holders are split into groups that are compatible.

    Companies sharing a CNPJ root are branches of one company, different
    customers of one group: their cluster's evidence is ``same_cnpj_root``,
    which the duplicate report lists apart, as a group.
    """
    holders: dict[tuple[str, bool], set[str]] = defaultdict(set)
    as_messenger: set[tuple[str, bool]] = set()
    by_root: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, Customer | MatchRecord | ClusterKeys] = {}
    for each in customers:
        keys = each if isinstance(each, ClusterKeys) else ClusterKeys.of(each)
        sources[keys.id] = each
        for line in keys.lines:
            holders[line, keys.company].add(keys.id)
        for line in keys.whatsapp:
            as_messenger.add((line, keys.company))
        if keys.cnpj_root is not None:
            by_root[keys.cnpj_root].add(keys.id)
    records: dict[str, MatchRecord | None] = {}

    def record_of(customer_id: str) -> MatchRecord | None:
        # Built only for the few records that share a line.
        if customer_id not in records:
            source = sources[customer_id]
            records[customer_id] = (
                source.record
                if isinstance(source, ClusterKeys)
                else source
                if isinstance(source, MatchRecord)
                else MatchRecord.of(source)
            )
        return records[customer_id]

    clusters = [
        Cluster(tuple(group), (Evidence("same_phone_line", f"+{line}", 1.0),))
        for (line, company), ids in holders.items()
        if len(ids) > 1 and (line, company) in as_messenger
        for group in _compatible_groups(ids, record_of)
        if len(group) > 1
    ]
    clusters += [
        Cluster(tuple(sorted(ids)), (Evidence("same_cnpj_root", root, 1.0),))
        for root, ids in by_root.items()
        if len(ids) > 1
    ]
    return sorted(clusters, key=lambda c: (c.ids, c.evidence[0].detail))
