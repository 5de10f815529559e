"""A row that fills in only part of an address never erases the rest."""

from __future__ import annotations

import io

from customer_core import Actor, connect

ADMIN = Actor(tenant_id="t", user_id="admin", role="admin")
HEADER = "Nome;E-mail;Telefone;Rua;Número;Bairro;Cidade;Estado;CEP\n"
FULL = "Juliana Barros;juliana.barros@gmail.com;(48) 99876-0000;Rua Felipe Schmidt;50;Centro;Florianópolis;SC;88010-000\n"


def _address(core: object) -> tuple[object, ...]:
    (customer,) = core.directory.list("t", ADMIN).items  # type: ignore[attr-defined]
    (address,) = customer.addresses
    return (
        address.street,
        address.number,
        address.neighborhood,
        address.city,
        address.uf,
        address.cep,
    )


def test_the_fullest_address_of_a_customers_rows_is_kept_whatever_the_order() -> None:
    partial = "Juliana Barros;juliana.b@empresa.com.br;(48) 99876-0000;;;;Florianópolis;SC;\n"
    for rows in (FULL + partial, partial + FULL):
        core = connect("memory://")
        core.importer.run("t", ADMIN, io.BytesIO((HEADER + rows).encode()))
        assert _address(core) == (
            "Rua Felipe Schmidt",
            "50",
            "Centro",
            "Florianópolis",
            "SC",
            "88010-000",
        )


def test_an_upsert_of_part_of_the_stored_address_changes_nothing() -> None:
    core = connect("memory://")
    core.importer.run("t", ADMIN, io.BytesIO((HEADER + FULL).encode()))
    before = _address(core)
    for partial in (
        "Juliana Barros;juliana.barros@gmail.com;;;;;florianopolis;SC;\n",
        "Juliana Barros;juliana.barros@gmail.com;;;;;;;88010-000\n",
    ):
        report = core.importer.run(
            "t", ADMIN, io.BytesIO((HEADER + partial).encode()), mode="upsert"
        )
        assert (report.updated, report.unchanged) == (0, 1)
        assert _address(core) == before
    moved = "Juliana Barros;juliana.barros@gmail.com;;Rua Bocaiúva;10;Centro;Florianópolis;SC;88015-530\n"
    report = core.importer.run("t", ADMIN, io.BytesIO((HEADER + moved).encode()), mode="upsert")
    assert report.updated == 1
    assert _address(core)[:2] == ("Rua Bocaiúva", "10")
