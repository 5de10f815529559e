"""Quality of the duplicate report on messy Brazilian customer records with known truth.

Run: ``python benchmarks/matching_quality.py`` (20,000 records, no network;
``--records``, ``--seed`` and ``--threshold`` change the run, ``--examples N``
prints missed and wrong pairs with their evidence).

The generator makes people and companies (the *entities*) and then the
records a CRM collects about them over the years, from several channels:
the e-commerce sign-up (full name, CPF, address), an inbound WhatsApp chat
(profile name, the WhatsApp id, sometimes without the ninth digit), the
shop's till (CPF, phone), a helpdesk e-mail, an old spreadsheet import.
Each record is typed differently: accents dropped, capitals, typos, surname
first, abbreviated or dropped middle names, *Sousa*/*Souza* spellings, a
dozen phone formats (``0055``, carrier codes, trunk ``0``, no ninth digit, a
wrong area code), e-mails in capitals or with a mistyped domain, tax ids and
CEPs formatted, bare or stripped of their leading zeros by Excel, and missing
fields. Hard negatives sit among them and must stay apart:

- households sharing a landline and a CEP: a father and his son *Júnior*
  or *Filho* (same first names), and the mother;
- an owner and their company sharing the owner's mobile;
- homonyms (two people with the same full name) with different CPFs, half of
  them neighbours with the same CEP.

Records are parsed with the library's value objects (``Phone.parse``,
``Email.parse``, ``parse_tax_id``, ``Address.create``) into ``Customer``
objects. A value the parser rejects is dropped, as the importer would drop
it; a tax id or CEP that lost its leading zeros in Excel is padded back
before parsing (counted below). Records of one person may hold the same
phone or e-mail: the pure functions work without storage and its unique
index.

Figures: pairwise precision, recall and F1 of the suggestions plus the
exact clusters against the truth (each suggested pair, and every pair inside
a cluster), the same after chaining (connected components: what a reviewer
merging pair after pair ends up with), the share of hard-negative pairs
suggested, wall time of the matcher and its peak memory (tracemalloc, with
the customers streamed through a generator). When splink is importable, it
runs on the same records as an unsupervised reference and is printed
alongside: Fellegi-Sunter comparisons of first name, surname, whole name,
phone, e-mail, tax id, CEP and kind, u from random sampling, m by EM on
phone, tax-id and e-mail blocks, no labels, pairs at match probability
≥ 0.9 (``--splink-probability``); its time includes training.
"""

from __future__ import annotations

import argparse
import csv
import gc
import importlib
import logging
import random
import resource
import string
import sys
import time
import tracemalloc
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path
from typing import Any

from stdnum.br import cnpj as stdnum_cnpj

