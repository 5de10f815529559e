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
   or the sounds of two words of the name in any order; a person's also
   meets those a typo separates (:func:`~.blocking.typo_blocking_keys`:
   the sound of one end of the name with half of the other end, or with
   half of a mobile). A block larger than ``max_block`` is sorted by name
   sound and compared within a sliding ``window`` (a typo block that large
   is not compared at all), so the cost grows about linearly with the tenant.
3. **Rules**: different tax ids (two CPFs, a CPF and a CNPJ, two CNPJs) are
   never suggested (branches are a group instead). A similar name is
   required, unless the tax id is the same (or two company names are tied
   by an address, ``trade_name``). A similar name alone is never enough:
   contact evidence, or a rare name, must add at least
   ``min_corroboration``. What
   the conflicting-evidence rule
   (:func:`~customer_core.domain.matching.evidence.conflicting_evidence`)
   keeps apart is never suggested, however high it scores: a person and a
   company, a *Júnior* on one side only (also one read from the son's own
   mobile or e-mail, :mod:`.sons_lines`), names that are not
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
                                   (``gmial.com``), or one Gmail mailbox
                                   typed with other dots (not just a name)
   ``rare_name``           ≤ 0.3   a full name with few namesakes expected in
                                   the pair's town (:mod:`.rare_names`); 0.1
                                   for an uncommon one spelled alike, unless
                                   each holds a mobile of its own
                                   (:mod:`.namesakes`)
   ``trade_name``          0.5     two company names sharing no word, one
                                   spelled in an address the other's record
                                   holds (:mod:`.company_ties`), with a
                                   shared phone line or e-mail; or an MEI's
                                   legal name (its owner's) and a trade name
                                   after the owner's given name sharing one
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
clusters in :mod:`~customer_core.domain.matching.clusters`, blocking and
the tenant index in :mod:`~customer_core.domain.matching.blocking`, scoring a
pair in :mod:`~customer_core.domain.matching.scoring`; the report's pipeline
(:func:`suggest_duplicates`) is here.

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
from collections.abc import Iterable

# Blocking and the tenant index live in .blocking, scoring a pair in .scoring:
# this module keeps the report's pipeline and re-exports their names, the
# private ones too ("as": tests import them from here), so that
# customer_core.domain.matching.duplicates.X keeps working and the reference
# (docs/api.rst, :imported-members:) documents them at this path. The report's
# loop calls them by the names bound here, as before: no attribute lookup.
from customer_core.domain.matching.blocking import _BLOCK as _BLOCK
from customer_core.domain.matching.blocking import _COUNTED as _COUNTED
from customer_core.domain.matching.blocking import _FILTER as _FILTER
from customer_core.domain.matching.blocking import _KEYS_PER_RECORD as _KEYS_PER_RECORD
from customer_core.domain.matching.blocking import _NO_KEYS as _NO_KEYS
from customer_core.domain.matching.blocking import _ONCE_IS_NONE as _ONCE_IS_NONE
from customer_core.domain.matching.blocking import _around as _around
from customer_core.domain.matching.blocking import _candidate_partners as _candidate_partners
from customer_core.domain.matching.blocking import _contact_keys as _contact_keys
from customer_core.domain.matching.blocking import _holder_keys as _holder_keys
from customer_core.domain.matching.blocking import _only_shared as _only_shared
from customer_core.domain.matching.blocking import _positions as _positions
from customer_core.domain.matching.blocking import _sort_key as _sort_key
from customer_core.domain.matching.blocking import _tenant_index as _tenant_index
from customer_core.domain.matching.blocking import blocking_keys, key_holders
from customer_core.domain.matching.city_spellings import city_spellings, with_city_spellings
from customer_core.domain.matching.clusters import ClusterKeys, exact_clusters
from customer_core.domain.matching.contact_evidence import _email_typo, _mailbox, _mobile_typo
from customer_core.domain.matching.names import name_similarity
from customer_core.domain.matching.pair_filter import typo_keys
from customer_core.domain.matching.rare_names import (
    frequencies,
    lone_name_shares,
    namesake_keys,
    namesakes_bound,
    rare_possible,
    share_bound,
)
from customer_core.domain.matching.rarity import city_area_codes, with_area_codes
from customer_core.domain.matching.records import (
    DEFAULT_POLICY,
    Cluster,
    Evidence,
    MatchingPolicy,
    MatchRecord,
    NameKey,
    Suggestion,
    _records,
)
from customer_core.domain.matching.scoring import _AGAINST_BITS as _AGAINST_BITS
from customer_core.domain.matching.scoring import _FATHERS_HOME as _FATHERS_HOME
from customer_core.domain.matching.scoring import _HOUSEHOLD as _HOUSEHOLD
from customer_core.domain.matching.scoring import _OWN_MOBILES as _OWN_MOBILES
from customer_core.domain.matching.scoring import _READ_AS_COMPANY as _READ_AS_COMPANY
from customer_core.domain.matching.scoring import _STRONG as _STRONG
from customer_core.domain.matching.scoring import _WHOLE_NAME as _WHOLE_NAME
from customer_core.domain.matching.scoring import _household_only as _household_only
from customer_core.domain.matching.scoring import _kept_apart as _kept_apart
from customer_core.domain.matching.scoring import _one_kind as _one_kind
from customer_core.domain.matching.scoring import (
    _own_mobiles_at_one_home as _own_mobiles_at_one_home,
)
from customer_core.domain.matching.scoring import score_pair
from customer_core.domain.model.customer import Customer

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


def _typo_possible(a: MatchRecord, b: MatchRecord) -> bool:
    """An e-mail or mobile typo between the pair (what the typo keys let through)."""
    a_mail = dict(_mailbox(e) for e in a.emails)
    b_mail = dict(_mailbox(e) for e in b.emails)
    return _email_typo(a_mail, b_mail) is not None or _mobile_typo(a.mobiles, b.mobiles) is not None


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
    spellings = city_spellings(holders)  # "Blumennau" is Blumenau: one town, not two
    records = [with_area_codes(with_city_spellings(r, spellings), codes) for r in records]
    freq = frequencies(holders, policy)
    # A record's name alone, before its pair is known: it may be spelled alike on the other.
    bound = namesakes_bound(policy, len(records), alike=True)

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
