"""Generator B: a messy Brazilian customer file with known truth, written independently.

``matching_quality.py`` has its own generator, and the matcher has been tuned
to it. This one was written without reading that generator (or the test
strategies), from a description of what back-office files look like. It is
the "data you did not tune to": do not tune the matcher to it either; when it
is tuned against B, write a generator C.

What real back-office customer files look like (the model, written before the code)
===================================================================================

Where the rows come from. A tenant's file is the union of several sources,
each with its own habits; each row comes from one of them:

========== ====== ==============================================================
origin     share  habits
========== ====== ==============================================================
balcao     35%    typed at the counter into an old ERP: names ALL CAPS (55%) and
                  without accents (60%), CPF asked (75%), address (85%),
                  e-mail rarely (45%), half the phones split into DDD + number
planilha   20%    a seller's spreadsheet: Excel turned CPF, CNPJ and CEP into
                  numbers (80% of its rows lose leading zeros), thin rows (35%),
                  phones without DDD (10%), CPF (35%), e-mail (35%)
site       30%    the shop's web form, typed by the customer: mixed case as
                  typed (8% all lower-case), accents mostly kept, e-mail (97%),
                  CPF (65%), address (90%), more typos in the name (8%)
whatsapp   15%    contacts saved from the WhatsApp app: "first last" names (60%)
                  or the first name only (8%), phones as ``5511987654321``
                  (60%), thin (60%), almost never a CPF (5%) or e-mail (8%)
========== ====== ==============================================================

Who is in the file. 88% of the entities are people, 12% companies (plus the
companies that owners and branches below add). Records per entity: one (70%),
two (19%), three (7%), four (2.5%), five to seven (1.5%): about 1.5 rows per
entity, so 20,000 rows describe about 13,500 customers. Rows are shuffled:
the rows of one customer are far apart.

People. Given names by sex (half each) with a heavy head (Maria, José, Ana,
João...), 25% compound (Maria Eduarda, João Pedro, Ana Paula, José Carlos);
one surname (20%), two (65%) or three (15%), drawn with the Brazilian skew
(Silva about 10% of surnames, Santos 6%, Oliveira 4.5%, Souza 3.5%, ...
then a long tail, some Japanese, Italian, German and Lebanese); each surname
that takes a particle carries it (da Silva, dos Santos, de Oliveira) in 45%
of names.
Phones: one mobile (92%), two (6%), none (2%); a landline (25%); 8% of the
entities with more than one row changed mobile between rows (half of their
rows have the old one). E-mail: none (25%), one (60%), two (15%, often the
same local part at two providers); local parts made of the name in most
forms (``maria.oliveira``, ``mariaoliveira1987``, ``moliveira``) or a handle
that has nothing to do with it (10%: ``flamengo2010``). CPF for everyone,
10% starting with 0. Address in one of 36 cities weighted by population,
with the city's DDD and a CEP in its range (São Paulo and its neighbours
start with 0); 5% of the multi-row entities moved between rows.

Companies. Razão social (``Padaria Pão Dourado Ltda``, ``Souza & Lima
Comércio de Roupas Ltda``, ``Ribeiro Materiais de Construção EIRELI``) and
nome fantasia (``Pão Dourado``); legal form Ltda (50%), ME (20%), EIRELI (10%),
S.A. (5%), Ltda EPP (5%), none (10%); CNPJ with branch 0001; a landline (80%),
a mobile (60%), e-mail at their own domain (60%) or at a provider (40%) with
``contato``/``vendas``/``financeiro`` local parts.

How a row is written (rates are per row, on top of the origin's habits):

- Name, people: dropped middle names (first + last: whatsapp 60%, others
  10%), abbreviated middle names (``Maria E. S. Oliveira``, 7%), particles
  dropped or added (5%), surname first (``OLIVEIRA, Maria Eduarda`` or
  ``Oliveira Maria Eduarda``, 3%), one typo (transposition, dropped letter or
  doubled letter; 5%, site 8%), a spelling variant (Souza/Sousa, Luiz/Luís,
  Thiago/Tiago, Matheus/Mateus; 3%), stray double spaces (3%); Júnior is
  also written Junior, Jr., JR (45%) or left out (8%).
- Name, companies: razão social (55%), fantasia (35%), ``Fantasia (Razão)``
  (4%), ``Razão - Fantasia`` (3%), fantasia + legal form (3%); the legal form
  as ``LTDA``/``Ltda.``/``Limitada``/``- ME``/``M.E.``/``S/A``/``SA`` or left
  out (30% of the rows that carry one), an EIRELI row written Ltda (3%).
- Phones (per phone): ``(11) 98765-4321`` (30%), ``11987654321`` (14%),
  ``11 98765-4321``, ``(11)98765-4321``, ``11 9 8765-4321``, ``11.98765.4321``,
  ``+55 11 98765-4321``, ``+5511987654321``, ``5511987654321`` (WhatsApp),
  ``0055 11 ...``, ``011 ...``, ``(0xx11) ...``, carrier code
  ``0 21 11 98765-4321``, the old mobile without the ninth digit
  ``(11) 8765-4321`` (5%), without DDD ``98765-4321`` (3%); landlines of 8
  digits in the same styles, with ``ramal 21`` on 3% of company landlines;
  one mistyped digit (0.8%, it is then another number); two phones in one
  cell, ``(11) 98765-4321 / (11) 3456-7890`` (1.5% of rows with two phones).
  Other phones in ``Outros telefones`` separated by ``|`` (25% of the rows of
  an entity with more than one phone).
- E-mails: ALL CAPS (8%), capitalised (4%), a provider domain mistyped
  (``gmial.com``, ``gmail.con``, ``hotmal.com``, ``hotmial.com``,
  ``outlok.com``, ``yaho.com.br``; 3%); the real provider domains are many
  and distinct (``hotmail.com`` and ``hotmail.com.br``, ``yahoo.com`` and
  ``yahoo.com.br``, ``uol.com.br``, ``bol.com.br``, ``terra.com.br``,
  ``ig.com.br``, ``globo.com``, ``icloud.com``, ``live.com``,
  ``outlook.com``). The second e-mail goes to ``Outros e-mails`` (20%).
- CPF/CNPJ: formatted (45%), bare (40%), ``123456789-09`` (5%), dotted
  check digits (3%), other spacing (7%); leading zeros lost in Excel rows;
  one mistyped digit (0.6%: the check digits then fail).
- CEP: ``01310-100`` (55%), ``01310100`` (35%), ``01.310-100`` (3%), blank
  (7%), leading zero lost in Excel rows. Street as ``Rua``/``R.``/``Av.``/
  ``Avenida``, the number inside the street (``Rua X, 123``, 15%) or ``s/n``
  (2%); city without accents (20%) or in capitals (8%); state as ``sp``
  (4%), the state's full name (2%) or blank (1%).
- Thin rows: name, one phone and the city only (whatsapp 60%, planilha 35%,
  balcao 4%). Rows with no phone at all: balcao 8%, site 3%, planilha 5%.

Hard negatives: different customers who share something. The rates are per
person entity (companies for branches); every pair is written to the truth
file with its kind:

- ``household``: spouses sharing a landline, the address and CEP (4.5%);
  most wives carry the husband's last surname (70%);
- ``junior``: father and son, same given names and surnames, the son
  Júnior or Filho, sharing a landline, the address and CEP (2%);
- ``couple_shared_contact``: a couple sharing one mobile and one e-mail (and
  the address) (2%);
- ``owner_company``: a person and their ME/MEI company sharing the person's
  mobile (2.5%), the company often named after the owner
  (``12.345.678 MARIA OLIVEIRA``, ``Maria Oliveira ME``);
- ``homonym``: two people with the same full name and different CPFs (1.5%
  made on purpose, plus those the name frequencies make by chance);
- ``branch``: branches of one company, same CNPJ root and razão social,
  their own addresses and landlines, a shared e-mail in 25% of them (8% of
  companies have one or two more branches);
- ``same_fantasia``: companies of different roots with the same nome
  fantasia (by chance: about 40 fantasia names, drawn again up to three
  times when taken).

Truth file (JSON): ``lines`` (each data line's ``line`` number, header =
line 1, its ``entity``, ``origin`` and ``tags``: what was done to the row),
``entities`` (id to kind and canonical name) and ``hard_negatives`` (``a``,
``b``, ``kind``: pairs of entities that are *not* the same customer).

Usage::

    python benchmarks/generator_b.py --records 20000 --seed 1 --out gen_b.csv

writes ``gen_b.csv`` (the import template's columns, ``;``, Windows-1252 as
Excel in Brazil saves it) and ``gen_b.truth.json``: every data line's entity
and what was done to it (tags), the entities, and the hard-negative pairs.
The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

TRUTH_FORMAT = "customer_core.benchmarks.truth/1"
HEADER = (
    "Nome",
    "E-mail",
    "DDI",
    "DDD",
    "Telefone",
    "CPF/CNPJ",
    "Rua",
    "Número",
    "Complemento",
    "Bairro",
    "Cidade",
    "Estado",
    "CEP",
    "Outros telefones",
    "Outros e-mails",
    "Observação",
)

# --------------------------------------------------------------------------
# Rates (the docstring above, as numbers)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    name: str
    share: float
    caps: float
    lower: float
    no_accents: float
    email: float
    tax_id: float
    address: float
    thin: float
    no_phone: float
    ddd_column: float
    excel: float
    name_typo: float
    first_last: float
    first_only: float
    whatsapp_spelling: float
    no_ddd: float


# fmt: off
ORIGINS = (
    #      name        share  caps lower no_acc email  tax  addr  thin no_ph  ddd excel  typo  f+l first  wa_f no_ddd
    Origin("balcao",    0.35, 0.55, 0.00, 0.60, 0.45, 0.75, 0.85, 0.04, 0.08, 0.50, 0.00, 0.05, 0.10, 0.00, 0.03, 0.03),
    Origin("planilha",  0.20, 0.15, 0.02, 0.35, 0.35, 0.35, 0.35, 0.35, 0.05, 0.00, 0.80, 0.05, 0.10, 0.00, 0.05, 0.10),
    Origin("site",      0.30, 0.04, 0.08, 0.20, 0.97, 0.65, 0.90, 0.00, 0.03, 0.00, 0.00, 0.08, 0.10, 0.00, 0.03, 0.02),
    Origin("whatsapp",  0.15, 0.03, 0.05, 0.50, 0.08, 0.05, 0.10, 0.60, 0.00, 0.00, 0.00, 0.05, 0.60, 0.08, 0.60, 0.03),
)
RECORDS_PER_ENTITY = ((1, 0.70), (2, 0.19), (3, 0.07), (4, 0.025), (5, 0.008), (6, 0.005), (7, 0.002))
# fmt: on
COMPANY_SHARE = 0.12

# per person entity
P_HOUSEHOLD = 0.045
P_JUNIOR = 0.02
P_COUPLE_SHARED = 0.02
P_OWNER_COMPANY = 0.025
P_HOMONYM = 0.015
# per company entity
P_BRANCHES = 0.08
P_BRANCH_SHARED_EMAIL = 0.25

P_COMPOUND_GIVEN = 0.25
SURNAME_COUNT = ((1, 0.20), (2, 0.65), (3, 0.15))
P_PARTICLE = 0.45
MOBILES = ((1, 0.92), (2, 0.06), (0, 0.02))
P_LANDLINE_PERSON = 0.25
P_CHANGED_MOBILE = 0.08
P_MOVED = 0.05
EMAILS = ((0, 0.25), (1, 0.60), (2, 0.15))
P_UNRELATED_HANDLE = 0.10

P_ABBREVIATED_MIDDLE = 0.07
P_PARTICLE_CHANGE = 0.05
P_SURNAME_FIRST = 0.03
P_SPELLING_VARIANT = 0.03
P_DOUBLE_SPACE = 0.03
P_SUFFIX_SPELLED = 0.45
P_SUFFIX_DROPPED = 0.08

P_PHONE_TYPO = 0.008
P_TWO_PHONES_ONE_CELL = 0.015
P_OTHER_PHONES = 0.25
P_RAMAL = 0.03
P_EMAIL_CAPS = 0.08
P_EMAIL_CAPITALISED = 0.04
P_EMAIL_DOMAIN_TYPO = 0.03
P_OTHER_EMAILS = 0.20
P_TAX_TYPO = 0.006
P_EIRELI_AS_LTDA = 0.03
P_LEGAL_FORM_VARIANT = 0.30
P_NOTE = 0.08

# --------------------------------------------------------------------------
# Name sources (weights are rough shares, not census figures)
# --------------------------------------------------------------------------

# fmt: off
FEMALE_GIVEN = {
    "Maria": 60, "Ana": 25, "Francisca": 8, "Antônia": 6, "Adriana": 5, "Juliana": 6, "Márcia": 5,
    "Fernanda": 6, "Patrícia": 6, "Aline": 5, "Sandra": 4, "Camila": 5, "Amanda": 5, "Bruna": 5,
    "Jéssica": 5, "Letícia": 4, "Júlia": 4, "Luciana": 4, "Vanessa": 4, "Mariana": 4,
    "Gabriela": 4, "Beatriz": 3, "Larissa": 3, "Rafaela": 3, "Débora": 3, "Cláudia": 3,
    "Simone": 3, "Raimunda": 3, "Vera": 2, "Tereza": 2, "Rosângela": 2, "Cristiane": 3,
    "Daniela": 3, "Priscila": 3, "Tatiane": 2, "Renata": 3, "Carla": 3, "Kelly": 2, "Sônia": 2,
    "Helena": 2, "Alice": 2, "Laura": 2, "Valentina": 1, "Sophia": 1, "Isabela": 2, "Manuela": 1,
    "Lúcia": 2, "Eliane": 2, "Rita": 2, "Josefa": 2, "Sebastiana": 1, "Luana": 2, "Natália": 2,
    "Thaís": 2, "Viviane": 2, "Michele": 2, "Elaine": 2, "Regina": 2, "Edna": 1, "Gisele": 1,
    "Luíza": 2, "Ivone": 1, "Rosa": 1, "Neide": 1, "Cecília": 1,
}
FEMALE_COMPOUND = {
    "Maria Eduarda": 6, "Maria Clara": 4, "Maria Luiza": 4, "Ana Clara": 3, "Ana Paula": 5,
    "Ana Beatriz": 3, "Maria José": 4, "Maria Aparecida": 5, "Maria de Fátima": 4,
    "Maria das Graças": 3, "Ana Carolina": 4, "Maria Fernanda": 2, "Ana Júlia": 3,
    "Maria Helena": 2, "Maria Cecília": 1, "Ana Luiza": 2, "Maria Vitória": 2, "Ana Lúcia": 2,
}
MALE_GIVEN = {
    "José": 45, "João": 30, "Antônio": 15, "Francisco": 12, "Carlos": 10, "Paulo": 9, "Pedro": 8,
    "Lucas": 8, "Luiz": 7, "Marcos": 7, "Luís": 3, "Gabriel": 6, "Rafael": 6, "Daniel": 5,
    "Marcelo": 5, "Bruno": 5, "Eduardo": 4, "Felipe": 4, "Raimundo": 4, "Rodrigo": 4, "Manoel": 4,
    "Mateus": 3, "André": 4, "Fernando": 4, "Fábio": 3, "Leonardo": 3, "Gustavo": 3,
    "Guilherme": 3, "Leandro": 3, "Tiago": 2, "Anderson": 3, "Ricardo": 3, "Márcio": 3, "Jorge": 3,
    "Sebastião": 2, "Alexandre": 3, "Roberto": 3, "Edson": 2, "Diego": 2, "Vítor": 2, "Sérgio": 2,
    "Cláudio": 2, "Matheus": 2, "Thiago": 3, "Geraldo": 2, "Adriano": 2, "Luciano": 2, "Júlio": 2,
    "Renato": 2, "Alex": 2, "Vinícius": 2, "Rogério": 2, "Samuel": 2, "Ronaldo": 2, "Mário": 2,
    "Flávio": 2, "Douglas": 2, "Igor": 1, "Davi": 2, "Arthur": 2, "Heitor": 1, "Bernardo": 1,
    "Enzo": 1, "Miguel": 2, "Benedito": 1, "Wellington": 1, "Wesley": 1, "Cícero": 1,
    "Severino": 1, "Otávio": 1,
}
MALE_COMPOUND = {
    "João Pedro": 6, "João Paulo": 4, "José Carlos": 5, "Luiz Carlos": 4, "Carlos Eduardo": 4,
    "João Vitor": 3, "Pedro Henrique": 4, "Luiz Fernando": 2, "José Roberto": 3,
    "Antônio Carlos": 3, "Paulo Roberto": 3, "José Antônio": 2, "João Gabriel": 2,
    "Luiz Henrique": 2, "Marco Antônio": 2, "Francisco de Assis": 2, "José Ricardo": 1,
    "João Miguel": 1, "Paulo Sérgio": 2, "Carlos Alberto": 2,
}
SURNAMES = {
    "Silva": 100, "Santos": 60, "Oliveira": 45, "Souza": 35, "Rodrigues": 25, "Ferreira": 24,
    "Alves": 23, "Pereira": 22, "Lima": 20, "Gomes": 18, "Costa": 15, "Ribeiro": 15,
    "Carvalho": 14, "Martins": 13, "Araújo": 13, "Melo": 11, "Barbosa": 11, "Rocha": 10,
    "Almeida": 10, "Nascimento": 10, "Soares": 9, "Lopes": 9, "Fernandes": 9, "Vieira": 9,
    "Barros": 8, "Freitas": 8, "Cardoso": 8, "Dias": 8, "Teixeira": 7, "Moura": 7, "Jesus": 6,
    "Cavalcanti": 6, "Monteiro": 6, "Mendes": 6, "Nunes": 6, "Ramos": 6, "Moreira": 6,
    "Machado": 6, "Correia": 5, "Castro": 5, "Pinto": 5, "Andrade": 5, "Batista": 5, "Campos": 5,
    "Cruz": 5, "Azevedo": 4, "Borges": 4, "Marques": 4, "Reis": 4, "Santana": 4, "Farias": 4,
    "Pires": 4, "Miranda": 4, "Moraes": 4, "Bezerra": 4, "Conceição": 3, "Rezende": 3,
    "Pacheco": 3, "Tavares": 3, "Xavier": 3, "Cunha": 3, "Sales": 3, "Guimarães": 3, "Macedo": 3,
    "Medeiros": 3, "Queiroz": 3, "Siqueira": 3, "Coelho": 3, "Brito": 3, "Duarte": 3, "Fonseca": 3,
    "Leite": 3, "Aguiar": 2, "Magalhães": 2, "Nogueira": 2, "Paiva": 2, "Prado": 2, "Sampaio": 2,
    "Peixoto": 2, "Assis": 2, "Bastos": 2, "Matos": 2, "Brandão": 2, "Figueiredo": 2, "Lacerda": 2,
    "Maciel": 2, "Falcão": 1, "Lins": 1, "Holanda": 1, "Sá": 1, "Paula": 2, "Vasconcelos": 1,
    "Rangel": 1, "Porto": 1, "Toledo": 1, "Camargo": 2, "Yamamoto": 1, "Tanaka": 1, "Nakamura": 1,
    "Suzuki": 1, "Schmidt": 1, "Müller": 1, "Becker": 1, "Rossi": 1, "Ferrari": 1, "Bianchi": 1,
    "Colombo": 1, "Romano": 1, "Haddad": 1, "Khoury": 1, "Saad": 1, "Nasser": 1,
}
#: The particle a surname takes when it takes one (da Silva, dos Santos, de Oliveira); the
#: surnames not listed here go without one.
PARTICLE = {
    "Silva": "da", "Santos": "dos", "Oliveira": "de", "Souza": "de", "Lima": "de",
    "Costa": "da", "Carvalho": "de", "Araújo": "de", "Melo": "de", "Rocha": "da",
    "Almeida": "de", "Nascimento": "do", "Barros": "de", "Freitas": "de", "Moura": "de",
    "Jesus": "de", "Castro": "de", "Andrade": "de", "Cruz": "da", "Azevedo": "de",
    "Reis": "dos", "Farias": "de", "Miranda": "de", "Moraes": "de", "Conceição": "da",
    "Cunha": "da", "Sales": "de", "Macedo": "de", "Medeiros": "de", "Queiroz": "de",
    "Siqueira": "de", "Brito": "de", "Fonseca": "da", "Aguiar": "de", "Magalhães": "de",
    "Paiva": "de", "Prado": "do", "Assis": "de", "Matos": "de", "Figueiredo": "de",
    "Lacerda": "de", "Sá": "de", "Paula": "de", "Vasconcelos": "de", "Camargo": "de",
}
SPELLING_VARIANTS = {
    "Souza": "Sousa", "Sousa": "Souza", "Luiz": "Luís", "Luís": "Luiz", "Thiago": "Tiago",
    "Tiago": "Thiago", "Matheus": "Mateus", "Mateus": "Matheus", "Tereza": "Teresa",
    "Luíza": "Luisa", "Felipe": "Filipe", "Vítor": "Victor", "Moraes": "Morais", "Melo": "Mello",
    "Vieira": "Viera", "Manoel": "Manuel", "Rafaela": "Raphaela", "Cavalcanti": "Cavalcante",
    "Rezende": "Resende", "Isabela": "Isabella",
}
EMAIL_HANDLES = (
    "flamengo", "corinthians", "palmeiras", "vasco", "gremio", "estrela", "anjo", "princesa",
    "guerreiro", "solzinho", "lua", "rockeiro", "baixinha", "negao", "loirinha", "tricolor",
    "mengao", "nega", "gatinha", "pretinho",
)
PROVIDERS = {
    "gmail.com": 45, "hotmail.com": 16, "outlook.com": 6, "yahoo.com.br": 6, "hotmail.com.br": 2,
    "live.com": 2, "uol.com.br": 4, "bol.com.br": 4, "terra.com.br": 2, "ig.com.br": 2,
    "icloud.com": 3, "yahoo.com": 2, "globo.com": 1, "msn.com": 1,
}
DOMAIN_TYPOS = {
    "gmail.com": ("gmial.com", "gmail.con", "gamil.com", "gmail.co", "gmai.com"),
    "hotmail.com": ("hotmal.com", "hotmial.com", "hotmail.con", "hotamil.com"),
    "outlook.com": ("outlok.com", "outloo.com"),
    "yahoo.com.br": ("yaho.com.br", "yahoo.com.b"),
    "uol.com.br": ("uol.com", "uol.combr"),
    "bol.com.br": ("bol.com", "bol.con.br"),
}

ACTIVITIES = (
    "Padaria", "Mercearia", "Auto Peças", "Materiais de Construção", "Farmácia", "Pet Shop",
    "Oficina Mecânica", "Salão de Beleza", "Restaurante", "Lanchonete", "Papelaria",
    "Distribuidora de Bebidas", "Comércio de Roupas", "Transportes", "Serviços Contábeis",
    "Clínica Odontológica", "Academia", "Informática", "Imobiliária", "Construtora", "Ótica",
    "Açougue", "Sorveteria", "Gráfica",
)
FANTASIAS = (
    "Pão Dourado", "Estrela", "Bom Preço", "Nova Era", "São Jorge", "Santa Luzia", "Boa Vista",
    "Primavera", "Central", "Real", "Dois Irmãos", "Três Marias", "Sol Nascente", "Ponto Certo",
    "Mega", "Vila Nova", "Ideal", "Brasil", "Paulista", "Elite", "Master", "Alfa", "Líder",
    "Progresso", "Aliança", "Horizonte", "Atlântico", "Imperial", "Cristal", "Esperança",
    "Nossa Senhora Aparecida", "Bela Vista", "Do Bairro", "Família", "Excelência", "Unidos", "Rei",
    "Encontro", "Vitória", "Santo Antônio",
)
OWNER_SHOPS = (
    "Cabeleireira", "Doces", "Bolos", "Costura", "Manicure", "Marmitas", "Auto Center", "Reformas",
    "Fretes", "Salgados", "Estética", "Moda", "Artesanato", "Elétrica",
)
TRADES = (
    ("Roupas", "Modas"), ("Alimentos", "Alimentos"), ("Calçados", "Calçados"),
    ("Materiais Elétricos", "Elétrica"), ("Peças", "Auto Peças"), ("Bebidas", "Bebidas"),
)
BUSINESS_LOCAL = ("contato", "vendas", "financeiro", "compras", "adm", "fiscal", "atendimento")
STREET_TYPES = (
    ("Rua", 65),
    ("Avenida", 20),
    ("Travessa", 5),
    ("Alameda", 4),
    ("Estrada", 3),
    ("Praça", 3),
)
STREET_NAMES = (
    "das Flores", "São João", "Sete de Setembro", "XV de Novembro", "Barão do Rio Branco",
    "Getúlio Vargas", "Tiradentes", "Dom Pedro II", "Santos Dumont", "Rui Barbosa",
    "Marechal Deodoro", "José Bonifácio", "Castro Alves", "Duque de Caxias", "Floriano Peixoto",
    "da Independência", "Brasil", "Paraná", "Bahia", "Amazonas", "Pernambuco", "Minas Gerais",
    "Goiás", "dos Andradas", "Treze de Maio", "Benjamin Constant", "Osvaldo Cruz",
    "Monteiro Lobato", "Carlos Gomes", "Princesa Isabel", "Padre Anchieta", "Bento Gonçalves",
    "Frei Caneca", "Visconde de Mauá", "das Palmeiras", "dos Expedicionários", "Presidente Vargas",
    "Coronel Fernandes", "Santa Catarina", "Doutor Arnaldo", "Cândido Portinari",
    "Vinte e Cinco de Março", "da Paz", "Boa Esperança", "Jacarandá", "dos Ipês",
)
BAIRROS = (
    "Centro", "Jardim América", "Vila Nova", "Boa Vista", "Santa Cruz", "São José",
    "Jardim Paulista", "Vila Mariana", "Bela Vista", "Liberdade", "Cidade Nova",
    "Parque São Jorge", "Jardim das Flores", "Distrito Industrial", "Santo Antônio",
    "Conjunto Habitacional", "Vila Esperança", "Jardim Primavera", "Planalto", "Aeroporto",
    "Alto da Boa Vista", "Vila Operária", "Jardim Europa", "Cohab",
)
COMPLEMENTS = (
    "ap 12", "apto 301", "casa 2", "bloco B ap 14", "fundos", "sala 5", "apt 42", "casa", "loja 3",
    "ap. 1002", "bl 3 apto 21",
)
NOTES = (
    "cliente desde 2019", "prefere WhatsApp", "cobrar na sexta", "entregar após 18h",
    "indicação da vizinha", "cliente antigo", "pagamento no boleto", "VIP", "não ligar de manhã",
    "tel. recado com a vizinha", "comprou no feirão",
)
# fmt: on


@dataclass(frozen=True)
class City:
    name: str
    uf: str
    ddd: str
    cep_low: int
    cep_high: int
    weight: float


CITIES = (
    City("São Paulo", "SP", "11", 1_000_000, 5_999_999, 120),
    City("Rio de Janeiro", "RJ", "21", 20_000_000, 23_799_999, 65),
    City("Brasília", "DF", "61", 70_000_000, 72_799_999, 30),
    City("Salvador", "BA", "71", 40_000_000, 42_599_999, 25),
    City("Fortaleza", "CE", "85", 60_000_000, 61_599_999, 25),
    City("Belo Horizonte", "MG", "31", 30_000_000, 31_999_999, 25),
    City("Manaus", "AM", "92", 69_000_000, 69_099_999, 21),
    City("Curitiba", "PR", "41", 80_000_000, 82_999_999, 19),
    City("Recife", "PE", "81", 50_000_000, 52_999_999, 16),
    City("Goiânia", "GO", "62", 74_000_000, 74_899_999, 15),
    City("Belém", "PA", "91", 66_000_000, 66_999_999, 14),
    City("Porto Alegre", "RS", "51", 90_000_000, 91_999_999, 14),
    City("Guarulhos", "SP", "11", 7_000_000, 7_399_999, 13),
    City("Campinas", "SP", "19", 13_000_000, 13_139_999, 12),
    City("São Luís", "MA", "98", 65_000_000, 65_109_999, 11),
    City("Maceió", "AL", "82", 57_000_000, 57_099_999, 10),
    City("Natal", "RN", "84", 59_000_000, 59_139_999, 9),
    City("Teresina", "PI", "86", 64_000_000, 64_099_999, 9),
    City("Campo Grande", "MS", "67", 79_000_000, 79_129_999, 9),
    City("São Bernardo do Campo", "SP", "11", 9_600_000, 9_899_999, 8),
    City("João Pessoa", "PB", "83", 58_000_000, 58_099_999, 8),
    City("Santo André", "SP", "11", 9_000_000, 9_299_999, 7),
    City("Osasco", "SP", "11", 6_000_000, 6_299_999, 7),
    City("Ribeirão Preto", "SP", "16", 14_000_000, 14_114_999, 7),
    City("Uberlândia", "MG", "34", 38_400_000, 38_415_999, 7),
    City("Sorocaba", "SP", "15", 18_000_000, 18_109_999, 7),
    City("Niterói", "RJ", "21", 24_000_000, 24_399_999, 5),
    City("Cuiabá", "MT", "65", 78_000_000, 78_109_999, 6),
    City("Aracaju", "SE", "79", 49_000_000, 49_099_999, 6),
    City("Feira de Santana", "BA", "75", 44_000_000, 44_099_999, 6),
    City("Joinville", "SC", "47", 89_200_000, 89_239_999, 6),
    City("Juiz de Fora", "MG", "32", 36_000_000, 36_099_999, 5),
    City("Londrina", "PR", "43", 86_000_000, 86_099_999, 5),
    City("Florianópolis", "SC", "48", 88_000_000, 88_099_999, 5),
    City("Vitória", "ES", "27", 29_000_000, 29_099_999, 3),
    City("Santos", "SP", "13", 11_000_000, 11_099_999, 4),
)
# fmt: off
STATE_NAMES = {
    "SP": "São Paulo", "RJ": "Rio de Janeiro", "DF": "Distrito Federal", "BA": "Bahia",
    "CE": "Ceará", "MG": "Minas Gerais", "AM": "Amazonas", "PR": "Paraná", "PE": "Pernambuco",
    "GO": "Goiás", "PA": "Pará", "RS": "Rio Grande do Sul", "MA": "Maranhão", "AL": "Alagoas",
    "RN": "Rio Grande do Norte", "PI": "Piauí", "MS": "Mato Grosso do Sul", "PB": "Paraíba",
    "MT": "Mato Grosso", "SE": "Sergipe", "SC": "Santa Catarina", "ES": "Espírito Santo",
}
# fmt: on
CARRIERS = ("12", "14", "15", "21", "31", "41", "43")


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def weighted(rng: random.Random, table: dict[str, int] | dict[str, float]) -> str:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def pick(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def slug(text: str) -> str:
    return "".join(c for c in strip_accents(text).lower() if c.isalnum())


def cpf_check_digits(first9: str) -> str:
    digits = [int(c) for c in first9]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(size + 1, 1, -1), strict=True))
        rest = total * 10 % 11
        digits.append(0 if rest == 10 else rest)
    return f"{digits[9]}{digits[10]}"


def cnpj_check_digits(first12: str) -> str:
    digits = [int(c) for c in first12]
    for weights in ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)):
        total = sum(d * w for d, w in zip(digits, weights, strict=True))
        rest = total % 11
        digits.append(0 if rest < 2 else 11 - rest)
    return f"{digits[12]}{digits[13]}"


# --------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------


@dataclass
class Address:
    street_type: str
    street: str
    number: str
    complement: str
    bairro: str
    city: City
    cep: str  # 8 digits


@dataclass
class Entity:
    id: str
    kind: str  # "person" or "company"
    records: int
    tax_id: str  # digits
    mobiles: list[str] = field(default_factory=list)  # DDD + 9 digits
    landline: str | None = None  # DDD + 8 digits
    old_mobile: str | None = None
    emails: list[str] = field(default_factory=list)
    address: Address | None = None
    old_address: Address | None = None
    # people
    sex: str = ""
    given: tuple[str, ...] = ()
    surnames: tuple[tuple[str, str], ...] = ()  # (particle or "", surname)
    suffix: str = ""  # "Júnior", "Filho" or ""
    # companies
    razao: str = ""  # without the legal form
    legal_form: str = ""
    fantasia: str = ""
    mei: bool = False

    def canonical_name(self) -> str:
        if self.kind == "company":
            if self.mei:
                return f"{format_cnpj(self.tax_id)[:10]} {self.razao}"
            return f"{self.razao} {self.legal_form}".strip()
        words = list(self.given)
        for particle, surname in self.surnames:
            words += [particle, surname] if particle else [surname]
        if self.suffix:
            words.append(self.suffix)
        return " ".join(words)


def format_cpf(digits: str) -> str:
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def format_cnpj(digits: str) -> str:
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


class World:
    """The entities of one file, their shared identifiers and the hard-negative pairs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.entities: list[Entity] = []
        self.hard_negatives: list[tuple[str, str, str]] = []
        self._used_phones: set[str] = set()
        self._used_tax: set[str] = set()
        self._used_emails: set[str] = set()
        self._used_roots: set[str] = set()
        self._domains: set[str] = set()
        self._fantasias: set[str] = set()
        self._counter = {"person": 0, "company": 0}
        self.total_records = 0

    # identifiers -------------------------------------------------------
    def new_id(self, kind: str) -> str:
        self._counter[kind] += 1
        return f"{'P' if kind == 'person' else 'C'}{self._counter[kind]:06d}"

    def new_cpf(self) -> str:
        while True:
            first9 = "".join(str(self.rng.randrange(10)) for _ in range(9))
            if len(set(first9)) == 1:
                continue
            cpf = first9 + cpf_check_digits(first9)
            if cpf not in self._used_tax:
                self._used_tax.add(cpf)
                return cpf

    def new_cnpj_root(self) -> str:
        while True:
            root = "".join(str(self.rng.randrange(10)) for _ in range(8))
            if len(set(root)) > 1 and root not in self._used_roots:
                self._used_roots.add(root)
                return root

    def cnpj(self, root: str, branch: int) -> str:
        first12 = f"{root}{branch:04d}"
        cnpj = first12 + cnpj_check_digits(first12)
        self._used_tax.add(cnpj)
        return cnpj

    def new_phone(self, ddd: str, mobile: bool) -> str:
        while True:
            if mobile:
                number = (
                    ddd
                    + "9"
                    + str(self.rng.randint(6, 9))
                    + "".join(str(self.rng.randrange(10)) for _ in range(7))
                )
            else:
                number = (
                    ddd
                    + str(self.rng.randint(2, 5))
                    + "".join(str(self.rng.randrange(10)) for _ in range(7))
                )
            if number not in self._used_phones:
                self._used_phones.add(number)
                return number

    def unique_email(self, local: str, domain: str) -> str:
        candidate = f"{local}@{domain}"
        while candidate in self._used_emails:
            candidate = f"{local}{self.rng.randint(1, 99)}@{domain}"
        self._used_emails.add(candidate)
        return candidate

    def new_address(self, city: City | None = None) -> Address:
        rng = self.rng
        city = city or rng.choices(CITIES, weights=[c.weight for c in CITIES])[0]
        return Address(
            street_type=pick(rng, STREET_TYPES),
            street=rng.choice(STREET_NAMES),
            number=str(rng.choice([rng.randint(1, 300), rng.randint(1, 3000)])),
            complement=rng.choice(COMPLEMENTS) if rng.random() < 0.35 else "",
            bairro=rng.choice(BAIRROS),
            city=city,
            cep=f"{rng.randint(city.cep_low, city.cep_high):08d}",
        )

    def record_count(self) -> int:
        return pick(self.rng, RECORDS_PER_ENTITY)

    def add(self, entity: Entity) -> Entity:
        self.entities.append(entity)
        self.total_records += entity.records
        return entity

    # people ----------------------------------------------------------
    def person_name(self, sex: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        rng = self.rng
        if rng.random() < P_COMPOUND_GIVEN:
            given = weighted(rng, FEMALE_COMPOUND if sex == "F" else MALE_COMPOUND)
        else:
            given = weighted(rng, FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
        count = pick(rng, SURNAME_COUNT)
        surnames: list[tuple[str, str]] = []
        while len(surnames) < count:
            surname = weighted(rng, SURNAMES)
            if any(s == surname for _, s in surnames):
                continue
            particle = ""
            if surname in PARTICLE and (rng.random() < P_PARTICLE or surname in ("Jesus", "Paula")):
                particle = PARTICLE[surname]
            surnames.append((particle, surname))
        return tuple(given.split()), tuple(surnames)

    def person_emails(self, entity: Entity, count: int) -> list[str]:
        rng = self.rng
        given = [slug(w) for w in entity.given if w not in ("de", "das", "da")]
        last = slug(entity.surnames[-1][1])
        first_surname = slug(entity.surnames[0][1])
        emails: list[str] = []
        local = ""
        for n in range(count):
            if n == 0 or rng.random() < 0.5:
                if rng.random() < P_UNRELATED_HANDLE:
                    local = rng.choice(EMAIL_HANDLES) + str(rng.randint(1, 2015))
                else:
                    year = str(rng.randint(1955, 2008))
                    forms = [
                        f"{given[0]}.{last}",
                        f"{given[0]}{last}",
                        f"{given[0]}_{last}",
                        f"{given[0]}.{last}{year[2:]}",
                        f"{given[0]}{last}{year}",
                        f"{given[0][0]}{last}",
                        f"{given[0]}.{first_surname}",
                        f"{''.join(given)}.{last}",
                        f"{given[0]}{rng.randint(1, 999)}",
                        f"{last}.{given[0]}",
                    ]
                    local = rng.choice(forms)
            domain = weighted(rng, PROVIDERS)
            emails.append(self.unique_email(local, domain))
        return emails

    def person(self, sex: str | None = None, city: City | None = None) -> Entity:
        rng = self.rng
        sex = sex or rng.choice("FM")
        entity = Entity(
            id=self.new_id("person"),
            kind="person",
            records=self.record_count(),
            tax_id=self.new_cpf(),
            sex=sex,
        )
        entity.given, entity.surnames = self.person_name(sex)
        entity.address = self.new_address(city)
        ddd = entity.address.city.ddd
        entity.mobiles = [self.new_phone(ddd, True) for _ in range(pick(rng, MOBILES))]
        if rng.random() < P_LANDLINE_PERSON:
            entity.landline = self.new_phone(ddd, False)
        entity.emails = self.person_emails(entity, pick(rng, EMAILS))
        if entity.records > 1 and entity.mobiles and rng.random() < P_CHANGED_MOBILE:
            entity.old_mobile = self.new_phone(ddd, True)
        if entity.records > 1 and rng.random() < P_MOVED:
            entity.old_address = self.new_address(entity.address.city)
        return entity

    def person_group(self) -> None:
        """One person, or one of the hard-negative groups that starts with a person."""
        rng = self.rng
        draw = rng.random()
        bounds = [P_HOUSEHOLD, P_JUNIOR, P_COUPLE_SHARED, P_OWNER_COMPANY, P_HOMONYM]
        kind = "single"
        for name, bound in zip(
            ("household", "junior", "couple_shared_contact", "owner_company", "homonym"),
            [sum(bounds[: i + 1]) for i in range(len(bounds))],
            strict=True,
        ):
            if draw < bound:
                kind = name
                break
        first = self.add(
            self.person("M" if kind in ("household", "junior", "couple_shared_contact") else None)
        )
        assert first.address is not None
        if kind == "household" or kind == "couple_shared_contact":
            spouse = self.person("F", first.address.city)
            if rng.random() < 0.7:  # takes the husband's last surname
                kept = [s for s in spouse.surnames[:1] if s[1] != first.surnames[-1][1]]
                spouse.surnames = (*kept, first.surnames[-1])
                spouse.emails = self.person_emails(spouse, len(spouse.emails))
            spouse.address = first.address
            spouse.old_address = None
            if kind == "household":
                if first.landline is None:
                    first.landline = self.new_phone(first.address.city.ddd, False)
                spouse.landline = first.landline
            else:
                if not first.mobiles:
                    first.mobiles = [self.new_phone(first.address.city.ddd, True)]
                shared_mobile = first.mobiles[0]
                spouse.mobiles = [shared_mobile] + (
                    spouse.mobiles[:1] if rng.random() < 0.3 else []
                )
                spouse.old_mobile = None
                if not first.emails:
                    first.emails = [
                        self.unique_email(
                            f"familia{slug(first.surnames[-1][1])}", weighted(rng, PROVIDERS)
                        )
                    ]
                spouse.emails = [first.emails[0], *spouse.emails[:1]]
            self.add(spouse)
            self.hard_negatives.append((first.id, spouse.id, kind))
        elif kind == "junior":
            son = self.person("M", first.address.city)
            son.given, son.surnames = first.given, first.surnames
            son.suffix = "Júnior" if rng.random() < 0.6 else "Filho"
            son.emails = self.person_emails(son, len(son.emails))
            if first.landline is None:
                first.landline = self.new_phone(first.address.city.ddd, False)
            son.landline = first.landline
            son.address = first.address
            son.old_address = None
            self.add(son)
            self.hard_negatives.append((first.id, son.id, "junior"))
        elif kind == "owner_company":
            if not first.mobiles:
                first.mobiles = [self.new_phone(first.address.city.ddd, True)]
            company = self.company(owner=first)
            self.add(company)
            self.hard_negatives.append((first.id, company.id, "owner_company"))
        elif kind == "homonym":
            city = first.address.city if rng.random() < 0.5 else None
            twin = self.person(first.sex, city)
            twin.given, twin.surnames = first.given, first.surnames
            twin.emails = self.person_emails(twin, len(twin.emails))
            self.add(twin)
            # listed with the chance homonyms at the end

    # companies ---------------------------------------------------------
    def company(
        self,
        owner: Entity | None = None,
        root: str | None = None,
        branch: int = 1,
        like: Entity | None = None,
    ) -> Entity:
        rng = self.rng
        entity = Entity(
            id=self.new_id("company"), kind="company", records=self.record_count(), tax_id=""
        )
        city = owner.address.city if owner is not None and owner.address is not None else None
        if like is not None:
            entity.razao, entity.legal_form, entity.fantasia = (
                like.razao,
                like.legal_form,
                like.fantasia,
            )
            if like.address is not None and rng.random() < 0.7:
                city = like.address.city
        elif owner is not None:
            first = owner.given[0]
            owner_name = " ".join([*owner.given, *(s for _, s in owner.surnames)])
            entity.fantasia = rng.choice(
                [
                    f"{first} {rng.choice(OWNER_SHOPS)}",
                    f"{rng.choice(OWNER_SHOPS)} da {first}"
                    if owner.sex == "F"
                    else f"{rng.choice(OWNER_SHOPS)} do {first}",
                ]
            )
            style = rng.random()
            if style < 0.4:
                entity.mei = True
                entity.razao = strip_accents(owner_name).upper()
                entity.legal_form = ""
            elif style < 0.8:
                entity.razao, entity.legal_form = owner_name, "ME"
            else:
                entity.razao, entity.legal_form = entity.fantasia, "ME"
        else:
            for _ in range(4):  # another company's fantasia is drawn again, mostly
                self._name_company(entity)
                if slug(entity.fantasia) not in self._fantasias:
                    break
            self._fantasias.add(slug(entity.fantasia))
            entity.legal_form = pick(
                rng,
                (
                    ("Ltda", 0.5),
                    ("ME", 0.2),
                    ("EIRELI", 0.1),
                    ("S.A.", 0.05),
                    ("Ltda EPP", 0.05),
                    ("", 0.1),
                ),
            )
        root = root or self.new_cnpj_root()
        entity.tax_id = self.cnpj(root, branch)
        entity.address = self.new_address(city)
        ddd = entity.address.city.ddd
        if owner is not None:
            entity.mobiles = [owner.mobiles[0]]
            if rng.random() < 0.3 and owner.emails:
                entity.emails = [owner.emails[0]]
            if rng.random() < 0.5 and owner.address is not None:
                entity.address = owner.address
        else:
            if rng.random() < 0.6:
                entity.mobiles = [self.new_phone(ddd, True)]
        if rng.random() < (0.8 if owner is None else 0.3):
            entity.landline = self.new_phone(ddd, False)
        if not entity.emails and rng.random() < 0.85:
            base = slug(entity.fantasia)[:24] or slug(entity.razao)[:24]
            local = rng.choice(BUSINESS_LOCAL)
            if owner is None and rng.random() < 0.6:
                domain = f"{base}.com.br"
                if domain in self._domains:  # another company has it: add the city
                    domain = f"{base}{slug(entity.address.city.name)}.com.br"
                while domain in self._domains:
                    domain = f"{base}{rng.randint(2, 99)}.com.br"
                self._domains.add(domain)
                entity.emails = [self.unique_email(local, domain)]
            else:
                entity.emails = [self.unique_email(base, weighted(rng, PROVIDERS))]
        return entity

    def _name_company(self, entity: Entity) -> None:
        rng = self.rng
        activity = rng.choice(ACTIVITIES)
        fantasia = rng.choice(FANTASIAS)
        style = rng.random()
        s1, s2 = weighted(rng, SURNAMES), weighted(rng, SURNAMES)
        if style < 0.45:
            entity.razao = f"{activity} {fantasia}"
            entity.fantasia = fantasia if rng.random() < 0.3 else f"{activity} {fantasia}"
        elif style < 0.7:
            goods, shop = rng.choice(TRADES)
            entity.razao = f"{s1} & {s2} Comércio de {goods}"
            entity.fantasia = f"{fantasia} {shop}"
        elif style < 0.9:
            entity.razao = f"{s1} {activity}"
            entity.fantasia = rng.choice([f"{activity} {s1}", fantasia])
        else:
            entity.razao = f"{fantasia} {activity} Comércio e Serviços"
            entity.fantasia = fantasia

    def company_group(self) -> None:
        rng = self.rng
        head = self.add(self.company())
        if rng.random() < P_BRANCHES:
            root = head.tax_id[:8]
            for branch in range(2, 2 + rng.choice((1, 1, 2))):
                other = self.company(root=root, branch=branch, like=head)
                if head.emails and rng.random() < P_BRANCH_SHARED_EMAIL:
                    other.emails = [head.emails[0]]
                elif head.emails:
                    local, domain = head.emails[0].split("@")
                    other.emails = [self.unique_email(f"{local}.filial{branch}", domain)]
                self.add(other)
                for earlier in [
                    e for e in self.entities if e.tax_id[:8] == root and e.id != other.id
                ]:
                    self.hard_negatives.append((earlier.id, other.id, "branch"))

    def list_homonyms(self) -> None:
        """People with the same full name, and companies of other roots with the same fantasia."""
        by_name: dict[tuple[str, str], list[Entity]] = {}
        for entity in self.entities:
            if entity.kind == "person":
                key = ("homonym", entity.canonical_name())
            else:
                key = ("same_fantasia", slug(entity.fantasia))
            by_name.setdefault(key, []).append(entity)
        for (kind, _), group in by_name.items():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if a.tax_id[:8] != b.tax_id[:8] or kind == "homonym":
                        self.hard_negatives.append((a.id, b.id, kind))


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def typo(rng: random.Random, word: str) -> tuple[str, str]:
    kind = pick(rng, (("transposition", 0.40), ("dropped_letter", 0.35), ("doubled_letter", 0.25)))
    if len(word) < 4:
        return word, ""
    i = rng.randrange(1, len(word) - 2)
    if kind == "transposition":
        if word[i] == word[i + 1]:
            return word, ""
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :], "typo_transposition"
    if kind == "dropped_letter":
        return word[:i] + word[i + 1 :], "typo_dropped_letter"
    return word[:i] + word[i] + word[i:], "typo_doubled_letter"


def suffix_text(rng: random.Random, suffix: str, tags: list[str]) -> str:
    if not suffix:
        return ""
    if rng.random() < P_SUFFIX_DROPPED:
        tags.append("suffix_dropped")
        return ""
    if suffix == "Júnior" and rng.random() < P_SUFFIX_SPELLED:
        tags.append("suffix_spelled")
        return rng.choice(("Junior", "Jr.", "Jr", "JR"))
    return suffix


def person_name_text(rng: random.Random, entity: Entity, origin: Origin, tags: list[str]) -> str:
    given = list(entity.given)
    surnames = list(entity.surnames)
    suffix = suffix_text(rng, entity.suffix, tags)
    if rng.random() < P_SPELLING_VARIANT:
        swappable = [i for i, w in enumerate(given) if w in SPELLING_VARIANTS]
        swappable_s = [i for i, (_, s) in enumerate(surnames) if s in SPELLING_VARIANTS]
        if swappable:
            i = rng.choice(swappable)
            given[i] = SPELLING_VARIANTS[given[i]]
            tags.append("spelling_variant")
        elif swappable_s:
            i = rng.choice(swappable_s)
            surnames[i] = (surnames[i][0], SPELLING_VARIANTS[surnames[i][1]])
            tags.append("spelling_variant")
    if rng.random() < P_PARTICLE_CHANGE:
        surnames = [("" if p else PARTICLE.get(s, ""), s) for p, s in surnames]
        tags.append("particles_changed")

    def joined(parts: list[tuple[str, str]]) -> list[str]:
        words: list[str] = []
        for particle, surname in parts:
            words += [particle, surname] if particle else [surname]
        return words

    draw = rng.random()
    if rng.random() < origin.first_only:
        words = [given[0]]
        tags.append("first_name_only")
    elif draw < origin.first_last and (len(given) + len(surnames) > 2):
        words = [given[0], surnames[-1][1]]
        tags.append("middle_dropped")
    elif draw < origin.first_last + P_ABBREVIATED_MIDDLE and len(given) + len(surnames) > 2:
        middle = [w for w in given[1:] if w not in ("de", "das", "da")] + [
            s for _, s in surnames[:-1]
        ]
        keep_first_middle = rng.random() < 0.4 and len(given) > 1
        out = list(given) if keep_first_middle else [given[0]]
        start = len(given) - 1 if keep_first_middle else 0
        out += [m[0] + "." for m in middle[max(start, 0) :]]
        words = [w for w in out if w not in ("de", "das")] + [surnames[-1][1]]
        tags.append("middle_abbreviated")
    elif draw < origin.first_last + P_ABBREVIATED_MIDDLE + P_SURNAME_FIRST and len(surnames) >= 1:
        last = surnames[-1][1]
        rest = given + joined(surnames[:-1])
        words = [last + ",", *rest] if rng.random() < 0.5 else [last, *rest]
        tags.append("surname_first")
    else:
        words = given + joined(surnames)
    if suffix:
        words.append(suffix)
    if rng.random() < (origin.name_typo):
        candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w[-1] != "."]
        if candidates:
            i = rng.choice(candidates)
            words[i], tag = typo(rng, words[i])
            if tag:
                tags.append(tag)
    text = " ".join(words)
    if rng.random() < P_DOUBLE_SPACE and " " in text:
        text = text.replace(" ", "  ", 1)
        tags.append("double_space")
    return case_and_accents(rng, text, origin, tags)


