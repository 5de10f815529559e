"""Who sees which customer, through every door, under both visibility modes."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from customer_core import (
    Actor,
    InvalidValue,
    NotFound,
    PermissionDenied,
    RelationshipType,
    presets,
)
from customer_core.domain.rules.policies import AccessPolicy
from customer_core.domain.rules.visibility import Action, check_action
from customer_core.errors import DuplicateIdentity, RuleViolation
from customer_core.facade import CustomerCore, connect
from customer_core.testing.fakes import FixedClock, SequentialIds

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
SUPERVISOR = Actor(tenant_id=T, user_id="sup", role="supervisor")
SELLER_1 = Actor(tenant_id=T, user_id="s1", role="seller")
SELLER_2 = Actor(tenant_id=T, user_id="s2", role="seller")


def _world(preset: presets.Preset) -> tuple[CustomerCore, dict[str, str]]:
    core = connect("memory://", preset=preset, clock=FixedClock(), ids=SequentialIds("x"))
    p1 = core.portfolios.create(T, ADMIN, name="Carteira S1", owner_id="s1", member_ids=["s1"])
    p2 = core.portfolios.create(T, ADMIN, name="Carteira S2", owner_id="s2", member_ids=["s2"])
    ids = {
        "ana": core.customers.register(
            T,
            ADMIN,
            name="Ana Silva",
            portfolio_id=p1.id,
            responsible_id="s1",
            phones=["11 98765-4321"],
        ).id,
        "bia": core.customers.register(
            T,
            ADMIN,
            name="Bia Silva",
            portfolio_id=p2.id,
            responsible_id="s2",
            emails=["bia@x.com"],
        ).id,
        "caio": core.customers.register(T, ADMIN, name="Caio Silva", tax_id="529.982.247-25").id,
        "p1": p1.id,
        "p2": p2.id,
    }
    return core, ids


def names(items: object) -> list[str]:
    return [c.name for c in items]  # type: ignore[attr-defined]


class TestRestricted:
    """Enterprise helpdesk: agents see only their portfolios' customers."""

    preset = presets.HELPDESK_PORTFOLIO

    def test_agent_sees_only_its_portfolio_through_every_read_path(self) -> None:
        core, ids = _world(self.preset)
        assert names(core.directory.list(T, SELLER_1, my_portfolio=False).items) == ["Ana Silva"]
        assert names(core.directory.search(T, SELLER_1, "silva", my_portfolio=False)) == [
            "Ana Silva"
        ]
        assert core.directory.search(T, SELLER_1, "bia@x.com", my_portfolio=False) == []
        assert core.directory.search(T, SELLER_1, "529.982.247-25", my_portfolio=False) == []
        assert sum(core.directory.counts(T, SELLER_1, my_portfolio=False).values()) == 1
        for hidden in ("bia", "caio"):
            with pytest.raises(NotFound):
                core.customers.get(T, SELLER_1, ids[hidden])
            with pytest.raises(NotFound):  # writes too: invisible means not found
                core.customers.update(T, SELLER_1, ids[hidden], note="x")

    def test_a_supervisor_cannot_grant_itself_another_teams_portfolio(self) -> None:
        """Issue 21 #1: without view_all_portfolios, another team's portfolio does not exist."""
        core, ids = _world(self.preset)
        supervisor = Actor(tenant_id=T, user_id="sup", role="supervisor")
        from customer_core.errors import NotFound

        with pytest.raises(NotFound):
            core.portfolios.update(T, supervisor, ids["p2"], member_ids=["s2", "sup"])
        with pytest.raises(NotFound):
            core.portfolios.delete(T, supervisor, ids["p2"])
        with pytest.raises(NotFound):
            core.portfolios.get(T, supervisor, ids["p2"])
        assert core.portfolios.list_all(T, supervisor) == []
        assert core.portfolios.get(T, ADMIN, ids["p2"]).member_ids == frozenset({"s2"})
        assert names(core.directory.list(T, supervisor, my_portfolio=False).items) == []
        allowed = Actor(
            tenant_id=T, user_id="sup", role="supervisor", permissions=["view_all_portfolios"]
        )
        assert len(core.portfolios.list_all(T, allowed)) == 2

    def test_a_shared_line_names_only_the_holders_the_seller_can_see(self) -> None:
        core, ids = _world(self.preset)
        # Caio (unassigned, invisible to seller 1) and Bia (seller 2's) share Ana's mobile.
        core.customers.add_phone(T, ADMIN, ids["caio"], "11 98765-4321")
        core.customers.add_phone(T, ADMIN, ids["bia"], "+55 11 98765-4321")
        assert core.directory.shared_with(T, SELLER_1, ids["ana"]) == {}
        shared = core.directory.shared_with(T, ADMIN, ids["ana"])
        assert [sorted(holders) for holders in shared.values()] == [
            sorted([ids["bia"], ids["caio"]])
        ]

    def test_a_taken_identifier_never_names_a_customer_the_seller_cannot_see(self) -> None:
        core, ids = _world(self.preset)
        cpf = "529982247-25"  # Caio's, unassigned: invisible to seller 1
        with pytest.raises(DuplicateIdentity) as registered:
            core.customers.register(T, SELLER_1, name="Nova", tax_id=cpf)
        with pytest.raises(DuplicateIdentity) as added:
            core.customers.update(T, SELLER_1, ids["ana"], tax_id=cpf)
        seen = []
        for info in (registered, added):
            assert info.value.code == "duplicate_identity" and info.value.field == "tax_id"
            assert ids["caio"] not in str(info.value) and info.value.__cause__ is None
            seen.append(dict(info.value.details or {}))
        assert seen == [{"kind": "tax_id"}, {"kind": "tax_id"}]
        with pytest.raises(DuplicateIdentity) as info:  # the admin sees who holds it
            core.customers.register(T, ADMIN, name="Nova", tax_id=cpf)
        assert (info.value.details or {})["holder_id"] == ids["caio"]
        assert names(core.directory.list(T, ADMIN).items) == [
            "Ana Silva",
            "Bia Silva",
            "Caio Silva",
        ]

    def test_view_unassigned_opens_only_unassigned(self) -> None:
        core, ids = _world(self.preset)
        agent = Actor(tenant_id=T, user_id="s1", permissions=["view_unassigned"])
        assert names(core.directory.list(T, agent, my_portfolio=False).items) == [
            "Ana Silva",
            "Caio Silva",
        ]
        with pytest.raises(NotFound):
            core.customers.get(T, agent, ids["bia"])

    def test_supervisor_with_all_portfolios_and_admin(self) -> None:
        core, _ = _world(self.preset)
        sup = Actor(
            tenant_id=T, user_id="sup", role="supervisor", permissions=["view_all_portfolios"]
        )
        assert names(core.directory.list(T, sup).items) == ["Ana Silva", "Bia Silva"]
        assert len(core.directory.list(T, ADMIN).items) == 3

    def test_responsible_seller_always_sees_its_customer(self) -> None:
        core, ids = _world(self.preset)
        core.customers.update(T, ADMIN, ids["caio"], responsible_id="s1")
        assert "Caio Silva" in names(core.directory.list(T, SELLER_1, my_portfolio=False).items)

    def test_assigning_needs_the_permission(self) -> None:
        core, ids = _world(self.preset)
        with pytest.raises(PermissionDenied):
            core.portfolios.transfer(T, SELLER_1, [ids["ana"]], to_portfolio_id=ids["p2"])
        assigner = Actor(tenant_id=T, user_id="s1", permissions=["assign_portfolio"])
        with pytest.raises(NotFound) as invisible:  # another team's portfolio
            core.portfolios.transfer(T, assigner, [ids["ana"]], to_portfolio_id=ids["p2"])
        assert invisible.value.field == "to_portfolio_id"
        p3 = core.portfolios.create(T, ADMIN, name="S1 e S3", member_ids=["s1", "s3"])
        moved = core.portfolios.transfer(
            T, assigner, [ids["ana"], ids["bia"]], to_portfolio_id=p3.id
        )
        assert [m.customer_id for m in moved] == [ids["ana"]]  # bia is invisible: skipped

    def test_deleting_a_portfolio_unassigns_its_customers(self) -> None:
        core, ids = _world(self.preset)
        assert core.portfolios.delete(T, ADMIN, ids["p1"]) == 1
        ana = core.customers.get(T, ADMIN, ids["ana"])
        assert ana.portfolio_id is None
        with pytest.raises(NotFound):
            core.customers.get(T, Actor(tenant_id=T, user_id="s9"), ids["ana"])


