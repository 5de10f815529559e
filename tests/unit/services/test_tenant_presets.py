"""``preset=`` as a function of the tenant: one process, tenants configured differently."""

from __future__ import annotations

import io
import threading

import pytest

import customer_core
from customer_core import Actor, presets
from customer_core.errors import Code, InvalidOperation, InvalidValue, MissingRequiredField

#: The shop requires e-mail, phone and address (OMNICHAT); the helpdesk only a name.
BY_TENANT = {"shop": presets.OMNICHAT, "desk": presets.HELPDESK_PORTFOLIO}


def _core() -> customer_core.CustomerCore:
    return customer_core.connect("memory://", preset=BY_TENANT.__getitem__)


def _admin(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="u1", role="admin")


def test_each_tenant_gets_its_rules() -> None:
    core = _core()
    desk = core.customers.register("desk", _admin("desk"), name="Ana")
    assert core.customers.get("desk", _admin("desk"), desk.id).name == "Ana"
    with pytest.raises(MissingRequiredField):
        core.customers.register("shop", _admin("shop"), name="Ana")
    assert core.directory.search("shop", _admin("shop"), "Ana") == []


def test_visibility_follows_the_tenants_preset() -> None:
    core = _core()
    admin = _admin("desk")
    ana = core.customers.register("desk", admin, name="Ana")
    seller = Actor(tenant_id="desk", user_id="s1", role="seller")
    # HELPDESK_PORTFOLIO is restricted: a seller outside every portfolio sees nothing.
    assert core.directory.search("desk", seller, "Ana") == []
    assert core.customers.get("desk", admin, ana.id).id == ana.id


def test_imports_use_the_tenants_preset() -> None:
    core = _core()
    sheet = "nome,telefone\nAna,11 98765-4321\n"
    desk = core.importer.run("desk", _admin("desk"), io.BytesIO(sheet.encode()))
    shop = core.importer.run("shop", _admin("shop"), io.BytesIO(sheet.encode()))
    assert (desk.created, shop.created) == (1, 0)  # the shop requires an e-mail and address


def test_threads_do_not_mix_tenants() -> None:
    core = _core()
    errors: list[BaseException] = []

    def register(tenant: str, fails: bool) -> None:
        for _ in range(20):
            try:
                core.customers.register(tenant, _admin(tenant), name="Ana")
            except MissingRequiredField:
                if not fails:
                    errors.append(AssertionError(f"{tenant} refused"))
            else:
                if fails:
                    errors.append(AssertionError(f"{tenant} accepted"))

    threads = [
        threading.Thread(target=register, args=("desk", False)),
        threading.Thread(target=register, args=("shop", True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_preset_for() -> None:
    core = _core()
    assert core.preset_for("shop") is presets.OMNICHAT
    assert core.preset_for("desk") is presets.HELPDESK_PORTFOLIO
    with pytest.raises(InvalidValue) as bad:
        core.preset_for("")
    assert bad.value.field == "tenant_id"


def test_a_function_that_returns_no_preset_is_refused() -> None:
    core = customer_core.connect("memory://", preset=lambda tenant: "omnichat")  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidValue) as bad:
        core.customers.register("shop", _admin("shop"), name="Ana")
    assert (bad.value.code, bad.value.field) == (Code.INVALID_VALUE, "preset")


def test_preset_must_be_a_preset_or_a_function() -> None:
    with pytest.raises(InvalidValue) as bad:
        customer_core.connect("memory://", preset="omnichat")  # type: ignore[arg-type]
    assert bad.value.field == "preset"


def test_the_preset_outside_a_call_names_the_way_out() -> None:
    core = _core()
    with pytest.raises(InvalidOperation, match="preset_for"):
        _ = core.customers.preset