def case_and_accents(rng: random.Random, text: str, origin: Origin, tags: list[str]) -> str:
    if rng.random() < origin.no_accents and strip_accents(text) != text:
        text = strip_accents(text)
        tags.append("accents_dropped")
    draw = rng.random()
    if draw < origin.caps:
        text = text.upper()
        tags.append("all_caps")
    elif draw < origin.caps + origin.lower:
        text = text.lower()
        tags.append("lower_case")
    return text


LEGAL_VARIANTS = {
    "Ltda": ("LTDA", "Ltda.", "Limitada", "ltda", ""),
    "ME": ("- ME", "Me", "M.E.", "- M.E.", ""),
    "EIRELI": ("Eireli", "- EIRELI", "EIRELI - ME", ""),
    "S.A.": ("S/A", "SA", "S. A.", ""),
    "Ltda EPP": ("LTDA - EPP", "Ltda - EPP", "EPP", ""),
}


def company_name_text(rng: random.Random, entity: Entity, origin: Origin, tags: list[str]) -> str:
    legal = entity.legal_form
    if legal == "EIRELI" and rng.random() < P_EIRELI_AS_LTDA:
        legal = "Ltda"
        tags.append("legal_form_changed")
    elif legal and rng.random() < P_LEGAL_FORM_VARIANT:
        legal = rng.choice(LEGAL_VARIANTS[legal])
        tags.append("legal_form_variant" if legal else "legal_form_dropped")
    razao = entity.razao
    if entity.mei:
        razao = f"{format_cnpj(entity.tax_id)[:10]} {entity.razao}"
    razao_full = f"{razao} {legal}".strip()
    draw = rng.random()
    if draw < 0.55:
        text = razao_full
        tags.append("razao_social")
    elif draw < 0.90:
        text = entity.fantasia
        tags.append("nome_fantasia")
    elif draw < 0.94:
        text = f"{entity.fantasia} ({razao_full})"
        tags.append("fantasia_and_razao")
    elif draw < 0.97:
        text = f"{razao_full} - {entity.fantasia}"
        tags.append("fantasia_and_razao")
    else:
        text = f"{entity.fantasia} {legal}".strip()
        tags.append("nome_fantasia")
    if rng.random() < origin.name_typo * 0.6:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if candidates:
            i = rng.choice(candidates)
            words[i], tag = typo(rng, words[i])
            if tag:
                tags.append(tag)
            text = " ".join(words)
    return case_and_accents(rng, text, origin, tags)


