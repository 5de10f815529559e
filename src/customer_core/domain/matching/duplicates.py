"""Finding customers that are probably the same person or company.

Two kinds of result, each with the evidence that produced it:

- **exact clusters** (:func:`exact_clusters`): records that share a key the
  unique index could not enforce: one phone line held as a WhatsApp id by one
  record and as a phone (or another WhatsApp id) by another record of the same
  kind, companies sharing a CNPJ root (branches); the identity service adds
  the pairs an inbound message tied together;
- **scored suggestions** (:func:`suggest_duplicates`): near duplicates found by
  blocking and scored from weighted, explained evidence.

How a suggestion is made:

1. Each customer is reduced to a compact :class:`MatchRecord`: the words of
   its name and their Portuguese phonetic keys
   (:mod:`~customer_core.domain.matching.phonetic`), phone lines, e-mail keys,
   CEPs, the tax id. Only these are kept, never the customers, so memory grows
   with the blocking index and ``customers`` may be a generator that reads the
   tenant page by page.
2. **Blocking** (:func:`blocking_keys`): two records are compared only when
   they share a key: the last 8 digits of a phone line (a wrong area code or a
   missing ninth digit still block together), a CEP, an e-mail local part (the
   whole address for a role mailbox such as ``contato@``), a
   company e-mail domain with the sound of a name word, the CPF or CNPJ root,
   or the sounds of two words of the name in any order. A block larger than
   ``max_block`` is sorted by name sound and compared within a sliding
   ``window``, so the cost grows about linearly with the tenant.
3. **Rules**: different tax ids (two CPFs, a CPF and a CNPJ, two CNPJs) are
   never suggested (branches are a group instead). A similar name is
   required, unless the tax id is the same (or two company names are tied
   by an address, ``trade_name``). A similar name alone is never enough:
   contact evidence, or a rare name, must add at least
   ``min_corroboration``. What
   the conflicting-evidence rule
   (:func:`~customer_core.domain.matching.evidence.conflicting_evidence`)
   keeps apart is never suggested, however high it scores: a person and a
   company, a *Júnior* on one side only, names that are not
   :func:`~customer_core.domain.matching.names.names_compatible` (only the
   same CPF or CNPJ on both is shown anyway, an exclusive key held twice;
   and a company's legal and trade names tied by an address). A record
   typed as a person that is a company's (:func:`.company_ties.typed_as_person`)
   is read as the company.
4. **Score**: the sum of the weights, clipped to 0..1. Every piece of evidence
   is listed with what it added (:class:`MatchingPolicy` holds the weights):

   ======================  ======  ============================================
   evidence                weight  what matched
   ======================  ======  ============================================
   ``name``                ≤ 0.6   0.6 × similarity (:func:`name_similarity`),
                                   when at least 0.75
   ``tax_id``              1.0     the same CPF or CNPJ
   ``mobile``              0.4     the same mobile or WhatsApp line (0.1 for a
                                   person and a company: the owner's line)
   ``email``               0.5     the same address, or a mistyped domain
                                   (``gmial.com``)
   ``rare_name``           ≤ 0.3   a full name with few namesakes expected in
                                   the pair's town (:mod:`.rare_names`)
   ``trade_name``          0.5     two company names sharing no word, one
                                   spelled in an address the other's record
                                   holds (:mod:`.company_ties`), with a
                                   shared phone line or e-mail
   ``email_local_part``    0.3     the same local part at another provider;
                                   0 if it is just the name (``joao.silva``)
   ``phone_suffix``        0.2     the last 8 digits, another area code
   ``phone_typo``          0.2     mobiles of one area code one digit apart
                                   (a digit mistyped or two swapped)
   ``landline``            0.1     the same landline (households share it)
   ``cep``                 0.1     the same CEP (households share it)
   ``email_typo``          0.1     local parts one letter apart, one domain
   ``email_domain``        0.05    the same company domain
   ``generation_differs``  −0.6    *Júnior*, *Filho*, *Neto* or *Sobrinho* on
                                   one name only, or different ones
   ``kind_differs``        −0.4    a person and a company
   ``read_as_company``     0       a record typed as a person read as the
                                   company it names
                                   (:func:`.company_ties.typed_as_person`)
   ======================  ======  ============================================

   A phone line or e-mail held by more than ``max_key_holders`` records (a
   seller's own phone typed on every customer), or a CEP held by more than
   ``max_cep_holders`` (a small town's single CEP), weighs nothing, and the
   evidence says so.

The parts live beside this module, which re-exports them: the records, the
policy and the results in :mod:`~customer_core.domain.matching.records`, the
name comparison in :mod:`~customer_core.domain.matching.names`, the exact
clusters in :mod:`~customer_core.domain.matching.clusters`; blocking and
scoring are here.

Names are compared without accents, case, word order, particles (*da*, *de*,
*dos*...) or company legal forms (*Ltda*, *ME*, *EIRELI*, *S/A*, *SA*, *EPP*,
*MEI*); abbreviated and dropped middle names, spellings that sound alike
(*Souza*/*Sousa*) and one typo (rapidfuzz's OSA distance) are accepted, the
masculine and feminine forms of a name (*Paulo*/*Paula*) are not.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Phone, Email
>>> now = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> a = Customer.create(id="a", tenant_id="t", name="João da Silva", now=now,
...                     emails=(Email.parse("joao.silva@gmail.com"),))
>>> b = Customer.create(id="b", tenant_id="t", name="Joao Silva", now=now,
...                     emails=(Email.parse("joao.silva@hotmail.com"),))
>>> suggest_duplicates([a, b])  # every João Silva is joao.silva somewhere
[]
>>> c = Customer.create(id="c", tenant_id="t", name="João Silva", now=now,
...                     emails=(Email.parse("joao.silva@gmail.com"),))
>>> for e in suggest_duplicates([a, b, c])[0].evidence:
...     print(f"{e.kind:<6} {e.weight:+.2f} {e.match_weight:5.1f} bits  {e.detail}")
name   +0.60  13.3 bits  100% similar
email  +0.50   9.0 bits  joao.silva@gmail.com
"""