from customer_core import Customer
from customer_core.domain.matching.duplicates import (
    MatchRecord,
    exact_clusters,
    key_holders,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import MessengerId
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import cpf_check_digits, parse_tax_id
from customer_core.errors import CustomerCoreError

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
TARGETS = {"precision": 0.98, "recall": 0.96, "f1": 0.97, "hard": 0.02, "time": 15.0, "mb": 1024}

# -- name pools (weights roughly follow Brazilian frequencies) ------------------

FEMALE = (
    "Maria:40 Ana:20 Francisca:6 Antônia:5 Adriana:4 Juliana:4 Márcia:4 Fernanda:4 "
    "Patrícia:4 Aline:4 Sandra:3 Camila:3 Amanda:3 Bruna:3 Jéssica:3 Letícia:3 Júlia:3 "
    "Luciana:3 Vanessa:3 Mariana:3 Gabriela:3 Vera:2 Vitória:2 Larissa:2 Cláudia:2 "
    "Beatriz:2 Luana:2 Rita:2 Sônia:2 Renata:2 Eliane:2 Josefa:2 Simone:2 Natália:2 "
    "Raimunda:2 Cristina:2 Thaís:2 Tatiane:2 Débora:2 Elaine:2 Kátia:2 Cecília:1 "
    "Heloísa:1 Isabel:1 Yasmin:1 Jaqueline:1 Michele:1 Rafaela:1 Daniela:1 Paula:2 "
    "Luiza:1 Helena:1 Priscila:1 Viviane:1 Rosana:1 Silvana:1 Elisângela:1 Rosângela:1 "
    "Fabiana:1 Carolina:1 Alessandra:1 Tânia:1 Regina:1 Lúcia:1 Sueli:1 Andréia:1 "
    "Raquel:1 Carla:1 Nathália:1 Joana:1"
)
MALE = (
    "José:30 João:20 Antônio:10 Francisco:8 Carlos:8 Paulo:7 Pedro:6 Lucas:6 Luiz:5 "
    "Marcos:5 Luís:3 Gabriel:4 Rafael:4 Daniel:4 Marcelo:4 Bruno:3 Eduardo:3 Felipe:3 "
    "Raimundo:3 Rodrigo:3 Manoel:3 Mateus:2 André:3 Fernando:3 Fábio:2 Leonardo:2 "
    "Gustavo:2 Guilherme:2 Leandro:2 Tiago:2 Anderson:2 Ricardo:2 Márcio:2 Jorge:2 "
    "Sebastião:2 Alexandre:2 Roberto:2 Edson:2 Diego:2 Vítor:2 Sérgio:2 Cláudio:2 "
    "Matheus:2 Thiago:2 Geraldo:2 Adriano:1 Luciano:1 Júlio:1 Renato:1 Vinícius:1 "
    "Rogério:1 Samuel:1 Ronaldo:1 Mário:1 Flávio:1 Igor:1 Douglas:1 Davi:1 Wellington:1 "
    "Wagner:1 Walter:1 Henrique:1 Otávio:1 Caio:1 Murilo:1 Arthur:1 Heitor:1 "
    "Benedito:1 Joaquim:1 Raphael:1"
)
FEMALE_COMPOUND = (
    "Maria José:2 Ana Paula:4 Maria Aparecida:4 Maria de Fátima:3 Ana Carolina:2 "
    "Maria Eduarda:2 Ana Clara:1 Maria Clara:1 Ana Luiza:1 Maria das Graças:2 "
    "Maria do Socorro:2 Ana Beatriz:1 Maria Luiza:1 Maria Helena:1"
)
MALE_COMPOUND = (
    "João Pedro:4 José Carlos:4 Luiz Fernando:2 João Paulo:3 José Roberto:2 "
    "Carlos Eduardo:3 Luiz Carlos:2 Paulo Roberto:2 Antônio Carlos:2 Pedro Henrique:2 "
    "João Vitor:2 José Antônio:2 Francisco das Chagas:1 Luís Henrique:1 José Ricardo:1"
)
SURNAMES = (
    "Silva:60 Santos:40 Oliveira:30 Souza:28 Rodrigues:18 Ferreira:17 Alves:17 "
    "Pereira:16 Lima:15 Gomes:14 Costa:13 Ribeiro:13 Martins:12 Carvalho:12 "
    "Almeida:11 Lopes:10 Soares:10 Fernandes:10 Vieira:10 Barbosa:9 Rocha:9 Dias:9 "
    "Nascimento:9 Andrade:8 Moreira:8 Nunes:8 Marques:8 Machado:7 Mendes:7 Freitas:7 "
    "Cardoso:7 Ramos:7 Gonçalves:7 Santana:6 Teixeira:6 Araújo:6 Conceição:5 "
    "Cavalcanti:4 Albuquerque:3 Batista:5 Barros:5 Campos:5 Pinto:4 Moura:4 Correia:4 "
    "Melo:5 Castro:4 Cunha:4 Monteiro:4 Nogueira:4 Azevedo:4 Reis:5 Brito:4 "
    "Queiroz:3 Siqueira:3 Xavier:3 Rezende:3 Guimarães:3 Tavares:3 Farias:3 Leite:3 "
    "Medeiros:3 Pires:3 Sales:3 Borges:3 Bezerra:3 Cruz:3 Macedo:3 Sampaio:2 "
    "Vasconcelos:2 Fonseca:2 Peixoto:2 Coelho:2 Duarte:2 Magalhães:2 Matos:2 Paiva:2 "
    "Prado:2 Aguiar:2 Figueiredo:2 Mello:1 Baptista:1 Sousa:4 Rezende:1 Thomaz:1"
)
#: Surnames that take a particle, and which one.
PARTICLE = {
    "Silva": "da",
    "Santos": "dos",
    "Souza": "de",
    "Sousa": "de",
    "Oliveira": "de",
    "Costa": "da",
    "Almeida": "de",
    "Nascimento": "do",
    "Conceição": "da",
    "Cruz": "da",
    "Paiva": "de",
    "Andrade": "de",
    "Reis": "dos",
    "Prado": "do",
}
#: Spellings of the same name that people really use.
SPELLINGS = {
    "Souza": "Sousa",
    "Sousa": "Souza",
    "Luiz": "Luís",
    "Luís": "Luiz",
    "Thiago": "Tiago",
    "Tiago": "Thiago",
    "Matheus": "Mateus",
    "Mateus": "Matheus",
    "Rafael": "Raphael",
    "Raphael": "Rafael",
    "Felipe": "Filipe",
    "Vítor": "Victor",
    "Walter": "Valter",
    "Igor": "Ygor",
    "Kátia": "Cátia",
    "Thaís": "Taís",
    "Isabel": "Izabel",
    "Elisângela": "Elizangela",
    "Jaqueline": "Jacqueline",
    "Michele": "Michelle",
    "Mello": "Melo",
    "Melo": "Mello",
    "Baptista": "Batista",
    "Batista": "Baptista",
    "Queiroz": "Queirós",
    "Heloísa": "Eloísa",
    "Nathália": "Natália",
    "Wellington": "Welington",
    "Yasmin": "Yasmim",
    "Raimundo": "Raymundo",
    "Rezende": "Resende",
    "Thomaz": "Tomás",
    "Luiza": "Luísa",
    "Manoel": "Manuel",
    "Cecília": "Cecilia",
}
SUFFIX_SPELLINGS = {
    "Júnior": ("Júnior", "Junior", "Jr.", "JR", "Jr"),
    "Filho": ("Filho", "Filho", "Fº", "Fo."),
    "Neto": ("Neto",),
}
COMPANY_WORDS = (
    "Materiais de Construção",
    "Comércio de Alimentos",
    "Auto Peças",
    "Padaria",
    "Farmácia",
    "Distribuidora",
    "Transportes",
    "Serviços Contábeis",
    "Confecções",
    "Mercearia",
    "Informática",
    "Engenharia",
)
COMPANY_FORMS = ("Ltda", "LTDA.", "Ltda - ME", "ME", "EIRELI", "S/A", "S.A.", "SA", "EPP", "MEI")
STREETS = (
    "Rua das Flores",
    "Av. Brasil",
    "Rua XV de Novembro",
    "Rua Sete de Setembro",
    "Av. Getúlio Vargas",
    "Rua São João",
    "Alameda Santos",
    "Rua da Consolação",
    "Rua Bahia",
    "Travessa Boa Vista",
)
# city, UF, area code, CEP prefix range (5 digits), weight
CITIES = (
    ("São Paulo", "SP", "11", (1000, 5999), 30),
    ("Guarulhos", "SP", "11", (7000, 7399), 3),
    ("Campinas", "SP", "19", (13000, 13139), 4),
    ("Santos", "SP", "13", (11000, 11099), 2),
    ("Rio de Janeiro", "RJ", "21", (20000, 23799), 16),
    ("Niterói", "RJ", "21", (24000, 24399), 2),
    ("Belo Horizonte", "MG", "31", (30000, 31999), 7),
    ("Salvador", "BA", "71", (40000, 42499), 6),
    ("Recife", "PE", "81", (50000, 52999), 5),
    ("Fortaleza", "CE", "85", (60000, 61599), 5),
    ("Curitiba", "PR", "41", (80000, 82999), 5),
    ("Porto Alegre", "RS", "51", (90000, 91999), 4),
    ("Manaus", "AM", "92", (69000, 69099), 4),
    ("Belém", "PA", "91", (66000, 66999), 3),
    ("Goiânia", "GO", "62", (74000, 74899), 3),
    ("Brasília", "DF", "61", (70000, 73699), 5),
    ("Vitória", "ES", "27", (29000, 29099), 2),
    ("Florianópolis", "SC", "48", (88000, 88099), 2),
)
#: Small towns with one CEP for the whole town (a CEP shared by everyone there).
TOWNS = (
    ("Ouro Preto", "MG", "31", "35400-000"),
    ("Paraty", "RJ", "24", "23970-000"),
    ("Tiradentes", "MG", "32", "36325-000"),
    ("Lençóis", "BA", "75", "46960-000"),
    ("Bonito", "MS", "67", "79290-000"),
    ("Pirenópolis", "GO", "62", "72980-000"),
    ("Morretes", "PR", "41", "83350-000"),
    ("Penedo", "AL", "82", "57200-000"),
)
FREE_MAIL = (
    ("gmail.com", 50),
    ("hotmail.com", 20),
    ("yahoo.com.br", 8),
    ("outlook.com", 7),
    ("uol.com.br", 4),
    ("bol.com.br", 4),
    ("terra.com.br", 2),
    ("icloud.com", 2),
)
DOMAIN_TYPOS = {
    "gmail.com": ("gmial.com", "gmail.com.br", "gmai.com", "gamil.com"),
    "hotmail.com": ("hotmial.com", "hotmail.com.br", "hotmal.com"),
    "yahoo.com.br": ("yaho.com.br", "yahoo.com"),
    "outlook.com": ("outlok.com", "outlook.com.br"),
}
CARRIERS = ("21", "15", "41", "14", "31")
KEYBOARD = {
    "a": "qsz",
    "e": "wrd",
    "i": "uok",
    "o": "ipl",
    "u": "yij",
    "r": "etf",
    "s": "adz",
    "n": "bm",
    "m": "n",
    "l": "kp",
    "t": "ry",
    "c": "xv",
    "d": "sf",
}


def weighted(spec: str) -> tuple[list[str], list[int]]:
    names, weights = [], []
    for item in spec.split(" "):
        if not item:
            continue
        name, _, weight = item.rpartition(":")
        names.append(name)
        weights.append(int(weight))
    return names, weights


def _pairs(spec: str) -> tuple[list[str], list[int]]:
    names, weights = [], []
    chunks = [c.strip() for c in spec.replace("  ", " ").split(" ") if c.strip()]
    current: list[str] = []
    for chunk in chunks:
        if ":" in chunk:
            word, _, weight = chunk.partition(":")
            current.append(word)
            names.append(" ".join(current))
            weights.append(int(weight))
            current = []
        else:
            current.append(chunk)
    return names, weights


class Pools:
    def __init__(self) -> None:
        self.female = weighted(FEMALE)
        self.male = weighted(MALE)
        self.female_compound = _pairs(FEMALE_COMPOUND)
        self.male_compound = _pairs(MALE_COMPOUND)
        self.surnames = weighted(SURNAMES)


POOLS = Pools()


# -- entities -----------------------------------------------------------------


@dataclass
class Entity:
    """A person or a company, the truth behind one or more records."""

    id: int
    company: bool
    given: list[str] = field(default_factory=list)  # first and middle names
    surnames: list[str] = field(default_factory=list)
    generation: str | None = None  # Júnior, Filho, Neto
    legal_name: str = ""  # companies
    trade_name: str = ""
    tax_id: str | None = None  # digits
    mobile: tuple[str, str] | None = None  # (area code, 9 digits)
    landline: tuple[str, str] | None = None  # (area code, 8 digits)
    emails: list[str] = field(default_factory=list)
    city: tuple[str, str, str] = ("", "", "")  # city, uf, area code
    cep: str | None = None  # 8 digits
    street: str = ""
    group: tuple[str, int] | None = None  # hard-negative group (kind, number)
    cpf_always: bool = False  # homonyms: the shop requires the CPF


def pick(rng: random.Random, pool: tuple[list[str], list[int]]) -> str:
    return rng.choices(pool[0], pool[1])[0]


def make_cpf(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(9))
    if rng.random() < 0.12:  # CPFs issued in some states start with 0
        body = "0" + body[1:]
    return body + cpf_check_digits(body)


def make_cnpj(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(8)) + "0001"
    if rng.random() < 0.1:
        body = "0" + body[1:]
    return str(body + stdnum_cnpj.calc_check_digits(body))


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())


