"""Rows of one customer in a file: grouped within a batch, merged across batches."""

from __future__ import annotations

import attrs

from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.model.customer import Customer, IdentityKey
from customer_core.errors import Code
from customer_core.io.rows import Draft, RowError

__all__ = ["group_rows", "later_row"]


def _clash(a: Draft, b: Draft) -> bool:
    """Whether two rows name different CPF/CNPJs or external ids: they cannot be one customer."""
    return (a.tax_id is not None and b.tax_id is not None and a.tax_id != b.tax_id) or (
        a.external_id is not None and b.external_id is not None and a.external_id != b.external_id
    )


def group_rows(drafts: list[Draft]) -> tuple[list[tuple[Draft, set[IdentityKey]]], list[RowError]]:
    """Union rows of one customer (in-file duplicates become one customer).

    Rows are one customer through an exclusive key (CPF/CNPJ, external id), or
    through a shareable key (a phone line, an e-mail) when the
    conflicting-evidence rule allows it (:mod:`customer_core.domain.matching.evidence`):
    a household's landline or an owner's mobile on their company's row leaves
    two customers that share the key. Each group comes with its identity keys,
    computed once: the writes below look them up several times. A row that
    would join groups with another CPF/CNPJ (or external id) than its own, or
    join two such groups, is reported and left out: which one is right is the
    user's call.
    """
    holders: dict[IdentityKey, list[int]] = {}
    merged: dict[int, tuple[Draft, set[IdentityKey]]] = {}
    rejected: list[RowError] = []
    for gid_new, draft in enumerate(drafts):
        keys = draft.identity_keys()
        record = draft.match_record()
        hits = sorted(
            {
                gid
                for key in keys
                for gid in holders.get(key, ())
                if gid in merged
                and (
                    not key.kind.shareable
                    or conflicting_evidence(record, merged[gid][0].match_record()) is None
                )
            }
        )
        members = [draft, *(merged[h][0] for h in hits)]
        if any(_clash(a, b) for n, a in enumerate(members) for b in members[n + 1 :]):
            lines = sorted({line for h in hits for line in merged[h][0].lines})
            rejected += [
                RowError(
                    line,
                    "tax_id",
                    Code.DUPLICATE_IDENTITY,
                    f"the row's identifiers tie it to line(s) {', '.join(map(str, lines))},"
                    " but their CPF/CNPJs or external ids differ",
                )
                for line in draft.lines
            ]
            continue
        if not hits:
            gid = gid_new
            merged[gid] = (draft, keys)
        else:
            gid = hits[0]
            combined = merged[gid][0]
            for other in hits[1:]:
                combined = combined.absorb(merged.pop(other)[0])
            combined = combined.absorb(draft)
            keys = combined.identity_keys()  # nothing clashed: every member's keys are here
            merged[gid] = (combined, keys)
        for key in keys:
            groups = holders.setdefault(key, [])
            if gid not in groups:
                groups.append(gid)
    return list(merged.values()), rejected


def later_row(created: Customer, draft: Draft) -> Draft:
    """A row of a customer an earlier batch of the same file created, merged as
    rows of one batch are (:meth:`Draft.absorb`): identifiers are added, the
    other fields only fill what the earlier rows left empty. Otherwise the
    result would depend on where the batches happen to split the file."""
    return attrs.evolve(
        draft,
        name=created.name,
        tax_id=created.tax_id or draft.tax_id,
        note=created.note or draft.note,
        address=None if created.addresses else draft.address,
    )
