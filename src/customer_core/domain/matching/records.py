"""What duplicate finding works on: match records, the policy and the results.

A :class:`MatchRecord` is the compact form of a customer that blocking and
scoring read; :class:`MatchingPolicy` holds the weights; :class:`Evidence`,
:class:`Cluster` and :class:`Suggestion` are what :mod:`.duplicates` returns.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import attrs

from customer_core.domain.matching.phonetic import phonetic_key
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.values.phone import PhoneType
from customer_core.domain.values.tax_id import tax_id_kind
from customer_core.domain.values.text import fold, fold_tokens

__all__ = [
    "DEFAULT_POLICY",
    "Cluster",
    "Evidence",
    "MatchRecord",
    "MatchingPolicy",
    "NameKey",
    "Suggestion",
]

#: Blocks larger than this are compared within a sliding window (see :class:`MatchingPolicy`).
MAX_BLOCK = 50

_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "d"})
#: Generational suffixes of Brazilian names, by spelling; a difference is evidence against.
_GENERATIONS = {
    "junior": "Júnior",
    "jr": "Júnior",
    "jnr": "Júnior",
    "filho": "Filho",
    "fo": "Filho",  # Fº
    "filha": "Filha",
    "neto": "Neto",
    "neta": "Neta",
    "sobrinho": "Sobrinho",
    "sobrinha": "Sobrinha",
}
#: Legal-form suffixes of company names, ignored when comparing ("s a" is S/A, S.A.).
#: Forms of address written before a name, folded ("Dr. João", "Pastor José", "Dona
#: Maria", "Pra. Ana" on a WhatsApp profile): not part of the name.
_TITLES = frozenset(
    {
        "dr", "dra", "doutor", "doutora", "sr", "sra", "srta", "senhor", "senhora",
        "dona", "seu", "prof", "profa", "professor", "professora", "pastor", "pastora",
        "pr", "pra", "padre", "frei", "irma", "irmao", "madre", "bispo", "apostolo",
        "missionario", "missionaria", "eng", "enga", "tio", "tia",
    }
)  # fmt: skip
_COMPANY_SUFFIXES = frozenset({"ltda", "limitada", "me", "eireli", "epp", "mei", "sa", "cia"})
_FREE_MAIL = frozenset(
    {
        "aol.com",
        "bol.com.br",
        "globo.com",
        "globomail.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.com.br",
        "icloud.com",
        "ig.com.br",
        "live.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "outlook.com.br",
        "proton.me",
        "protonmail.com",
        "r7.com",
        "terra.com.br",
        "uol.com.br",
        "yahoo.com",
        "yahoo.com.br",
        "ymail.com",
        "zipmail.com.br",
    }
)
#: Role mailboxes: the same local part at two companies is two companies.
_ROLE_MAILBOXES = frozenset(
    {
        "adm",
        "admin",
        "administrativo",
        "atendimento",
        "comercial",
        "compras",
        "contabilidade",
        "contato",
        "contact",
        "faturamento",
        "financeiro",
        "info",
        "loja",
        "nfe",
        "noreply",
        "rh",
        "sac",
        "suporte",
        "vendas",
    }
)


@attrs.frozen
class Evidence:
    """One reason two records look alike (``kind``) and what matched (``detail``).

    ``weight`` is what the evidence added to the score; evidence against a
    match (a different *Júnior* suffix, a person against a company) weighs
    negative. ``match_weight`` is the same evidence in the Fellegi–Sunter
    scale: ``log2(m / u)`` bits, with ``u`` the chance that two records picked
    at random agree on this value (its frequency in the tenant) and ``m`` the
    chance that two records of one customer do (assumed per kind, see
    :mod:`~customer_core.domain.matching.rarity`); ``None`` when the tenant's
    frequencies were not given.
    """

    kind: str
    detail: str
    weight: float = 0.0
    match_weight: float | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Cluster:
    """Records that share a key; ``evidence`` says which."""

    ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@attrs.frozen
class Suggestion:
    """A scored pair (0..1), explained."""

    ids: tuple[str, str]
    score: float
    evidence: tuple[Evidence, ...]


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative")


def _non_positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value > 0:
        raise ValueError(f"{attribute.name} is evidence against: it must not be positive")


@attrs.frozen(kw_only=True)
class MatchingPolicy:
    """Weights and limits of the duplicate suggestions (no training data needed).

    A score is the sum of the weights of the evidence found, clipped to 0..1,
    and a pair is suggested when it reaches the ``threshold`` given to
    :func:`suggest_duplicates`. With the defaults, an identical name is 0.6
    and needs 0.1 more from contact data to reach the default threshold of
    0.6 (the corroboration rule): a shared CEP or landline just does it, a
    shared mobile or e-mail clearly does; *Maria Souza* against *Mariana
    Souza* at one address does not (their names are 0.5 similar, below
    ``name_floor``).
    """

    #: Weight of an identical name; a similar name adds ``name × similarity``.
    name: float = attrs.field(default=0.6, validator=_non_negative)
    #: Below this similarity (0..1) the names are not evidence.
    name_floor: float = attrs.field(default=0.75, validator=_non_negative)
    #: The same CPF or CNPJ (only seen outside storage, where the index does not apply).
    tax_id: float = attrs.field(default=1.0, validator=_non_negative)
    #: The same mobile (or WhatsApp line), both records persons or both companies.
    mobile: float = attrs.field(default=0.4, validator=_non_negative)
    #: The same mobile on a person and a company: usually the owner's, not proof.
    mobile_person_company: float = attrs.field(default=0.1, validator=_non_negative)
    #: The same landline: a household or an office shares it.
    landline: float = attrs.field(default=0.1, validator=_non_negative)
    #: The same last 8 digits on different lines: a mistyped area code.
    phone_suffix: float = attrs.field(default=0.2, validator=_non_negative)
    #: Mobiles of one area code one digit apart (a digit mistyped, two swapped).
    phone_typo: float = attrs.field(default=0.2, validator=_non_negative)
    #: The same e-mail address (outside storage, like ``tax_id``).
    email: float = attrs.field(default=0.5, validator=_non_negative)
    #: The same local part at another provider (not a role mailbox such as ``contato``).
    email_local_part: float = attrs.field(default=0.3, validator=_non_negative)
    #: The same local part at another provider when it is just the name (``joao.silva``):
    #: nothing, every João Silva picks it at every provider (a rare name is evidence of its
    #: own, ``rare_name``).
    email_local_part_from_name: float = attrs.field(default=0.0, validator=_non_negative)
    #: Local parts at one domain one letter apart (a typo; a different digit is another person).
    email_typo: float = attrs.field(default=0.1, validator=_non_negative)
    #: The same company domain (not gmail, hotmail...): colleagues share it too.
    email_domain: float = attrs.field(default=0.05, validator=_non_negative)
    #: Two company names that share no word, one spelled in an address the other's record
    #: holds (``vendas@pontocerto.com.br`` on *Nascimento Pet Shop Ltda*): a legal and a
    #: trade name. Only with a shared phone line or e-mail.
    trade_name: float = attrs.field(default=0.5, validator=_non_negative)
    #: The same CEP: a household, a building, or one street shares it.
    cep: float = attrs.field(default=0.1, validator=_non_negative)
    #: A *Júnior*, *Filho*, *Neto* or *Sobrinho* on one name only, or different ones.
    generation_differs: float = attrs.field(default=-0.6, validator=_non_positive)
    #: One record is a person, the other a company.
    kind_differs: float = attrs.field(default=-0.4, validator=_non_positive)
    #: A local part made of a name that more records than this carry is no evidence.
    common_name_records: int = attrs.field(default=3, validator=attrs.validators.ge(2))
    #: What contact evidence must add to a similar name (the tax id excepted).
    min_corroboration: float = attrs.field(default=0.1, validator=_non_negative)
    #: A phone line or e-mail held by more records than this is no evidence.
    max_key_holders: int = attrs.field(default=10, validator=attrs.validators.ge(2))
    #: A CEP held by more records than this is no evidence (a whole small town).
    max_cep_holders: int = attrs.field(default=30, validator=attrs.validators.ge(2))
    #: The most a rare full name shared in one town (city or area code) adds, alone.
    rare_name: float = attrs.field(default=0.3, validator=_non_negative)
    #: A shared name is evidence alone when the town should hold fewer namesakes than this.
    rare_name_namesakes: float = attrs.field(default=0.15, validator=_non_negative)
    #: What ``rare_name_namesakes`` is multiplied by when both records hold a mobile and
    #: share none (a namesake keeps their own mobile, but people also change numbers):
    #: 1 weighs it not at all (the default: 0.1 cost 2.5 points of recall on held-out
    #: data for 0.4 of precision), 0.1 asks a name ten times rarer.
    rare_name_own_mobiles: float = attrs.field(default=1.0, validator=_non_negative)
    #: The same for a full name spelled alike on both records, word for word, unless each
    #: holds a mobile of its own (then ``rare_name_namesakes`` stands): a namesake
    #: relative keeps their own mobile; one person's records share theirs or hold one.
    alike_name_namesakes: float = attrs.field(default=0.5, validator=_non_negative)
    #: The same, in a tenant smaller than ``national_records``: its shares lean on the national
    #: table, which has no surname counts (a common surname would look rare).
    small_tenant_namesakes: float = attrs.field(default=0.01, validator=_non_negative)
    #: A town (or tenant) is counted as at least this many records when expecting namesakes:
    #: a small tenant's counts say little about who else could carry the name.
    min_town_records: int = attrs.field(default=1000, validator=attrs.validators.ge(1))
    #: The name similarity a rare name needs to count (a typo or a dropped middle name).
    rare_name_similarity: float = attrs.field(default=0.85, validator=_non_negative)
    #: With a shared mobile, e-mail or tax id, a compatible name this similar still counts.
    weak_name_floor: float = attrs.field(default=0.5, validator=_non_negative)
    #: Pseudo-records of the national name table blended into the tenant's own counts.
    national_records: int = attrs.field(default=2000, validator=attrs.validators.ge(0))
    #: Blocks up to this size compare all their pairs; larger ones use the window.
    max_block: int = attrs.field(default=MAX_BLOCK, validator=attrs.validators.ge(2))
    #: In a large block sorted by name sound, each record meets this many neighbours.
    window: int = attrs.field(default=10, validator=attrs.validators.ge(1))
    #: Each person meets this many neighbours in each sorting of the tenant's names.
    neighbours: int = attrs.field(default=3, validator=attrs.validators.ge(0))


#: The weights used when none are given.
DEFAULT_POLICY = MatchingPolicy()


@attrs.frozen
class NameKey:
    """A name as compared: folded words, their phonetic keys, the generational suffix."""

    words: tuple[str, ...]
    sounds: tuple[str, ...]
    generation: str | None = None

    @classmethod
    def parse(cls, name: str, /, *, company: bool = False) -> NameKey:
        """Words without accents, case, particles, company suffixes; ``Silva, João`` reordered.

        A person's name also loses a form of address before it (*Dr.*, *Pastor*,
        *Dona*...) and any number in it: a WhatsApp profile named after its
        phone number (*+55 11 97079-3761*) holds no name at all.

        >>> NameKey.parse("SILVA, João Pedro da Jr.")
        NameKey(words=('joao', 'pedro', 'silva'), sounds=('juau', 'pidru', 'silva'), generation='Júnior')
        >>> NameKey.parse("Padaria Pão Quente Ltda - ME", company=True).words
        ('padaria', 'pao', 'quente')
        """
        if "," in name:
            last, _, first = name.partition(",")
            name = f"{first} {last}"
        tokens = fold_tokens(name)
        words = [w for w in (_dotted_forms(tokens) if company else tokens) if w not in _PARTICLES]
        generation = None
        if company:
            while len(words) > 1:
                if words[-1] in _COMPANY_SUFFIXES or words[-1].isdigit():
                    words.pop()
                elif words[-2:] == ["s", "a"] and len(words) > 2:  # S/A, S.A.
                    del words[-2:]
                else:
                    break
            words = [w for w in words if not w.isdigit()] or words
        else:
            words = [w for w in words if not w.isdigit()]
            while len(words) > 1 and words[0] in _TITLES:
                del words[0]
            found = sorted({_GENERATIONS[w] for w in words[1:] if w in _GENERATIONS})
            if found:
                generation = "/".join(found)
                words = words[:1] + [w for w in words[1:] if w not in _GENERATIONS]
        return cls(tuple(words), tuple(phonetic_key(w) for w in words), generation)


def _dotted_forms(tokens: list[str]) -> list[str]:
    """A legal form typed with dots (*M.E.*, *E.P.P.*, *S.A.*) as one word, not its letters.

    Folding leaves its letters apart, and the *e* of *M.E.* would go as a
    particle, leaving an *m* no other spelling of the name holds.

    >>> _dotted_forms(["bebidas", "ideal", "m", "e"]), _dotted_forms(["loja", "x", "e", "p", "p"])
    (['bebidas', 'ideal', 'me'], ['loja', 'x', 'epp'])
    >>> _dotted_forms(["j", "e", "silva"])
    ['j', 'e', 'silva']
    """
    out: list[str] = []
    letters: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            letters.append(token)
            continue
        # The form ends the run of letters: *Loja X E.P.P.*
        start = next(
            (i for i in range(len(letters) - 1) if "".join(letters[i:]) in _COMPANY_SUFFIXES),
            len(letters),
        )
        out += letters[:start]
        if start < len(letters):
            out.append("".join(letters[start:]))
        letters = []
        if token:
            out.append(token)
    return out


def _is_mobile_line(key: str, typed: PhoneType) -> bool:
    if key.startswith("55") and len(key) == 13:
        return key[4] == "9"
    return typed is PhoneType.MOBILE


@attrs.frozen
class MatchRecord:
    """What matching needs of a customer, and nothing more (a few hundred bytes).

    ``mobiles`` include the lines of WhatsApp ids, also listed in ``whatsapp``;
    ``tax_id`` is ``"cpf:<digits>"`` or ``"cnpj:<digits>"``.
    """

    id: str
    company: bool
    names: tuple[NameKey, ...]
    tax_id: str | None = None
    mobiles: tuple[str, ...] = ()
    landlines: tuple[str, ...] = ()
    whatsapp: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    ceps: tuple[str, ...] = ()
    #: ``city:<folded name>`` of its addresses and ``ddd:<area code>`` of its phone lines.
    areas: tuple[str, ...] = ()

    @classmethod
    def of(cls, customer: Customer, /) -> MatchRecord:
        """Extract the record of ``customer`` (the name, and the trade name of a company)."""
        tax = customer.tax_id
        return cls.from_parts(
            customer.id,
            company=customer.kind is CustomerKind.COMPANY,
            name=customer.name,
            trade_name=customer.trade_name,
            tax_id=None if tax is None else tax.digits,
            lines=[(p.match_key, p.type) for p in customer.phones if p.is_identity],
            whatsapp=[k for m in customer.messenger_ids if (k := m.phone_key) is not None],
            emails=[e.match_key for e in customer.emails],
            cities=[a.city for a in customer.addresses],
            ceps=[a.cep for a in customer.addresses],
        )

    @classmethod
    def from_parts(
        cls,
        id: str,
        /,
        *,
        company: bool,
        name: str,
        trade_name: str | None,
        tax_id: str | None,
        lines: Iterable[tuple[str, PhoneType]],
        whatsapp: Iterable[str],
        emails: Iterable[str],
        cities: Iterable[str | None],
        ceps: Iterable[str | None],
    ) -> MatchRecord:
        """The record of a customer given as the parts matching reads, as :meth:`of` takes them.

        For storage that can read these parts without rebuilding the customer:
        ``tax_id`` in compact form, ``lines`` the match key and type of each
        phone that is evidence of identity (not a *recado* number),
        ``whatsapp`` the line of each WhatsApp id
        (:attr:`~customer_core.domain.values.online.MessengerId.phone_key`),
        ``emails`` their match keys, ``cities`` and ``ceps`` those of the
        addresses, as stored (``None`` or empty where an address has none).
        """
        phones = set(whatsapp)
        mobiles = {key for key, typed in lines if _is_mobile_line(key, typed)}
        landlines = {key for key, _ in lines} - mobiles
        line_keys = mobiles | landlines | phones
        ddds = {_ddd_key(key[2:4]) for key in line_keys if key.startswith("55") and len(key) >= 12}
        return cls(
            id=id,
            company=company,
            names=_names(name, trade_name or None, company),
            tax_id=None if tax_id is None else f"{tax_id_kind(tax_id)}:{tax_id}",
            mobiles=tuple(sorted(mobiles | phones)),
            landlines=tuple(sorted(landlines - phones)),
            whatsapp=tuple(sorted(phones)),
            emails=tuple(sorted(set(emails))),
            ceps=tuple(sorted({cep.replace("-", "") for cep in ceps if cep})),
            areas=_shared_tuple(tuple(sorted({_city_key(c) for c in cities if c} | ddds))),
        )

    @property
    def lines(self) -> tuple[str, ...]:
        """Every phone line the record reaches."""
        return self.mobiles + self.landlines


# A tenant repeats names and cities: each is parsed once per process (the results are frozen).
_NAMES_CACHED = 1 << 16


@functools.lru_cache(maxsize=_NAMES_CACHED)
def _name_key(name: str, company: bool) -> NameKey:
    return NameKey.parse(name, company=company)


@functools.lru_cache(maxsize=_NAMES_CACHED)
def _names(name: str, trade_name: str | None, company: bool) -> tuple[NameKey, ...]:
    """A record's names: the name, and a trade name that is not the same words."""
    names = [_name_key(name, company)]
    if trade_name:
        trade = _name_key(trade_name, company)
        if trade.words != names[0].words:
            names.append(trade)
    return tuple(names)


@functools.lru_cache(maxsize=_NAMES_CACHED)
def _shared_tuple(values: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for every record with the same towns (a million records, a few thousand)."""
    return values


@functools.lru_cache(maxsize=_NAMES_CACHED)
def _city_key(city: str) -> str:
    return f"city:{fold(city)}"


@functools.lru_cache(maxsize=128)
def _ddd_key(ddd: str) -> str:
    return f"ddd:{ddd}"  # one string per area code, shared by every record


def _records(customers: Iterable[Customer | MatchRecord]) -> Iterator[MatchRecord]:
    for each in customers:
        yield each if isinstance(each, MatchRecord) else MatchRecord.of(each)