def mistype_digit(rng: random.Random, digits: str, keep_prefix: int) -> str:
    i = rng.randrange(keep_prefix, len(digits))
    new = str((int(digits[i]) + rng.randint(1, 9)) % 10)
    return digits[:i] + new + digits[i + 1 :]


def phone_text(
    rng: random.Random, number: str, origin: Origin, tags: list[str], company: bool
) -> str:
    """A spelling of ``number`` (DDD + 8 or 9 digits) as people type it."""
    if rng.random() < P_PHONE_TYPO:
        number = mistype_digit(rng, number, 3)
        tags.append("phone_digit_typo")
    ddd, local = number[:2], number[2:]
    mobile = len(local) == 9
    if mobile and rng.random() < origin.whatsapp_spelling:
        tags.append("phone_whatsapp_form")
        return rng.choice(
            (
                f"55{number}",
                f"+55 {ddd} {local[:5]}-{local[5:]}",
                f"+55{number}",
                f"55 {ddd} {local[0]} {local[1:5]}-{local[5:]}",
            )
        )
    if rng.random() < origin.no_ddd:
        tags.append("phone_without_ddd")
        return f"{local[:-4]}-{local[-4:]}"
    if mobile and rng.random() < 0.05:
        local = local[1:]
        tags.append("phone_missing_ninth_digit")
    head, tail = local[:-4], local[-4:]
    styles = (
        ("parens", f"({ddd}) {head}-{tail}", 30),
        ("bare", f"{ddd}{local}", 14),
        ("spaced", f"{ddd} {head}-{tail}", 8),
        ("parens_tight", f"({ddd}){head}-{tail}", 5),
        (
            "nine_apart",
            f"{ddd} {local[0]} {local[1:-4]}-{tail}"
            if mobile and len(local) == 9
            else f"{ddd} {head} {tail}",
            4,
        ),
        ("dotted", f"{ddd}.{head}.{tail}", 1),
        ("plus55", f"+55 {ddd} {head}-{tail}", 5),
        ("plus55_bare", f"+55{ddd}{local}", 3),
        ("55_bare", f"55{ddd}{local}", 2),
        ("0055", f"0055 {ddd} {head} {tail}", 1.5),
        ("trunk_0", f"0{ddd} {head}-{tail}", 2),
        ("0xx", f"(0xx{ddd}) {head}-{tail}", 1.5),
        ("carrier_code", f"0 {rng.choice(CARRIERS)} {ddd} {head}-{tail}", 1.5),
    )
    name, text, _ = rng.choices(styles, weights=[w for _, _, w in styles])[0]
    tags.append(f"phone_{name}")
    if company and not mobile and rng.random() < P_RAMAL:
        text += f" ramal {rng.randint(10, 250)}"
        tags.append("phone_ramal")
    return text