def place(rng: random.Random, entity: Entity) -> None:
    if rng.random() < 0.04:
        town, uf, ddd, cep = rng.choice(TOWNS)
        entity.city, entity.cep = (town, uf, ddd), cep.replace("-", "")
    else:
        city, uf, ddd, (low, high), _ = rng.choices(CITIES, [c[4] for c in CITIES])[0]
        entity.city = (city, uf, ddd)
        entity.cep = f"{rng.randrange(low, high):05d}{rng.randrange(0, 1000, 10):03d}"
    entity.street = f"{rng.choice(STREETS)}, {rng.randrange(1, 3000)}"


def mobile_number(rng: random.Random) -> str:
    return f"9{rng.choice('6789')}{rng.randrange(10**6, 10**7)}"


def landline_number(rng: random.Random) -> str:
    return f"{rng.choice('2345')}{rng.randrange(10**6, 10**7)}"


#: Every mailbox belongs to one person or company.
USED_EMAILS: set[str] = set()


def unique_email(rng: random.Random, local: str, domain: str) -> str:
    email = f"{local}@{domain}"
    while email in USED_EMAILS:
        email = f"{local}{rng.randrange(1, 100)}@{domain}"
    USED_EMAILS.add(email)
    return email


def email_for(rng: random.Random, given: list[str], surnames: list[str]) -> str:
    first, last = ascii_fold(given[0]).lower(), ascii_fold(surnames[-1]).lower()
    style = rng.random()
    if style < 0.3:
        local = f"{first}.{last}"
    elif style < 0.45:
        local = f"{first}{last}"
    elif style < 0.6:
        local = f"{first}_{last}{rng.randrange(1, 99)}"
    elif style < 0.75:
        local = f"{first}.{last}{rng.randrange(1960, 2010)}"
    elif style < 0.85:
        local = f"{first[0]}{last}{rng.randrange(1, 999)}"
    else:
        local = f"{first}{rng.randrange(10, 9999)}"
    domain = rng.choices([d for d, _ in FREE_MAIL], [w for _, w in FREE_MAIL])[0]
    return unique_email(rng, local, domain)


