"""The duplicate report's pure functions: rules, evidence, blocking, order independence."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_core import Address, Customer, Email, Phone, parse_tax_id
from customer_core.domain.matching.duplicates import (
    DEFAULT_POLICY,
    MatchingPolicy,
    MatchRecord,
    NameKey,
    Suggestion,
    exact_clusters,
    name_similarity,
    score_pair,
    suggest_duplicates,
)
from customer_core.domain.matching.phonetic import phonetic_key
from customer_core.domain.values.online import MessengerId

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def customer(
    id: str,
    name: str,
    *,
    kind: str = "person",
    phones: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    whatsapp: str | None = None,
    tax_id: str | None = None,
    cep: str | None = None,
    trade_name: str | None = None,
) -> Customer:
    return Customer.create(
        id=id,
        tenant_id="t",
        name=name,
        now=NOW,
        kind=kind,
        trade_name=trade_name,
        phones=tuple(Phone.parse(p) for p in phones),
        emails=tuple(Email.parse(e) for e in emails),
        messenger_ids=(MessengerId.parse("whatsapp", whatsapp),) if whatsapp else (),
        tax_id=parse_tax_id(tax_id) if tax_id else None,
        addresses=(Address.create(street="Rua A, 10", cep=cep),) if cep else (),
    )


def similarity(a: str, b: str, *, company: bool = False) -> float:
    return name_similarity(NameKey.parse(a, company=company), NameKey.parse(b, company=company))[0]


def kinds(suggestion: Suggestion | None) -> list[str]:
    assert suggestion is not None
    return [e.kind for e in suggestion.evidence]


# -- the Portuguese phonetic key ---------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Souza", "Sousa"),
        ("Luiz", "Luís"),
        ("Thiago", "Tiago"),
        ("Raphael", "Rafael"),
        ("Felipe", "Filipe"),
        ("Matheus", "Mateus"),
        ("Ygor", "Igor"),
        ("Kátia", "Cátia"),
        ("Cecília", "Sesília"),
        ("Jéssica", "Géssica"),
        ("Victor", "Vitor"),
        ("Walter", "Valter"),
        ("Nascimento", "Nasimento"),
        ("Elisângela", "Elizangela"),
        ("Queiroz", "Queirós"),
        ("Guilherme", "Guilerme"),
        ("Helena", "Elena"),
        ("Xavier", "Chavier"),
        ("Mello", "Melo"),
        ("Baptista", "Batista"),
        ("Conceição", "Conceicao"),
        ("Christina", "Cristina"),
        ("Jacqueline", "Jaqueline"),
        ("Yasmin", "Yasmim"),
    ],
)
def test_names_that_sound_alike_in_portuguese_share_a_key(one: str, other: str) -> None:
    assert phonetic_key(one) == phonetic_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Paulo", "Paula"), ("Maria", "Mário"), ("Guilherme", "Gilberto"), ("Daniel", "Daniela")],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert phonetic_key(one) != phonetic_key(other)


def test_phonetic_key_of_a_word_without_letters_is_empty() -> None:
    assert phonetic_key("123 -") == ""


# -- names --------------------------------------------------------------------------


def test_accents_case_word_order_and_particles_do_not_matter() -> None:
    assert similarity("João da Silva", "JOAO SILVA") == 1.0
    assert similarity("Silva, João", "João Silva") == 1.0
    assert similarity("Silva João Pedro", "João Pedro Silva") == 1.0


def test_abbreviated_middle_names_count_almost_as_written() -> None:
    assert similarity("Maria Aparecida dos Santos", "Maria A. Santos") >= 0.9
    assert similarity("Maria Aparecida dos Santos", "Santos, Maria A.") >= 0.9


def test_dropped_middle_names_cost_little() -> None:
    assert similarity("Maria Aparecida Oliveira Santos", "Maria Santos") >= 0.9
    full = similarity("Maria Aparecida Oliveira Santos", "Maria Aparecida Oliveira Santos")
    assert similarity("Maria Aparecida Oliveira Santos", "Maria Santos") < full


def test_an_initial_does_not_stand_for_the_family_name() -> None:
    assert similarity("Maria A. B. Cunha", "Maria A. C. Borges") < DEFAULT_POLICY.name_floor


def test_masculine_and_feminine_forms_are_two_names() -> None:
    assert similarity("Paulo Lima", "Paula Lima") < DEFAULT_POLICY.name_floor
    assert similarity("Daniel Souza", "Daniela Souza") < DEFAULT_POLICY.name_floor


def test_spellings_and_one_typo_are_the_same_name() -> None:
    sim, detail = name_similarity(NameKey.parse("Luiz de Souza"), NameKey.parse("Luís Sousa"))
    assert sim >= 0.9 and "sounds alike" in detail
    assert similarity("Fernanda Lima", "Frenanda Lima") >= 0.9


@pytest.mark.parametrize("spelling", ["Júnior", "Junior", "Jr.", "JR", "Jr"])
def test_junior_is_read_as_a_suffix_not_a_name(spelling: str) -> None:
    name = NameKey.parse(f"José Carlos Pereira {spelling}")
    assert (name.words, name.generation) == (("jose", "carlos", "pereira"), "Júnior")


@pytest.mark.parametrize(
    ("spelling", "generation"),
    [("Filho", "Filho"), ("Fº", "Filho"), ("Neto", "Neto"), ("Sobrinho", "Sobrinho")],
)
def test_other_generational_suffixes(spelling: str, generation: str) -> None:
    assert NameKey.parse(f"Pedro Alves {spelling}").generation == generation


@pytest.mark.parametrize(
    "suffix", ["Ltda", "LTDA.", "ME", "EIRELI", "S/A", "S.A.", "SA", "EPP", "MEI"]
)
def test_company_suffixes_are_ignored(suffix: str) -> None:
    assert NameKey.parse(f"Padaria Pão Quente {suffix}", company=True).words == (
        "padaria",
        "pao",
        "quente",
    )
    assert similarity(f"Padaria Pão Quente {suffix}", "PADARIA PAO QUENTE", company=True) == 1.0


def test_a_mei_name_carries_the_cnpj_number_which_is_ignored() -> None:
    name = NameKey.parse("JOAO DA SILVA 11222333000181 MEI", company=True)
    assert name.words == ("joao", "silva")


def test_suffix_words_are_only_stripped_from_companies() -> None:
    assert NameKey.parse("Maria de Sá").words == ("maria", "sa")


# -- rules and evidence ---------------------------------------------------------------


def test_father_and_son_sharing_landline_and_cep_are_not_suggested() -> None:
    father = customer("a", "José Carlos Pereira", phones=("11 3333-4444",), cep="01310-100")
    son = customer("b", "José Carlos Pereira Júnior", phones=("11 3333-4444",), cep="01310-100")
    assert suggest_duplicates([father, son]) == []
    scored = score_pair(father, son)
    assert scored is not None
    against = [e for e in scored.evidence if e.kind == "generation_differs"]
    assert against and against[0].weight < 0
    assert scored.score < 0.6


def test_the_same_suffix_spelled_differently_is_no_evidence_against() -> None:
    one = customer("a", "José Carlos Pereira Júnior", phones=("11 98765-4321",))
    other = customer("b", "JOSE CARLOS PEREIRA JR.", phones=("(11) 8765-4321",))
    [suggestion] = suggest_duplicates([one, other])
    assert "generation_differs" not in kinds(suggestion)


def test_different_cpfs_are_never_suggested() -> None:
    shared = {"phones": ("11 98765-4321",), "emails": ("ana@x.com.br",), "cep": "01310-100"}
    one = customer("a", "Ana Lima", tax_id="529.982.247-25", **shared)  # type: ignore[arg-type]
    other = customer("b", "Ana Lima", tax_id="390.533.447-05", **shared)  # type: ignore[arg-type]
    assert score_pair(one, other) is None
    assert suggest_duplicates([one, other], threshold=0.0) == []


def test_the_same_cpf_is_strong_evidence_even_with_another_name() -> None:
    one = customer("a", "Maria Aparecida Santos", tax_id="529.982.247-25")
    other = customer("b", "Cida Santos Lima", tax_id="52998224725")
    [suggestion] = suggest_duplicates([one, other])
    assert "tax_id" in kinds(suggestion) and suggestion.score == 1.0


def test_a_mobile_shared_by_a_person_and_a_company_is_not_enough() -> None:
    owner = customer("a", "Carlos Pereira", phones=("11 98765-4321",), cep="01310-100")
    firm = customer(
        "b", "Carlos Pereira ME", kind="company", phones=("11 98765-4321",), cep="01310-100"
    )
    assert suggest_duplicates([owner, firm]) == []
    scored = score_pair(owner, firm)
    assert scored is not None
    weights = {e.kind: e.weight for e in scored.evidence}
    assert weights["mobile"] == DEFAULT_POLICY.mobile_person_company
    assert weights["kind_differs"] < 0
    assert exact_clusters([owner, firm]) == []


def test_two_persons_sharing_a_mobile_and_a_similar_name_are_suggested() -> None:
    one = customer("a", "Carlos Pereira", phones=("11 98765-4321",))
    other = customer("b", "Carlos A. Pereira", phones=("+55 11 98765-4321",))
    [suggestion] = suggest_duplicates([one, other])
    assert kinds(suggestion) == ["name", "mobile"]


def test_a_household_sharing_landline_and_cep_is_not_suggested() -> None:
    household = [
        customer(id, name, phones=("11 3333-4444",), cep="01310-100")
        for id, name in (("a", "Maria Souza"), ("b", "Pedro Souza"), ("c", "Lucas de Souza"))
    ]
    assert suggest_duplicates(household, threshold=0.0) == []


def test_a_similar_name_alone_is_never_enough() -> None:
    one = customer("a", "Ana Silva", emails=("ana1@empresa.com.br",))
    other = customer("b", "Ana Silva", emails=("asilva@empresa.com.br",))
    assert suggest_duplicates([one, other], threshold=0.0) == []


def test_a_key_held_by_many_records_is_no_evidence() -> None:
    # A seller typed the shop's own mobile on every customer.
    many = [customer(f"c{i:02d}", "Ana Lima", phones=("11 98765-4321",)) for i in range(12)]
    assert suggest_duplicates(many) == []


def test_a_wrong_area_code_still_matches_on_the_last_eight_digits() -> None:
    one = customer("a", "Carla Nogueira", phones=("11 98765-4321",))
    other = customer("b", "Carla Nogueira", phones=("21 98765-4321",))
    [suggestion] = suggest_duplicates([one, other])
    assert "phone_suffix" in kinds(suggestion)


def test_a_mistyped_email_domain_is_the_same_address() -> None:
    one = customer("a", "Carla Nogueira", emails=("carla.nogueira@gmail.com",))
    other = customer("b", "Carla Nogueira", emails=("carla.nogueira@gmial.com",))
    [suggestion] = suggest_duplicates([one, other])
    [email] = [e for e in suggestion.evidence if e.kind == "email"]
    assert email.weight == DEFAULT_POLICY.email and "mistyped" in email.detail


def test_a_local_part_made_of_the_name_is_weak_and_nothing_for_a_common_name() -> None:
    def marias(count: int) -> list[Customer]:
        domains = ("gmail.com", "hotmail.com", "yahoo.com.br", "uol.com.br")[:count]
        return [
            customer(f"c{i}", "Maria Silva", emails=(f"maria.silva@{domain}",))
            for i, domain in enumerate(domains)
        ]

    # By default such a local part is no evidence at another provider (luis.silva@yahoo.com.br
    # and luis.silva@uol.com.br are two Luís Silvas as often as one); a policy may weigh it.
    assert suggest_duplicates(marias(2)) == []
    weighed = attrs.evolve(DEFAULT_POLICY, email_local_part_from_name=0.1)
    [rare] = suggest_duplicates(marias(2), policy=weighed)
    [local] = [e for e in rare.evidence if e.kind == "email_local_part"]
    assert local.weight == 0.1
    assert "made of the name" in local.detail
    assert suggest_duplicates(marias(4), policy=weighed) == []  # four Maria Silvas: who knows


def test_a_distinctive_local_part_is_evidence() -> None:
    one = customer("a", "Maria Silva", emails=("zezinha.gamer@gmail.com",))
    other = customer("b", "Maria Silva", emails=("zezinha.gamer@hotmail.com",))
    [suggestion] = suggest_duplicates([one, other])
    weights = {e.kind: e.weight for e in suggestion.evidence}
    assert weights["email_local_part"] == DEFAULT_POLICY.email_local_part


def test_every_suggestion_explains_what_each_piece_of_evidence_added() -> None:
    one = customer("a", "João da Silva", phones=("11 98765-4321",), cep="01310-100")
    other = customer("b", "Silva, Joao", phones=("11 8765-4321",), cep="01310100")
    [suggestion] = suggest_duplicates([one, other])
    by_kind = {e.kind: e for e in suggestion.evidence}
    assert list(by_kind) == ["name", "mobile", "cep"]
    assert by_kind["name"].detail.startswith("100% similar")
    assert by_kind["mobile"].detail == "+5511987654321"
    assert by_kind["cep"].detail == "01310-100"
    assert by_kind["name"].weight == DEFAULT_POLICY.name
    assert by_kind["mobile"].weight == DEFAULT_POLICY.mobile
    assert by_kind["cep"].weight == DEFAULT_POLICY.cep
    assert suggestion.score == min(1.0, round(sum(e.weight for e in suggestion.evidence), 3))


def test_score_does_not_depend_on_the_order_of_the_pair() -> None:
    one = customer("a", "Maria A. Santos", phones=("11 3333-4444",), cep="01310-100")
    other = customer("b", "SANTOS, Maria Aparecida", phones=("11 3333-4444",))
    assert score_pair(one, other) == score_pair(other, one)


# -- the policy ---------------------------------------------------------------------


def test_threshold_and_weights_are_configurable() -> None:
    one = customer("a", "João Silva", cep="01310-100")
    other = customer("b", "Joao Silva", cep="01310-100")
    assert [s.score for s in suggest_duplicates([one, other])] == [0.7]
    assert suggest_duplicates([one, other], threshold=0.8) == []
    strict = attrs.evolve(DEFAULT_POLICY, cep=0.0, min_corroboration=0.1)
    assert suggest_duplicates([one, other], policy=strict) == []


def test_evidence_against_must_weigh_negative() -> None:
    with pytest.raises(ValueError, match="evidence against"):
        MatchingPolicy(generation_differs=0.2)
    with pytest.raises(ValueError, match="must not be negative"):
        MatchingPolicy(mobile=-0.1)


# -- exact clusters -------------------------------------------------------------------


def test_a_line_held_as_phone_and_as_whatsapp_id_is_a_cluster() -> None:
    phone = customer("a", "João Silva", phones=("11 98765-4321",))
    whatsapp = customer("b", "J.", whatsapp="551187654321")  # no ninth digit
    [cluster] = exact_clusters([phone, whatsapp])
    assert cluster.ids == ("a", "b")
    assert [(e.kind, e.detail) for e in cluster.evidence] == [("same_phone_line", "+5511987654321")]


def test_the_same_phone_on_two_records_is_scored_not_clustered() -> None:
    # Only possible outside storage (the unique index); a household's landline looks like this.
    one = customer("a", "Maria Souza", phones=("11 3333-4444",))
    other = customer("b", "Pedro Souza", phones=("11 3333-4444",))
    assert exact_clusters([one, other]) == []


def test_companies_sharing_a_cnpj_root_are_a_cluster_not_a_suggestion() -> None:
    hq = customer("a", "ACME Matriz", kind="company", tax_id="11.222.333/0001-81", cep="01310-100")
    branch = customer(
        "b", "ACME Matriz", kind="company", tax_id="11.222.333/0002-62", cep="01310-100"
    )
    [cluster] = exact_clusters([hq, branch])
    assert (cluster.ids, cluster.evidence[0].kind) == (("a", "b"), "same_cnpj_root")
    assert suggest_duplicates([hq, branch], threshold=0.0) == []


def test_a_trade_name_matches_the_legal_name_of_the_other_record() -> None:
    legal = customer(
        "a",
        "Comércio de Pães Silva Ltda",
        kind="company",
        trade_name="Padaria Pão Quente",
        phones=("11 3333-4444",),
    )
    trade = customer("b", "PADARIA PAO QUENTE", kind="company", phones=("(11) 3333-4444",))
    [suggestion] = suggest_duplicates([legal, trade])
    assert suggestion.evidence[0].detail.startswith("100% similar")


# -- blocking and streaming -----------------------------------------------------------


def test_a_pair_in_a_block_larger_than_max_block_is_still_found() -> None:
    crowd = [
        customer(f"c{i:03d}", name, cep="35400-000")
        for i, name in enumerate(f"Pessoa{chr(97 + i % 26)} Numero{i}" for i in range(40))
    ]
    pair = [
        customer("x1", "Ana Beatriz Lima", cep="35400-000", phones=("11 98765-4321",)),
        customer("x2", "Ana B. Lima", cep="35400-000", phones=("11 98765-4321",)),
    ]
    # The crowd's names are rare look-alikes (Pessoao/Pessoau Numero14/Numero20 at one CEP):
    # no sorted neighbourhood, no rare-name evidence, this is about large blocks.
    small = attrs.evolve(
        DEFAULT_POLICY, max_block=5, window=2, neighbours=0, rare_name_namesakes=0.0
    )
    found = suggest_duplicates([*crowd, *pair], policy=small)
    assert [s.ids for s in found] == [("x1", "x2")]


def test_customers_can_be_streamed_once_or_given_as_match_records() -> None:
    people = [
        customer("a", "João da Silva", phones=("11 98765-4321",)),
        customer("b", "Joao Silva", phones=("11 8765-4321",)),
        customer("c", "Maria Souza", cep="01310-100"),
        customer("d", "Maria de Souza", cep="01310-100"),
    ]
    expected = suggest_duplicates(people)
    assert len(expected) == 2
    assert suggest_duplicates(c for c in people) == expected
    records = [MatchRecord.of(c) for c in people]
    assert suggest_duplicates(records) == expected
    assert exact_clusters(iter(records)) == exact_clusters(people)


# -- order independence ----------------------------------------------------------------

_NAMES = [
    "João da Silva",
    "JOAO SILVA",
    "Silva, João P.",
    "Maria Aparecida Santos",
    "Maria A. Santos",
    "José Carlos Pereira",
    "José Carlos Pereira Júnior",
    "Ana Sousa",
    "Ana Souza",
]
_PHONES = ["11 98765-4321", "(11) 8765-4321", "11 3333-4444", "21 98765-4321"]
_EMAILS = ["joao.silva@gmail.com", "joao.silva@gmial.com", "ana.souza@hotmail.com"]
_TAX_IDS = ["529.982.247-25", "390.533.447-05"]


@st.composite
def tenants(draw: st.DrawFn) -> list[Customer]:
    size = draw(st.integers(2, 9))
    found = []
    for i in range(size):
        found.append(
            customer(
                f"c{i}",
                draw(st.sampled_from(_NAMES)),
                phones=tuple(draw(st.lists(st.sampled_from(_PHONES), max_size=2, unique=True))),
                emails=tuple(draw(st.lists(st.sampled_from(_EMAILS), max_size=1))),
                whatsapp=draw(st.none() | st.just("5511987654321")),
                tax_id=draw(st.none() | st.sampled_from(_TAX_IDS)),
                cep=draw(st.none() | st.just("01310-100")),
            )
        )
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), people=tenants())
def test_the_report_does_not_depend_on_input_order(
    data: st.DataObject, people: list[Customer]
) -> None:
    shuffled = data.draw(st.permutations(people))
    small = attrs.evolve(DEFAULT_POLICY, max_block=3, window=2)  # windows too
    for policy in (DEFAULT_POLICY, small):
        assert suggest_duplicates(shuffled, threshold=0.0, policy=policy) == suggest_duplicates(
            people, threshold=0.0, policy=policy
        )
    assert exact_clusters(shuffled) == exact_clusters(people)


def test_real_provider_domains_are_never_typos_of_one_another() -> None:
    from customer_core.domain.matching.contact_evidence import _domain_typo

    assert not _domain_typo("hotmail.com.br", "hotmail.com")
    assert not _domain_typo("yahoo.com.br", "yahoo.com")
    assert not _domain_typo("bol.com.br", "uol.com.br")
    assert _domain_typo("gmial.com", "gmail.com")
    assert _domain_typo("gmail.com.br", "gmail.com")  # not a provider: a slip
