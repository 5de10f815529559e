"""An owner and their company are never one customer after an import, on every storage.

The shapes are those that merged an owner and their company on generated
messy files (benchmarks/whole_path.py, hard negatives ``owner_company``),
names changed. The company shares the owner's mobile (and sometimes the
e-mail); it is told from the owner by its row: a CNPJ, a ``Tipo`` PJ, a
legal form, a role mailbox, or a name of goods and owner (*Marmitas do
Ricardo*). A row that tells nothing is the owner's duplicate, and stays so.
"""

from __future__ import annotations

import io
import uuid

from customer_core import Actor
from customer_core.errors import Code
from customer_core.io import Importer, RowOutcome
from customer_core.ports import UnitOfWorkFactory

HEADER = "Nome;Tipo;CPF/CNPJ;Telefone;E-mail;Código;Cidade\n"


def run(
    storage: UnitOfWorkFactory, rows: list[str], mode: str = "create"
) -> tuple[list[tuple[str, str]], list[RowOutcome]]:
    """Import ``rows`` into a fresh tenant: its customers (kind, name) and the row outcomes."""
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    admin = Actor(tenant_id=tenant, user_id="admin", role="admin")
    outcomes: list[RowOutcome] = []
    text = HEADER + "\n".join(rows) + "\n"
    Importer(storage).run(
        tenant, admin, io.BytesIO(text.encode()), mode=mode, on_row=outcomes.append
    )
    with storage() as uow:
        customers = uow.customers.list_page(tenant, limit=100)
    return sorted((c.kind.value, c.name) for c in customers), outcomes


OWNER = "Ricardo M. Santos;;529.982.247-25;(16) 98713-8650;ricardo.moura@x.com;;Ribeirão Preto"


def test_a_shop_named_for_its_goods_and_owner_is_a_company_of_its_own(
    storage: UnitOfWorkFactory,
) -> None:
    for mode in ("create", "upsert"):
        customers, _ = run(storage, [OWNER, "Marmitas do Ricardo;;;5516987138650;;;"], mode)
        assert customers == [("company", "Marmitas do Ricardo"), ("person", "Ricardo M. Santos")]


def test_the_owners_rows_join_and_the_companys_rows_join_apart(storage: UnitOfWorkFactory) -> None:
    rows = [
        OWNER,
        "Maria Pires Silva;;384.278.284-54;+551181930291;maria@x.com;;São Paulo",
        "Maria Pires Silva ME;;;11 9 8193-0291;maria@x.com;;",
        "MARIA PIRES SILVA ME;;;11.98193.0291;maria@x.com;;São Paulo",
        "Maria P. Silva;;;11 98193-0291;;;",
        "Ricardo Moura Santos;;;5516987138650;;;",
        "Marmitas do Ricardo;;;16 98713-8650;ricardo.moura@x.com;;",
    ]
    customers, outcomes = run(storage, rows)
    assert customers == [
        ("company", "Maria Pires Silva ME"),
        ("company", "Marmitas do Ricardo"),
        ("person", "Maria Pires Silva"),
        ("person", "Ricardo M. Santos"),
    ]
    assert sorted(o.outcome for o in outcomes) == ["created"] * 4 + ["merged"] * 3


def test_one_exclusive_key_on_a_person_and_a_company_is_the_users_call(
    storage: UnitOfWorkFactory,
) -> None:
    rows = [
        "Ana Lima;PF;529.982.247-25;11 98765-4321;;;",
        "Ana Lima Doces;PJ;529.982.247-25;11 98765-4321;;;",  # the MEI with its owner's CPF
        "Bruno Costa;;;21 98888-7777;;ERP-9;",
        "Bruno Costa ME;;;21 98888-7777;;ERP-9;",
    ]
    customers, outcomes = run(storage, rows)
    assert customers == [("company", "Ana Lima Doces"), ("company", "Bruno Costa ME")]
    refused = [o for o in outcomes if o.outcome == "conflict"]
    assert sorted(o.line for o in refused) == [2, 4]
    assert all(o.code == Code.DUPLICATE_IDENTITY for o in refused), refused


def test_a_company_row_that_says_nothing_of_a_company_is_the_owners_duplicate(
    storage: UnitOfWorkFactory,
) -> None:
    # No signal tells the bare name from the owner's second row; a Tipo column does.
    same = ["Sandra Fernandes;;;71961091773;;;Salvador", "Sandra Fernandes;;;55 71 9 6109-1773;;;"]
    assert run(storage, same)[0] == [("person", "Sandra Fernandes")]
    told = [same[0], "Sandra Fernandes;PJ;;55 71 9 6109-1773;;;"]
    assert run(storage, told)[0] == [
        ("company", "Sandra Fernandes"),
        ("person", "Sandra Fernandes"),
    ]