def email_text(rng: random.Random, email: str, tags: list[str]) -> str:
    local, domain = email.split("@")
    if domain in DOMAIN_TYPOS and rng.random() < P_EMAIL_DOMAIN_TYPO:
        domain = rng.choice(DOMAIN_TYPOS[domain])
        tags.append("email_domain_typo")
    text = f"{local}@{domain}"
    draw = rng.random()
    if draw < P_EMAIL_CAPS:
        text = text.upper()
        tags.append("email_caps")
    elif draw < P_EMAIL_CAPS + P_EMAIL_CAPITALISED:
        text = text[0].upper() + text[1:]
        tags.append("email_capitalised")
    return text


def tax_text(rng: random.Random, digits: str, origin: Origin, excel: bool, tags: list[str]) -> str:
    if rng.random() < P_TAX_TYPO:
        digits = mistype_digit(rng, digits, 0)
        tags.append("tax_id_digit_typo")
    if excel:
        tags.append("excel_number")
        if digits.startswith("0"):
            tags.append("tax_id_leading_zero_lost")
        return str(int(digits))
    cpf = len(digits) == 11
    formatted = format_cpf(digits) if cpf else format_cnpj(digits)
    styles = (
        ("formatted", formatted, 45),
        ("bare", digits, 40),
        ("dash_only", f"{digits[:-2]}-{digits[-2:]}", 5),
        ("dotted_check", f"{formatted[:-3]}.{digits[-2:]}", 3),
        ("spaces", formatted.replace(".", " ").replace("-", " ").replace("/", " "), 7),
    )
    name, text, _ = rng.choices(styles, weights=[w for _, _, w in styles])[0]
    tags.append(f"tax_id_{name}")
    return text


