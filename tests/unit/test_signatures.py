"""What the public methods take: every scalar field, and which values are refused."""

from __future__ import annotations

from typing import Any

import pytest

from customer_core import (
    Actor,
    CustomerCore,
    CustomerCoreError,
    connect,
    presets,
)
from customer_core.services.inputs import SCALAR_FIELDS

T = "acme"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


def _core() -> tuple[CustomerCore, str]:
    core = connect("memory://", preset=presets.OMNICHANNEL)
    ana = core.customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    return core, ana.id


# -- update: a field left out is kept, None clears it ------------------------------


def test_update_keeps_what_is_left_out_and_clears_what_is_none() -> None:
    core, ana_id = _core()
    portfolio = core.portfolios.create(T, ADMIN, name="Sul")
    ana = core.customers.update(
        T,
        ADMIN,
        ana_id,
        note="prefers WhatsApp",
        job_title="Buyer",
        organization_id="org-1",
        portfolio_id=portfolio.id,
        responsible_id="u7",
    )
    assert (ana.note, ana.job_title, ana.organization_id) == ("prefers WhatsApp", "Buyer", "org-1")
    assert (ana.portfolio_id, ana.responsible_id) == (portfolio.id, "u7")
    ana = core.customers.update(T, ADMIN, ana_id, note=None)
    assert (ana.note, ana.job_title, ana.portfolio_id) == (None, "Buyer", portfolio.id)
    ana = core.customers.update(
        T, ADMIN, ana_id, portfolio_id=None, responsible_id=None, organization_id=None
    )
    assert (ana.portfolio_id, ana.responsible_id, ana.organization_id) == (None, None, None)
    assert ana.job_title == "Buyer"


def test_an_update_with_nothing_to_change_records_an_empty_field_list() -> None:
    from customer_core.testing.fakes import RecordingPublisher

    publisher = RecordingPublisher()
    core = connect("memory://", publisher=publisher)
    ana = core.customers.register(T, ADMIN, name="Ana")
    core.customers.update(T, ADMIN, ana.id, note="x", is_vip=True)
    core.customers.update(T, ADMIN, ana.id)
    updates = [e for e in publisher.published if e.name == "customer.updated"]
    assert [e.data for e in updates] == [{"fields": ["is_vip", "note"]}, {"fields": []}]


# -- every scalar field: accepted by register and update, wrong values are ours -----

#: A good value and a wrong one (our error, ``field`` the parameter's name).
FIELD_VALUES: dict[str, tuple[object, object]] = {
    "name": ("Ana Lima", 5),
    "trade_name": ("Loja da Ana", 5),
    "tax_id": ("529.982.247-25", "111.111.111-11"),
    "language": ("pt", "klingon"),
    "avatar_url": ("https://x.com/a.png", 5),
    "organization_id": ("org-1", 5),
    "job_title": ("Buyer", 5),
    "note": ("a note", 5),
    "portfolio_id": (None, 5),
    "responsible_id": ("u7", 5),
    "customer_profile": ("varejo", 5),
    "payment_method": ("boleto", 5),
    "payment_term": ("30 dias", 5),
    "is_spammer": (False, "yes"),
    "is_vip": (True, 1),
}


def test_the_table_covers_every_scalar_field() -> None:
    assert set(FIELD_VALUES) == SCALAR_FIELDS


@pytest.mark.parametrize("field", sorted(FIELD_VALUES))
def test_register_and_update_take_every_scalar_field(field: str) -> None:
    good, bad = FIELD_VALUES[field]
    core = connect("memory://")
    extra: dict[str, Any] = {} if field == "name" else {"name": "Ana"}
    good_value: dict[str, Any] = {field: good}
    bad_value: dict[str, Any] = {field: bad}
    ana = core.customers.register(T, ADMIN, **extra, **good_value)
    with pytest.raises(CustomerCoreError) as error:
        core.customers.register(T, ADMIN, **extra, **bad_value)
    assert error.value.field == field
    ana = core.customers.update(T, ADMIN, ana.id, **good_value)
    with pytest.raises(CustomerCoreError) as error:
        core.customers.update(T, ADMIN, ana.id, **bad_value)
    assert error.value.field == field
    assert core.customers.get(T, ADMIN, ana.id) == ana
    assert [c.id for c in core.directory.list(T, ADMIN).items] == [ana.id]