from __future__ import annotations

import functools
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations

from customer_core.domain.matching.clusters import ClusterKeys, exact_clusters
from customer_core.domain.matching.company_ties import (
    company_tie,
    person_word_keys,
    typed_as_person,
)
from customer_core.domain.matching.contact_evidence import (
    _common_name_key,
    _contact_evidence,
    _email_typo,
    _mailbox,
    _mobile_typo,
    _useful_local_part,
)
from customer_core.domain.matching.evidence import Conflict, conflicting_evidence
from customer_core.domain.matching.names import _best_name, name_keys_compatible, name_similarity
from customer_core.domain.matching.pair_filter import typo_keys
from customer_core.domain.matching.rare_names import (
    RECORDS,
    father_or_son,
    frequencies,
    key_bits,
    lone_name_shares,
    may_be_rare,
    namesake_keys,
    namesakes_bound,
    own_mobiles,
    rare_name_evidence,
    rare_possible,
    share_bound,
)
from customer_core.domain.matching.rarity import (
    NAME_M,
    city_area_codes,
    given_name_keys,
    match_bits,
    name_orderings,
    town_pairs,
    with_area_codes,
)
from customer_core.domain.matching.records import (
    _FREE_MAIL,
    DEFAULT_POLICY,
    Cluster,
    Evidence,
    MatchingPolicy,
    MatchRecord,
    NameKey,
    Suggestion,
    _records,
)
from customer_core.domain.matching.shared_keys import SeenTwice
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.tax_id import Cnpj, cnpj_root

__all__ = [
    "DEFAULT_POLICY",
    "Cluster",
    "ClusterKeys",
    "Evidence",
    "MatchRecord",
    "MatchingPolicy",
    "NameKey",
    "Suggestion",
    "blocking_keys",
    "exact_clusters",
    "key_holders",
    "name_similarity",
    "score_pair",
    "suggest_duplicates",
]

# -- blocking -----------------------------------------------------------------


