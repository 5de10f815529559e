"""Blocking and the tenant index: which records are compared at all.

Split from :mod:`~customer_core.domain.matching.duplicates`, which documents
and re-exports :func:`blocking_keys` and :func:`key_holders`. A record goes in
the blocks of its keys (:func:`blocking_keys`); the tenant index
(``_tenant_index``) keeps the blocks of two records or more, the counts of
:func:`key_holders` and which contact keys may be shared, without keeping the
keys one record alone holds; ``_candidate_partners`` yields each record's
partners within its blocks, a large block's sliding window and the name
orderings.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations

from customer_core.domain.matching.company_ties import person_word_keys
from customer_core.domain.matching.contact_evidence import (
    _common_name_key,
    _useful_local_part,
    gmail_mailbox,
)
from customer_core.domain.matching.rare_names import RECORDS, namesake_keys
from customer_core.domain.matching.rarity import given_name_keys, name_orderings, town_pairs
from customer_core.domain.matching.records import _FREE_MAIL, MatchingPolicy, MatchRecord
from customer_core.domain.matching.shared_keys import SeenTwice
from customer_core.domain.values.tax_id import Cnpj, cnpj_root

__all__ = ["TYPO_BLOCK", "blocking_keys", "key_holders", "typo_blocking_keys"]

# -- blocking -----------------------------------------------------------------


def blocking_keys(record: MatchRecord, /) -> set[str]:
    """The blocks ``record`` goes in; records are compared only within a block.

    >>> from datetime import datetime, timezone
    >>> from customer_core import Customer, Phone
    >>> c = Customer.create(id="1", tenant_id="t", name="Luíz de Souza Filho",
    ...                     now=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...                     phones=(Phone.parse("11 98765-4321"),))
    >>> sorted(k for k in blocking_keys(MatchRecord.of(c)) if not k.startswith(TYPO_BLOCK))
    ['name:luis:susa', 'phone:87654321']

    A person's record also goes in the blocks of :func:`typo_blocking_keys`.
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
        if (gmail := gmail_mailbox(email)) is not None:
            keys.add(f"gmail:{gmail}")  # joao.silva@ and joaosilva@: one mailbox
    return keys | typo_blocking_keys(record)


#: What the keys of :func:`typo_blocking_keys` start with: their blocks are compared
#: only when small (no sliding window), so a common name's large block costs nothing.
TYPO_BLOCK = "~"
#: The shortest head or tail of a word kept as a typo key (one letter says nothing).
_WORD_EDGE = 2


def typo_blocking_keys(record: MatchRecord, /) -> set[str]:
    """Blocks that still hold a person's two records when one typo changed a word's sound.

    A name typed with a typo (*Joana Freiats*, *Mácio Peixoto*) shares no
    pair of sounds with the person's other record, and a mobile with a digit
    mistyped no line: such records met only when their names sorted side by
    side. A typo changes one word and leaves intact its head or its tail
    (the letters before or after its middle one: one typo, two neighbours
    swapped included, cannot touch both), and a mobile's the same way (see :func:`~.pair_filter.typo_keys`): each key is the sound of the
    first or the last word of the name with the head or the tail of the
    other, or with the head or the tail of a mobile. The keys do not say
    which word came first: *Freitas, Joana* meets *Joana Freitas*.

    >>> from datetime import datetime, timezone
    >>> from customer_core import Customer
    >>> c = Customer.create(id="1", tenant_id="t", name="Joana Freitas",
    ...                     now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    >>> sorted(typo_blocking_keys(MatchRecord.of(c)))
    ['~n:fritas:jo<', '~n:fritas:na>', '~n:juana:fre<', '~n:juana:tas>']
    """
    if record.company:
        return set()
    words = [
        (w, s)
        for w, s in zip(record.names[0].words, record.names[0].sounds, strict=True)
        if len(w) > 1 and s
    ]
    if not words:
        return set()
    ends = [words[0], words[-1]] if len(words) > 1 else words[:1]
    keys: set[str] = set()
    if len(ends) == 2:
        for (_, sound), (other, _) in (ends, ends[::-1]):
            middle = len(other) // 2
            for half, end in ((other[:middle], "<"), (other[middle + 1 :], ">")):
                if len(half) >= _WORD_EDGE:
                    keys.add(f"{TYPO_BLOCK}n:{sound}:{half}{end}")
    for line in record.mobiles:
        number = line[4:]
        middle = len(number) // 2
        for _, sound in ends:
            keys.add(f"{TYPO_BLOCK}m:{sound}:{line[:4]}:{number[:middle]}<")
            keys.add(f"{TYPO_BLOCK}m:{sound}:{line[:4]}:{number[middle + 1 :]}>")
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
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) <= policy.max_block:
            for i in members:
                if wanted[i]:
                    found = small[i]
                    if found is None:  # most records are in no small block: no list
                        small[i] = found = []
                    found.append(members)
        elif not key.startswith(TYPO_BLOCK) and any(wanted[i] for i in members):
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


# -- the tenant index ----------------------------------------------------------


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
    keys |= {f"g{gmail}" for email in record.emails if (gmail := gmail_mailbox(email))}
    keys |= {f"c{cep}" for cep in record.ceps}
    if record.tax_id is not None:
        keys.add(f"t{record.tax_id}")
    return frozenset(keys)


def key_holders(records: Iterable[MatchRecord], /) -> Counter[str]:
    """How many records hold each phone line, e-mail, local part, CEP, name and name word.

    :func:`~customer_core.domain.matching.duplicates.suggest_duplicates` counts
    these itself; pass them to
    :func:`~customer_core.domain.matching.duplicates.score_pair` when scoring
    pairs one at a time.
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