def person(
    rng: random.Random, eid: int, *, female: bool | None = None, like: Entity | None = None
) -> Entity:
    if female is None:
        female = rng.random() < 0.52
    e = Entity(eid, company=False)
    if like is not None:
        e.given, e.surnames = list(like.given), list(like.surnames)
    else:
        r = rng.random()
        if r < 0.25:
            e.given = pick(rng, POOLS.female_compound if female else POOLS.male_compound).split()
        else:
            e.given = [pick(rng, POOLS.female if female else POOLS.male)]
            if r > 0.85:
                e.given.append(pick(rng, POOLS.female if female else POOLS.male))
        count = rng.choices((1, 2, 3), (25, 60, 15))[0]
        while len(e.surnames) < count:
            surname = pick(rng, POOLS.surnames)
            if surname not in e.surnames:
                e.surnames.append(surname)
    e.tax_id = make_cpf(rng) if rng.random() < 0.75 else None
    place(rng, e)
    ddd = e.city[2]
    e.mobile = (ddd, mobile_number(rng)) if rng.random() < 0.95 else None
    e.landline = (ddd, landline_number(rng)) if rng.random() < 0.25 else None
    if rng.random() < 0.88 or e.mobile is None:
        e.emails.append(email_for(rng, e.given, e.surnames))
        if rng.random() < 0.1:  # a second mailbox, often the same name at another provider
            local = e.emails[0].partition("@")[0]
            if rng.random() < 0.5:
                other = [d for d, _ in FREE_MAIL if not e.emails[0].endswith("@" + d)]
                e.emails.append(unique_email(rng, local, rng.choice(other)))
            else:
                e.emails.append(email_for(rng, e.given, e.surnames))
    return e


def company(rng: random.Random, eid: int, owner: Entity) -> Entity:
    e = Entity(eid, company=True)
    first, last = owner.given[0], owner.surnames[-1]
    form = rng.choice(COMPANY_FORMS)
    style = rng.random()
    if style < 0.3:  # a micro-enterprise in the owner's name
        e.legal_name = f"{first} {' '.join(owner.surnames)} {form}"
        e.trade_name = f"{rng.choice(COMPANY_WORDS)} {last}"
    elif style < 0.45:  # MEI: the owner's name and the CNPJ number
        e.tax_id = make_cnpj(rng)
        e.legal_name = f"{first} {' '.join(owner.surnames)} {e.tax_id}"
        e.trade_name = f"{rng.choice(COMPANY_WORDS)} do {first}"
    else:
        e.legal_name = f"{rng.choice(COMPANY_WORDS)} {last} {form}"
        e.trade_name = f"{rng.choice(COMPANY_WORDS)} {last}"
    e.tax_id = e.tax_id or make_cnpj(rng)
    e.city, e.cep, e.street = owner.city, owner.cep, owner.street
    if rng.random() < 0.6:  # the shop is elsewhere
        place(rng, e)
    e.mobile = owner.mobile
    e.landline = (e.city[2], landline_number(rng)) if rng.random() < 0.5 else None
    slug = ascii_fold(last).lower() + rng.choice(("", "materiais", "comercio", "servicos"))
    e.emails = [
        unique_email(rng, rng.choice(("contato", "vendas", "financeiro")), f"{slug}.com.br")
    ]
    return e


@dataclass
class World:
    entities: list[Entity]
    counts: dict[int, int]  # entity id -> number of records


def records_per_entity(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4), (52, 32, 11, 5))[0]


