"""What a merge takes from its caller (``drop``, ``choices``), and what unmerge gives back,
on memory, SQLite, PostgreSQL and MariaDB.

A refused merge leaves every customer and the merge records as they were.
"""

from __future__ import annotations

import pytest
from tenants import tenant_and_admin

from customer_core import (
    Actor,
    Customer,
    CustomerCore,
    InvalidOperation,
    InvalidValue,
    presets,
)
from customer_core.domain.model.privacy import AuditEntry
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.fakes import FixedClock


def _core(storage: UnitOfWorkFactory) -> CustomerCore:
    # OMNICHANNEL keeps three phones: four make a merge that needs a drop.
    return CustomerCore.over(storage, preset=presets.OMNICHANNEL, clock=FixedClock())


def _three(core: CustomerCore, tenant: str, admin: Actor) -> tuple[Customer, ...]:
    register = core.customers.register
    return (
        register(tenant, admin, name="Ana Lima", phones=["11 98765-4321", "11 98765-4322"]),
        register(tenant, admin, name="Ana Lima", phones=["11 98765-4323"], emails=["ana@x.com"]),
        register(tenant, admin, name="A. Lima", phones=["11 98765-4324"]),
    )


def _unchanged(
    storage: UnitOfWorkFactory, core: CustomerCore, admin: Actor, *before: Customer
) -> None:
    tenant = admin.tenant_id
    for customer in before:
        assert core.customers.get(tenant, admin, customer.id) == customer
        with storage() as uow:
            assert list(uow.merges.about(tenant, customer.id)) == []


