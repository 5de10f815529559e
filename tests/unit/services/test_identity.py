"""Inbound resolution, spam/VIP lists, duplicate report, merge and unmerge."""

from __future__ import annotations

import threading

import pytest

from customer_core import (
    Actor,
    CardinalityExceeded,
    InvalidOperation,
    InvalidValue,
    NotFound,
    PermissionDenied,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.services import CustomerService
from customer_core.services.identity import IdentityService
from customer_core.testing.fakes import FixedClock, KeywordLanguageDetector, SequentialIds

T = "help"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
AGENT = Actor(tenant_id=T, user_id="agent", role="seller")


def make(preset: presets.Preset = presets.HELPDESK_CARD) -> tuple[CustomerService, IdentityService]:
    store = MemoryStore()
    ids, clock = SequentialIds("c"), FixedClock()
    return (
        CustomerService(store, preset=preset, ids=ids, clock=clock),
        IdentityService(
            store, preset=preset, ids=ids, clock=clock, language_detector=KeywordLanguageDetector()
        ),
    )


def test_whatsapp_id_without_ninth_digit_finds_the_stored_mobile() -> None:
    customers, identity = make()
    ana = customers.register(T, ADMIN, name="Ana", phones=["+55 11 98765-4321"])
    found = identity.resolve_inbound(T, "whatsapp", {"messenger": ("whatsapp", "551187654321")})
    assert found.customer.id == ana.id
    assert found.outcome == "attached"  # the wa_id is now on the record
    again = identity.resolve_inbound(T, "whatsapp", {"messenger": ("whatsapp", "5511987654321")})
    assert (again.customer.id, again.outcome) == (ana.id, "matched")


@pytest.mark.parametrize(
    "wa_id", ["005511987654321", "0055 11 8765-4321", "11987654321", "1187654321"]
)
def test_whatsapp_id_with_0055_or_without_country_code_finds_the_stored_mobile(
    wa_id: str,
) -> None:
    customers, identity = make()
    ana = customers.register(T, ADMIN, name="Ana", phones=["+55 11 98765-4321"])
    found = identity.resolve_inbound(T, "whatsapp", {"messenger": ("whatsapp", wa_id)})
    assert (found.customer.id, found.outcome) == (ana.id, "attached")


def test_create_then_match_then_attach() -> None:
    _, identity = make()
    first = identity.resolve_inbound(
        T,
        "email",
        {"email": "Ana@X.com"},
        display_name="Ana Lima",
        avatar_url="https://a/1.png",
        message_text="Olá, meu pedido não chegou",
    )
    assert first.outcome == "created"
    created = first.customer
    assert (created.name, created.source.value, str(created.language)) == (
        "Ana Lima",
        "inbound",
        "pt",
    )
    second = identity.resolve_inbound(
        T,
        "email",
        {"email": "ana@x.com", "phone": "11 98765-4321"},
        display_name="ANA L.",
        avatar_url="https://a/2.png",
    )
    assert (second.outcome, second.customer.id) == ("attached", created.id)
    assert second.customer.name == "Ana Lima"  # the channel's name only fills empty fields
    assert second.customer.avatar_url == "https://a/1.png"
    assert [str(p) for p in second.customer.phones] == ["+55 11 98765-4321"]


def test_identifiers_attach_only_to_a_holder_whose_name_fits() -> None:
    """A couple shares an e-mail: Bruno's phone never lands on Ana's record."""
    _, identity = make()
    ana = identity.resolve_inbound(T, "email", {"email": "casal@x.com"}, display_name="Ana Lima")
    bruno = identity.resolve_inbound(
        T, "email", {"email": "casal@x.com", "phone": "11 98765-4321"}, display_name="Bruno Lima"
    )
    assert (bruno.outcome, bruno.customer.id, bruno.attached) == ("matched", ana.customer.id, ())
    assert bruno.customer.phones == ()


def test_identifiers_of_two_customers_are_a_conflict_never_a_merge() -> None:
    customers, identity = make()
    by_mail = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"])
    by_phone = customers.register(T, ADMIN, name="Ana L.", phones=["11 98765-4321"])
    result = identity.resolve_inbound(
        T, "whatsapp", {"email": "ana@x.com", "phone": "11 98765-4321"}
    )
    assert result.outcome == "conflict"
    assert result.customer.id == by_phone.id  # a mobile outranks an e-mail
    assert result.conflicts == (by_mail.id,)
    assert customers.get(T, ADMIN, by_mail.id).emails  # nothing moved
    report = identity.duplicate_report(T, ADMIN)
    assert any(
        set(c.ids) == {by_mail.id, by_phone.id} and c.evidence[0].kind == "inbound_conflict"
        for c in report.clusters
    )


def test_landline_ranks_below_email() -> None:
    customers, identity = make()
    by_mail = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"])
    customers.register(T, ADMIN, name="Casa", phones=["11 3333-4444"])
    result = identity.resolve_inbound(T, "phone", {"email": "ana@x.com", "phone": "11 3333-4444"})
    assert result.customer.id == by_mail.id


def test_bad_identifiers_are_clear_errors() -> None:
    _, identity = make()
    with pytest.raises(InvalidValue):
        identity.resolve_inbound(T, "x", {})
    with pytest.raises(InvalidValue):
        identity.resolve_inbound(T, "x", {"fax": "1"})
    with pytest.raises(InvalidValue):
        identity.resolve_inbound(T, "x", {"phone": "not a phone"})


@pytest.mark.parametrize("wa_id", ["551101234567", "5500987654321"])
def test_an_inbound_whatsapp_id_that_is_no_valid_number_creates_nobody(wa_id: str) -> None:
    from customer_core import CustomerCoreError, MessengerApp, MessengerId

    customers, identity = make()
    # As text, and built directly (the constructor checks the shape only).
    for given in (("whatsapp", wa_id), MessengerId(MessengerApp.WHATSAPP, wa_id)):
        with pytest.raises(CustomerCoreError) as refused:
            identity.resolve_inbound(T, "whatsapp", {"messenger": given})
        assert (refused.value.code, refused.value.field) == (
            "invalid_messenger_id",
            "messenger_ids",
        )
    with customers.uow_factory() as uow:
        assert uow.customers.count(T) == 0  # nothing stored


@pytest.mark.parametrize(
    ("identifiers", "kw", "field"),
    [
        (None, {}, "identifiers"),
        ({"messenger": "5511987654321"}, {}, "messenger_ids"),
        ({"messenger": ("whatsapp",)}, {}, "messenger_ids"),
        ({"messenger": ("telegram", None)}, {}, "messenger_ids"),
        ({"external": "erp-1"}, {}, "external_ids"),
        ({"email": "ana@x.com"}, {"display_name": 5}, "display_name"),
        ({"email": "ana@x.com"}, {"avatar_url": ["x"]}, "avatar_url"),
    ],
)
def test_wrong_types_in_inbound_are_our_errors(
    identifiers: object, kw: dict[str, object], field: str
) -> None:
    from customer_core import CustomerCoreError

    _, identity = make()
    with pytest.raises(CustomerCoreError) as error:
        identity.resolve_inbound(T, "x", identifiers, **kw)  # type: ignore[arg-type]
    assert error.value.field == field


def test_concurrent_messages_create_one_customer() -> None:
    customers, identity = make()
    results: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(identity.resolve_inbound(T, "whatsapp", {"phone": "11 98765-4321"}).outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("created") == 1
    assert len(results) == 8
    with customers.uow_factory() as uow:
        assert uow.customers.count(T) == 1


def test_spammer_blocklists_identifiers_before_and_after() -> None:
    customers, identity = make()
    identity.block(T, ADMIN, {"email": "promo@spam.com"})
    early = identity.resolve_inbound(T, "email", {"email": "PROMO@spam.com"})
    assert early.spam
    ana = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"], phones=["11 98765-4321"])
    assert not identity.resolve_inbound(T, "email", {"email": "ana@x.com"}).spam
    identity.mark_spammer(T, ADMIN, ana.id)
    assert identity.resolve_inbound(T, "sms", {"phone": "+55 11 98765-4321"}).spam
    identity.mark_spammer(T, ADMIN, ana.id, on=False)
    assert not identity.resolve_inbound(T, "sms", {"phone": "+55 11 98765-4321"}).spam


def test_vip_and_spam_survive_a_merge() -> None:
    customers, identity = make()
    a = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"])
    b = customers.register(T, ADMIN, name="Ana Lima", phones=["11 98765-4321"])
    identity.mark_spammer(T, ADMIN, b.id)
    identity.merge(T, ADMIN, a.id, b.id)
    result = identity.resolve_inbound(T, "sms", {"phone": "11 98765-4321"})
    assert result.customer.id == a.id
    assert result.spam
    identity.mark_vip(T, ADMIN, a.id)
    assert identity.resolve_inbound(T, "email", {"email": "ana@x.com"}).vip


def test_merge_keeps_every_identifier_and_unmerge_restores() -> None:
    customers, identity = make(presets.DEFAULT)
    a = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321"], note="a")
    b = customers.register(
        T,
        ADMIN,
        name="Ana Lima",
        phones=["11 98765-1111", "11 3333-4444"],
        emails=["ana@x.com"],
        addresses=[{"street": "Rua A", "city": "Recife"}],
    )
    record = identity.merge(T, ADMIN, a.id, b.id, choices={"name": "absorbed"})
    merged = customers.get(T, ADMIN, a.id)
    assert merged.name == "Ana Lima" and merged.note == "a"
    assert len(merged.phones) == 3 and len(merged.emails) == 1 and len(merged.addresses) == 1
    with pytest.raises(NotFound):
        customers.get(T, ADMIN, b.id)
    survivor, absorbed = identity.unmerge(T, ADMIN, record.id)
    assert [str(p) for p in survivor.phones] == ["+55 11 98765-4321"]
    assert absorbed.id == b.id and len(absorbed.phones) == 2
    assert customers.get(T, ADMIN, b.id).emails[0].match_key == "ana@x.com"
    with pytest.raises(InvalidOperation) as info:
        identity.unmerge(T, ADMIN, record.id)
    assert info.value.code == "already_undone"


def test_merge_is_refused_rather_than_dropping_a_phone() -> None:
    customers, identity = make(presets.OMNICHANNEL)
    a = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321", "11 98765-4322"])
    b = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4323", "11 98765-4324"])
    with pytest.raises(CardinalityExceeded):
        identity.merge(T, ADMIN, a.id, b.id)
    assert len(customers.get(T, ADMIN, b.id).phones) == 2


def test_merge_rules() -> None:
    customers, identity = make()
    a = customers.register(T, ADMIN, name="Ana", tax_id="529.982.247-25")
    b = customers.register(T, ADMIN, name="Ana", tax_id="111.444.777-35")
    with pytest.raises(InvalidOperation) as info:
        identity.merge(T, ADMIN, a.id, b.id)
    assert info.value.code == "conflicting_tax_id"
    with pytest.raises(PermissionDenied):
        identity.merge(T, AGENT, a.id, b.id)


def test_duplicate_report_clusters_and_suggestions() -> None:
    customers, identity = make()
    a = customers.register(
        T, ADMIN, name="João da Silva", phones=["11 98765-4321"], emails=["joao.silva@gmail.com"]
    )
    b = customers.register(
        T,
        ADMIN,
        name="Joao Silva",
        messenger_ids=[("whatsapp", "551187654321")],
        emails=["joao.silva@hotmail.com"],
    )
    hq = customers.register(
        T, ADMIN, name="ACME Matriz", kind="company", tax_id="11.222.333/0001-81"
    )
    branch = customers.register(
        T, ADMIN, name="ACME Filial", kind="company", tax_id="11.222.333/0002-62"
    )
    # A household: three people at one address sharing a surname are three customers.
    household = {
        customers.register(
            T, ADMIN, name=f"{first} Souza", addresses=[{"street": "Rua A, 10", "cep": "01310-100"}]
        ).id
        for first in ("Maria", "Pedro", "Lucas")
    }
    report = identity.duplicate_report(T, ADMIN)
    cluster_sets = {(frozenset(c.ids), c.evidence[0].kind) for c in report.clusters}
    assert (frozenset({a.id, b.id}), "same_phone_line") in cluster_sets
    # Branches of one company are a group, not duplicates.
    assert not any(kind == "same_cnpj_root" for _, kind in cluster_sets)
    assert [(g.ids, g.evidence[0].kind) for g in report.groups] == [
        ((hq.id, branch.id), "same_cnpj_root")
    ]
    pairs = {s.ids: s for s in report.suggestions}
    assert (a.id, b.id) in pairs
    kinds = [e.kind for e in pairs[(a.id, b.id)].evidence]
    assert "name" in kinds and "email_local_part" in kinds
    assert not any(set(s.ids) <= household for s in report.suggestions)


def test_a_common_name_alone_is_not_a_suggestion() -> None:
    customers, identity = make()
    customers.register(T, ADMIN, name="Ana Silva", emails=["ana1@empresa.com"])
    customers.register(T, ADMIN, name="Ana Silva", emails=["asilva@empresa.com"])
    assert identity.duplicate_report(T, ADMIN).suggestions == ()


def test_duplicate_report_respects_visibility() -> None:
    customers, identity = make(presets.HELPDESK_PORTFOLIO)
    customers.register(T, ADMIN, name="João Silva", addresses=[{"street": "R", "cep": "01310-100"}])
    customers.register(T, ADMIN, name="Joao Silva", addresses=[{"street": "R", "cep": "01310-100"}])
    assert identity.duplicate_report(T, ADMIN).suggestions
    assert identity.duplicate_report(T, AGENT).suggestions == ()


def test_an_overflowing_merge_is_resolved_by_explicit_choice() -> None:
    customers, identity = make(presets.OMNICHANNEL)
    a = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321", "11 98765-4322"])
    b = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4323", "11 98765-4324"])
    identity.merge(T, ADMIN, a.id, b.id, drop=["(11) 98765-4324"])
    merged = customers.get(T, ADMIN, a.id)
    assert [p.national for p in merged.phones] == [
        "(11) 98765-4321",
        "(11) 98765-4322",
        "(11) 98765-4323",
    ]


def test_lingua_detector_reads_portuguese_spanish_and_english() -> None:
    from customer_core.adapters.language import LinguaLanguageDetector

    detector = LinguaLanguageDetector()
    assert detector.detect("Olá, gostaria de saber onde está o meu pedido") == "pt"
    assert detector.detect("Hola, quiero saber dónde está mi pedido") == "es"
    assert detector.detect("Hello, where is my order?") == "en"
    assert detector.detect("   ") is None


@pytest.mark.parametrize(
    ("absorbed", "kw", "field"),
    [
        (None, {}, "absorbed_ids"),
        (5, {}, "absorbed_ids"),
        ([5], {}, "absorbed_ids"),
        ([], {}, "absorbed_ids"),
        ("B", {"drop": [None]}, "drop"),
    ],
)
def test_wrong_types_in_merge_are_our_errors(
    absorbed: object, kw: dict[str, object], field: str
) -> None:
    from customer_core import CustomerCoreError

    customers, identity = make()
    ana = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    bia = customers.register(T, ADMIN, name="Bia", phones=["11 98765-1111"])
    target = bia.id if absorbed == "B" else absorbed
    with pytest.raises(CustomerCoreError) as error:
        identity.merge(T, ADMIN, ana.id, target, **kw)  # type: ignore[arg-type]
    assert error.value.field == field
    assert customers.get(T, ADMIN, bia.id) == bia


def test_the_spam_and_vip_switch_is_a_boolean() -> None:
    customers, identity = make()
    ana = customers.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    for flag in (identity.mark_spammer, identity.mark_vip):
        with pytest.raises(InvalidValue) as error:
            flag(T, ADMIN, ana.id, on="no")  # type: ignore[arg-type]
        assert error.value.field == "on"
    assert customers.get(T, ADMIN, ana.id) == ana


@pytest.mark.parametrize("tenant_id", [5, "t" * 65, "a\nb"])
def test_inbound_tenant_must_be_an_id(tenant_id: object) -> None:
    _, identity = make()
    with pytest.raises(InvalidValue) as error:
        identity.resolve_inbound(tenant_id, "email", {"email": "ana@x.com"})  # type: ignore[arg-type]
    assert error.value.field == "tenant_id"


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"tenant_id": None}, "tenant_id"), ({"user_id": 5}, "user_id"), ({"user_id": ""}, "user_id")],
)
def test_actor_ids_are_checked(kw: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"tenant_id": T, "user_id": "u1", **kw}
    with pytest.raises(InvalidValue) as error:
        Actor(**values)  # type: ignore[arg-type]
    assert error.value.field == field