class TestOpen:
    """Sales app: everyone sees everything; "my portfolio" is a filter; actions are gated."""

    preset = presets.OMNICHAT.evolve(registration=presets.DEFAULT.registration)

    def test_my_portfolio_is_on_for_sellers_and_off_for_managers(self) -> None:
        core, _ = _world(self.preset)
        assert names(core.directory.list(T, SELLER_1).items) == ["Ana Silva"]
        assert len(core.directory.list(T, SELLER_1, my_portfolio=False).items) == 3
        assert len(core.directory.list(T, SUPERVISOR).items) == 3
        assert names(core.directory.list(T, SUPERVISOR, my_portfolio=True).items) == []

    def test_another_sellers_portfolio(self) -> None:
        core, _ = _world(self.preset)
        assert names(core.directory.list(T, SELLER_1, seller_id="s2").items) == ["Bia Silva"]
        assert names(core.directory.search(T, SELLER_1, "silva", seller_id="s2")) == ["Bia Silva"]

    def test_search_with_my_portfolio_searches_only_it(self) -> None:
        core, ids = _world(self.preset)
        assert names(core.directory.search(T, SELLER_1, "silva")) == ["Ana Silva"]
        assert core.customers.get(T, SELLER_1, ids["bia"]).name == "Bia Silva"

    def test_counts_tabs(self) -> None:
        core, ids = _world(self.preset)
        core.customers.record_purchase(T, ADMIN, ids["ana"])
        counts = core.directory.counts(T, SUPERVISOR)
        assert counts[RelationshipType.ACTIVE] == 1
        assert counts[RelationshipType.CONTACT] == 2

    def test_actions_by_role(self) -> None:
        core, ids = _world(self.preset)
        with pytest.raises(PermissionDenied):
            core.customers.delete(T, SELLER_1, ids["ana"])
        with pytest.raises(PermissionDenied):
            core.portfolios.bulk_delete(T, SUPERVISOR, [ids["ana"]])
        with pytest.raises(PermissionDenied):
            core.portfolios.transfer(T, SELLER_1, [ids["ana"]], to_seller_id="s2")
        with pytest.raises(PermissionDenied):
            core.portfolios.remove_from_portfolio(T, SELLER_1, [ids["ana"]])
        with pytest.raises(PermissionDenied):
            core.customers.update(T, SELLER_1, ids["caio"], responsible_id="s2")
        moved = core.portfolios.transfer(T, SUPERVISOR, [ids["ana"]], to_seller_id="s2")
        assert (moved[0].to_portfolio_id, moved[0].to_responsible_id) == (ids["p2"], "s2")
        assert names(core.directory.list(T, SELLER_2).items) == ["Ana Silva", "Bia Silva"]
        core.portfolios.remove_from_portfolio(T, SUPERVISOR, [ids["ana"], ids["bia"]])
        assert names(core.directory.list(T, SUPERVISOR, unassigned=True).items) == [
            "Ana Silva",
            "Bia Silva",
            "Caio Silva",
        ]
        deleted = core.portfolios.bulk_delete(T, ADMIN, [ids["ana"], ids["bia"], "nope"])
        assert deleted.done == [ids["ana"], ids["bia"]]
        assert deleted.not_visible == ["nope"]

    def test_transfers_leave_an_audit_trail(self) -> None:
        core, ids = _world(self.preset)
        core.portfolios.transfer(T, SUPERVISOR, [ids["caio"]], to_portfolio_id=ids["p1"])
        outbox = core.storage.outbox  # type: ignore[attr-defined]
        moves = [e for e in outbox if e.name == "customer.portfolio_changed"]
        assert moves[-1].actor_id == "sup"
        assert moves[-1].data["from_portfolio_id"] is None
        assert moves[-1].data["to_portfolio_id"] == ids["p1"]

    def test_bulk_conversation(self) -> None:
        core, ids = _world(self.preset)

        class Starter:
            def __init__(self) -> None:
                self.calls: list[tuple[str, ...]] = []

            def start(
                self, tenant_id: str, customer_ids: object, /, *, template: str, team: str | None
            ) -> None:
                self.calls.append(tuple(customer_ids))  # type: ignore[arg-type]

        starter = Starter()
        with pytest.raises(PermissionDenied):
            core.portfolios.start_conversations(
                T, SELLER_1, [ids["ana"]], starter=starter, template="oi"
            )
        granted = Actor(tenant_id=T, user_id="s1", permissions=["bulk_conversation"])
        with pytest.raises(RuleViolation):
            core.portfolios.start_conversations(
                T, granted, [f"c{i}" for i in range(11)], starter=starter, template="oi"
            )
        core.portfolios.start_conversations(
            T, granted, [ids["ana"], ids["bia"]], starter=starter, template="oi"
        )
        assert starter.calls == [(ids["ana"], ids["bia"])]
        for bad in ({"starter": None, "template": "oi"}, {"starter": starter, "template": " "}):
            with pytest.raises(InvalidValue) as info:
                core.portfolios.start_conversations(T, granted, [ids["ana"]], **bad)
            assert info.value.field in ("starter", "template")
        assert starter.calls == [(ids["ana"], ids["bia"])]