@pytest.mark.parametrize("stray", ["(11) 98765-4329", "ana@y.com", "instagram:ana.lima"])
def test_a_drop_none_of_the_customers_holds_is_refused_and_nothing_changes(
    storage: UnitOfWorkFactory, stray: str
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _three(core, tenant, admin)
    with pytest.raises(InvalidValue) as refused:
        core.identity.merge(tenant, admin, a.id, [b.id, c.id], drop=["11 98765-4324", stray])
    assert (refused.value.code, refused.value.field) == ("invalid_value", "drop")
    assert "none of the customers merged" in refused.value.message
    assert stray not in refused.value.message  # named masked, like every identifier in errors
    _unchanged(storage, core, admin, a, b, c)


def test_a_drop_may_name_what_only_a_later_absorbed_customer_holds(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, c = _three(core, tenant, admin)
    core.identity.merge(tenant, admin, a.id, [b.id, c.id], drop=["(11) 98765-4324"])
    merged = core.customers.get(tenant, admin, a.id)
    assert [p.national for p in merged.phones] == [
        "(11) 98765-4321",
        "(11) 98765-4322",
        "(11) 98765-4323",
    ]


def test_a_drop_may_name_what_the_survivor_holds(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, _ = _three(core, tenant, admin)
    core.identity.merge(tenant, admin, a.id, b.id, drop=["11 98765-4321"])
    merged = core.customers.get(tenant, admin, a.id)
    assert [p.national for p in merged.phones] == ["(11) 98765-4322", "(11) 98765-4323"]


@pytest.mark.parametrize("field", ["password_hash", "primary_email_key", "primary_phone_key"])
def test_a_password_hash_or_a_primary_key_is_not_a_choice(
    storage: UnitOfWorkFactory, field: str
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, _ = _three(core, tenant, admin)
    with pytest.raises(InvalidOperation) as refused:
        core.identity.merge(tenant, admin, a.id, b.id, choices={field: "absorbed"})
    assert (refused.value.code, refused.value.field) == ("invalid_operation", "choices")
    assert field in refused.value.message
    _unchanged(storage, core, admin, a, b)


def test_the_merge_still_fills_an_empty_primary_and_unmerge_takes_it_back(
    storage: UnitOfWorkFactory,
) -> None:
    # No longer a choice, the primary e-mail still comes with the e-mails absorbed.
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, _ = _three(core, tenant, admin)
    merge = core.identity.merge(tenant, admin, a.id, b.id)
    merged = core.customers.get(tenant, admin, a.id)
    assert (a.primary_email_key, merged.primary_email_key) == (None, "ana@x.com")
    survivor, restored = core.identity.unmerge(tenant, admin, merge.id)
    assert (survivor.primary_email_key, restored.primary_email_key) == (None, "ana@x.com")


def test_unmerge_keeps_a_field_cleared_after_the_merge(storage: UnitOfWorkFactory) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    register = core.customers.register
    a = register(tenant, admin, name="Ana Lima", note="prefere WhatsApp")
    b = register(tenant, admin, name="Ana Lima", emails=["ana@x.com"])  # no note
    merge = core.identity.merge(tenant, admin, a.id, b.id)
    assert core.customers.get(tenant, admin, a.id).note == "prefere WhatsApp"  # the survivor's
    core.customers.update(tenant, admin, a.id, note=None)  # cleared after the merge
    survivor, restored = core.identity.unmerge(tenant, admin, merge.id)
    assert restored.note is None
    assert survivor.note is None  # what the survivor gained (or lost) after the merge stays


def test_unmerge_gives_the_survivor_back_what_the_merge_dropped_from_it(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    a, b, _ = _three(core, tenant, admin)
    merge = core.identity.merge(tenant, admin, a.id, b.id, drop=["11 98765-4321"])
    assert merge.survivor_after == core.customers.get(tenant, admin, a.id)  # as the merge saved it
    survivor, restored = core.identity.unmerge(tenant, admin, merge.id)
    # After what it holds now: a dropped identifier comes back, not in its old place.
    assert [p.national for p in survivor.phones] == ["(11) 98765-4322", "(11) 98765-4321"]
    assert [p.national for p in restored.phones] == ["(11) 98765-4323"]
    assert survivor.primary_phone_key == a.primary_phone_key  # the merge's change undone too
    assert _unmerged_event(storage, tenant, a.id).details.get("kept_off") is None


def test_a_dropped_identifier_another_customer_took_since_stays_with_it_and_unmerge_says_so(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    register = core.customers.register
    a = register(tenant, admin, name="Ana Lima", social_profiles=["https://instagram.com/ana.lima"])
    b = register(tenant, admin, name="Ana Lima", emails=["ana@x.com"])
    merge = core.identity.merge(tenant, admin, a.id, b.id, drop=["instagram:ana.lima"])
    # Nobody held it while the merge was in force: an exclusive key another record may take.
    other = register(tenant, admin, name="Ana L.", social_profiles=["instagram.com/ana.lima"])
    survivor, restored = core.identity.unmerge(tenant, admin, merge.id)
    assert survivor.social_profiles == ()
    assert [s.match_key for s in core.customers.get(tenant, admin, other.id).social_profiles] == [
        "instagram:ana.lima"
    ]
    assert [str(e) for e in restored.emails] == ["ana@x.com"]
    assert _unmerged_event(storage, tenant, a.id).details["kept_off"] == "social_profiles"


def test_a_dropped_phone_without_room_since_stays_off_and_unmerge_says_so(
    storage: UnitOfWorkFactory,
) -> None:
    core = _core(storage)
    tenant, admin = tenant_and_admin()
    register = core.customers.register
    a = register(
        tenant, admin, name="Ana", phones=["11 98765-4321", "11 98765-4322", "11 98765-4325"]
    )
    b = register(tenant, admin, name="Ana", phones=["11 98765-4323"])
    merge = core.identity.merge(tenant, admin, a.id, b.id, drop=["11 98765-4321"])
    core.customers.remove_phone(tenant, admin, a.id, "11 98765-4323")
    core.customers.add_phone(tenant, admin, a.id, "11 98765-4329")  # the third place, since
    survivor, restored = core.identity.unmerge(tenant, admin, merge.id)
    assert [p.national for p in survivor.phones] == [
        "(11) 98765-4322",
        "(11) 98765-4325",
        "(11) 98765-4329",
    ]
    assert [p.national for p in restored.phones] == ["(11) 98765-4323"]
    assert _unmerged_event(storage, tenant, a.id).details["kept_off"] == "phones"


def _unmerged_event(storage: UnitOfWorkFactory, tenant: str, customer_id: str) -> AuditEntry:
    with storage() as uow:
        entries = [
            e for e in uow.audit.about(tenant, customer_id) if e.action == "customer.unmerged"
        ]
    return entries[-1]
