"""Type-only tests of the public API: what a user's type checker sees.

``mypy --strict`` checks this file (``files`` in pyproject.toml covers
``tests/``); pytest never collects it (``norecursedirs``), and nothing here
runs: every check is inside a function that nobody calls.

- ``assert_type(value, T)`` fails mypy when the inferred type of ``value`` is
  not exactly ``T``.
- A line marked ``# type: ignore[code]`` is a call that must be a type error
  with that code: ``--strict`` turns on ``warn_unused_ignores``, so the
  comment fails mypy as soon as the call type-checks (say, if ``**kwargs``
  came back).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from typing import Any, Literal

import customer_core
from customer_core import UNSET, Actor, Customer, CustomerCore, Preset, Unset, presets
from customer_core.io import ImportReport
from customer_core.ports import AuditEntry, Consent, MergeRecord
from customer_core.services import Erasure, Page

if sys.version_info >= (3, 11):
    from typing import assert_type
else:  # mypy checks this file as Python 3.10 (pyproject.toml); typeshed has the stub
    from typing_extensions import assert_type

ADMIN = Actor(tenant_id="acme", user_id="u1", role="admin")


def connecting() -> None:
    assert_type(customer_core.connect("memory://"), CustomerCore)
    assert_type(customer_core.connect("memory://", preset=presets.OMNICHAT), CustomerCore)
    core = customer_core.connect()
    assert_type(CustomerCore.over(core.storage, preset=core.preset), CustomerCore)
    customer_core.connect("memory://", clok=None)  # type: ignore[call-arg]
    customer_core.connect("memory://", preset="omnichat")  # type: ignore[arg-type]


def registering(core: CustomerCore) -> None:
    ana = core.customers.register(
        "acme",
        ADMIN,
        name="Ana Lima",
        tax_id="529.982.247-25",
        phones=["(11) 98765-4321"],
        emails=["ana@exemplo.com"],
        note="prefers WhatsApp",
        language="pt",
        portfolio_id=None,
        is_vip=True,
    )
    assert_type(ana, Customer)
    core.customers.register("acme", ADMIN, name="Ana", nmae="Ana")  # type: ignore[call-arg]
    core.customers.register("acme", ADMIN, name="Ana", is_vip="yes")  # type: ignore[arg-type]
    core.customers.register("acme", ADMIN, name="Ana", version=2)  # type: ignore[call-arg]
    core.customers.register("acme", ADMIN)  # type: ignore[call-arg]


def updating(core: CustomerCore, customer_id: str) -> None:
    assert_type(core.customers.update("acme", ADMIN, customer_id, note=None), Customer)
    assert_type(
        core.customers.update(
            "acme", ADMIN, customer_id, expected_version=3, note=UNSET, portfolio_id=None
        ),
        Customer,
    )
    core.customers.update("acme", ADMIN, customer_id, nome="Ana")  # type: ignore[call-arg]
    core.customers.update("acme", ADMIN, customer_id, emails=["a@x.com"])  # type: ignore[call-arg]
    core.customers.update("acme", ADMIN, customer_id, name=None)  # type: ignore[arg-type]
    core.customers.update("acme", ADMIN, customer_id, expected_version="3")  # type: ignore[arg-type]
    assert_type(core.customers.change_status("acme", ADMIN, customer_id, "inactive"), Customer)
    core.customers.change_status("acme", ADMIN, customer_id, "inactive", check=False)  # type: ignore[call-arg]
    assert_type(
        core.customers.edit("acme", ADMIN, customer_id, lambda c: c, expected_version=1),
        Customer,
    )


def leaving_a_field_out(note: str | Unset | None) -> None:
    assert_type(UNSET, Literal[Unset.UNSET])
    if note is not UNSET:
        assert_type(note, str | None)  # what a caller forwards from a partial form


def channels(core: CustomerCore, customer_id: str) -> None:
    customers = core.customers
    assert_type(customers.add_phone("acme", ADMIN, customer_id, "11 3333-4444"), Customer)
    assert_type(
        customers.add_phone("acme", ADMIN, customer_id, "11 3333-4444", expected_version=1),
        Customer,
    )
    assert_type(
        customers.remove_email("acme", ADMIN, customer_id, "a@x.com", expected_version=None),
        Customer,
    )
    customers.add_phone("acme", ADMIN, customer_id, "11 3333-4444", expected_verison=1)  # type: ignore[call-arg]
    customers.add_phone("acme", ADMIN, customer_id, "11 3333-4444", expected_version="1")  # type: ignore[arg-type]
    customers.remove_email("acme", ADMIN, customer_id, "a@x.com", check=False)  # type: ignore[call-arg]
    customers.add_address("acme", ADMIN, customer_id, {"city": "Recife"}, event="x")  # type: ignore[call-arg]


def reading(core: CustomerCore) -> None:
    assert_type(core.directory.search("acme", ADMIN, "ana"), Sequence[Customer])
    assert_type(core.directory.search("acme", ADMIN, "ana", limit=5), Sequence[Customer])
    assert_type(core.directory.list("acme", ADMIN, my_portfolio=False), Page)
    core.directory.search("acme", ADMIN, "ana", limt=5)  # type: ignore[call-arg]


def identity(core: CustomerCore, survivor_id: str, absorbed_id: str) -> None:
    assert_type(core.identity.merge("acme", ADMIN, survivor_id, absorbed_id), MergeRecord)
    assert_type(
        core.identity.merge("acme", ADMIN, survivor_id, [absorbed_id], drop=["a@x.com"]),
        MergeRecord,
    )
    core.identity.merge("acme", ADMIN, survivor_id, absorbed_id, keep="survivor")  # type: ignore[call-arg]


def import_and_export(core: CustomerCore) -> None:
    assert_type(core.importer.run("acme", ADMIN, "clientes.csv", dry_run=True), ImportReport)
    out = io.StringIO()
    assert_type(core.exporter.run("acme", ADMIN, out), int)
    assert_type(core.exporter.run("acme", ADMIN, out, my_portfolio=False, status="active"), int)
    core.exporter.run("acme", ADMIN, out, portfolio="p1")  # type: ignore[call-arg]
    core.exporter.run("acme", ADMIN, out, unassigned="yes")  # type: ignore[arg-type]


def tweaking_a_preset() -> None:
    assert_type(presets.OMNICHANNEL.evolve(default_region="PT"), Preset)
    presets.OMNICHANNEL.evolve(region="PT")  # type: ignore[call-arg]


def privacy(core: CustomerCore, customer_id: str) -> None:
    assert_type(core.privacy.export_subject("acme", ADMIN, customer_id), dict[str, Any])
    assert_type(core.privacy.erase("acme", ADMIN, customer_id, reason="art18_request"), Erasure)
    assert_type(core.privacy.anonymize("acme", ADMIN, customer_id), Customer)
    assert_type(
        core.privacy.grant_consent(
            "acme", ADMIN, customer_id, purpose="marketing_email", source="form", evidence="f1"
        ),
        Consent,
    )
    assert_type(core.privacy.audit_trail("acme", ADMIN, customer_id), Sequence[AuditEntry])
    core.privacy.erase("acme", ADMIN, customer_id, why="x")  # type: ignore[call-arg]


def validation_failures() -> None:
    core = customer_core.connect("memory://")
    try:
        core.customers.register("acme", ADMIN, name="Ana", phones=["x"])
    except customer_core.ValidationFailed as failed:
        assert_type(failed.errors, tuple[customer_core.FieldError, ...])
        field, index, code, message = failed.errors[0]
        assert_type(field, str | None)
        assert_type(index, int | None)
        assert_type(code, customer_core.Code)
        assert_type(message, str)
        from customer_core.messages import describe, localize

        assert_type(localize(failed, lang="pt-BR"), str)
        assert_type(describe(failed), str)
