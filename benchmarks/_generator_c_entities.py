"""The true entities of generator C and the hard-negative groups they come in.

Each entity is what the business would know if its records were clean: a
person's or company's full name, CPF/CNPJ, phones, e-mails and address.
``_generator_c_render`` writes the messy rows. Identifiers are unique per
entity unless a hard-negative group shares them on purpose.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import _generator_c_data as data

T = TypeVar("T")
City = tuple[str, str, str, str, int]

# Shares of the units drawn (the rest are plain entities).
UNIT_KINDS: list[tuple[str, float]] = [
    ("household", 3.0),
    ("owner_company", 4.0),
    ("couple", 2.5),
    ("father_son", 1.5),
    ("homonym", 2.0),
    ("cnpj_branch", 1.2),
    ("plain", 85.8),
]
PLAIN_COMPANY = 0.12
CHANGED_NUMBER = 0.30
MOVED = 0.05
OTHER_DDD = 0.10


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def plain_text(text: str) -> str:
    """Without accents (``São`` -> ``Sao``), as people type without them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _check_digits(digits: str, weights: list[int]) -> str:
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    rest = total % 11
    return "0" if rest < 2 else str(11 - rest)


def cpf_from(base: str) -> str:
    first = _check_digits(base, list(range(10, 1, -1)))
    return base + first + _check_digits(base + first, list(range(11, 1, -1)))


def cnpj_from(root: str, branch: int) -> str:
    base = f"{root}{branch:04d}"
    first = _check_digits(base, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return base + first + _check_digits(base + first, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])


@dataclass
class Address:
    street_type: int  # index into data.STREET_TYPES
    street: str
    number: str
    complement: str | None  # "apto 12", "casa 2", "bloco B apto 34", "sala 5", "fundos"
    neighbourhood: str | None
    cep: str  # 8 digits
    city: City


@dataclass
class Entity:
    id: str
    kind: str  # "person" or "company"
    city: City
    tax_id: str | None = None  # digits of a valid CPF (11) or CNPJ (14)
    given: str = ""
    woman: bool = False
    surnames: list[tuple[str | None, str]] = field(default_factory=list)
    suffix: str | None = None  # a son's "Júnior"/"Filho"
    legal_name: str = ""  # a company's legal name without its form
    legal_form: str | None = None  # key of data.LEGAL_FORMS, "ME", "MEI" or None
    trade_name: str | None = None
    branch_label: str | None = None  # "Filial Campinas", after the legal form
    mobile: str | None = None  # digits with DDD
    landline: str | None = None
    emails: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    old_mobile: str | None = None
    fresh_phone: Callable[[], str] | None = None  # a thin row's new number
    shared_landline: bool = False  # a household's: more often written down
    prepare: Callable[[Entity, int], None] | None = None

    def prepare_copies(self, copies: int) -> None:
        if self.prepare is not None:
            self.prepare(self, copies)

    def full_name(self) -> str:
        parts = [self.given] + [f"{p} {s}" if p else s for p, s in self.surnames]
        if self.suffix:
            parts.append(self.suffix)
        return " ".join(parts)


