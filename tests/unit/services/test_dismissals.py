"""Dismissals: the duplicate report remembers customers someone kept apart."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from customer_core import (
    Actor,
    CustomerCoreError,
    InvalidOperation,
    InvalidValue,
    NotFound,
    PermissionDenied,
    connect,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.domain.model.dismissals import DismissalKind
from customer_core.domain.model.events import DomainEvent
from customer_core.errors import Code
from customer_core.facade import CustomerCore
from customer_core.services import CustomerService
from customer_core.services.identity import IdentityService
from customer_core.testing.fakes import FixedClock, SequentialIds

T = "help"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
SUPERVISOR = Actor(tenant_id=T, user_id="boss", role="supervisor")
SELLER = Actor(tenant_id=T, user_id="seller", role="seller")


def make(preset: presets.Preset = presets.HELPDESK_CARD) -> tuple[CustomerService, IdentityService]:
    store = MemoryStore()
    ids, clock = SequentialIds("c"), FixedClock()
    return (
        CustomerService(store, preset=preset, ids=ids, clock=clock),
        IdentityService(store, preset=preset, ids=ids, clock=clock),
    )


def twins(customers: CustomerService) -> tuple[str, str]:
    """Two people the report suggests: one name, one CEP, one e-mail local part."""
    a = customers.register(
        T,
        ADMIN,
        name="Mariana Kowalski Teixeira",
        emails=["mkteixeira@gmail.com"],
        addresses=[{"street": "Rua A, 10", "cep": "01310-100"}],
    )
    b = customers.register(
        T,
        ADMIN,
        name="Mariana Kowalski Teixeira",
        emails=["mkteixeira@hotmail.com"],
        addresses=[{"street": "Rua A, 10", "cep": "01310-100"}],
    )
    return a.id, b.id


def test_a_dismissed_pair_is_no_longer_suggested_until_undone() -> None:
    customers, identity = make()
    a, b = twins(customers)
    assert [s.ids for s in identity.duplicate_report(T, ADMIN).suggestions] == [(a, b)]
    dismissal = identity.dismiss(T, SUPERVISOR, [b, a], "twins, checked by phone")
    assert dismissal.customer_ids == (a, b)
    assert (dismissal.actor_id, dismissal.kind) == ("boss", DismissalKind.NOT_DUPLICATE)
    assert dismissal.reason == "twins, checked by phone"
    assert dismissal.dismissed_at == FixedClock().now()
    assert identity.duplicate_report(T, ADMIN).suggestions == ()
    assert identity.dismissals(T, ADMIN) == (dismissal,)

    undone = identity.undo_dismissal(T, ADMIN, dismissal.id)
    assert (undone.undone_by, undone.in_force) == ("admin", False)
    assert [s.ids for s in identity.duplicate_report(T, ADMIN).suggestions] == [(a, b)]
    assert identity.dismissals(T, ADMIN) == ()
    assert identity.dismissals(T, ADMIN, undone=True) == (undone,)
    with pytest.raises(InvalidOperation) as refused:
        identity.undo_dismissal(T, ADMIN, dismissal.id)
    assert refused.value.code is Code.ALREADY_UNDONE


def test_a_set_dismisses_every_pair_in_it_and_only_those() -> None:
    customers, identity = make()
    a, b = twins(customers)
    c = customers.register(
        T,
        ADMIN,
        name="Mariana Kowalski Teixeira",
        emails=["mkteixeira@yahoo.com.br"],
        addresses=[{"street": "Rua A, 10", "cep": "01310-100"}],
    ).id
    assert len(identity.duplicate_report(T, ADMIN).suggestions) == 3
    identity.dismiss(T, ADMIN, [a, b], "sisters")
    assert {s.ids for s in identity.duplicate_report(T, ADMIN).suggestions} == {(a, c), (b, c)}
    identity.dismiss(T, ADMIN, [a, b, c], "triplets")
    assert identity.duplicate_report(T, ADMIN).suggestions == ()


def test_a_cluster_is_hidden_once_every_pair_in_it_is_dismissed() -> None:
    customers, identity = make()
    phone = customers.register(T, ADMIN, name="Ana Lima", phones=["11 98765-4321"]).id
    whatsapp = customers.register(
        T, ADMIN, name="Ana Lima", messenger_ids=[("whatsapp", "551187654321")]
    ).id
    assert [c.ids for c in identity.exact_clusters(T, ADMIN)] == [(phone, whatsapp)]
    identity.dismiss(T, ADMIN, [phone, whatsapp], "mother and daughter, one WhatsApp")
    assert identity.exact_clusters(T, ADMIN) == ()
    assert identity.duplicate_report(T, ADMIN).clusters == ()


def test_a_group_is_made_of_branches_of_one_company() -> None:
    customers, identity = make()
    hq = customers.register(
        T, ADMIN, name="ACME Matriz", kind="company", tax_id="11.222.333/0001-81"
    ).id
    branch = customers.register(
        T, ADMIN, name="ACME Filial", kind="company", tax_id="11.222.333/0002-62"
    ).id
    other = customers.register(
        T, ADMIN, name="Outra Ltda", kind="company", tax_id="11.444.777/0001-61"
    ).id
    person = customers.register(T, ADMIN, name="Ana Lima").id
    report = identity.duplicate_report(T, ADMIN)
    assert ([g.ids for g in report.groups], report.clusters) == ([(hq, branch)], ())
    group = identity.dismiss(T, ADMIN, [hq, branch], "branches", kind="same_group")
    assert group.kind is DismissalKind.SAME_GROUP
    assert identity.duplicate_report(T, ADMIN).groups == ()
    with pytest.raises(InvalidOperation) as not_one_root:
        identity.dismiss(T, ADMIN, [hq, other], "?", kind="same_group")
    assert (not_one_root.value.code, not_one_root.value.field) == (
        Code.INVALID_OPERATION,
        "customer_ids",
    )
    with pytest.raises(InvalidOperation) as not_a_company:
        identity.dismiss(T, ADMIN, [hq, person], "?", kind=DismissalKind.SAME_GROUP)
    assert not_a_company.value.code is Code.NOT_A_COMPANY


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda i, a, b: i.dismiss(T, ADMIN, [a], "alone"), "customer_ids"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, a], "the same twice"), "customer_ids"),
        (lambda i, a, b: i.dismiss(T, ADMIN, a, "a lone id"), "customer_ids"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, 7], "not an id"), "customer_ids"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, b], "  "), "reason"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, b], None), "reason"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, b], "x" * 501), "reason"),
        (lambda i, a, b: i.dismiss(T, ADMIN, [a, b], "why", kind="maybe"), "kind"),
        (lambda i, a, b: i.undo_dismissal(T, ADMIN, 42), "dismissal_id"),
        (lambda i, a, b: i.dismissals(T, ADMIN, undone="yes"), "undone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    call: Callable[[IdentityService, str, str], object], field: str
) -> None:
    customers, identity = make()
    a, b = twins(customers)
    with pytest.raises(InvalidValue) as refused:
        call(identity, a, b)
    assert refused.value.field == field
    assert identity.dismissals(T, ADMIN, undone=True) == ()


def test_dismissing_needs_the_right_to_merge_and_visible_customers() -> None:
    customers, identity = make(presets.HELPDESK_PORTFOLIO)
    a, b = twins(customers)
    with pytest.raises(PermissionDenied):
        identity.dismiss(T, SELLER, [a, b], "not mine to decide")
    with pytest.raises(NotFound):
        identity.dismiss(T, ADMIN, [a, "c-missing"], "gone")
    with pytest.raises(InvalidOperation) as wrong_tenant:
        identity.dismiss("other", ADMIN, [a, b], "elsewhere")
    assert wrong_tenant.value.code is Code.WRONG_TENANT
    assert identity.dismissals(T, ADMIN) == ()


def test_listing_and_undoing_obey_visibility() -> None:
    customers, identity = make(presets.HELPDESK_PORTFOLIO)
    a, b = twins(customers)  # unassigned: a supervisor of this preset does not see them
    dismissal = identity.dismiss(T, ADMIN, [a, b], "twins")
    assert identity.dismissals(T, SUPERVISOR) == ()
    with pytest.raises(NotFound) as hidden:
        identity.undo_dismissal(T, SUPERVISOR, dismissal.id)
    assert hidden.value.field == "dismissal_id"
    with pytest.raises(NotFound):
        identity.undo_dismissal(T, ADMIN, "d-missing")
    assert identity.dismissals(T, ADMIN) == (dismissal,)


class _Published:
    def __init__(self) -> None:
        self.names: list[str] = []

    def publish(self, events: Sequence[DomainEvent], /) -> None:
        self.names += [e.name for e in events]


@pytest.mark.parametrize("url", ["memory://", "sqlite://"])
def test_dismissals_persist_through_the_facade(url: str) -> None:
    published = _Published()
    core: CustomerCore = connect(url, preset=presets.HELPDESK_CARD, publisher=published)
    a, b = twins(core.customers)
    dismissal = core.identity.dismiss(T, ADMIN, (a, b), "twins")
    assert core.identity.duplicate_report(T, ADMIN).suggestions == ()
    assert core.identity.dismissals(T, ADMIN) == (dismissal,)
    core.identity.undo_dismissal(T, ADMIN, dismissal.id)
    assert len(core.identity.duplicate_report(T, ADMIN).suggestions) == 1
    with pytest.raises(CustomerCoreError):
        core.identity.undo_dismissal(T, ADMIN, dismissal.id)
    assert published.names[-2:] == ["customer.duplicate_dismissed", "customer.dismissal_undone"]