def cep_text(rng: random.Random, cep: str, excel: bool, tags: list[str]) -> str:
    if excel:
        if cep.startswith("0"):
            tags.append("cep_leading_zero_lost")
        return str(int(cep))
    draw = rng.random()
    if draw < 0.55:
        return f"{cep[:5]}-{cep[5:]}"
    if draw < 0.90:
        return cep
    if draw < 0.93:
        return f"{cep[:2]}.{cep[2:5]}-{cep[5:]}"
    tags.append("cep_blank")
    return ""


def street_text(
    rng: random.Random, address: Address, origin: Origin, tags: list[str]
) -> tuple[str, str]:
    kind = address.street_type
    if kind == "Rua" and rng.random() < 0.2:
        kind = "R."
    elif kind == "Avenida" and rng.random() < 0.5:
        kind = rng.choice(("Av.", "Av"))
    street = f"{kind} {address.street}"
    number = address.number
    draw = rng.random()
    if draw < 0.15:
        street, number = f"{street}, {number}", ""
        tags.append("number_in_street")
    elif draw < 0.17:
        number = "s/n"
        tags.append("number_sn")
    return case_and_accents(rng, street, origin, []), number


def city_text(rng: random.Random, city: City, tags: list[str]) -> tuple[str, str]:
    name = city.name
    draw = rng.random()
    if draw < 0.20:
        name = strip_accents(name)
    elif draw < 0.28:
        name = name.upper()
    uf = city.uf
    draw = rng.random()
    if draw < 0.04:
        uf = uf.lower()
    elif draw < 0.06:
        uf = STATE_NAMES[uf]
        tags.append("state_full_name")
    elif draw < 0.07:
        uf = ""
    return name, uf