class Units:
    """Draws entities one unit at a time: a plain entity or a hard-negative group."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.hard_negatives: list[tuple[str, str, str]] = []
        self._next = 0
        self._used: set[str] = set()
        self._cities: list[tuple[City, float]] = [
            ((c, uf, ddd, cep, w), float(w)) for c, uf, ddd, cep, w in data.CITIES
        ]

    # -- identifiers, unique across the file ---------------------------------

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value

    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def cpf(self) -> str:
        return self._unique(lambda: cpf_from(self._digits(9)))

    def cnpj_root(self) -> str:
        # Eight digits never equal a phone, CPF or e-mail: one set serves all.
        return self._unique(lambda: self._digits(8))

    def mobile(self, ddd: str) -> str:
        return self._unique(lambda: ddd + "9" + self.rng.choice("6789") + self._digits(7))

    def landline(self, ddd: str) -> str:
        return self._unique(lambda: ddd + self.rng.choice("2345") + self._digits(7))

    def email(self, local: str, domain: str) -> str:
        address = f"{local}@{domain}"
        while _mailbox(address) in self._used:
            address = f"{local}{self.rng.randint(1, 999)}@{domain}"
        self._used.add(_mailbox(address))
        return address

    def company_email(self, mailbox: str, slug: str, city: City) -> str:
        """A company's mailbox; many small firms share a trade name but not a domain, and
        those without one of their own use a free mailbox."""
        town = _slug(city[0], words=3)
        for address in (
            f"{mailbox}@{slug}.com.br",
            f"{mailbox}@{slug}{town}.com.br",
            f"{slug}.{town}@gmail.com",
            f"{slug}{town}@hotmail.com",
        ):
            if _mailbox(address) not in self._used:
                self._used.add(_mailbox(address))
                return address
        return self.email(f"{slug}.{town}", "gmail.com")

    def entity_id(self) -> str:
        self._next += 1
        return f"C{self._next:06d}"

    # -- parts ---------------------------------------------------------------

    def city(self, other_than: City | None = None) -> City:
        while True:
            city = pick(self.rng, self._cities)
            if other_than is None or city[0] != other_than[0]:
                return city

    def phone_ddd(self, city: City) -> str:
        if self.rng.random() < OTHER_DDD:
            return self.city()[2]
        return city[2]

    def address(self, city: City, company: bool = False) -> Address:
        rng = self.rng
        types = [(i, float(w)) for i, (_, _, w) in enumerate(data.STREET_TYPES)]
        number = (
            "s/n" if rng.random() < 0.02 else str(min(9999, int(rng.lognormvariate(5, 1.1)) + 1))
        )
        complement = None
        if rng.random() < 0.40:
            complement = rng.choice(
                [f"sala {rng.randint(1, 40)}", f"loja {rng.randint(1, 9)}"]
                if company
                else [
                    f"apto {rng.randint(1, 20)}{rng.randint(1, 4)}",
                    f"casa {rng.randint(1, 6)}",
                    f"bloco {rng.choice('ABCD')} apto {rng.randint(1, 12)}{rng.randint(1, 4)}",
                    "fundos",
                ]
            )
        cep = (rng.choice(city[3].split("|")) + self._digits(8))[:8]
        return Address(
            street_type=pick(rng, types),
            street=rng.choice(data.STREET_NAMES),
            number=number,
            complement=complement,
            neighbourhood=rng.choice(data.NEIGHBOURHOODS) if rng.random() < 0.8 else None,
            cep=cep,
            city=city,
        )

    def surname_list(self) -> list[tuple[str | None, str]]:
        count = pick(self.rng, [(1, 30.0), (2, 60.0), (3, 10.0)])
        names: list[str] = []
        while len(names) < count:
            name = pick(self.rng, [(s, float(w)) for s, w in data.SURNAMES])
            if name not in names:
                names.append(name)
        return [(data.PARTICLES.get(n) if self.rng.random() < 0.6 else None, n) for n in names]

    def given(self, woman: bool) -> str:
        source = data.WOMEN if woman else data.MEN
        return pick(self.rng, [(g, float(w)) for g, w in source])

    def personal_email(self, given: str, surnames: list[tuple[str | None, str]]) -> str:
        rng = self.rng
        g = _slug(given.split()[0])
        s = _slug(surnames[-1][1])
        s2 = _slug(surnames[0][1])
        year = f"{rng.randint(60, 105) % 100:02d}"
        local = rng.choice(
            [
                f"{g}.{s}",
                f"{g}{s}",
                f"{g}_{s}",
                f"{g}.{s}{year}",
                f"{g}{year}",
                f"{g[0]}{s}",
                f"{g}.{s2}.{s}" if s2 != s else f"{g}.{s}",
                f"{s}.{g}",
                f"{g}{s}{year}",
            ]
        )
        domain = pick(self.rng, [(d, float(w)) for d, w in data.EMAIL_DOMAINS])
        return self.email(local, domain)

    # -- entities --------------------------------------------------------------

    def person(self, woman: bool | None = None, city: City | None = None) -> Entity:
        rng = self.rng
        woman = rng.random() < 0.52 if woman is None else woman
        city = city or self.city()
        given = self.given(woman)
        surnames = self.surname_list()
        entity = Entity(
            id=self.entity_id(),
            kind="person",
            city=city,
            tax_id=self.cpf(),
            given=given,
            woman=woman,
            surnames=surnames,
        )
        entity.mobile = self.mobile(self.phone_ddd(city))
        if rng.random() < 0.25:
            entity.landline = self.landline(city[2])
        entity.emails = [self.personal_email(given, surnames)]
        if rng.random() < 0.08:
            entity.emails.append(self.personal_email(given, surnames))
        entity.addresses = [self.address(city)]
        self._finish(entity)
        return entity

    def company(
        self,
        owner: Entity | None = None,
        root: str | None = None,
        branch: int = 1,
        city: City | None = None,
    ) -> Entity:
        rng = self.rng
        city = city or self.city()
        entity = Entity(id=self.entity_id(), kind="company", city=city)
        entity.tax_id = cnpj_from(root or self.cnpj_root(), branch)
        if owner is not None:
            owner_name = (
                owner.given + " " + " ".join(f"{p} {s}" if p else s for p, s in owner.surnames[-2:])
            )
            style = pick(
                rng,
                [("ME", 35.0), ("MEI", 15.0), ("EIRELI", 10.0), ("root", 10.0), ("trade", 30.0)],
            )
            if style == "root":
                entity.legal_name = (
                    f"{entity.tax_id[:2]}.{entity.tax_id[2:5]}.{entity.tax_id[5:8]} {owner_name}"
                )
                entity.legal_form = None
            elif style == "trade":
                entity.legal_name = owner_name
                entity.legal_form = rng.choice(["ME", "MEI", "LTDA"])
                entity.trade_name = self.trade_name(owner)
            else:
                entity.legal_name = owner_name
                entity.legal_form = style
            if style != "trade" and rng.random() < 0.4:
                entity.trade_name = self.trade_name(owner)
        else:
            surname = pick(rng, [(s, float(w)) for s, w in data.SURNAMES])
            other = pick(rng, [(s, float(w)) for s, w in data.SURNAMES])
            activity = rng.choice(data.COMPANY_ACTIVITIES)
            entity.legal_name = rng.choice(
                [
                    f"{surname} {activity}",
                    f"{surname} & {other} {activity}",
                    f"{self.trade_name(None)} {activity}",
                ]
            )
            entity.legal_form = pick(rng, [(k, float(w)) for k, _, w in data.LEGAL_FORMS])
            if rng.random() < 0.6:
                entity.trade_name = self.trade_name(None)
        ddd = city[2]
        entity.mobile = owner.mobile if owner is not None else self.mobile(ddd)
        if owner is None or rng.random() < 0.5:
            entity.landline = self.landline(ddd)
        slug = _slug(entity.trade_name or entity.legal_name, words=2)
        if owner is not None and rng.random() < 0.30:
            entity.emails = [owner.emails[0]]
        else:
            entity.emails = [self.company_email(rng.choice(data.COMPANY_MAILBOXES), slug, city)]
        entity.addresses = [self.address(city, company=True)]
        self._finish(entity)
        return entity

    def trade_name(self, owner: Entity | None) -> str:
        rng = self.rng
        if owner is not None and rng.random() < 0.5:
            goods = rng.choice(data.TRADE_GOODS)
            return f"{goods} {'da' if owner.woman else 'do'} {owner.given.split()[0]}"
        surname = pick(rng, [(s, float(w)) for s, w in data.SURNAMES])
        given = pick(rng, [(g, float(w)) for g, w in data.MEN])
        return rng.choice(data.TRADE_NAMES).format(s=surname, g=given.split()[0])

    def _finish(self, entity: Entity) -> None:
        entity.fresh_phone = lambda: self.mobile(self.phone_ddd(entity.city))

        def prepare(e: Entity, copies: int) -> None:
            if copies > 1 and e.mobile and self.rng.random() < CHANGED_NUMBER:
                e.old_mobile = self.mobile(e.mobile[:2])
            if copies > 1 and self.rng.random() < MOVED:
                e.addresses.append(self.address(e.city, company=e.kind == "company"))

        entity.prepare = prepare

    # -- units -----------------------------------------------------------------

    def draw(self) -> list[Entity]:
        kind = pick(self.rng, UNIT_KINDS)
        if kind == "plain":
            return [self.company() if self.rng.random() < PLAIN_COMPANY else self.person()]
        groups: dict[str, Callable[[], list[Entity]]] = {
            "household": self._household,
            "owner_company": self._owner_company,
            "couple": self._couple,
            "father_son": self._father_son,
            "homonym": self._homonym,
            "cnpj_branch": self._cnpj_branch,
        }
        entities = groups[kind]()
        for i, a in enumerate(entities):
            for b in entities[i + 1 :]:
                self.hard_negatives.append((a.id, b.id, kind))
        return entities

    def _household(self) -> list[Entity]:
        rng = self.rng
        a = self.person()
        b = self.person(city=a.city)
        while b.given.split()[0] == a.given.split()[0]:
            b.given = self.given(b.woman)
        if rng.random() < 0.7:
            b.surnames[-1] = a.surnames[-1]
        b.emails = [self.personal_email(b.given, b.surnames)]
        a.landline = a.landline or self.landline(a.city[2])
        b.landline = a.landline
        b.addresses = [a.addresses[0]]
        a.shared_landline = b.shared_landline = True
        return [a, b]

    def _owner_company(self) -> list[Entity]:
        owner = self.person()
        return [owner, self.company(owner=owner, city=owner.city)]

    def _couple(self) -> list[Entity]:
        rng = self.rng
        woman = rng.random() < 0.5
        a = self.person(woman=woman)
        b = self.person(woman=not woman if rng.random() < 0.85 else woman, city=a.city)
        while b.given.split()[0] == a.given.split()[0]:
            b.given = self.given(b.woman)
        if rng.random() < 0.5:
            b.surnames = [*b.surnames[:1], a.surnames[-1]]
        b.mobile = a.mobile
        if rng.random() < 0.5:
            g1, g2 = _slug(a.given.split()[0]), _slug(b.given.split()[0])
            shared = self.email(
                rng.choice([f"{g1}e{g2}", f"familia{_slug(a.surnames[-1][1])}", f"{g1}.{g2}"]),
                rng.choice(["gmail.com", "hotmail.com"]),
            )
            a.emails = [shared]
        b.emails = [a.emails[0]]
        b.addresses = [a.addresses[0]]
        return [a, b]

    def _father_son(self) -> list[Entity]:
        father = self.person(woman=False)
        son = self.person(woman=False, city=father.city)
        son.given, son.surnames = father.given, list(father.surnames)
        son.suffix = pick(self.rng, [(s, float(w)) for s, w in data.SON_SUFFIXES])
        son.emails = [self.personal_email(son.given, son.surnames)]
        if self.rng.random() < 0.5:
            son.addresses = [father.addresses[0]]
            son.landline = father.landline
        return [father, son]

    def _homonym(self) -> list[Entity]:
        name = self.rng.choice(data.COMMON_FULL_NAMES)
        given, rest = _split_common(name)
        entities = [self.person()]
        for _ in range(1 if self.rng.random() < 0.8 else 2):
            city = self.city()
            while any(city[0] == e.city[0] for e in entities):
                city = self.city()
            entities.append(self.person(city=city))
        for e in entities:
            e.given, e.surnames = given, list(rest)
            e.emails = [self.personal_email(given, rest)]
        return entities

    def _cnpj_branch(self) -> list[Entity]:
        root = self.cnpj_root()
        head = self.company(root=root)
        branches = [head]
        shared = self.rng.random() < 0.5
        for branch in range(2, 3 + (self.rng.random() < 0.4)):
            b = self.company(root=root, branch=branch, city=self.city(other_than=head.city))
            b.legal_name, b.legal_form, b.trade_name = (
                head.legal_name,
                head.legal_form,
                head.trade_name,
            )
            if self.rng.random() < 0.3:
                b.branch_label = f"Filial {b.city[0]}"
            slug = _slug(head.trade_name or head.legal_name, words=2)
            b.emails = (
                [head.emails[0]]
                if shared
                else [self.company_email(f"filial{branch}", slug, b.city)]
            )
            branches.append(b)
        if shared:
            slug = _slug(head.trade_name or head.legal_name, words=2)
            head.emails = [self.company_email("financeiro", slug, head.city)]
            for b in branches[1:]:
                b.emails = [head.emails[0]]
        return branches


def _mailbox(address: str) -> str:
    """The mailbox an address reaches: Gmail ignores dots in the local part, so
    ``ana.lima@gmail.com`` and ``analima@gmail.com`` are one person's, never two."""
    local, domain = address.lower().split("@")
    return f"{local.replace('.', '')}@{domain}" if domain == "gmail.com" else f"{local}@{domain}"


def _slug(text: str, words: int = 1) -> str:
    kept = [w for w in re.split(r"[^a-z0-9]+", plain_text(text).lower()) if w]
    kept = [w for w in kept if w not in {"da", "do", "de", "dos", "das", "e"}] or ["loja"]
    return "".join(kept[:words])


def _split_common(name: str) -> tuple[str, list[tuple[str | None, str]]]:
    """``Ana Paula da Silva`` -> (``Ana Paula``, [("da", "Silva")])."""
    words = name.split()
    givens = {g for g, _ in data.WOMEN + data.MEN}
    given = words[0]
    rest = words[1:]
    if rest and f"{given} {rest[0]}" in givens:
        given, rest = f"{given} {rest[0]}", rest[1:]
    surnames: list[tuple[str | None, str]] = []
    particle: str | None = None
    for w in rest:
        if w in {"da", "de", "do", "dos", "das"}:
            particle = w
        else:
            surnames.append((particle, w))
            particle = None
    return given, surnames