def test_clearing_the_spam_flag_with_update_unlists_the_identifiers() -> None:
    customers, identity = make()
    ana = customers.register(T, ADMIN, name="Ana", emails=["ana@x.com"])
    identity.mark_spammer(T, ADMIN, ana.id)
    customers.update(T, ADMIN, ana.id, is_spammer=False)
    assert identity.resolve_inbound(T, "email", {"email": "ana@x.com"}).spam is False
    customers.update(T, ADMIN, ana.id, is_vip=True)
    customers.update(T, ADMIN, ana.id, is_vip=False)
    assert identity.resolve_inbound(T, "email", {"email": "ana@x.com"}).vip is False


@pytest.mark.parametrize(
    "avatar_url",
    [
        "https://x.com/" + "a" * 5000,
        "https://x.com/a\x00",
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "https:///no-host.png",
        "//x.com/a.png",
        "https://x.com/a b.png",
        "https://[::1/a.png",
        "https://ex.com:99999/a.png",
        'https://ex.com/a.png"onerror=alert(1)',
        "https://ex.com/<script>",
        "https://user:pass@ex.com/a.png",
        "https://ex.com/\u202e.png",
    ],
)
def test_inbound_avatar_is_checked_like_at_registration(avatar_url: str) -> None:
    _, identity = make()
    with pytest.raises(InvalidValue) as error:
        identity.resolve_inbound(T, "x", {"email": "ana@x.com"}, avatar_url=avatar_url)
    assert error.value.field == "avatar_url"
    customers, _ = make()
    with pytest.raises(InvalidValue) as error:
        customers.register(T, ADMIN, name="Ana", avatar_url=avatar_url)
    assert error.value.field == "avatar_url"


