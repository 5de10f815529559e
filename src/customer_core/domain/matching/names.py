"""How alike two names are, word by word (see :func:`name_similarity`)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rapidfuzz.distance import OSA

from customer_core.domain.matching.given_names import is_common_given_name
from customer_core.domain.matching.records import MatchRecord, NameKey

__all__ = ["name_keys_compatible", "name_similarity", "names_compatible"]


# Credit of one word of a name against another (see name_similarity).
_SAME, _SOUNDS_ALIKE, _INITIAL, _TYPO, _SHORT_TYPO, _TWO_TYPOS = 1.0, 0.95, 0.85, 0.9, 0.75, 0.8
_DROPPED_WORD = 0.03  # per word only the longer name has (a dropped middle name)
_OTHER_FIRST_NAME = 0.85  # factor when the first names do not correspond
_ONE_WORD_CAP = 0.8  # a one-word name ("Ana") is weak however well it matches
_INITIALS_ONLY_CAP = 0.6  # "J. S." against "João Silva"


def _gender_forms(t: str, u: str) -> bool:
    """*Paulo*/*Paula*, *Daniel*/*Daniela*: two names, not a typo.

    A masculine form is the feminine one without its final *a* only when it
    ends in a consonant (*Daniel*, *Gabriel*, *Julian*); *Natáli* for
    *Natália* is a typo, not a man's name.
    """
    if t[:-1] == u[:-1] and {t[-1], u[-1]} == {"a", "o"}:
        return True
    short, long = (t, u) if len(t) < len(u) else (u, t)
    return short + "a" == long and short[-1] not in _VOWELS


_VOWELS = frozenset("aeiouy")


# A tenant compares the same few thousand words over and over: each pair of words is judged once.
@functools.lru_cache(maxsize=1 << 16)
def _word_credit(t: str, st: str, t_last: bool, u: str, su: str, u_last: bool) -> tuple[float, str]:
    """How much word ``t`` (sound ``st``) accounts for word ``u``, and why.

    ``t_last`` and ``u_last`` say whether the word ends its name: an initial
    stands for a first or middle name, not for the family name that ends the
    other name (*Maria A. B. Cunha* is not *Maria A. C. Borges*).
    """
    if t == u:
        return _SAME, ""
    if len(t) == 1 or len(u) == 1:
        if t[0] != u[0] or len(t) == len(u):
            return 0.0, ""
        full_is_last, initial_is_last = (u_last, t_last) if len(t) == 1 else (t_last, u_last)
        if full_is_last and not initial_is_last:
            return 0.0, ""
        return _INITIAL, "initial"
    if _gender_forms(t, u):
        return 0.0, ""
    if st == su:
        return _SOUNDS_ALIKE, "sounds alike"
    distance = OSA.distance(t, u, score_cutoff=2)
    shortest = min(len(t), len(u))
    if distance == 1 and shortest >= 4:
        return _TYPO, "typo"
    if distance == 1 and shortest == 3:
        return _SHORT_TYPO, "typo"
    if distance == 2 and shortest >= 7:
        return _TWO_TYPOS, "typos"
    return 0.0, ""


def name_similarity(a: NameKey, b: NameKey, /) -> tuple[float, str]:
    """Similarity (0..1) of two names and a short explanation.

    Each word of the shorter name is paired with the best unused word of the
    other (any order): the same word counts 1, the same sound 0.95, an
    initial for its word 0.85 (not for the family name that ends the other
    name), one typo 0.9 (rapidfuzz's OSA distance; two typos in a long word
    0.8); the masculine and feminine forms of one name (*Paulo*/*Paula*,
    *Daniel*/*Daniela*) count 0. The similarity is the mean credit of the
    shorter name's words, minus 0.03 per word only the longer name has (a
    dropped middle name), times 0.85 when the first names do not pair up. A
    name written surname first (*Silva João*, *Ribeiro Vitor João*) is also
    compared turned around, and the better reading counts. A one-word name
    is capped at 0.8, a name of initials only at 0.6.

    >>> def sim(x, y):
    ...     return name_similarity(NameKey.parse(x), NameKey.parse(y))
    >>> sim("Maria Aparecida dos Santos", "SANTOS, Maria A.")
    (0.95, '95% similar (a = aparecida: initial)')
    >>> sim("João Pedro Souza", "Joao Sousa")
    (0.945, '94% similar (sousa = souza: sounds alike; missing: pedro)')
    >>> sim("Mendes Soares Maria José", "Maria J. M. Soares")
    (0.925, '92% similar (read surname first; j = jose: initial; m = mendes: initial)')
    >>> sim("Paulo Lima", "Paula Lima")  # two people: only the surname matches
    (0.425, '42% similar (first names differ; unmatched: paulo / paula)')
    """
    if len(a.words) > len(b.words):
        a, b = b, a
    if not a.words:
        return 0.0, "no name"
    best = _similarity(a, b)
    if best[0] < 1.0:
        for x, y in ((a, b), (b, a)):
            k = _turn(x, y)
            if k:
                turned = NameKey(y.words[k:] + y.words[:k], y.sounds[k:] + y.sounds[:k])
                found = _similarity(x, turned, "read surname first")
                if found[0] > best[0]:
                    best = found
    return best


def _turn(x: NameKey, y: NameKey) -> int:
    """Where ``x``'s first name starts in ``y``, if ``y`` is written surname first.

    It is when the words before that hold ``x``'s family name: *Soares* in
    *Mendes Soares Maria José* against *Maria J. M. Soares*.
    """
    if len(x.words) < 2 or len(x.words[0]) < 2 or len(y.words) < 2:
        return 0
    for k in range(1, len(y.words)):
        if y.sounds[k] == x.sounds[0]:
            return k if x.sounds[-1] in y.sounds[:k] else 0
    return 0


def _similarity(a: NameKey, b: NameKey, note: str = "") -> tuple[float, str]:
    if len(a.words) > len(b.words):
        a, b = b, a
    last_a, last_b = len(a.words) - 1, len(b.words) - 1
    credits = []
    for i, (t, st) in enumerate(zip(a.words, a.sounds, strict=True)):
        for j, (u, su) in enumerate(zip(b.words, b.sounds, strict=True)):
            credit, how = _word_credit(t, st, i == last_a, u, su, j == last_b)
            if credit > 0:
                credits.append((-credit, i, j, how))
    credits.sort()
    pairs: dict[int, tuple[int, float, str]] = {}
    taken: set[int] = set()
    for negative, i, j, how in credits:
        if i not in pairs and j not in taken:
            pairs[i] = (j, -negative, how)
            taken.add(j)
    total = sum(credit for _, credit, _ in pairs.values())
    similarity = total / len(a.words) - _DROPPED_WORD * (len(b.words) - len(a.words))
    notes = [note] if note else []
    notes += [
        "{} = {}: {}".format(*sorted((a.words[i], b.words[j]), key=len), how)
        for i, (j, _, how) in sorted(pairs.items())
        if how
    ]
    if pairs and pairs.get(0, (-1,))[0] != 0:
        similarity *= _OTHER_FIRST_NAME
        notes.append("first names differ")
    if len(a.words) == 1:
        similarity = min(similarity, _ONE_WORD_CAP)
    if pairs and all(how == "initial" for _, _, how in pairs.values()):
        similarity = min(similarity, _INITIALS_ONLY_CAP)
    unmatched = [w for i, w in enumerate(a.words) if i not in pairs]
    missing = [w for j, w in enumerate(b.words) if j not in taken]
    if unmatched:
        notes.append(f"unmatched: {' '.join(unmatched)} / {' '.join(missing)}")
    elif missing and len(a.words) > 1:
        notes.append("missing: " + " ".join(missing))
    similarity = round(max(0.0, similarity), 3)
    detail = f"{similarity:.0%} similar" + (f" ({'; '.join(notes)})" if notes else "")
    return similarity, detail


def _best_name(a: MatchRecord, b: MatchRecord) -> tuple[float, str, NameKey, NameKey]:
    best = (-1.0, "", a.names[0], b.names[0])
    for x in a.names:
        for y in b.names:
            similarity, detail = name_similarity(x, y)
            if similarity > best[0]:
                best = (similarity, detail, x, y)
    return best


def names_compatible(a: str, b: str, /, *, company: bool = False) -> bool:
    """Whether two names can be one person's (or one company's): the floor of identity.

    A shared phone line or e-mail never excuses a different name: an
    importer, an upsert, an inbound attach or a merge suggestion takes two
    records for one customer only when this holds (see
    :mod:`customer_core.domain.matching.evidence`). It is deliberately
    stricter than :func:`name_similarity` about *who*, and lenient about
    *spelling*:

    - a generational suffix (*Júnior*, *Filho*, *Neto*, *Sobrinho*) on one side
      only, or two different ones, is another person (a father and son share a
      landline);
    - each name's first given name must stand in the other name: the same word,
      a typo, the same sound or an initial -- in any position, so *Silva, João*
      and *Souza João* (surname first) pass, but *Maria Silva* is not *Ana
      Maria Silva* (the other's first name is missing), and the masculine and
      feminine forms of a name (*Paulo*/*Paula*, *Maria*/*Mário*) never pair;
      a name written with all its family names first (*Carvalho Xavier João
      Vitor*) is read turned around when the words before its given name hold
      the other's family name, so *João Xavier* passes;
    - when both names have family names, at least one must be shared (typos
      allowed): *Ana Lima* is not *Ana Souza*; a lone given name (*Ana*) is
      compatible with any *Ana*, also written surname first (*Silva Ana*,
      when its first word is no common given name and its second is);
    - a company (``company=True``) is compatible when every word of the
      shorter name (company forms such as *Ltda*, *ME*, *S/A* left out)
      stands in the other: *Pão Quente* and *Padaria Pão Quente Ltda*. Compare
      the legal and the trade names each way round
      (:func:`~customer_core.domain.matching.evidence.conflicting_evidence`
      does).

    >>> names_compatible("José Luiz Hoffmann", "Jose L. Hoffman")
    True
    >>> names_compatible("Paulo Lima", "Paula Lima"), names_compatible("Ana Lima", "Ana Souza")
    (False, False)
    >>> names_compatible("Carlos Alberto Souza", "Carlos Alberto Souza Júnior")
    False
    """
    return name_keys_compatible(
        NameKey.parse(a, company=company), NameKey.parse(b, company=company), company=company
    )


def name_keys_compatible(a: NameKey, b: NameKey, /, *, company: bool = False) -> bool:
    """:func:`names_compatible` of two parsed names."""
    if a.generation != b.generation:
        return False
    if not a.words or not b.words:
        return True  # no name on one side: no evidence either way
    if company:
        short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
        return all(_stands_in(short, i, long) for i in range(len(short.words)))
    if not (_stands_in(a, 0, b) and _stands_in(b, 0, a)):
        return (
            _surname_first_of(a, b)
            or _surname_first_of(b, a)
            or any(_people_compatible(x, turned) for x, turned in _turned_readings(a, b))
        )
    return _people_compatible(a, b)


def _people_compatible(a: NameKey, b: NameKey) -> bool:
    """Each first name stands in the other name, and a family name is shared (or one is lone)."""
    if not (_stands_in(a, 0, b) and _stands_in(b, 0, a)):
        return False
    if len(a.words) == 1 or len(b.words) == 1:
        return True
    return any(
        _stands_in(a, i, b, skip_first=True) for i in range(1, len(a.words))
    ) or _surname_first_match(a, b)


def _turned_readings(a: NameKey, b: NameKey) -> Iterator[tuple[NameKey, NameKey]]:
    """Each name with the other read given name first, when it is written surname first.

    *Carvalho Xavier João Vitor* is *João Vitor Carvalho Xavier*: systems
    that export "SOBRENOME Nome" put every family name first, and the other
    record (*João Xavier*) keeps only one of them. Read so only when the
    words before the given name hold the other's family name (:func:`_turn`).
    """
    for x, y in ((a, b), (b, a)):
        k = _turn(x, y)
        if k:
            turned = NameKey(y.words[k:] + y.words[:k], y.sounds[k:] + y.sounds[:k], y.generation)
            yield x, turned


def _surname_first_of(lone: NameKey, full: NameKey) -> bool:
    """*Raimundo* against *Silva Raimundo*: a lone given name and a name written surname first.

    The full name is read from its first common given name
    (:func:`.given_names.is_common_given_name`) when the words before it are
    none: *Silva Raimundo*, *Tavares Tereza*, *Guimarães Rodrigues Felipe*
    (all the family names first); never *Ana Maria* for *Maria*. Only
    against a lone given name: with family names on both sides,
    :func:`_surname_first_match` already reads either order.
    """
    if len(lone.words) != 1 or len(full.words) < 2:
        return False
    k = next((k for k, w in enumerate(full.words) if is_common_given_name(w)), 0)
    if k == 0:
        return False  # it opens with a given name (or holds none): read as written
    turned = NameKey(full.words[k:] + full.words[:k], full.sounds[k:] + full.sounds[:k])
    return _stands_in(lone, 0, turned) and _stands_in(turned, 0, lone)


def _stands_in(x: NameKey, i: int, y: NameKey, *, skip_first: bool = False) -> bool:
    """Whether word ``i`` of ``x`` is a word of ``y`` (same, typo, sound or initial).

    The word of a one-word name is a given name, never the family name that
    an initial may not stand for (*A. Lima* fits *Ana*).
    """
    t, st = x.words[i], x.sounds[i]
    t_last = len(x.words) > 1 and i == len(x.words) - 1
    last = len(y.words) - 1 if len(y.words) > 1 else -1
    return any(
        _word_credit(t, st, t_last, u, su, j == last)[0] > 0
        for j, (u, su) in enumerate(zip(y.words, y.sounds, strict=True))
        if not (skip_first and j == 0)
    )


def _surname_first_match(a: NameKey, b: NameKey) -> bool:
    """A family name shared when one name is written surname first (its first word)."""
    return (len(b.words) > 1 and _stands_in(b, 0, a, skip_first=True)) or (
        len(a.words) > 1 and _stands_in(a, 0, b, skip_first=True)
    )
