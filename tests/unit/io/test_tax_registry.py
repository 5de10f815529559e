"""An import checks CPF/CNPJ with the tax registry when the preset does (ERP_SHOP), as register does."""

from __future__ import annotations

import io

from customer_core import Actor, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.io import Importer
from customer_core.ports import TaxIdStatus
from customer_core.services import CustomerDirectory
from customer_core.testing.fakes import FakeTaxIdRegistry

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
FILE = (
    "Nome;CPF/CNPJ;E-mail;Situação\n"
    "Ana Lima;529.982.247-25;ana@exemplo.com;ativo\n"
    "Caio Dias;390.533.447-05;caio@exemplo.com;ativo\n"
    "Caio Dias;390.533.447-05;caio.dias@exemplo.com;ativo\n"
)


def _import(
    preset: presets.Preset, registry: FakeTaxIdRegistry, *, strict: bool = False
) -> tuple[MemoryStore, object]:
    store = MemoryStore()
    importer = Importer(store, preset=preset, tax_registry=registry)
    report = importer.run(T, ADMIN, io.BytesIO(FILE.encode()), strict=strict)
    return store, report


def _stored(store: MemoryStore) -> dict[str, str | None]:
    customers = CustomerDirectory(store, preset=presets.ERP_SHOP).list(T, ADMIN).items
    return {c.name: c.tax_id.digits if c.tax_id else None for c in customers}


def test_a_cpf_the_registry_refuses_is_left_out_of_its_rows_with_a_warning() -> None:
    registry = FakeTaxIdRegistry({"52998224725": TaxIdStatus.REGULAR})  # Caio's: not found
    store, report = _import(presets.ERP_SHOP, registry)
    # Caio's rows are kept, with their e-mails, without the CPF the registry does
    # not know; nor does that CPF join them: a made-up number that passes the
    # check digits (typed for customers who gave none) is no evidence of anyone.
    assert (report.created, report.failed) == (3, 0)  # type: ignore[attr-defined]
    assert _stored(store) == {"Ana Lima": "52998224725", "Caio Dias": None}
    refused = [(w.line, w.column, w.code) for w in report.warnings]  # type: ignore[attr-defined]
    assert refused == [(3, "tax_id", "invalid_cpf"), (4, "tax_id", "invalid_cpf")]
    assert "not_found" in report.warnings[0].message  # type: ignore[attr-defined]
    assert sorted(registry.asked) == ["39053344705", "52998224725"]  # once per number


def test_strict_fails_the_rows_whose_cpf_the_registry_refuses() -> None:
    registry = FakeTaxIdRegistry({"52998224725": TaxIdStatus.REGULAR})
    store, report = _import(presets.ERP_SHOP, registry, strict=True)
    assert (report.created, report.failed) == (1, 2)  # type: ignore[attr-defined]
    assert _stored(store) == {"Ana Lima": "52998224725"}


def test_an_unknown_answer_refuses_nothing_and_presets_without_the_check_never_ask() -> None:
    unknown = FakeTaxIdRegistry(
        {"52998224725": TaxIdStatus.UNKNOWN, "39053344705": TaxIdStatus.UNKNOWN}
    )
    store, _ = _import(presets.ERP_SHOP, unknown)
    assert _stored(store) == {"Ana Lima": "52998224725", "Caio Dias": "39053344705"}
    never = FakeTaxIdRegistry()
    _import(presets.DEFAULT, never)
    assert never.asked == []