def test_an_avatar_is_an_http_link() -> None:
    customers, _ = make()
    ana = customers.register(T, ADMIN, name="Ana", avatar_url=" https://cdn.x.com/ana.jpg ")
    assert ana.avatar_url == "https://cdn.x.com/ana.jpg"
    with pytest.raises(InvalidValue):
        customers.update(T, ADMIN, ana.id, avatar_url="javascript:alert(1)")
    assert customers.update(T, ADMIN, ana.id, avatar_url="").avatar_url is None


def test_unmerge_keeps_what_happened_to_the_survivor_after_the_merge() -> None:
    customers, identity = make(presets.DEFAULT)
    a = customers.register(T, ADMIN, name="Ana", note="a")
    b = customers.register(T, ADMIN, name="Ana Lima", note="b", emails=["ana@x.com"])
    record = identity.merge(T, ADMIN, a.id, b.id, choices={"name": "absorbed", "note": "absorbed"})
    customers.update(T, ADMIN, a.id, note="after the merge")
    customers.change_status(T, ADMIN, a.id, "inactive")
    customers.set_password(T, ADMIN, a.id, "s3nha-segura")
    survivor, absorbed = identity.unmerge(T, ADMIN, record.id)
    # The name the merge brought returns; what changed since stays.
    assert (survivor.name, survivor.note, survivor.status) == ("Ana", "after the merge", "inactive")
    assert survivor.password_hash is not None
    assert (absorbed.name, absorbed.note, str(absorbed.emails[0])) == ("Ana Lima", "b", "ana@x.com")