@pytest.mark.parametrize(
    "bad",
    [
        {"status": 5},
        {"portfolio_id": 5},
        {"responsible_id": ""},
        {"seller_id": 7},
        {"unassigned": "no"},
        {"my_portfolio": "yes"},
    ],
)
def test_list_filters_of_the_wrong_type_are_refused(bad: dict[str, object]) -> None:
    core, _ = _world(presets.HELPDESK_PORTFOLIO)
    with pytest.raises(InvalidValue) as info:
        core.directory.list(T, ADMIN, **bad)  # type: ignore[arg-type]
    assert info.value.code == "invalid_value" and info.value.field == next(iter(bad))


def test_cursor_pagination_is_stable() -> None:
    core = connect("memory://", ids=SequentialIds("c"))
    for i in range(25):
        core.customers.register(T, ADMIN, name=f"Cliente {i:02d}")
    seen, cursor = [], None
    while True:
        page = core.directory.list(T, ADMIN, cursor=cursor, limit=7)
        seen += names(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [f"Cliente {i:02d}" for i in range(25)]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"cursor": 5}, "cursor"),
        ({"limit": "5"}, "limit"),
        ({"limit": None}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"relationship_type": "customers"}, "relationship_type"),
    ],
)
def test_wrong_list_arguments_are_our_errors(kw: dict[str, object], field: str) -> None:
    from customer_core import CustomerCoreError

    core = connect("memory://")
    core.customers.register(T, ADMIN, name="Ana")
    with pytest.raises(CustomerCoreError) as error:
        core.directory.list(T, ADMIN, **kw)  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize("threshold", ["0.5", None])
