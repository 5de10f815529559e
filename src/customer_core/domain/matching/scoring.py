"""Scoring a pair: the rules, the evidence and the score.

Split from :mod:`~customer_core.domain.matching.duplicates`, which documents
the rules and the evidence table and re-exports :func:`score_pair`. The
contact evidence comes from :mod:`.contact_evidence`, the rare names'
from :mod:`.rare_names`, a company's ties from :mod:`.company_ties`; this
module assembles them, applies the rules (a household's evidence a father and
his son share, a spelling strong contact excuses) and sums the score.
``_kept_apart`` is the conflicting-evidence rule as the report applies it.
"""

from __future__ import annotations

from collections.abc import Mapping

from customer_core.domain.matching.company_ties import (
    company_tie,
    establishments_apart,
    typed_as_person,
)
from customer_core.domain.matching.contact_evidence import _contact_evidence
from customer_core.domain.matching.evidence import Conflict, conflicting_evidence
from customer_core.domain.matching.names import _best_name, name_keys_compatible
from customer_core.domain.matching.rare_names import (
    father_or_son,
    frequencies,
    key_bits,
    may_be_rare,
    own_mobiles,
    rare_name_evidence,
)
from customer_core.domain.matching.rarity import NAME_M, match_bits
from customer_core.domain.matching.records import (
    DEFAULT_POLICY,
    Evidence,
    MatchingPolicy,
    MatchRecord,
    Suggestion,
)
from customer_core.domain.matching.sons_lines import suffix_by_own_line
from customer_core.domain.model.customer import Customer

__all__ = ["score_pair"]


def score_pair(
    a: Customer | MatchRecord,
    b: Customer | MatchRecord,
    /,
    *,
    policy: MatchingPolicy = DEFAULT_POLICY,
    holders: Mapping[str, int] | None = None,
) -> Suggestion | None:
    """The pair's score and evidence, or ``None`` when the rules rule it out.

    ``holders`` (:func:`~customer_core.domain.matching.duplicates.key_holders`
    of the tenant) discounts keys held by too many records, and e-mail local
    parts made of a name many records carry; without it, every key counts as
    rare. The score does not depend on the order of ``a`` and ``b``.
    """
    x = a if isinstance(a, MatchRecord) else MatchRecord.of(a)
    y = b if isinstance(b, MatchRecord) else MatchRecord.of(b)
    if x.id > y.id:
        x, y = y, x
    kinds = (x.company, y.company)
    x, y = _one_kind(x, y, holders)
    read = [r for r, was in zip((x, y), kinds, strict=True) if r.company != was]
    if x.tax_id is not None and y.tax_id is not None and x.tax_id != y.tax_id:
        return None  # two CPFs, a CPF and a CNPJ, or two establishments: never one customer
    freq = frequencies(holders, policy)
    contact = _contact_evidence(x, y, policy, holders)
    same_tax_id = any(e.kind == "tax_id" for e in contact)
    corroboration = sum(e.weight for e in contact)
    weak = not same_tax_id and corroboration < policy.min_corroboration
    if weak and (freq is None or not may_be_rare(x, y, freq, policy)):
        return None  # a similar name alone, or a company domain, is not enough
    similarity, detail, x_name, y_name = _best_name(x, y)
    son = None if same_tax_id or freq is None else freq.count
    if son is not None and suffix_by_own_line(x, y, x_name, y_name, son) is not None:
        return None  # the suffix dropped on the son's record: still father and son
    if x.company and y.company and len(x_name.words) == 1 and x_name.words == y_name.words:
        similarity, detail = 1.0, _WHOLE_NAME  # "Atlântico": one word, the company's whole name
    if freq is not None and father_or_son(x, y, x_name, y_name, freq.count):
        contact = [
            _household_only(e, _FATHERS_HOME) if e.kind in _HOUSEHOLD else e for e in contact
        ]
        corroboration = sum(e.weight for e in contact)
    elif _own_mobiles_at_one_home(x, y, contact):
        contact = [_household_only(e, _OWN_MOBILES) if e.kind in _HOUSEHOLD else e for e in contact]
        corroboration = sum(e.weight for e in contact)
    u = None if freq is None else freq.name_share(x_name, y_name)
    rare = rare_name_evidence(x, y, x_name, y_name, similarity, policy, freq, u)
    if rare is not None:
        corroboration += rare.weight
    if not same_tax_id and corroboration < policy.min_corroboration:
        return None  # a similar name alone, or a company domain, is not enough
    name_floor = policy.name_floor
    strong = same_tax_id or any(e.kind in _STRONG and e.weight > 0 for e in contact)
    if (
        similarity < name_floor
        and strong
        and similarity >= policy.weak_name_floor
        and name_keys_compatible(x_name, y_name, company=x.company and y.company)
    ):
        name_floor = policy.weak_name_floor  # a shared mobile excuses a spelling, not a name
        detail += "; a spelling the shared contact excuses"
    tie = company_tie(x, y) if similarity < name_floor and corroboration > 0 else None
    if similarity < name_floor and not same_tax_id and tie is None:
        return None  # without a similar name, shared contact data is a household or an office
    evidence: list[Evidence] = []
    if tie is not None:
        bits = key_bits("trade_name", "", holders, policy)
        evidence.append(Evidence("trade_name", tie, policy.trade_name, bits))
    if similarity >= name_floor:
        bits = None if u is None else match_bits(NAME_M, u)
        evidence.append(Evidence("name", detail, round(policy.name * similarity, 3), bits))
    if rare is not None:
        evidence.append(rare)
    evidence += contact
    both_surnamed = len(x_name.words) > 1 and len(y_name.words) > 1
    if similarity >= name_floor and both_surnamed and x_name.generation != y_name.generation:
        which = " vs ".join(g or "none" for g in (x_name.generation, y_name.generation))
        evidence.append(
            Evidence(
                "generation_differs",
                f"{which}: father and son?",
                policy.generation_differs,
                None if freq is None else _AGAINST_BITS,
            )
        )
    evidence += [
        Evidence("read_as_company", f"{' '.join(r.names[0].words)}: {_READ_AS_COMPANY}", 0.0)
        for r in read
    ]
    if x.company != y.company:
        evidence.append(
            Evidence(
                "kind_differs",
                "a person and a company",
                policy.kind_differs,
                None if freq is None else _AGAINST_BITS,
            )
        )
    score = round(min(1.0, max(0.0, sum(e.weight for e in evidence))), 3)
    return Suggestion((x.id, y.id), score, tuple(evidence))