def test_unmerge_by_an_actor_who_cannot_see_the_absorbed_customer_is_not_found() -> None:
    store = MemoryStore()
    preset = presets.HELPDESK_PORTFOLIO
    customers = CustomerService(store, preset=preset, ids=SequentialIds("c"), clock=FixedClock())
    identity = IdentityService(store, preset=preset, ids=SequentialIds("m"), clock=FixedClock())
    from customer_core.services import PortfolioService

    portfolios = PortfolioService(store, preset=preset, ids=SequentialIds("p"), clock=FixedClock())
    mine = portfolios.create(T, ADMIN, name="Minha", member_ids=["sup"])
    a = customers.register(T, ADMIN, name="Ana", portfolio_id=mine.id)
    b = customers.register(T, ADMIN, name="Ana Lima")  # no portfolio: invisible to sup
    record = identity.merge(T, ADMIN, a.id, b.id)
    supervisor = Actor(tenant_id=T, user_id="sup", role="supervisor")
    assert customers.get(T, supervisor, a.id).name == "Ana"
    with pytest.raises(NotFound):
        identity.unmerge(T, supervisor, record.id)
    with pytest.raises(NotFound):
        customers.get(T, ADMIN, b.id)  # nothing was undone


def test_an_unmerge_held_back_by_a_merge_of_an_invisible_customer_does_not_name_it() -> None:
    store = MemoryStore()
    preset = presets.HELPDESK_PORTFOLIO
    customers = CustomerService(store, preset=preset, ids=SequentialIds("c"), clock=FixedClock())
    identity = IdentityService(store, preset=preset, ids=SequentialIds("m"), clock=FixedClock())
    from customer_core.services import PortfolioService

    portfolios = PortfolioService(store, preset=preset, ids=SequentialIds("p"), clock=FixedClock())
    mine = portfolios.create(T, ADMIN, name="Minha", member_ids=["sup"])
    a = customers.register(T, ADMIN, name="Ana", portfolio_id=mine.id)
    b = customers.register(T, ADMIN, name="Ana Lima", portfolio_id=mine.id)
    c = customers.register(T, ADMIN, name="Ana L.")  # no portfolio: invisible to sup
    first = identity.merge(T, ADMIN, a.id, b.id)
    later = identity.merge(T, ADMIN, a.id, c.id)
    supervisor = Actor(tenant_id=T, user_id="sup", role="supervisor")
    with pytest.raises(InvalidOperation) as refused:
        identity.unmerge(T, supervisor, first.id)
    assert (refused.value.code, refused.value.field) == ("invalid_operation", "merge_id")
    assert refused.value.details == {} and later.id not in str(refused.value)
    with pytest.raises(InvalidOperation) as named:
        identity.unmerge(T, ADMIN, first.id)
    assert named.value.details == {"later_merge_id": later.id}