def test_a_duplicate_threshold_that_is_not_a_number_is_our_error(threshold: object) -> None:
    from customer_core import CustomerCoreError

    core = connect("memory://")
    with pytest.raises(CustomerCoreError) as error:
        core.identity.duplicate_report(T, ADMIN, threshold=threshold)  # type: ignore[arg-type]
    assert error.value.field == "threshold"


def test_portfolio_ids_must_be_lists_of_ids_not_a_lone_string() -> None:
    from customer_core import CustomerCoreError

    core = connect("memory://", preset=presets.HELPDESK_PORTFOLIO)
    ana = core.customers.register(T, ADMIN, name="Ana")
    with pytest.raises(CustomerCoreError) as error:
        core.portfolios.create(T, ADMIN, name="P", member_ids="u42")  # a string is not a list
    assert error.value.field == "member_ids"
    for bad in ({"description": 5}, {"owner_id": 5}, {"member_ids": [None]}):
        with pytest.raises(CustomerCoreError):
            core.portfolios.create(T, ADMIN, name="P", **bad)
    assert core.portfolios.list_all(T, ADMIN) == []
    portfolio = core.portfolios.create(T, ADMIN, name="P")
    with pytest.raises(CustomerCoreError) as error:
        core.portfolios.transfer(T, ADMIN, ana.id, to_portfolio_id=portfolio.id)
    assert error.value.field == "customer_ids"
    with pytest.raises(CustomerCoreError) as error:
        core.portfolios.transfer(T, ADMIN, [ana.id], to_seller_id=5)  # type: ignore[arg-type]
    assert error.value.field == "to_seller_id"
    with pytest.raises(CustomerCoreError) as error:
        core.portfolios.bulk_delete(T, ADMIN, ana.id)
    assert core.customers.get(T, ADMIN, ana.id) == ana