_READ_AS_COMPANY = "no CPF, and a word of shops no person carries: read as the company"
#: Contact evidence a household shares: a father and his son share it.
_HOUSEHOLD = frozenset({"landline", "cep"})


_FATHERS_HOME = "a Júnior or Filho carries the name too: his father's home?"
_OWN_MOBILES = "each has their own mobile: two people of one home, a father and son?"
_WHOLE_NAME = "100% similar (one word, the company's whole name)"


def _household_only(evidence: Evidence, why: str) -> Evidence:
    detail = f"{evidence.detail} ({why})"
    return Evidence(evidence.kind, detail, 0.0, evidence.match_weight)


def _own_mobiles_at_one_home(x: MatchRecord, y: MatchRecord, contact: list[Evidence]) -> bool:
    """Two persons whose only tie is a home (CEP, landline), each with a mobile of their own.

    A father and his son named alike (the son's *Júnior* left out) share the
    landline and the CEP and keep their own mobiles; one person's records
    share the mobile far more often than they change it. The home then says
    nothing; a rare name, a shared e-mail or the like still speaks.
    """
    if x.company or y.company or not own_mobiles(x, y):
        return False
    at_home = [e for e in contact if e.weight > 0]
    return bool(at_home) and all(e.kind in _HOUSEHOLD for e in at_home)


#: Contact evidence strong enough to excuse a weaker spelling of a compatible name.
_STRONG = frozenset({"tax_id", "mobile", "email"})
#: A Júnior against his father, a person against a company: assumed 1 in 16 duplicates.
_AGAINST_BITS = -4.0


def _one_kind(
    a: MatchRecord, b: MatchRecord, holders: Mapping[str, int] | None
) -> tuple[MatchRecord, MatchRecord]:
    """``a`` and ``b``, a person record read as a company's when it is the company typed as one."""
    if holders is None or a.company == b.company:
        return a, b

    def count(key: str) -> int:
        return holders.get(key, 0)

    if a.company:
        return a, typed_as_person(b, a, count) or b
    return typed_as_person(a, b, count) or a, b


def _kept_apart(a: MatchRecord, b: MatchRecord, holders: Mapping[str, int] | None = None) -> bool:
    """Whether the conflicting-evidence rule says ``a`` and ``b`` are different customers.

    One CPF or CNPJ on two records is the exception: an exclusive key held
    twice is a mistake a person must see, whatever the names say. A company
    typed as a person (:func:`.company_ties.typed_as_person`) is read as
    the company.
    """
    if a.tax_id is not None and a.tax_id == b.tax_id:
        return False
    a, b = _one_kind(a, b, holders)
    conflict = conflicting_evidence(a, b)
    if conflict is Conflict.NAMES and company_tie(a, b) is not None:
        return _establishments(a, b)  # a legal and a trade name, unless in two area codes
    return conflict is not None or (a.company and b.company and _establishments(a, b))


def _establishments(a: MatchRecord, b: MatchRecord) -> bool:
    """Two companies whose phone lines are all in different area codes: a firm's
    establishments (:func:`.company_ties.establishments_apart`, the import's rule;
    a record here knows its area codes, not its state)."""
    return establishments_apart(_area_codes(a), (), _area_codes(b), ())


def _area_codes(record: MatchRecord) -> set[str]:
    return {area[4:] for area in record.areas if area.startswith("ddd:")}