def test_a_restored_customer_never_points_at_a_deleted_portfolio() -> None:
    store = MemoryStore()
    from customer_core.services import PortfolioService

    customers = CustomerService(store, ids=SequentialIds("c"), clock=FixedClock())
    identity = IdentityService(store, ids=SequentialIds("m"), clock=FixedClock())
    portfolios = PortfolioService(store, ids=SequentialIds("p"), clock=FixedClock())
    gone = portfolios.create(T, ADMIN, name="Extinta")
    a = customers.register(T, ADMIN, name="Ana")
    b = customers.register(T, ADMIN, name="Ana Lima", portfolio_id=gone.id)
    record = identity.merge(T, ADMIN, a.id, b.id)
    portfolios.delete(T, ADMIN, gone.id)
    _, absorbed = identity.unmerge(T, ADMIN, record.id)
    assert absorbed.portfolio_id is None


def test_suspect_merges_lists_merges_the_new_rule_would_refuse() -> None:
    customers, identity = make(presets.DEFAULT)
    ana = customers.register(T, ADMIN, name="Ana Lima", phones=["(11) 3333-4444"])
    bruno = customers.register(T, ADMIN, name="Bruno Lima")
    ana2 = customers.register(T, ADMIN, name="ANA L.")
    household = identity.merge(T, ADMIN, ana.id, bruno.id)  # a wrong merge of the old days
    same_ana = identity.merge(T, ADMIN, ana.id, ana2.id)  # the same Ana: not suspect
    (suspect,) = identity.suspect_merges(T, ADMIN)
    assert (suspect.merge_id, suspect.absorbed_id, suspect.reason) == (
        household.id,
        bruno.id,
        "names",
    )
    # The later merge into Ana stands in the way: undo it, then the suspect one, then redo it.
    with pytest.raises(InvalidOperation) as refused:
        identity.unmerge(T, ADMIN, household.id)
    assert refused.value.details == {"later_merge_id": same_ana.id}
    identity.unmerge(T, ADMIN, same_ana.id)
    identity.unmerge(T, ADMIN, household.id)
    identity.merge(T, ADMIN, ana.id, ana2.id)
    assert identity.suspect_merges(T, ADMIN) == ()