def make_world(rng: random.Random, target: int) -> World:
    entities: list[Entity] = []
    counts: dict[int, int] = {}
    total = 0

    def add(e: Entity) -> None:
        nonlocal total
        entities.append(e)
        counts[e.id] = records_per_entity(rng)
        total += counts[e.id]

    groups = max(1, target // 60)
    for g in range(groups):  # households: father, son (Júnior/Filho), mother
        father = person(rng, len(entities), female=False)
        father.group = ("household", g)
        father.landline = father.landline or (father.city[2], landline_number(rng))
        add(father)
        son = person(rng, len(entities), female=False, like=father)
        son.generation = rng.choice(("Júnior", "Júnior", "Filho", "Neto"))
        son.group, son.landline = father.group, father.landline
        son.city, son.cep, son.street = father.city, father.cep, father.street
        add(son)
        mother = person(rng, len(entities), female=True)
        mother.surnames = [*mother.surnames[:1], father.surnames[-1]]
        mother.group, mother.landline = father.group, father.landline
        mother.city, mother.cep, mother.street = father.city, father.cep, father.street
        add(mother)
    for g in range(groups):  # an owner and their company share the owner's mobile
        owner = person(rng, len(entities))
        owner.mobile = owner.mobile or (owner.city[2], mobile_number(rng))
        owner.group = ("owner_company", g)
        add(owner)
        firm = company(rng, len(entities), owner)
        firm.group = owner.group
        add(firm)
    for g in range(groups):  # homonyms with different CPFs, half of them neighbours
        one = person(rng, len(entities))
        one.tax_id, one.cpf_always = one.tax_id or make_cpf(rng), True
        one.group = ("homonyms", g)
        add(one)
        two = person(rng, len(entities), like=one)
        two.tax_id, two.cpf_always, two.group = two.tax_id or make_cpf(rng), True, one.group
        if rng.random() < 0.5:
            two.city, two.cep, two.street = one.city, one.cep, one.street
        add(two)
    while total < target:
        if rng.random() < 0.06:
            owner = person(rng, len(entities))
            add(owner)
            add(company(rng, len(entities), owner))
        else:
            add(person(rng, len(entities)))
    return World(entities, counts)


# -- messy rendering ------------------------------------------------------------


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.3:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.55:
        return word[:i] + word[i + 1 :]
    if op < 0.75:
        return word[:i] + word[i] + word[i:]
    near = KEYBOARD.get(word[i].lower())
    return word[:i] + rng.choice(near) + word[i + 1 :] if near else word


def render_person_name(rng: random.Random, e: Entity, channel: str) -> str:
    given, surnames = list(e.given), list(e.surnames)
    if channel == "whatsapp" and rng.random() < 0.6:  # a profile name
        words = [given[0]] if rng.random() < 0.3 else [given[0], surnames[-1]]
        if e.generation and len(words) > 1:
            words.append(e.generation)
        text = " ".join(words)
        return text.lower() if rng.random() < 0.3 else text
    middle = given[1:] + surnames[:-1]
    r = rng.random()
    if r < 0.2 and middle:
        middle = []  # dropped middle names
    elif r < 0.35 and middle:
        middle = [f"{w[0]}." for w in middle]  # abbreviated
    words_first = [given[0], *middle[: len(given) - 1]] if middle else [given[0]]
    rest = middle[len(given) - 1 :] if middle else []

    def with_particle(w: str) -> list[str]:
        if w in PARTICLE and rng.random() < 0.6:
            return [PARTICLE[w], w]
        return [w]

    surname_words = [x for w in [*rest, surnames[-1]] for x in with_particle(w)]
    if rng.random() < 0.06:
        words_first = [SPELLINGS.get(w, w) for w in words_first]
    if rng.random() < 0.06:
        surname_words = [SPELLINGS.get(w, w) for w in surname_words]
    if rng.random() < 0.1:  # one typo somewhere
        everything = words_first + surname_words
        k = rng.randrange(len(everything))
        everything[k] = typo(rng, everything[k])
        words_first, surname_words = everything[: len(words_first)], everything[len(words_first) :]
    suffix = [rng.choice(SUFFIX_SPELLINGS[e.generation])] if e.generation else []
    order = rng.random()
    if order < 0.05:
        text = f"{' '.join(surname_words)}, {' '.join(words_first + suffix)}"
    elif order < 0.08:
        text = " ".join([*surname_words, *words_first, *suffix])
    else:
        text = " ".join([*words_first, *surname_words, *suffix])
    return styled(rng, text)


def styled(rng: random.Random, text: str) -> str:
    if rng.random() < 0.35:
        text = ascii_fold(text)
    case = rng.random()
    if case < 0.2:
        return text.upper()
    if case < 0.26:
        return text.lower()
    return text


def render_company_name(rng: random.Random, e: Entity) -> tuple[str, str | None]:
    legal = e.legal_name
    if rng.random() < 0.5:  # another spelling of the legal form, or none
        for form in sorted(COMPANY_FORMS, key=len, reverse=True):
            if legal.endswith(" " + form):
                legal = legal[: -len(form) - 1]
                break
        legal = f"{legal} {rng.choice(COMPANY_FORMS)}" if rng.random() < 0.6 else legal
    if rng.random() < 0.25:
        return styled(rng, e.trade_name), None
    trade = e.trade_name if rng.random() < 0.4 else None
    return styled(rng, legal), trade


def render_mobile(rng: random.Random, ddd: str, number: str) -> str:
    if rng.random() < 0.015:  # a wrong area code
        ddd = rng.choice([c[2] for c in CITIES if c[2] != ddd])
    old = number[1:]  # without the ninth digit
    style = rng.randrange(12)
    return [
        f"({ddd}) {number[:5]}-{number[5:]}",
        f"{ddd}{number}",
        f"+55 {ddd} {number[:5]}-{number[5:]}",
        f"+55{ddd}{number}",
        f"0055 {ddd} {number[:5]} {number[5:]}",
        f"0 {rng.choice(CARRIERS)} {ddd} {number[:5]}-{number[5:]}",
        f"0{ddd} {number[:5]}-{number[5:]}",
        f"({ddd}) {old[:4]}-{old[4:]}",
        f"+55 ({ddd}) {old[:4]}-{old[4:]}",
        f"55 {ddd} {number[:5]}-{number[5:]}",
        f"{ddd} 9 {number[1:5]}-{number[5:]}",
        f"{ddd} {number}",
    ][style]


def render_landline(rng: random.Random, ddd: str, number: str) -> str:
    style = rng.randrange(6)
    return [
        f"({ddd}) {number[:4]}-{number[4:]}",
        f"{ddd}{number}",
        f"+55 {ddd} {number[:4]}-{number[4:]}",
        f"0{ddd} {number[:4]} {number[4:]}",
        f"0 {rng.choice(CARRIERS)} {ddd} {number[:4]}-{number[4:]}",
        f"0055 ({ddd}) {number[:4]}-{number[4:]}",
    ][style]


def render_email(rng: random.Random, email: str) -> str:
    local, _, domain = email.partition("@")
    if rng.random() < 0.04 and domain in DOMAIN_TYPOS:
        domain = rng.choice(DOMAIN_TYPOS[domain])
    if rng.random() < 0.015:
        letters = [i for i, c in enumerate(local) if c.isalpha()][1:]
        if letters:
            i = rng.choice(letters)
            local = local[:i] + local[i + 1 :]
    case = rng.random()
    if case < 0.15:
        local = local.upper()
    elif case < 0.3:
        local = local.capitalize()
    if rng.random() < 0.1:
        domain = domain.upper()
    return f"{local}@{domain}"


def render_tax_id(rng: random.Random, digits: str) -> str:
    cpf = len(digits) == 11
    r = rng.random()
    if r < 0.4:
        if cpf:
            return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"
    if r < 0.75:
        return digits
    if r < 0.92:
        return digits.lstrip("0")  # an Excel column that ate the leading zeros
    return f" {digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]} "


def render_cep(rng: random.Random, cep: str) -> str:
    r = rng.random()
    if r < 0.45:
        return f"{cep[:5]}-{cep[5:]}"
    if r < 0.75:
        return cep
    if r < 0.92:
        return cep.lstrip("0")
    return f"{cep[:2]}.{cep[2:5]}-{cep[5:]}"


CHANNELS = ("ecommerce", "whatsapp", "store", "email", "spreadsheet")
CHANNEL_WEIGHTS = (30, 20, 20, 14, 16)
# Chance that a record from this channel carries: mobile, landline, e-mail, tax id, address.
# Support agents usually ask for the CPF ("qual o seu CPF?") or an e-mail to find the
# customer, and e-mail signatures often carry a phone; the share of true pairs that share
# nothing but the name follows from these rates and is printed with the results.
CARRIES = {
    "ecommerce": (0.95, 0.3, 0.97, 0.85, 0.9),
    "whatsapp": (1.0, 0.0, 0.55, 0.45, 0.2),
    "store": (0.85, 0.4, 0.6, 0.9, 0.6),
    "email": (0.75, 0.1, 1.0, 0.5, 0.2),
    "spreadsheet": (0.85, 0.5, 0.7, 0.6, 0.65),
}


@dataclass
class Row:
    """One raw record as typed, and the truth behind it."""

    entity: int
    company: bool
    channel: str
    name: str
    trade_name: str | None = None
    phones: list[str] = field(default_factory=list)
    whatsapp: str | None = None
    emails: list[str] = field(default_factory=list)
    tax_id: str | None = None
    address: dict[str, str] | None = None


def render(rng: random.Random, e: Entity, sparse: float = 1.0) -> Row:
    """One record of ``e``; ``sparse`` < 1 scales down every optional field's chance."""
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    rates = CARRIES[channel]
    mobile_p, landline_p, email_p, tax_p, address_p = (p if p == 1.0 else p * sparse for p in rates)
    if e.company:
        name, trade = render_company_name(rng, e)
        row = Row(e.id, True, channel, name, trade)
    else:
        row = Row(e.id, False, channel, render_person_name(rng, e, channel))
    if e.mobile and rng.random() < mobile_p:
        ddd, number = e.mobile
        if channel == "whatsapp":
            row.whatsapp = f"55{ddd}{number[1:] if rng.random() < 0.4 else number}"
            if rng.random() < 0.3:
                row.phones.append(render_mobile(rng, ddd, number))
        else:
            row.phones.append(render_mobile(rng, ddd, number))
    if e.landline and rng.random() < landline_p:
        row.phones.append(render_landline(rng, *e.landline))
    if e.emails and rng.random() < email_p:
        row.emails.append(render_email(rng, rng.choice(e.emails)))
    if e.tax_id and (e.cpf_always or rng.random() < tax_p):
        row.tax_id = render_tax_id(rng, e.tax_id)
    if e.cep and rng.random() < address_p:
        city, uf, _ = e.city
        row.address = {"street": e.street, "city": city, "uf": uf}
        if rng.random() < 0.85:
            row.address["cep"] = render_cep(rng, e.cep)
    if not (row.phones or row.whatsapp or row.emails or row.tax_id):
        if e.mobile:  # every record carries some way to reach the customer
            row.phones.append(render_mobile(rng, *e.mobile))
        elif e.emails:
            row.emails.append(render_email(rng, e.emails[0]))
    return row


def generate(
    target: int, seed: int, sparse: float = 1.0
) -> tuple[list[Row], dict[int, tuple[str, int]]]:
    """The rows (shuffled) and the hard-negative group of each entity in one."""
    rng = random.Random(seed)
    USED_EMAILS.clear()
    world = make_world(rng, target)
    rows = [render(rng, e, sparse) for e in world.entities for _ in range(world.counts[e.id])]
    rng.shuffle(rows)
    return rows, {e.id: e.group for e in world.entities if e.group is not None}


# -- parsing through the value objects ---------------------------------------------

PARSE_STATS: Counter[str] = Counter()


def parse_tax(text: str) -> Any:
    try:
        return parse_tax_id(text)
    except CustomerCoreError:
        digits = "".join(c for c in text if c.isdigit())
        if digits == text.strip() and len(digits) in (9, 10, 12, 13):
            PARSE_STATS["tax id padded (Excel)"] += 1
            try:
                return parse_tax_id(digits.zfill(11 if len(digits) < 11 else 14))
            except CustomerCoreError:
                pass
        PARSE_STATS["tax id rejected"] += 1
        return None


def parse_address(fields: dict[str, str]) -> Address | None:
    cep = fields.get("cep")
    if cep is not None and cep.isdigit() and len(cep) < 8:
        PARSE_STATS["CEP padded (Excel)"] += 1
        fields = {**fields, "cep": cep.zfill(8)}
    try:
        return Address.create(
            street=fields.get("street"),
            city=fields.get("city"),
            uf=fields.get("uf"),
            cep=fields.get("cep"),
        )
    except CustomerCoreError:
        PARSE_STATS["address rejected"] += 1
        return None


def to_customer(index: int, row: Row) -> Customer:
    phones = []
    for text in row.phones:
        try:
            phones.append(Phone.parse(text))
        except CustomerCoreError:
            PARSE_STATS["phone rejected"] += 1
    emails = []
    for text in row.emails:
        try:
            emails.append(Email.parse(text))
        except CustomerCoreError:
            PARSE_STATS["e-mail rejected"] += 1
    messengers = [MessengerId.parse("whatsapp", row.whatsapp)] if row.whatsapp else []
    address = parse_address(row.address) if row.address else None
    return Customer.create(
        id=f"r{index:06d}",
        tenant_id="bench",
        name=row.name,
        kind="company" if row.company else "person",
        now=NOW,
        trade_name=row.trade_name,
        tax_id=parse_tax(row.tax_id) if row.tax_id else None,
        phones=tuple(dict.fromkeys(phones)),
        emails=tuple(dict.fromkeys(emails)),
        messenger_ids=tuple(messengers),
        addresses=(address,) if address else (),
    )


# -- truth and evaluation -----------------------------------------------------------

Pair = tuple[str, str]


def pairs_of(groups: Iterable[Sequence[str]]) -> set[Pair]:
    found: set[Pair] = set()
    for ids in groups:
        found.update((a, b) if a < b else (b, a) for a, b in combinations(ids, 2))
    return found


def truth(
    rows: list[Row], world_groups: dict[int, tuple[str, int]]
) -> tuple[set[Pair], dict[str, set[Pair]]]:
    by_entity: dict[int, list[str]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_entity[row.entity].append(f"r{index:06d}")
    true_pairs = pairs_of(by_entity.values())
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    for entity, group in world_groups.items():
        members[group].append(entity)
    hard: dict[str, set[Pair]] = defaultdict(set)
    for (kind, _), entities in members.items():
        for x, y in combinations(entities, 2):
            for a in by_entity[x]:
                for b in by_entity[y]:
                    hard[kind].add((a, b) if a < b else (b, a))
    return true_pairs, hard


def write_import_file(
    rows: list[Row], world_groups: dict[int, tuple[str, int]], path: Path
) -> None:
    """The rows as the import template would hold them, with the truth ``whole_path.py`` reads.

    ``PATH`` gets the rows (header on line 1), ``PATH.truth.csv`` the entity of
    each line, ``PATH.hard.csv`` the hard-negative entity pairs. A WhatsApp id
    goes in the phone columns, as a user exporting contacts would put it.
    """
    header = ("Nome", "E-mail", "Telefone", "CPF/CNPJ", "Rua", "Cidade", "Estado", "CEP")
    header += ("Outros telefones", "Outros e-mails")
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        for row in rows:
            phones = row.phones + ([f"+{row.whatsapp}"] if row.whatsapp else [])
            address = row.address or {}
            writer.writerow(
                (
                    row.name,
                    row.emails[0] if row.emails else "",
                    phones[0] if phones else "",
                    row.tax_id or "",
                    address.get("street", ""),
                    address.get("city", ""),
                    address.get("uf", ""),
                    address.get("cep", ""),
                    " | ".join(phones[1:]),
                    " | ".join(row.emails[1:]),
                )
            )
    with open(path.with_suffix(".truth.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("line", "entity"))
        writer.writerows((n, row.entity) for n, row in enumerate(rows, start=2))
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    for entity, group in world_groups.items():
        members[group].append(entity)
    with open(path.with_suffix(".hard.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("a", "b", "kind"))
        for (kind, _), entities in sorted(members.items()):
            writer.writerows((x, y, kind) for x, y in combinations(entities, 2))


def components(pairs: Iterable[Pair]) -> set[Pair]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return pairs_of(groups.values())


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    predicted: int
    correct: int


def score(predicted: set[Pair], true_pairs: set[Pair]) -> Scores:
    correct = len(predicted & true_pairs)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(predicted), correct)


def linkable(customers: list[Customer], true_pairs: set[Pair]) -> set[Pair]:
    """True pairs sharing a contact key (line, e-mail or its local part, CEP, tax id)."""
    keys: dict[str, set[str]] = {}
    for c in customers:
        r = MatchRecord.of(c)
        k = {f"l{x[-8:]}" for x in r.lines} | {f"e{e.partition('@')[0]}" for e in r.emails}
        k |= {f"c{x}" for x in r.ceps} | ({f"t{r.tax_id}"} if r.tax_id else set())
        keys[c.id] = k
    return {(a, b) for a, b in true_pairs if keys[a] & keys[b]}


# -- runs -----------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    pairs: set[Pair]
    seconds: float
    peak_mb: float | None = None
    notes: list[str] = field(default_factory=list)


def run_customer_core(customers: list[Customer], rows: list[Row], threshold: float) -> Run:
    gc.collect()
    start = time.perf_counter()
    records = [MatchRecord.of(c) for c in customers]
    clusters = exact_clusters(records)
    suggestions = suggest_duplicates(records, threshold=threshold)
    seconds = time.perf_counter() - start
    pairs = pairs_of(c.ids for c in clusters) | {s.ids for s in suggestions}

    start = time.perf_counter()  # the way IdentityService calls it: Customer objects, twice
    exact_clusters(customers)
    suggest_duplicates(customers, threshold=threshold)
    direct = time.perf_counter() - start

    def stream() -> Iterator[Customer]:
        for index, row in enumerate(rows):
            yield to_customer(index, row)

    gc.collect()
    tracemalloc.start()
    streamed = [MatchRecord.of(c) for c in stream()]
    exact_clusters(streamed)
    suggest_duplicates(streamed, threshold=threshold)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    del streamed
    tracemalloc.start()
    kept = [to_customer(index, row) for index, row in enumerate(rows)]
    whole = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del kept
    notes = [
        f"{len(clusters)} exact clusters, {len(suggestions)} suggestions",
        f"called with Customer objects (as IdentityService does): {direct:.1f} s",
        f"peak with the customers streamed: {peak:.0f} MB "
        f"(holding all {len(rows):,} Customer objects alone takes {whole:.0f} MB)",
    ]
    return Run("customer_core", pairs, seconds, peak, notes)


def run_splink(customers: list[Customer], probability: float) -> Run | None:
    try:  # optional, and untyped: looked up by name
        cl = importlib.import_module("splink.comparison_library")
        splink = importlib.import_module("splink")
        DuckDBAPI, Linker = splink.DuckDBAPI, splink.Linker
        SettingsCreator, block_on = splink.SettingsCreator, splink.block_on
    except ImportError as exc:
        print(f"\nsplink: not importable here ({exc}); install it in a venv to compare.")
        return None
    rows = []
    for c in customers:
        r = MatchRecord.of(c)
        words = r.names[0].words
        rows.append(
            {
                "unique_id": c.id,
                "first_name": words[0] if words else None,
                "surname": words[-1] if len(words) > 1 else None,
                "name": " ".join(sorted(words)) or None,
                "phone": r.lines[0][-8:] if r.lines else None,
                "email": r.emails[0] if r.emails else None,
                "tax_id": r.tax_id,
                "cep": r.ceps[0] if r.ceps else None,
                "kind": "company" if r.company else "person",
            }
        )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            cl.ExactMatch("phone"),
            cl.EmailComparison("email"),
            cl.ExactMatch("tax_id"),
            cl.ExactMatch("cep"),
            cl.ExactMatch("kind"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("email"),
            block_on("tax_id"),
            block_on("cep"),
            block_on("first_name", "surname"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    start = time.perf_counter()
    logging.disable(logging.WARNING)  # EM's "level not observed" notes
    try:
        linker = Linker(DuckDBAPI().register(rows), settings, log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("tax_id"), block_on("email")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
        # EM on identifier blocks: trained on name blocks, namesakes take over the "match" class.
        for rule in ("phone", "tax_id", "email"):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
        predictions = linker.inference.predict(threshold_match_probability=probability)
    finally:
        logging.disable(logging.NOTSET)
    table = predictions.as_pyarrow_table()
    left, right = table.column("unique_id_l").to_pylist(), table.column("unique_id_r").to_pylist()
    seconds = time.perf_counter() - start
    pairs = {(a, b) if a < b else (b, a) for a, b in zip(left, right, strict=True)}
    return Run(f"splink (EM, p≥{probability})", pairs, seconds)


# -- report ---------------------------------------------------------------------------


def explain(
    label: str, pairs: Iterable[Pair], by_id: dict[str, Customer], limit: int, skip: set[Pair]
) -> None:
    """Print ``limit`` pairs (not in ``skip``) with what score_pair says of them."""
    if not limit:
        return
    holders = key_holders(MatchRecord.of(c) for c in by_id.values())
    print(f"\n{label}:")
    for a, b in sorted(set(pairs) - skip)[:limit]:
        s = score_pair(by_id[a], by_id[b], holders=holders)
        why = (
            "ruled out"
            if s is None
            else f"{s.score:.2f} "
            + "; ".join(f"{e.kind} {e.weight:+.2f} ({e.detail})" for e in s.evidence)
        )
        print(f"  {by_id[a].name!s:<34} | {by_id[b].name!s:<34} {why}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--splink-probability", type=float, default=0.9)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--sparse",
        type=float,
        default=1.0,
        help="scale every optional field's chance (0.7: a harsher, sparser tenant)",
    )
    parser.add_argument("--examples", type=int, default=0, help="print N missed and N wrong pairs")
    parser.add_argument(
        "--write-csv",
        type=Path,
        help="write the rows as an import file (and .truth.csv, .hard.csv) for whole_path.py",
    )
    args = parser.parse_args(argv)
    if args.write_csv is not None:
        rows, world_groups = generate(args.records, args.seed, args.sparse)
        write_import_file(rows, world_groups, args.write_csv)
        print(f"wrote {len(rows):,} rows to {args.write_csv} (truth beside it)")
        return 0

    start = time.perf_counter()
    rows, world_groups = generate(args.records, args.seed, args.sparse)
    customers = [to_customer(index, row) for index, row in enumerate(rows)]
    built = time.perf_counter() - start
    true_pairs, hard = truth(rows, world_groups)
    hard_all = set().union(*hard.values())
    reachable = linkable(customers, true_pairs)
    entities = len({row.entity for row in rows})
    print(
        f"{len(customers):,} records of {entities:,} people and companies (seed {args.seed}"
        + (f", sparse {args.sparse}" if args.sparse != 1.0 else "")
        + "), "
        f"generated and parsed in {built:.1f} s"
    )
    print(
        f"{len(true_pairs):,} true pairs, {len(true_pairs) - len(reachable):,} of them "
        f"({1 - len(reachable) / len(true_pairs):.1%}) share no phone, e-mail, CEP or tax id "
        "(only the name: suggested only when it is rare in their town)"
    )
    print(
        "hard-negative pairs: "
        + ", ".join(f"{kind} {len(p):,}" for kind, p in sorted(hard.items()))
        + "; parsing: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(PARSE_STATS.items()))
    )

    runs = [run_customer_core(customers, rows, args.threshold)]
    if not args.no_splink:
        reference = run_splink(customers, args.splink_probability)
        if reference is not None:
            runs.append(reference)

    def row(label: str, target: str, cells: list[str]) -> None:
        print(f"{label:<40}{target:>10}" + "".join(f"{c:>24}" for c in cells))

    print()
    row("", "target", [r.name for r in runs])
    direct = [score(r.pairs, true_pairs) for r in runs]
    chained = [score(components(r.pairs), true_pairs) for r in runs]
    row("pairwise precision", f"≥ {TARGETS['precision']}", [f"{s.precision:.4f}" for s in direct])
    row("pairwise recall", f"≥ {TARGETS['recall']}", [f"{s.recall:.4f}" for s in direct])
    row("pairwise F1", f"≥ {TARGETS['f1']}", [f"{s.f1:.4f}" for s in direct])
    row("  pairs predicted / correct", "", [f"{s.predicted:,} / {s.correct:,}" for s in direct])
    row(
        "  recall on linkable pairs",
        "",
        [f"{len(r.pairs & reachable) / len(reachable):.4f}" for r in runs],
    )
    row("chained (components) precision", "", [f"{s.precision:.4f}" for s in chained])
    row("chained (components) recall", "", [f"{s.recall:.4f}" for s in chained])
    row("chained (components) F1", "", [f"{s.f1:.4f}" for s in chained])
    row(
        "hard negatives suggested",
        f"≤ {TARGETS['hard']:.0%}",
        [f"{len(r.pairs & hard_all) / len(hard_all):.2%}" for r in runs],
    )
    for kind, pairs in sorted(hard.items()):
        row(f"  {kind}", "", [f"{len(r.pairs & pairs):,} of {len(pairs):,}" for r in runs])
    row(
        "wall time of the matcher",
        f"≤ {TARGETS['time']:.0f} s",
        [f"{r.seconds:.1f} s" for r in runs],
    )
    row(
        "peak memory (tracemalloc)",
        "≤ 1 GB",
        [f"{r.peak_mb:.0f} MB" if r.peak_mb is not None else "-" for r in runs],
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (everything above, generator included): {rss:.0f} MB")
    for r in runs:
        for note in r.notes:
            print(f"{r.name}: {note}")

    ours = runs[0]
    ok = (
        direct[0].precision >= TARGETS["precision"]
        and direct[0].recall >= TARGETS["recall"]
        and direct[0].f1 >= TARGETS["f1"]
        and len(ours.pairs & hard_all) / len(hard_all) <= TARGETS["hard"]
        and ours.seconds <= TARGETS["time"]
        and (ours.peak_mb or 0) <= TARGETS["mb"]
    )
    print(f"\ncustomer_core meets every target: {'yes' if ok else 'NO'}")
    by_id = {c.id: c for c in customers}
    unlinkable = true_pairs - reachable
    explain("missed linkable true pairs", true_pairs - ours.pairs, by_id, args.examples, unlinkable)
    explain("wrong pairs", ours.pairs - true_pairs, by_id, args.examples, set())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
