"""The demo behind ``customer-core demo``: a realistic tenant, then a short tour.

It generates a few thousand Brazilian customers (with the messy duplicates
real spreadsheets have), imports them through the CSV importer, spreads them
over sellers' portfolios, and shows search, inbound resolution, visibility for
two actors and the duplicate report.
"""

from __future__ import annotations

import io
import random
import string
import unicodedata
from collections.abc import Iterator
from typing import IO

from customer_core import presets
from customer_core.domain.model.actor import Actor
from customer_core.domain.values._data.area_codes import BR_AREA_CODES
from customer_core.domain.values.tax_id import cpf_check_digits
from customer_core.facade import connect
from customer_core.io.csv_format import COLUMNS, TEMPLATE_HEADER
from customer_core.io.importer import Importer

__all__ = ["csv_line", "demo_csv", "demo_rows", "run_demo"]

TENANT = "loja-demo"
_FIRST = [
    "Ana",
    "Maria",
    "João",
    "José",
    "Antônio",
    "Francisca",
    "Carlos",
    "Paulo",
    "Pedro",
    "Lucas",
    "Luiz",
    "Marcos",
    "Luís",
    "Gabriel",
    "Rafael",
    "Daniel",
    "Marcelo",
    "Bruno",
    "Eduardo",
    "Felipe",
    "Raimundo",
    "Rodrigo",
    "Juliana",
    "Márcia",
    "Fernanda",
    "Patrícia",
    "Aline",
    "Sandra",
    "Camila",
    "Amanda",
    "Bruna",
    "Jéssica",
    "Letícia",
    "Júlia",
    "Luciana",
    "Vanessa",
    "Mariana",
]
_LAST = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Araújo",
    "Conceição",
]
_PLACES = [
    ("São Paulo", "SP", "01"),
    ("Rio de Janeiro", "RJ", "20"),
    ("Belo Horizonte", "MG", "30"),
    ("Salvador", "BA", "40"),
    ("Recife", "PE", "50"),
    ("Fortaleza", "CE", "60"),
    ("Curitiba", "PR", "80"),
    ("Porto Alegre", "RS", "90"),
    ("Manaus", "AM", "69"),
]
_STREETS = [
    "Rua das Flores",
    "Av. Brasil",
    "Rua XV de Novembro",
    "Rua Sete de Setembro",
    "Av. Getúlio Vargas",
    "Rua São João",
    "Alameda Santos",
    "Rua da Consolação",
]
_HOODS = ["Centro", "Boa Vista", "Jardim América", "Vila Nova", "Santa Cecília", "Liberdade"]
_SELLERS = ("ana.vendas", "bruno.vendas", "carla.vendas", "diego.vendas")


def _cpf(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(9))
    digits = body + cpf_check_digits(body)
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def _fold_email(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()


def demo_rows(
    customers: int | None = None, /, *, seed: int = 2026, messy: bool = True
) -> Iterator[dict[str, str]]:
    """Rows of the import template for ``customers`` generated customers (endless if ``None``).

    With ``messy``, ~3% of the customers come again the messy way (no accents,
    old 8-digit mobile, upper-case e-mail) and ~2% have a near duplicate;
    without it every row is one new customer. Rows are made one at a time.
    """
    rng = random.Random(seed)
    i = 0
    while customers is None or i < customers:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        city, uf, cep_prefix = rng.choice(_PLACES)
        area = rng.choice(BR_AREA_CODES)
        number = f"9{rng.choice('6789')}{rng.randrange(10**6, 10**7)}"
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            name=f"{first} {last}",
            email=f"{_fold_email(first)}.{_fold_email(last)}{i}@exemplo.com.br",
            country_code="55",
            area_code=area,
            phone=f"{number[:5]}-{number[5:]}",
            tax_id=_cpf(rng) if rng.random() < 0.6 else "",
            street=rng.choice(_STREETS),
            number=str(rng.randrange(1, 3000)),
            neighborhood=rng.choice(_HOODS),
            city=city,
            uf=uf,
            cep=f"{cep_prefix}{rng.randrange(100, 999)}-{rng.randrange(0, 999):03d}",
        )
        yield row
        if messy and rng.random() < 0.03:  # the same person again, typed the messy way
            again = dict(row)
            again.update(
                name=_fold_email(row["name"]).title(),
                email=row["email"].upper(),
                country_code="",
                area_code="",
                phone=f"+55 {area} {number[1:5]}-{number[5:]}",
            )
            yield again
        if messy and rng.random() < 0.02:  # a near duplicate: another e-mail, same name and CEP
            near = dict(row)
            near.update(email=f"{_fold_email(first)}{i}@gmail.com", phone="", tax_id="")
            near["name"] = f"{first} {last[0]}. {last}" if rng.random() < 0.5 else row["name"]
            yield near
        i += 1


def csv_line(row: dict[str, str], /) -> str:
    """One row in the template's column order, ``;``-separated (demo data needs no quoting)."""
    return ";".join(row[c] for c in COLUMNS) + "\n"