@dataclass
class Row:
    entity: str
    values: dict[str, str]
    tags: list[str]
    origin: str


def render(rng: random.Random, entity: Entity) -> Row:
    origin = rng.choices(
        ORIGINS,
        weights=[
            o.share * (0.3 if entity.kind == "company" and o.name == "whatsapp" else 1)
            for o in ORIGINS
        ],
    )[0]
    tags: list[str] = []
    values = dict.fromkeys(HEADER, "")
    company = entity.kind == "company"
    if company:
        values["Nome"] = company_name_text(rng, entity, origin, tags)
    else:
        values["Nome"] = person_name_text(rng, entity, origin, tags)
    thin = rng.random() < origin.thin
    excel = rng.random() < origin.excel
    if thin:
        tags.append("thin")
    # phones
    mobiles = list(entity.mobiles)
    if entity.old_mobile is not None and mobiles and rng.random() < 0.5:
        mobiles[0] = entity.old_mobile
        tags.append("old_mobile")
    phones = mobiles + ([entity.landline] if entity.landline else [])
    if phones and not (rng.random() < origin.no_phone and not thin):
        landline_first = 0.6 if company else (0.2 if mobiles else 1.0)
        if entity.landline and rng.random() < landline_first:
            phones.remove(entity.landline)
            phones.insert(0, entity.landline)
        first = phones[0]
        others = phones[1:] if (not thin and rng.random() < P_OTHER_PHONES) else []
        if others and rng.random() < P_TWO_PHONES_ONE_CELL / P_OTHER_PHONES:
            values["Telefone"] = (
                f"{phone_text(rng, first, origin, tags, company)} / "
                f"{phone_text(rng, others[0], origin, tags, company)}"
            )
            tags.append("two_phones_one_cell")
            others = others[1:]
        elif rng.random() < origin.ddd_column and not thin:
            local = first[2:]
            values["DDD"] = first[:2]
            if len(local) == 9 and rng.random() < 0.05:
                local = local[1:]
                tags.append("phone_missing_ninth_digit")
            values["Telefone"] = rng.choice((f"{local[:-4]}-{local[-4:]}", local))
            if rng.random() < 0.3:
                values["DDI"] = "55"
            tags.append("phone_ddd_column")
        else:
            values["Telefone"] = phone_text(rng, first, origin, tags, company)
        if others:
            values["Outros telefones"] = " | ".join(
                phone_text(rng, p, origin, tags, company) for p in others
            )
            tags.append("other_phones")
    elif not phones:
        tags.append("no_phone")
    else:
        tags.append("phone_left_blank")
    if thin:
        address = (
            entity.old_address if entity.old_address and rng.random() < 0.5 else entity.address
        )
        if address is not None:
            values["Cidade"], _ = city_text(rng, address.city, tags)
        return Row(entity.id, values, tags, origin.name)
    # e-mails
    if entity.emails and rng.random() < (0.9 if company else origin.email):
        emails = list(entity.emails)
        if len(emails) > 1 and rng.random() < 0.4:
            emails.reverse()
        values["E-mail"] = email_text(rng, emails[0], tags)
        if len(emails) > 1 and rng.random() < P_OTHER_EMAILS:
            values["Outros e-mails"] = email_text(rng, emails[1], tags)
            tags.append("other_emails")
    # tax id
    if rng.random() < (min(1.0, origin.tax_id + 0.1) if company else origin.tax_id):
        values["CPF/CNPJ"] = tax_text(rng, entity.tax_id, origin, excel, tags)
    # address
    if rng.random() < origin.address:
        address = entity.address
        if entity.old_address is not None and rng.random() < 0.5:
            address = entity.old_address
            tags.append("old_address")
        assert address is not None
        values["Rua"], values["Número"] = street_text(rng, address, origin, tags)
        values["Complemento"] = address.complement if rng.random() < 0.8 else ""
        values["Bairro"] = case_and_accents(rng, address.bairro, origin, [])
        values["Cidade"], values["Estado"] = city_text(rng, address.city, tags)
        values["CEP"] = cep_text(rng, address.cep, excel, tags)
    if rng.random() < P_NOTE:
        values["Observação"] = rng.choice(NOTES)
    return Row(entity.id, values, tags, origin.name)


