"""The privacy service's edges on the memory adapter: bad input is our error and changes
nothing; shared blocklisted lines; unmerged records; the audit log's own rules."""

from __future__ import annotations

from typing import Any

import pytest

from customer_core import Actor, CustomerCore, connect, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.domain.model.identity import IdentityKey, IdentityKind
from customer_core.domain.model.privacy import blocked_key
from customer_core.errors import Code, CustomerCoreError, InvalidValue, PermissionDenied

KEY = b"0123456789abcdef-host-key"
T = "loja"
DPO = Actor(tenant_id=T, user_id="dpo", role="admin", permissions=["privacy"])


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def core(store: MemoryStore) -> CustomerCore:
    return CustomerCore.over(store, preset=presets.OMNICHANNEL, privacy_key=KEY)


def _state(store: MemoryStore) -> object:
    return (
        dict(store.customers),
        dict(store.lists),
        dict(store.merges),
        dict(store.consents),
        dict(store.audit),
    )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"purpose": "Marketing"}, "purpose"),
        ({"purpose": "marketing\n"}, "purpose"),
        ({"purpose": 5}, "purpose"),
        ({"source": " "}, "source"),
        ({"source": "x" * 201}, "source"),
        ({"evidence": "form\x00"}, "evidence"),
        ({"evidence": None}, "evidence"),
        ({"evidence": "form \ud800"}, "evidence"),
        ({"legal_basis": "because"}, "legal_basis"),
    ],
)
def test_a_bad_consent_is_refused_naming_the_field_and_stores_nothing(
    core: CustomerCore, store: MemoryStore, options: dict[str, Any], field: str
) -> None:
    ana = core.customers.register(T, DPO, name="Ana")
    before = _state(store)
    given = {"purpose": "marketing_email", "source": "form", "evidence": "f-1", **options}
    with pytest.raises(InvalidValue) as refused:
        core.privacy.grant_consent(T, DPO, ana.id, **given)
    assert (refused.value.code, refused.value.field) == (Code.INVALID_VALUE, field)
    assert _state(store) == before


def test_a_bad_erasure_reason_is_refused_before_anything_changes(
    core: CustomerCore, store: MemoryStore
) -> None:
    ana = core.customers.register(T, DPO, name="Ana")
    before = _state(store)
    with pytest.raises(InvalidValue) as refused:
        core.privacy.erase(T, DPO, ana.id, reason="pedido da Ana, CPF 529.982.247-25")
    assert refused.value.field == "reason"
    assert _state(store) == before


@pytest.mark.parametrize("key", ["a text key of some length", b"short", 12345])
def test_the_privacy_key_is_bytes_of_some_length(key: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        connect("memory://", privacy_key=key)  # type: ignore[arg-type]
    assert refused.value.field == "privacy_key"
    core = connect("memory://")
    with pytest.raises(InvalidValue):
        core.identity.privacy_key = key  # type: ignore[assignment]


def test_a_retention_hold_is_a_function() -> None:
    with pytest.raises(InvalidValue) as refused:
        connect("memory://", retention_hold="fiscal")  # type: ignore[arg-type]
    assert refused.value.field == "retention_hold"


def test_start_conversations_refuses_a_bad_purpose(core: CustomerCore) -> None:
    ana = core.customers.register(T, DPO, name="Ana", phones=["11 98765-4321"])
    boss = Actor(tenant_id=T, user_id="s", role="supervisor", permissions=["bulk_conversation"])

    class Starter:
        def start(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("nothing may start")

    with pytest.raises(InvalidValue) as refused:
        core.portfolios.start_conversations(
            T, boss, [ana.id], starter=Starter(), template="Oi", purpose="Whats App"
        )
    assert refused.value.field == "purpose"


def test_anonymizing_a_spammer_needs_the_key_too(store: MemoryStore) -> None:
    core = CustomerCore.over(store)
    ana = core.customers.register(T, DPO, name="Ana", phones=["11 98765-4321"])
    core.identity.mark_spammer(T, DPO, ana.id)
    before = dict(store.customers), dict(store.lists)
    with pytest.raises(CustomerCoreError) as refused:
        core.privacy.anonymize(T, DPO, ana.id)
    assert refused.value.code is Code.PRIVACY_KEY_REQUIRED
    assert (dict(store.customers), dict(store.lists)) == before
    actions = [e.action for e in store.audit.values()]
    assert actions == ["customer.registered", "customer.spam_set", "privacy.anonymize_refused"]


def test_a_blocklisted_line_another_customer_holds_stays_listed_in_plain(
    core: CustomerCore, store: MemoryStore
) -> None:
    ana = core.customers.register(T, DPO, name="Ana", phones=["11 3333-4444", "11 98765-4321"])
    core.customers.register(T, DPO, name="Otávio", phones=["11 3333-4444"])
    core.identity.mark_spammer(T, DPO, ana.id)
    erasure = core.privacy.erase(T, DPO, ana.id)
    landline = IdentityKey(IdentityKind.PHONE, "551133334444")
    mobile = IdentityKey(IdentityKind.PHONE, "5511987654321")
    assert (erasure.kept_shared, erasure.blocklisted) == (1, 1)
    assert store.lists[(T, "spam", landline)] is None  # re-pointed to nobody
    assert (T, "spam", mobile) not in store.lists
    assert store.lists[(T, "spam", blocked_key(mobile, KEY))] is None


def test_erasing_a_record_restored_by_an_unmerge_removes_the_merge_record(
    core: CustomerCore, store: MemoryStore
) -> None:
    ana = core.customers.register(T, DPO, name="Ana Lima", emails=["ana@x.com"])
    twin = core.customers.register(T, DPO, name="Ana Lima", emails=["ana.lima@x.com"])
    record = core.identity.merge(T, DPO, ana.id, twin.id)
    core.identity.unmerge(T, DPO, record.id)
    assert core.privacy.erase(T, DPO, twin.id).merges == 1
    assert store.merges == {}
    assert core.customers.get(T, DPO, ana.id).name == "Ana Lima"


def test_the_trail_of_an_erased_customer_needs_the_permission(core: CustomerCore) -> None:
    ana = core.customers.register(T, DPO, name="Ana")
    core.privacy.erase(T, DPO, ana.id)
    boss = Actor(tenant_id=T, user_id="boss", role="admin")
    with pytest.raises(PermissionDenied):
        core.privacy.audit_trail(T, boss, ana.id)
    entry = core.privacy.audit_trail(T, DPO, ana.id)[-1]
    assert (entry.action, entry.actor_id, entry.customer_id) == ("customer.erased", "dpo", ana.id)