def test_a_customer_is_assigned_only_to_an_existing_portfolio_of_its_tenant() -> None:
    core = connect("memory://", preset=presets.HELPDESK_PORTFOLIO)
    other_admin = Actor(tenant_id="outra", user_id="admin", role="admin")
    theirs = core.portfolios.create("outra", other_admin, name="Deles")
    with pytest.raises(NotFound) as error:
        core.customers.register(T, ADMIN, name="Ana", portfolio_id="nope")
    assert error.value.field == "portfolio_id"
    ana = core.customers.register(T, ADMIN, name="Ana")
    for portfolio_id in ("nope", theirs.id):
        with pytest.raises(NotFound):
            core.customers.update(T, ADMIN, ana.id, portfolio_id=portfolio_id)
    assert core.customers.get(T, ADMIN, ana.id) == ana
    assert core.directory.list(T, ADMIN).items == [ana]


@pytest.mark.parametrize("url", [None, 5])
def test_a_database_url_that_is_not_text_is_our_error(url: object) -> None:
    from customer_core import InvalidValue

    with pytest.raises(InvalidValue) as error:
        connect(url)  # type: ignore[arg-type]
    assert error.value.field == "url"


@pytest.mark.parametrize("text", [None, 5])
def test_a_search_for_something_that_is_not_text_is_our_error(text: object) -> None:
    from customer_core import InvalidValue

    core = connect("memory://")
    core.customers.register(T, ADMIN, name="None")  # str(None) found this one
    core.customers.register(T, ADMIN, name="Loja 5")
    with pytest.raises(InvalidValue) as error:
        core.directory.search(T, ADMIN, text)  # type: ignore[arg-type]
    assert error.value.field == "text"


def test_user_ids_longer_than_the_schema_stores_are_refused_on_every_storage() -> None:
    from customer_core import InvalidValue

    core = connect("memory://", preset=presets.HELPDESK_PORTFOLIO)
    ana = core.customers.register(T, ADMIN, name="Ana")
    too_long = "u" * 65  # PostgreSQL/MariaDB refused it with a field-less storage error
    with pytest.raises(InvalidValue) as error:
        core.customers.update(T, ADMIN, ana.id, responsible_id=too_long)
    assert error.value.field == "responsible_id"
    with pytest.raises(InvalidValue) as error:
        core.portfolios.transfer(T, ADMIN, [ana.id], to_seller_id=too_long)
    assert error.value.field == "to_seller_id"
    with pytest.raises(InvalidValue) as error:
        core.portfolios.create(T, ADMIN, name="P", member_ids=[too_long])
    assert error.value.field == "member_ids"
    assert core.customers.get(T, ADMIN, ana.id) == ana


def _refused(actor: Actor, policy: AccessPolicy) -> set[str]:
    refused = set()
    for action in (value for name, value in vars(Action).items() if name.isupper()):
        try:
            check_action(actor, policy, action)
        except PermissionDenied:
            refused.add(action)
    return refused


def test_every_role_set_of_the_access_policy_decides_an_action() -> None:
    """A role set that no action reads would be configuration that does nothing."""
    default = AccessPolicy()
    for field in attrs.fields(AccessPolicy):
        if not field.name.endswith("_roles") or field.name == "my_portfolio_default_roles":
            continue  # the "my portfolio" default is a filter, not an action
        no_role: dict[str, Any] = {field.name: frozenset()}
        nobody = attrs.evolve(default, **no_role)
        assert _refused(ADMIN, nobody) != _refused(ADMIN, default), field.name
