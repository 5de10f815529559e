"""A company's legal name and trade name tied together by an e-mail address.

A company goes by two names that share no word: its *razão social*
(*Nascimento Comércio de Alimentos Ltda*) and its *nome fantasia*
(*Progresso Alimentos*). Two records of one company, one under each name,
are not :func:`~customer_core.domain.matching.names.names_compatible`, and a
shared phone or e-mail alone never makes two records one customer (an
accountant's office, a group of shops share them). What ties the two names
is an address that spells one of them, held by the record under the other:
``compras@pontocertosaopaulo.com.br`` on the *Nascimento Pet Shop Ltda*
record says that *Ponto Certo* is its trade name. The duplicate report then
suggests the pair when it also shares a phone line or an e-mail.

>>> from customer_core.domain.matching.records import NameKey
>>> spelled_in(NameKey.parse("Ponto Certo", company=True), ["compras@pontocertosaopaulo.com.br"])
'compras@pontocertosaopaulo.com.br'
>>> spelled_in(NameKey.parse("Ponto Certo", company=True), ["pontocerto@gmail.com"])
'pontocerto@gmail.com'
>>> spelled_in(NameKey.parse("Rei", company=True), ["fiscal@rei.com.br"])
'fiscal@rei.com.br'
>>> spelled_in(NameKey.parse("Rei", company=True), ["fiscal@reiformas.com.br"]) is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

import attrs

from customer_core.domain.matching.given_names import is_common_given_name, national_given_names
from customer_core.domain.matching.names import _word_credit
from customer_core.domain.matching.records import _FREE_MAIL, MatchRecord, NameKey
from customer_core.domain.values._data.area_codes import AREA_CODE_STATES

__all__ = [
    "company_tie",
    "establishments_apart",
    "person_word_keys",
    "spelled_in",
    "typed_as_person",
]

#: A name shorter than this must be the whole label: *Rei* is in too many words.
_SPELLED_MIN = 6


def spelled_in(name: NameKey, emails: Iterable[str], /) -> str | None:
    """The first address that spells ``name`` (its words run together), or ``None``.

    Of a company domain, the label before the first dot spells it
    (``vendas@saojorgemodassaopaulo.com.br``); of a free provider, the
    local part (``progressoalimentos@terra.com.br``). A name under six
    letters must be the whole label.
    """
    spelled = "".join(w for w in name.words if len(w) > 1)
    if len(spelled) < 3:
        return None
    for email in sorted(emails):
        local, _, domain = email.rpartition("@")
        label = local if domain in _FREE_MAIL else domain.partition(".")[0]
        letters = "".join(c for c in label if c.isalpha())
        if letters == spelled or (len(spelled) >= _SPELLED_MIN and spelled in letters):
            return email
    return None


def company_tie(a: MatchRecord, b: MatchRecord, /) -> str | None:
    """How two company records' unrelated names are tied, or ``None``.

    One record's name (legal or trade) spelled in an address the other
    record holds (see :func:`spelled_in`), or an MEI's legal name (its
    owner's) and a trade name after the owner's given name sharing a line or
    an e-mail (:func:`_owner_tie`), both in one city when both say theirs: a
    company's branches in other cities share its mailbox and its legal name,
    and are other customers.
    """
    if not (a.company and b.company):
        return None
    cities = [{t for t in r.areas if t.startswith("city:")} for r in (a, b)]
    if all(cities) and cities[0].isdisjoint(cities[1]):
        return None
    for x, y in ((a, b), (b, a)):
        for name in x.names:
            email = spelled_in(name, y.emails)
            if email is not None:
                return f"{email} spells {' '.join(name.words)}: a legal and a trade name"
    return _owner_tie(a, b)


def _owner_tie(a: MatchRecord, b: MatchRecord) -> str | None:
    """An MEI's legal name, its owner's (*Ana Melo Jesus ME*), and its trade name after
    the owner's given name (*Doces da Ana*), with a phone line or an e-mail in common.

    An MEI's *razão social* is its owner's full name (with its CNPJ root
    before it), and the shop goes by *Marmitas da Francisca*, *Carlos
    Manicure*. Only with a shared line or mailbox: two relatives' shops name
    the same owner no more than two *Anas* are one person.
    """
    lines = {line[-8:] for line in a.lines} & {line[-8:] for line in b.lines}
    if not lines and set(a.emails).isdisjoint(b.emails):
        return None
    for x, y in ((a, b), (b, a)):
        for legal in x.names:
            for trade in y.names:
                given = _owner_given_name(legal, trade)
                if given is not None:
                    return (
                        f"{' '.join(trade.words)} after {given}, "
                        f"whose name {' '.join(legal.words)} is: an MEI's two names"
                    )
    return None


def _owner_given_name(legal: NameKey, trade: NameKey) -> str | None:
    """The owner's given name when ``legal`` is a person's name and ``trade`` holds it,
    not first: a trade name that opens with a given name is a person's name itself."""
    if len(legal.words) < 2 or len(trade.words) < 2 or len(legal.words[0]) < 3:
        return None
    given, sound = legal.words[0], legal.sounds[0]
    given_names = national_given_names()[0]
    if not is_common_given_name(given) or trade.words[0] in given_names:
        return None
    for u, su in zip(trade.words[1:], trade.sounds[1:], strict=True):
        if len(u) > 2 and _word_credit(given, sound, False, u, su, False)[0] >= _NOT_AN_INITIAL:
            return given
    return None


