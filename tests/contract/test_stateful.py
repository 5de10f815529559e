"""The same random sequence of service calls on the memory adapter and on each SQL adapter.

After every step both must agree: on the result, on which calls fail and with
which error code, and on the whole stored state of the tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sqlalchemy import Engine

from customer_core import Actor, CustomerCoreError, presets
from customer_core.adapters.memory import MemoryStore
from customer_core.adapters.sqlalchemy import SqlStorage
from customer_core.ports import UnitOfWorkFactory
from customer_core.services import CustomerService
from customer_core.testing.fakes import FixedClock, SequentialIds

PHONES = ["11 98765-4321", "+55 11 8765-4321", "21 99999-0000", "11 3333-4444", "11 9876-ABCD"]
EMAILS = ["ana@x.com", "ANA@X.COM", "bia@x.com", "not-an-email"]
NAMES = ["Ana", "Bia Souza", "  ", "Caio"]

Outcome = tuple[str, Any]


def _service(storage: UnitOfWorkFactory) -> CustomerService:
    # The same clock and id sequence on both sides, so records compare equal.
    return CustomerService(
        storage, preset=presets.OMNICHANNEL, clock=FixedClock(), ids=SequentialIds("c")
    )


def _outcome(call: Callable[[], Any]) -> Outcome:
    try:
        result = call()
    except CustomerCoreError as error:
        return ("error", (type(error).__name__, error.code, error.field))
    return ("ok", result)


def make_machine(sql: UnitOfWorkFactory) -> type[RuleBasedStateMachine]:
    class SameBehaviour(RuleBasedStateMachine):
        customers = Bundle("customers")

        def __init__(self) -> None:
            super().__init__()
            self.tenant = f"t-{uuid.uuid4().hex[:12]}"
            self.actor = Actor(tenant_id=self.tenant, user_id="admin", role="admin")
            self.memory = _service(MemoryStore())
            self.sql = _service(sql)

        def both(self, call: Callable[[CustomerService], Any]) -> Outcome:
            left = _outcome(lambda: call(self.memory))
            right = _outcome(lambda: call(self.sql))
            assert left == right
            return left

        @rule(target=customers, name=st.sampled_from(NAMES), phone=st.sampled_from(PHONES))
        def register(self, name: str, phone: str) -> str:
            outcome = self.both(
                lambda s: s.register(self.tenant, self.actor, name=name, phones=[phone]).id
            )
            return outcome[1] if outcome[0] == "ok" else "missing"

        @rule(customer=customers, phone=st.sampled_from(PHONES))
        def add_phone(self, customer: str, phone: str) -> None:
            self.both(lambda s: s.add_phone(self.tenant, self.actor, customer, phone))

        @rule(customer=customers, phone=st.sampled_from(PHONES))
        def remove_phone(self, customer: str, phone: str) -> None:
            self.both(lambda s: s.remove_phone(self.tenant, self.actor, customer, phone))

        @rule(customer=customers, email=st.sampled_from(EMAILS))
        def add_email(self, customer: str, email: str) -> None:
            self.both(lambda s: s.add_email(self.tenant, self.actor, customer, email))

        @rule(customer=customers, note=st.text(max_size=5), stale=st.booleans())
        def update(self, customer: str, note: str, stale: bool) -> None:
            def call(s: CustomerService) -> object:
                current = s.get(self.tenant, self.actor, customer)
                version = current.version - 1 if stale else current.version
                return s.update(
                    self.tenant, self.actor, customer, expected_version=version, note=note
                )

            self.both(call)

        @rule(customer=customers, status=st.sampled_from(["active", "inactive", "gold"]))
        def change_status(self, customer: str, status: str) -> None:
            self.both(lambda s: s.change_status(self.tenant, self.actor, customer, status))

        @rule(customer=customers)
        def delete(self, customer: str) -> None:
            self.both(lambda s: s.delete(self.tenant, self.actor, customer))

        @invariant()
        def same_stored_state(self) -> None:
            with self.memory.uow_factory() as left, self.sql.uow_factory() as right:
                assert list(left.customers.list_page(self.tenant, limit=1000)) == list(
                    right.customers.list_page(self.tenant, limit=1000)
                )

    return SameBehaviour


@pytest.mark.parametrize("backend", ["memory"])
def test_memory_against_itself_is_a_sanity_check(backend: str) -> None:
    machine = make_machine(MemoryStore())
    run = machine.TestCase
    run.settings = settings(max_examples=20, stateful_step_count=15, deadline=None)
    run().runTest()


def test_sql_adapters_behave_like_memory(sql_engine: Engine) -> None:
    machine = make_machine(SqlStorage(sql_engine))
    run = machine.TestCase
    run.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=timedelta(seconds=10),
        suppress_health_check=[HealthCheck.too_slow],
    )
    run().runTest()