def blocking_keys(record: MatchRecord, /) -> set[str]:
    """The blocks ``record`` goes in; records are compared only within a block.

    >>> from datetime import datetime, timezone
    >>> from customer_core import Customer, Phone
    >>> c = Customer.create(id="1", tenant_id="t", name="Luíz de Souza Filho",
    ...                     now=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...                     phones=(Phone.parse("11 98765-4321"),))
    >>> sorted(blocking_keys(MatchRecord.of(c)))
    ['name:luis:susa', 'phone:87654321']
    """
    keys = {f"phone:{line[-8:]}" for line in record.lines}
    keys |= {f"cep:{cep}" for cep in record.ceps}
    if record.tax_id is not None:
        kind, _, digits = record.tax_id.partition(":")
        keys.add(f"tax:{cnpj_root(digits) if kind == Cnpj.kind else digits}")
    sounds: set[str] = set()
    for name in record.names:
        heard = sorted(
            {s for w, s in zip(name.words, name.sounds, strict=True) if len(w) > 1 and s}
        )
        sounds.update(heard)
        if len(heard) == 1:
            keys.add(f"name:{heard[0]}")
        keys |= {f"name:{x}:{y}" for x, y in combinations(heard, 2)}
    for email in record.emails:
        local, _, domain = email.rpartition("@")
        if _useful_local_part(local):
            keys.add(f"email:{local}")
        else:  # contato@, vendas@: the whole address (a company's two names may share it)
            keys.add(f"address:{email}")
        if domain not in _FREE_MAIL:
            keys |= {f"domain:{domain}:{s}" for s in sounds}
    return keys


def _sort_key(record: MatchRecord) -> tuple[str, str]:
    return " ".join(sorted(record.names[0].sounds)), record.id


def _candidate_partners(
    records: list[MatchRecord],
    blocks: Mapping[str, list[int]],
    policy: MatchingPolicy,
    wanted: Sequence[bool],
) -> Iterator[tuple[int, set[int]]]:
    """Each ``wanted`` record's candidate partners after it, as indices ``i < j`` into
    ``records`` (sorted by id): each candidate pair comes once.

    The partners are gathered record by record, deduplicated among
    themselves: no set of every pair of the tenant (some fifteen a record) is
    kept. An unwanted record is still a partner of the others; its own
    partners are not gathered.
    """
    n = len(records)
    small: list[list[list[int]] | None] = [None] * n
    large: list[list[tuple[list[int], int]] | None] = [None] * n
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= policy.max_block:
            for i in members:
                if wanted[i]:
                    found = small[i]
                    if found is None:  # most records are in no small block: no list
                        small[i] = found = []
                    found.append(members)
        elif any(wanted[i] for i in members):
            ordered = sorted(members, key=lambda i: _sort_key(records[i]))
            for position, i in enumerate(ordered):
                if wanted[i]:
                    place = large[i]
                    if place is None:
                        large[i] = place = []
                    place.append((ordered, position))
    named = (i for i, r in enumerate(records) if not r.company and len(r.names[0].words) > 1)
    sortings = [(ordered, _positions(ordered, n)) for ordered in name_orderings(records, named)]
    for i in range(n):
        if not wanted[i]:
            continue
        partners: set[int] = set()
        for members in small[i] or ():  # appended in index order: sorted
            partners.update(members[bisect_right(members, i) :])
        for ordered, position in large[i] or ():
            partners.update(_around(ordered, position, policy.window))
        for ordered, positions in sortings:
            if positions[i] >= 0:
                partners.update(_around(ordered, positions[i], policy.neighbours))
        small[i] = large[i] = None
        partners = {j for j in partners if j > i}
        if partners:
            yield i, partners


def _positions(ordered: list[int], n: int) -> array[int]:
    """Where each of ``n`` indices is in ``ordered`` (-1: absent); 8 bytes an index."""
    positions = array("q", [-1]) * n
    for position, i in enumerate(ordered):
        positions[i] = position
    return positions


def _around(ordered: list[int], position: int, window: int) -> list[int]:
    """The ``window`` neighbours on either side of ``position`` (and itself)."""
    return ordered[max(0, position - window) : position + window + 1]


# -- scoring ------------------------------------------------------------------