def demo_csv(customers: int, *, seed: int = 2026) -> str:
    """A CSV in the import template's format, ~3% of rows repeating a customer the messy way."""
    out = io.StringIO()
    out.write(";".join(TEMPLATE_HEADER) + "\n")
    for row in demo_rows(customers, seed=seed):
        out.write(csv_line(row))
    return out.getvalue()


def run_demo(url: str, *, customers: int = 3000, out: IO[str], progress: bool = False) -> int:
    """Build the demo tenant at ``url`` (idempotent) and print the tour."""
    core = connect(url, preset=presets.OMNICHAT.evolve(registration=presets.DEFAULT.registration))
    admin = Actor(tenant_id=TENANT, user_id="admin", role="admin")

    def say(text: str = "") -> None:
        print(text, file=out)

    say(f"customer_core demo on {url}")
    report = Importer(core.storage, preset=core.preset).run(
        TENANT, admin, io.BytesIO(demo_csv(customers).encode("utf-8")), mode="upsert"
    )
    say(
        f"import: {report.rows_read} rows -> {report.created} created, {report.unchanged} unchanged, "
        f"{report.merged_rows} rows were the same customer again, {report.failed} failed"
    )
    portfolios = {p.owner_id: p for p in core.portfolios.list_all(TENANT, admin)}
    first_run = not portfolios
    for owner in _SELLERS:
        if owner not in portfolios:
            portfolios[owner] = core.portfolios.create(
                TENANT, admin, name=f"Carteira {owner}", owner_id=owner, member_ids=[owner]
            )
    page, cursor, n = None, None, 0
    while first_run and (page is None or page.next_cursor):
        page = core.directory.list(TENANT, admin, unassigned=True, cursor=cursor, limit=500)
        ids = [c.id for c in page.items]
        for k, owner in enumerate(_SELLERS):
            chunk = ids[k::5]  # every fifth customer stays unassigned
            if chunk:
                core.portfolios.transfer(TENANT, admin, chunk, to_seller_id=owner)
                n += len(chunk)
        cursor = page.next_cursor
    say(f"portfolios: {len(_SELLERS)} sellers; {n} customers assigned in this run")

    first_page = core.directory.list(TENANT, admin, limit=400).items
    for customer in first_page[:150]:
        if customer.first_purchase_at is None:
            core.customers.record_purchase(TENANT, admin, customer.id)
    for customer in first_page[350:400]:
        if customer.status != "inactive":
            core.customers.change_status(TENANT, admin, customer.id, "inactive")
    seller = Actor(tenant_id=TENANT, user_id=_SELLERS[0], role="seller")
    counts = core.directory.counts(TENANT, admin)
    say("\ncounts (admin): " + ", ".join(f"{k.value} {v}" for k, v in counts.items()))
    mine = core.directory.counts(TENANT, seller)
    say(f"counts (seller {seller.user_id}, my portfolio on by default): {sum(mine.values())}")

    say("\nsearch 'joao silva' (admin):")
    for c in core.directory.search(TENANT, admin, "joao silva", limit=5):
        say(f"  {c.name:<30} {c.primary_phone.national if c.primary_phone else ''}")
    say(f"search 'silva' (seller {seller.user_id}, my portfolio):")
    for c in core.directory.search(TENANT, seller, "silva", limit=5):
        say(f"  {c.name:<30} responsible {c.responsible_id}")

    sample = core.directory.list(TENANT, admin, limit=1).items[0]
    phone = sample.primary_phone
    if phone is not None:
        wa_id = (
            phone.match_key[:4] + phone.match_key[5:]
            if len(phone.match_key) == 13
            else phone.match_key
        )
        result = core.identity.resolve_inbound(
            TENANT,
            "whatsapp",
            {"messenger": ("whatsapp", wa_id)},
            display_name="~ nome do perfil ~",
        )
        say(
            f"\ninbound WhatsApp {wa_id} (no ninth digit) -> {result.outcome}: {result.customer.name}"
        )
    new = core.identity.resolve_inbound(
        TENANT, "email", {"email": "cliente.novo@exemplo.org"}, display_name="Cliente Novo"
    )
    say(f"inbound e-mail cliente.novo@exemplo.org -> {new.outcome}: {new.customer.name}")

    report_dup = core.identity.duplicate_report(TENANT, admin)
    say(
        f"\nduplicate report: {len(report_dup.clusters)} exact clusters, {len(report_dup.suggestions)} suggestions"
    )
    for s in report_dup.suggestions[:5]:
        why = ", ".join(f"{e.kind} {e.detail}" for e in s.evidence)
        left, right = (core.customers.get(TENANT, admin, i).name for i in s.ids)
        say(f"  {s.score:.2f} {left} ~ {right} ({why})")
    say("\ntry: customer-core search 'maria' --database " + url + f" --tenant {TENANT}")
    return 0
