"""The public methods say what they take: keyword-only parameters, no ``**kwargs``.

A misspelt keyword is Python's own ``TypeError`` (and a mypy error, see
``tests/typing/api.py``); a wrong value of a real parameter is still the
library's :class:`~customer_core.errors.CustomerCoreError`.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from customer_core import (
    UNSET,
    Actor,
    CustomerCore,
    CustomerCoreError,
    InvalidValue,
    Preset,
    connect,
    presets,
)
from customer_core.services.base import ServiceBase
from customer_core.services.inputs import SCALAR_FIELDS
from customer_core.testing.contract_ids import public_service_methods

T = "acme"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    core = connect("memory://")
    yield from public_service_methods(core)
    for field in attrs.fields(CustomerCore):
        service_type = type(getattr(core, field.name))
        if issubclass(service_type, ServiceBase):
            yield f"{service_type.__name__}.__init__", service_type.__init__
    yield "connect", connect
    yield "CustomerCore.over", CustomerCore.over
    yield "Preset.evolve", Preset.evolve


@pytest.mark.parametrize(("label", "function"), list(_public_callables()))
def test_no_public_method_takes_arbitrary_keywords(
    label: str, function: Callable[..., Any]
) -> None:
    kinds = {p.kind for p in inspect.signature(function).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds, f"{label} takes **kwargs"
    assert inspect.Parameter.VAR_POSITIONAL not in kinds, f"{label} takes *args"


def test_the_summary_service_constructor_is_explicit_too() -> None:
    from customer_core.services.summary import SummaryService

    kinds = {p.kind for p in inspect.signature(SummaryService.__init__).parameters.values()}
    assert not kinds & {inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL}


# -- a misspelt keyword is a TypeError, before anything happens ------------------


def _core() -> tuple[CustomerCore, str]:
    core = connect("memory://", preset=presets.OMNICHANNEL)
    ana = core.customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    return core, ana.id


def test_a_misspelt_keyword_is_a_type_error_and_changes_nothing() -> None:
    core, ana_id = _core()
    before = core.customers.get(T, ADMIN, ana_id)
    customers = core.customers
    # (method, positional arguments, a misspelt or caller-forbidden keyword);
    # mypy flags each of these calls written out (tests/typing/api.py).
    calls: list[tuple[Callable[..., object], tuple[object, ...], dict[str, Any]]] = [
        (customers.add_phone, (ana_id, "11 3333-4444"), {"expected_verison": 1}),
        (customers.remove_phone, (ana_id, "11 98765-4321"), {"check": False}),
        (customers.update, (ana_id,), {"version": 9}),
        (customers.update, (ana_id,), {"emails": ["a@x.com"]}),
        (customers.change_status, (ana_id, "inactive"), {"event": "x"}),
        (customers.edit, (ana_id, lambda c: c), {"check": False}),
        (customers.register, (), {"name": "Bia", "nmae": "Bia"}),
        (core.exporter.run, (io.StringIO(),), {"portfolio": "p1"}),
    ]
    for method, args, keywords in calls:
        with pytest.raises(TypeError, match=next(iter(keywords.keys() - {"name"}))):
            method(T, ADMIN, *args, **keywords)
    assert core.customers.get(T, ADMIN, ana_id) == before
    assert [c.id for c in core.directory.list(T, ADMIN).items] == [ana_id]


# -- update: a field left out is kept, None clears it ------------------------------


def test_update_keeps_what_is_left_out_and_clears_what_is_none() -> None:
    core, ana_id = _core()
    portfolio = core.portfolios.create(T, ADMIN, name="Sul")
    org = core.customers.register(T, ADMIN, name="Acme Ltda", kind="company").id
    ana = core.customers.update(
        T,
        ADMIN,
        ana_id,
        note="prefers WhatsApp",
        job_title="Buyer",
        organization_id=org,
        portfolio_id=portfolio.id,
        responsible_id="u7",
    )
    assert (ana.note, ana.job_title, ana.organization_id) == ("prefers WhatsApp", "Buyer", org)
    assert (ana.portfolio_id, ana.responsible_id) == (portfolio.id, "u7")
    ana = core.customers.update(T, ADMIN, ana_id, note=None)
    assert (ana.note, ana.job_title, ana.portfolio_id) == (None, "Buyer", portfolio.id)
    ana = core.customers.update(
        T, ADMIN, ana_id, portfolio_id=None, responsible_id=None, organization_id=None
    )
    assert (ana.portfolio_id, ana.responsible_id, ana.organization_id) == (None, None, None)
    assert ana.job_title == "Buyer"


def test_unset_passed_explicitly_is_a_field_left_out() -> None:
    core, ana_id = _core()
    ana = core.customers.update(T, ADMIN, ana_id, note="kept", responsible_id="u7")
    same = core.customers.update(
        T, ADMIN, ana_id, note=UNSET, responsible_id=UNSET, portfolio_id=UNSET, name="Ana Lima"
    )
    assert (same.note, same.responsible_id, same.name) == ("kept", "u7", "Ana Lima")
    assert same.version == ana.version + 1
    assert repr(UNSET) == "UNSET"
    assert not UNSET


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
    others: set[str] = set()
    if field == "organization_id":  # an existing company
        good = core.customers.register(T, ADMIN, name="Acme Ltda", kind="company").id
        others.add(good)
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
    assert {c.id for c in core.directory.list(T, ADMIN).items} == {ana.id, *others}


def test_wrong_values_of_channel_options_are_ours() -> None:
    core, ana_id = _core()
    with pytest.raises(InvalidValue) as error:
        core.customers.add_phone(T, ADMIN, ana_id, "11 3333-4444", expected_version="1")  # type: ignore[arg-type]
    assert error.value.field == "expected_version"
    with pytest.raises(InvalidValue) as error:
        core.exporter.run(T, ADMIN, io.StringIO(), portfolio_id=5)  # type: ignore[arg-type]
    assert error.value.field == "portfolio_id"
    with pytest.raises(InvalidValue) as error:
        core.exporter.run(T, ADMIN, io.StringIO(), my_portfolio="yes")  # type: ignore[arg-type]
    assert error.value.field == "my_portfolio"


def test_exporter_filters_are_those_of_the_directory_list() -> None:
    from customer_core.io.exporter import Exporter
    from customer_core.services.directory import CustomerDirectory

    listed = inspect.signature(CustomerDirectory.list).parameters
    exported = inspect.signature(Exporter.run).parameters
    filters = {n for n, p in listed.items() if p.kind is p.KEYWORD_ONLY} - {"cursor", "limit"}
    assert filters <= exported.keys()
    for name in filters:
        assert exported[name].default == listed[name].default, name
        assert exported[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_preset_evolve_replaces_only_what_is_given() -> None:
    tweaked = presets.OMNICHANNEL.evolve(default_region="PT", name="tweaked")
    assert (tweaked.name, tweaked.default_region) == ("tweaked", "PT")
    assert tweaked.contact == presets.OMNICHANNEL.contact
    assert presets.OMNICHANNEL.evolve() == presets.OMNICHANNEL
    with pytest.raises(TypeError):
        presets.OMNICHANNEL.evolve(region="PT")  # type: ignore[call-arg]