#: The credit of a word that is the owner's given name (the same, a sound, a typo).
_NOT_AN_INITIAL = 0.9


def person_word_keys(record: MatchRecord, /) -> set[str]:
    """What :func:`typed_as_person` counts: who carries each word of a name.

    ``person:<word>`` for each word of a person's name when the record has a
    CPF (certainly a person: its words are people's names), and ``person:``
    for the record itself; ``company:<word>`` for each word of a company's
    names (*Marmitas*, *Moda*, *Reformas* recur across a tenant's shops).
    """
    if record.company:
        return {f"company:{w}" for name in record.names for w in name.words if len(w) > 1}
    if record.tax_id is None:
        return set()
    return {"person:", *(f"person:{w}" for w in record.names[0].words if len(w) > 1)}


#: Persons with a CPF a tenant needs before a word none of them carries is nobody's name.
_KNOWN_PERSONS = 1000


def _matched_words(person: NameKey, company: NameKey) -> list[str]:
    """The company's words that the person name's words stand for (the same, a sound, a typo).

    Empty unless every word of the person name (initials aside) is one of
    the company name's: *Nova Era Alimetos* is *Nova Era Alimentos*.
    """
    matched = []
    for t, st in zip(person.words, person.sounds, strict=True):
        if len(t) < 2:
            continue
        found = [
            u
            for u, su in zip(company.words, company.sounds, strict=True)
            if len(u) > 1 and _word_credit(t, st, False, u, su, False)[0] > 0
        ]
        if not found:
            return []
        matched.append(found[0])
    return matched


def _whole_name_alone(
    words: list[str], company: NameKey, given: Mapping[str, int], count: Callable[[str], int]
) -> bool:
    """A company's one-word name written alone (*Atlântico*, *Mega*) where a person's would be.

    The person record's one word is the company's whole name, no given name
    of the census, and no person with a CPF carries it (a contact saved as
    *Silva* is someone's surname).
    """
    whole = [w for w in company.words if len(w) > 1]
    return (
        len(words) == 1
        and whole == words
        and words[0] not in given
        and not count(f"person:{words[0]}")
    )


def typed_as_person(
    person: MatchRecord, company: MatchRecord, count: Callable[[str], int], /
) -> MatchRecord | None:
    """The person record read as the company's, when it is the company typed without its CNPJ.

    The import takes a row without a tax id or a legal form for a person's
    unless a business word says otherwise (:mod:`.company_names`); *Luana
    Marmitas*, *José Moda* and *Reformas do Pedro* slip through. Such a
    record is the company when it has no CPF, its name's words are all in
    one of the company's names, and one of them is a shop's word: other
    companies of the tenant carry it, no person with a CPF does (of a
    thousand at least: a small tenant has not seen enough names), and it is
    no given name of the census. The owner (*Maria Oliveira* against *Maria
    Oliveira ME*) carries people's names only and stays a person; so does an
    owner with a rare surname, which no other company carries. A one-word
    name is the company's when it is the company's whole name and nobody's
    name (:func:`_whole_name_alone`: *Atlântico*, *Mega*).
    """
    if person.company or not company.company or person.tax_id is not None:
        return None
    if count("person:") < _KNOWN_PERSONS:
        return None
    given = national_given_names()[0]
    for name in company.names:
        words = _matched_words(person.names[0], name)
        if _whole_name_alone(words, name, given, count):
            break
        if len(words) < 2:
            continue
        if any(
            count(f"company:{w}") > 1 and not count(f"person:{w}") and w not in given for w in words
        ):
            break
    else:
        return None
    name = NameKey(person.names[0].words, person.names[0].sounds)  # no generation for a shop
    return attrs.evolve(person, company=True, names=(name,))


def establishments_apart(
    codes: Collection[str],
    states: Collection[str],
    other_codes: Collection[str],
    other_states: Collection[str],
) -> bool:
    """Whether two companies are a firm's establishments rather than one customer, by place:
    their phones' area codes (DDD, ``"11"``) have none in common, or their states
    (``"SP"``: their addresses' UF and their area codes' states) have none in common.

    A firm's branches share its legal name and often its finance mailbox
    (``financeiro@silvaxavier.com.br`` on the São Paulo head office and on the
    Belém branch), while each establishment has its own lines, dialled in its
    own city's area code, and its own address: a shared mailbox with no area
    code or no state in common is the firm's, not one establishment's. The
    import (:meth:`customer_core.io.grouping_rule.Rep.apart`) and the
    duplicate report (which knows area codes only) both read it here. Only
    companies: a person keeps their mobile's DDD when they move.

    >>> establishments_apart({"11"}, {"SP"}, {"91"}, {"PA"})
    True
    >>> establishments_apart({"11"}, (), {"11", "21"}, ())
    False
    >>> establishments_apart({"11"}, (), (), {"SP"})   # São Paulo's code, a São Paulo address
    False
    >>> establishments_apart({"11"}, (), (), {"RJ"})
    True
    >>> establishments_apart((), (), {"21"}, ())       # nothing known of one side
    False
    """
    if codes and other_codes and not set(codes) & set(other_codes):
        return True
    mine, theirs = _states(codes, states), _states(other_codes, other_states)
    return bool(mine) and bool(theirs) and not mine & theirs


def _states(codes: Iterable[str], states: Iterable[str]) -> set[str]:
    found = set(states)
    for code in codes:
        found |= AREA_CODE_STATES.get(code, frozenset())
    return found