def score_pair(
    a: Customer | MatchRecord,
    b: Customer | MatchRecord,
    /,
    *,
    policy: MatchingPolicy = DEFAULT_POLICY,
    holders: Mapping[str, int] | None = None,
) -> Suggestion | None:
    """The pair's score and evidence, or ``None`` when the rules rule it out.

    ``holders`` (:func:`key_holders` of the tenant) discounts keys held by
    too many records, and e-mail local parts made of a name many records
    carry; without it, every key counts as rare. The score does not depend on the order of ``a`` and
    ``b``.
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


def _holder_keys(record: MatchRecord) -> set[str]:
    keys = {f"line:{line}" for line in record.lines}
    keys |= {f"suffix:{line[-8:]}" for line in record.mobiles}
    keys |= {f"email:{email}" for email in record.emails}
    keys |= {f"local:{email.rpartition('@')[0]}" for email in record.emails}
    keys |= {f"cep:{cep}" for cep in record.ceps}
    keys |= {k for name in record.names[:1] if (k := _common_name_key(name)) is not None}
    keys |= {f"word:{w}" for name in record.names for w in name.words if len(w) > 1}
    keys |= given_name_keys(record)
    keys |= {f"area:{area}" for area in record.areas}
    keys |= town_pairs(record)
    keys |= person_word_keys(record)
    keys.add(RECORDS)
    return keys


def _contact_keys(record: MatchRecord) -> frozenset[str]:
    """Every key whose match is contact evidence: lines (last 8 digits), local parts, CEPs..."""
    keys = {f"p{line[-8:]}" for line in record.lines}
    keys |= {f"l{email.rpartition('@')[0]}" for email in record.emails}
    keys |= {f"c{cep}" for cep in record.ceps}
    if record.tax_id is not None:
        keys.add(f"t{record.tax_id}")
    return frozenset(keys)


def _typo_possible(a: MatchRecord, b: MatchRecord) -> bool:
    """An e-mail or mobile typo between the pair (what the typo keys let through)."""
    a_mail = dict(_mailbox(e) for e in a.emails)
    b_mail = dict(_mailbox(e) for e in b.emails)
    return _email_typo(a_mail, b_mail) is not None or _mobile_typo(a.mobiles, b.mobiles) is not None


def key_holders(records: Iterable[MatchRecord], /) -> Counter[str]:
    """How many records hold each phone line, e-mail, local part, CEP, name and name word.

    :func:`suggest_duplicates` counts these itself; pass them to
    :func:`score_pair` when scoring pairs one at a time.
    """
    holders: Counter[str] = Counter()
    for record in records:
        holders.update(_holder_keys(record))
        holders.update(namesake_keys(record))
    return holders


#: Counts (:func:`key_holders`) in which a key held by one record reads as held by none:
#: a line, an e-mail, a local part or a CEP is discounted only when more than
#: ``max_key_holders`` (``max_cep_holders``) records hold it, and :func:`key_bits`
#: counts a shared key held once or not at all alike (as held by the pair).
_ONCE_IS_NONE = ("line:", "suffix:", "email:", "local:", "cep:")
#: Keys a record adds to the tenant index, about (blocks, counts, contact keys).
_KEYS_PER_RECORD = 16
#: Families of :class:`SeenTwice` keys: a blocking key, a count, a filter key.
_BLOCK, _COUNTED, _FILTER = 0, 1, 2


def _tenant_index(
    records: list[MatchRecord],
) -> tuple[dict[str, list[int]], Counter[str], SeenTwice]:
    """The blocks of two records or more, the tenant's counts, and which keys may be shared.

    Most blocking keys and counted lines, e-mails and CEPs are one record's
    own: a first pass marks the keys that may be shared (:class:`SeenTwice`),
    and the second keeps only those, so that the keys held once are never
    all in memory together (about a gigabyte for a million records). The
    counts are those of :func:`key_holders`, less keys of :data:`_ONCE_IS_NONE`
    held by one record.
    """
    shared = SeenTwice(len(records) * _KEYS_PER_RECORD)
    add = shared.add
    for record in records:
        add(blocking_keys(record), _BLOCK)
        add(_holder_keys(record), _COUNTED)  # the words and towns too: a few, many times
        add(_contact_keys(record), _FILTER)
    blocks: dict[str, list[int]] = defaultdict(list)
    holders: Counter[str] = Counter()
    kept = shared.kept
    for index, record in enumerate(records):
        for key in kept(blocking_keys(record), _BLOCK):
            blocks[key].append(index)
        holders.update(kept(_holder_keys(record), _COUNTED, only=_ONCE_IS_NONE))
    # A key that only looked shared (another key took its bit) has one member: dropped.
    return {key: members for key, members in blocks.items() if len(members) > 1}, holders, shared


_NO_KEYS: frozenset[Hashable] = frozenset()


def _only_shared(keys: Iterable[Hashable], shared: SeenTwice) -> frozenset[Hashable]:
    """The keys another record may hold too (most records: none, one shared empty set)."""
    return frozenset(shared.kept(keys, _FILTER)) or _NO_KEYS


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
        return False  # a legal name and a trade name, tied by an address
    return conflict is not None


def suggest_duplicates(
    customers: Iterable[Customer | MatchRecord],
    /,
    *,
    threshold: float = 0.6,
    policy: MatchingPolicy = DEFAULT_POLICY,
) -> list[Suggestion]:
    """Pairs scoring at least ``threshold``, best first; each says why.

    ``customers`` is read once and may be a generator; only a
    :class:`MatchRecord` of each is kept. The result does not depend on the
    order of ``customers``.
    """
    records = sorted(_records(customers), key=lambda r: r.id)
    blocks, holders, shared = _tenant_index(records)
    codes = city_area_codes(holders)
    records = [with_area_codes(r, codes) for r in records]
    freq = frequencies(holders, policy)
    bound = namesakes_bound(policy, len(records))

    @functools.cache  # a tenant's names repeat: each is weighed once
    def rare_name(name: NameKey) -> bool:
        return freq is None or freq.own_share(name) * policy.min_town_records < bound

    for record in records:  # by town, so after the towns' area codes
        holders.update(namesake_keys(record, rare_name))
    # A pair sharing none of these keys can only be corroborated by an e-mail typo or a
    # rare name (unless the policy lets a company domain alone corroborate): skip it cheaply.
    # A contact key no other record holds decides nothing: only the shared ones are kept.
    contact = [_only_shared(_contact_keys(r), shared) for r in records]
    # Typo keys are coarse (an area code and half a number): nearly all are shared. Kept
    # as 8 bytes a key (a set of a record's four keys took 300 bytes more).
    typos = [array("q", typo_keys(r.emails, r.mobiles)) for r in records]
    lone = lone_name_shares(records, holders, policy)
    rare = [share * policy.min_town_records < bound for share in lone]
    quick = policy.min_corroboration > max(0.0, policy.email_domain)
    # A record with no shared contact or typo key, whose name is not rare, can only be
    # corroborated by its partner's rare name: only its rare partners are compared.
    plain = [quick and not (c or t or r) for c, t, r in zip(contact, typos, rare, strict=True)]
    rare_ones = {i for i, r in enumerate(rare) if r}
    wanted = [not p or bool(rare_ones) for p in plain]
    # A pair's name is as rare as its shorter name's words (share_bound): when that
    # record's own name is not rare, rare_possible would say no; asked here, inline.
    size = [len(r.names[0].words) for r in records]
    suggestions = []
    for i, partners in _candidate_partners(records, blocks, policy, wanted):
        typos_i = frozenset(typos[i])
        for j in rare_ones.intersection(partners) if plain[i] else partners:
            if (
                quick
                and contact[i].isdisjoint(contact[j])
                and not (
                    (
                        rare[i]
                        if size[i] < size[j]
                        else rare[j]
                        if size[j] < size[i]
                        else rare[i] or rare[j]
                    )
                    and rare_possible(
                        records[i], records[j], share_bound(i, j, records, lone), holders, policy
                    )
                )
                and (typos_i.isdisjoint(typos[j]) or not _typo_possible(records[i], records[j]))
            ):
                continue
            suggestion = score_pair(records[i], records[j], policy=policy, holders=holders)
            if (
                suggestion is not None
                and suggestion.score >= threshold
                and not _kept_apart(records[i], records[j], holders)
            ):
                suggestions.append(suggestion)
    return sorted(suggestions, key=lambda s: (-s.score, s.ids))