# --------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------


@dataclass
class Generated:
    seed: int
    rows: list[Row]
    entities: list[Entity]
    hard_negatives: list[tuple[str, str, str]]


def generate(records: int = 20_000, seed: int = 1) -> Generated:
    """``records`` rows of a messy customer file and its truth; same seed, same file."""
    rng = random.Random(seed)
    world = World(rng)
    while world.total_records < records:
        if rng.random() < COMPANY_SHARE:
            world.company_group()
        else:
            world.person_group()
    world.list_homonyms()
    self_check(world.entities)
    rows = [render(rng, entity) for entity in world.entities for _ in range(entity.records)]
    rng.shuffle(rows)
    rows = rows[:records]
    present = {row.entity for row in rows}
    entities = [e for e in world.entities if e.id in present]
    pairs = [p for p in world.hard_negatives if p[0] in present and p[1] in present]
    return Generated(seed, rows, entities, pairs)


def self_check(entities: Sequence[Entity]) -> None:
    """The check digits written here agree with python-stdnum's validation."""
    from stdnum.br import cnpj, cpf

    for entity in entities:
        valid = (
            cpf.is_valid(entity.tax_id) if entity.kind == "person" else cnpj.is_valid(entity.tax_id)
        )
        if not valid:
            raise AssertionError(f"invalid tax id generated for {entity.id}")


def write(generated: Generated, csv_path: Path, truth_path: Path, encoding: str = "cp1252") -> None:
    """Write the CSV file (header on line 1, one row per line) and its truth as JSON."""
    with open(csv_path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in generated.rows:
            writer.writerow([row.values[h] for h in HEADER])
    truth: dict[str, Any] = {
        "format": TRUTH_FORMAT,
        "generator": "generator_b",
        "seed": generated.seed,
        "csv": csv_path.name,
        "records": len(generated.rows),
        "lines": [
            {"line": n, "entity": row.entity, "origin": row.origin, "tags": row.tags}
            for n, row in enumerate(generated.rows, start=2)
        ],
        "entities": {
            e.id: {"kind": e.kind, "name": e.canonical_name()} for e in generated.entities
        },
        "hard_negatives": [
            {"a": a, "b": b, "kind": kind} for a, b, kind in generated.hard_negatives
        ],
    }
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=0), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("generator_b.csv"))
    parser.add_argument("--truth", type=Path, help="default: OUT with .truth.json")
    parser.add_argument("--encoding", default="cp1252", choices=("cp1252", "utf-8", "utf-8-sig"))
    args = parser.parse_args(argv)
    truth = args.truth or args.out.with_suffix(".truth.json")
    generated = generate(args.records, args.seed)
    write(generated, args.out, truth, args.encoding)
    kinds: dict[str, int] = {}
    for _, _, kind in generated.hard_negatives:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(
        f"wrote {len(generated.rows)} rows of {len(generated.entities)} entities to {args.out}"
        f" and the truth to {truth}; hard-negative pairs: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
