"""The import's grouping rule on owner/company shapes: a person and a company are never one group.

Each shape is one that put an owner and their company into one customer on
generated messy files (benchmarks/whole_path.py, hard negatives
``owner_company``), with the names changed; the last ones are the true
duplicates the rule must keep together.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from customer_core.domain.model.customer import IdentityKey
from customer_core.domain.model.identity import IdentityKind
from customer_core.errors import Code
from customer_core.io.grouping import FileGroups
from customer_core.io.grouping_rule import EXCLUSIVE, Rep, key_of, key_text, placed, shareable_text
from customer_core.io.rows import Draft, RowError, parse_row

OWNER = {"name": "Ricardo M. Santos", "tax_id": "529.982.247-25", "phone": "(16) 98713-8650"}


def grouped(rows: Sequence[dict[str, str]]) -> tuple[list[list[str]], list[RowError]]:
    """The names of each group's rows (groups in the order their last row comes), and
    the rows left out."""
    drafts = []
    for line, row in enumerate(rows, start=2):
        draft = parse_row(line, row)
        assert isinstance(draft, Draft), draft
        drafts.append((draft, draft.identity_keys()))
    with FileGroups() as groups:
        groups.add(drafts)
        rejected = groups.decide()
        return [[d.name for d in group] for group in groups.groups()], rejected


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_a_key_text_says_whether_its_key_is_shareable(kind: IdentityKind) -> None:
    text = key_text(IdentityKey(kind, "email\x1fx"))
    assert key_of(text).kind is kind
    assert shareable_text(text) is kind.shareable


def test_a_person_and_a_company_clash_whatever_else_they_share() -> None:
    person = Rep("Ana Lima", "cpf:52998224725", "code\x1fERP-1")
    company = Rep("Ana Lima ME", "cpf:52998224725", "code\x1fERP-1", company=True)
    assert person.clashes(company) and company.clashes(person)
    assert not person.clashes(Rep("Ana Lima", "cpf:52998224725", None))


def test_an_exclusive_key_never_places_a_company_in_a_persons_group() -> None:
    person = Rep("Ana Lima", None, "code\x1fERP-1")
    company = Rep("Ana Lima ME", None, "code\x1fERP-1", company=True)
    assert placed(company, {0: EXCLUSIVE}, {0: person}) is None
    # ... nor in two groups of which the closer is the person's
    other = Rep("Ana Lima Doces ME", None, None, company=True)
    assert placed(company, {0: EXCLUSIVE, 1: 1}, {0: person, 1: other}) is None
    assert placed(company, {1: 1}, {1: other}) == [1]


def test_a_shop_named_for_its_goods_and_owner_is_not_merged_into_the_owner() -> None:
    # Read as a person, "Marmitas do Ricardo" fit "Ricardo M. Santos" (Marmitas for
    # the initial M., written surname first) and the shared mobile merged them.
    shop = {"name": "Marmitas do Ricardo", "phone": "5516987138650", "city": "Ribeirão Preto"}
    groups, rejected = grouped([OWNER, shop])
    assert sorted(groups) == [["Marmitas do Ricardo"], ["Ricardo M. Santos"]]
    assert rejected == []


@pytest.mark.parametrize(
    "company",
    [
        {"name": "Ricardo M. Santos", "kind": "PJ", "phone": "16 98713-8650"},
        {"name": "Ricardo Moura Santos ME", "phone": "16 98713-8650"},
        {"name": "Ricardo Moura Santos", "phone": "16 98713-8650", "email": "contato@rms.com.br"},
        {"name": "Ricardo Moura Santos", "tax_id": "11.222.333/0001-81", "phone": "16 98713-8650"},
    ],
    ids=["tipo-pj", "legal-form", "role-mailbox", "cnpj"],
)
def test_a_company_named_after_its_owner_stays_apart_when_the_row_says_so(
    company: dict[str, str],
) -> None:
    groups, rejected = grouped([OWNER, company])
    assert len(groups) == 2 and rejected == []


def test_a_tipo_pj_row_with_its_owners_cpf_is_left_out_not_merged_into_the_owner() -> None:
    company = {**OWNER, "name": "Marmitas do Ricardo", "kind": "PJ"}
    groups, rejected = grouped([OWNER, company])
    assert groups == [["Marmitas do Ricardo"]]  # more words spelled out: read first
    assert [(e.line, e.code) for e in rejected] == [(2, Code.DUPLICATE_IDENTITY)]
    assert "one is a person and the other a company" in rejected[0].message


def test_one_external_id_on_a_person_and_a_company_is_left_out() -> None:
    person = {"name": "Ana Lima", "external_id": "ERP-1", "phone": "11 98765-4321"}
    company = {"name": "Ana Lima ME", "external_id": "ERP-1", "phone": "11 98765-4321"}
    groups, rejected = grouped([person, company])
    assert groups == [["Ana Lima ME"]]  # the fuller name is read first
    assert [(e.line, e.code) for e in rejected] == [(2, Code.DUPLICATE_IDENTITY)]


def test_the_owners_own_rows_stay_one_beside_the_company() -> None:
    rows = [
        OWNER,
        {"name": "Ricardo Moura Santos", "phone": "5516987138650"},  # WhatsApp form
        {"name": "RICARDO SANTOS", "phone": "16 98713-8650", "email": "ricardo@x.com"},
        {"name": "Marmitas do Ricardo", "phone": "16 98713-8650", "email": "ricardo@x.com"},
        {"name": "Marmitas do Ricardo ME", "phone": "16 98713-8650"},
    ]
    groups, rejected = grouped(rows)
    assert sorted(map(sorted, groups)) == [
        ["Marmitas do Ricardo", "Marmitas do Ricardo ME"],
        ["RICARDO SANTOS", "Ricardo M. Santos", "Ricardo Moura Santos"],
    ]
    assert rejected == []


def test_a_row_that_says_nothing_of_a_company_is_the_persons_duplicate() -> None:
    # A company written as its owner's bare name, with the owner's mobile, reads as
    # the owner: no signal tells it from the owner's own second row (the commonest
    # true duplicate), so the rule keeps them together. The user's remedy: a Tipo
    # column, the legal form or the CNPJ (test above).
    rows = [
        {"name": "Sandra Fernandes", "phone": "71961091773", "city": "Salvador"},
        {"name": "Sandra Fernandes", "phone": "55 71 9 6109-1773", "city": "Salvador"},
    ]
    groups, rejected = grouped(rows)
    assert groups == [["Sandra Fernandes", "Sandra Fernandes"]] and rejected == []


# A firm's establishments: the legal name and the finance mailbox shared, each its own
# lines in its own city's area code (shapes of generator C's ``cnpj_branch`` pairs).
HEAD_OFFICE = {
    "name": "Silva & Xavier Distribuidora de Bebidas LTDA",
    "email": "financeiro@silvaxavier.com.br",
    "phone": "(11) 96500-0806",
    "city": "São Paulo",
}
BRANCH = {**HEAD_OFFICE, "phone": "(91) 4707-0499", "city": "Belém"}


def test_companies_dialling_different_area_codes_are_apart() -> None:
    sao_paulo = Rep("Silva & Xavier LTDA", None, None, company=True, places="11")
    belem = Rep("Silva & Xavier LTDA", None, None, company=True, places="91")
    assert sao_paulo.apart(belem) and belem.apart(sao_paulo)
    assert not sao_paulo.apart(Rep("Silva & Xavier LTDA", None, None, company=True, places="11,91"))
    assert not sao_paulo.apart(Rep("Silva & Xavier LTDA", None, None, company=True))  # no phone
    # people keep their mobile's area code when they move: never apart by it
    assert not Rep("Ana Lima", None, None, places="11").apart(
        Rep("Ana Lima", None, None, places="91")
    )
    assert sao_paulo.absorb(belem).places == "11,91"


def test_companies_in_different_states_are_apart() -> None:
    # by their addresses' UF, or an address's UF and the other's area code
    joao_pessoa = Rep("Lima Indústria e Comércio LTDA", None, None, company=True, places="PB")
    maringa = Rep("Lima Indústria e Comércio LTDA", None, None, company=True, places="44")
    assert joao_pessoa.apart(maringa)
    assert joao_pessoa.apart(Rep("Lima LTDA", None, None, company=True, places="SP"))
    # area code 61 is Brasília's and its Goiás towns': by state, no contradiction
    assert not Rep("Lima LTDA", None, None, company=True, places="GO").apart(
        Rep("Lima LTDA", None, None, company=True, places="61")
    )
    # São Paulo and Campinas: one state, but different area codes, still apart
    assert Rep("Lima LTDA", None, None, company=True, places="11,SP").apart(
        Rep("Lima LTDA", None, None, company=True, places="19")
    )


def test_a_branch_known_by_its_address_alone_stays_apart_from_the_head_office() -> None:
    head_office = {**HEAD_OFFICE, "tax_id": "11.222.333/0001-81", "uf": "SP"}
    branch = {
        "name": HEAD_OFFICE["name"],
        "email": HEAD_OFFICE["email"],
        "city": "Belém",
        "uf": "PA",
    }
    groups, rejected = grouped([head_office, branch])
    assert len(groups) == 2 and rejected == []
    # the head office's own row without a phone, in its state, is its row
    groups, _ = grouped([head_office, {**branch, "city": "São Paulo", "uf": "SP"}])
    assert len(groups) == 1


def test_a_shared_finance_mailbox_does_not_merge_a_head_office_and_its_branch() -> None:
    branch_whatsapp = {"name": "Silva & Xavier Distribuidora de Bebidas", "phone": "91 4707-0499"}
    groups, rejected = grouped([HEAD_OFFICE, BRANCH, branch_whatsapp])
    assert sorted(map(len, groups)) == [1, 2] and rejected == []


def test_a_row_with_only_the_firms_mailbox_stands_alone_between_two_establishments() -> None:
    mailbox_only = {"name": HEAD_OFFICE["name"], "email": HEAD_OFFICE["email"]}
    groups, rejected = grouped([HEAD_OFFICE, BRANCH, mailbox_only])
    assert sorted(map(len, groups)) == [1, 1, 1] and rejected == []
    # with one establishment known, it is that one's
    groups, rejected = grouped([HEAD_OFFICE, mailbox_only])
    assert len(groups) == 1 and rejected == []


def test_one_establishments_rows_stay_one_customer() -> None:
    # a second line in the same area code, or the same CNPJ whatever lines it lists
    landline = {**HEAD_OFFICE, "phone": "(11) 3222-1111"}
    groups, _ = grouped([HEAD_OFFICE, landline])
    assert len(groups) == 1
    cnpj = {**HEAD_OFFICE, "tax_id": "11.222.333/0001-81"}
    groups, _ = grouped([cnpj, {**BRANCH, "tax_id": "11.222.333/0001-81"}])
    assert len(groups) == 1


def test_a_tie_with_an_establishment_apart_places_the_row_alone() -> None:
    row = Rep("Silva & Xavier LTDA", None, None, company=True)
    reps = {
        0: Rep("Silva & Xavier LTDA", None, None, company=True, places="11"),
        1: Rep("Silva & Xavier LTDA", None, None, company=True, places="91"),
    }
    assert placed(row, {0: 1, 1: 1}, reps) == []
    assert placed(row, {0: 1, 1: 2}, reps) == [1]  # the branch holds more of its keys
    assert placed(row, {0: EXCLUSIVE, 1: 1}, reps) == [0]


def test_a_whatsapp_profile_with_a_title_or_the_number_as_its_name_joins_its_holder() -> None:
    # WhatsApp inboxes keep the profile's name as typed: a form of address before
    # the name, or no name but the number itself. Neither is another person.
    rows = [
        {"name": "José Medeiros", "phone": "(43) 97777-2672", "tax_id": "529.982.247-25"},
        {"name": "Pastor José Medeiros", "phone": "+55 43 97777-2672"},
        {"name": "+55 43 97777-2672", "phone": "+55 43 97777-2672"},
    ]
    groups, rejected = grouped(rows)
    assert rejected == []
    assert groups == [["José Medeiros", "Pastor José Medeiros", "+55 43 97777-2672"]]


def test_a_title_excuses_no_other_given_name_on_a_shared_line() -> None:
    rows = [
        {"name": "Paula Lima", "phone": "(11) 3333-4444"},
        {"name": "Dr. Paulo Lima", "phone": "(11) 3333-4444"},
    ]
    groups, _ = grouped(rows)
    assert sorted(map(sorted, groups)) == [["Dr. Paulo Lima"], ["Paula Lima"]]


def test_a_row_compatible_with_two_different_people_on_a_shared_line_stays_alone() -> None:
    # A couple's shared mobile: the WhatsApp row named by its number fits either
    # spouse, so it would make them one customer; it is nobody's more than the other's.
    rows = [
        {"name": "Rosangela da Silva", "phone": "(13) 96973-8267"},
        {"name": "Márcio Castro", "phone": "13 96973-8267"},
        {"name": "+55 13 96973-8267", "phone": "+55 13 96973-8267"},
    ]
    groups, rejected = grouped(rows)
    assert rejected == []
    assert sorted(map(sorted, groups)) == [
        ["+55 13 96973-8267"],
        ["Márcio Castro"],
        ["Rosangela da Silva"],
    ]


def test_a_lone_given_name_does_not_join_two_namesakes_sharing_a_landline() -> None:
    rows = [
        {"name": "Ana Lima", "phone": "(11) 3333-4444", "email": "ana.lima@gmail.com"},
        {"name": "Ana Souza", "phone": "(11) 3333-4444"},
        {"name": "Ana", "phone": "(11) 3333-4444", "email": "ana.lima@gmail.com"},
    ]
    groups, _ = grouped(rows)
    # Ana shares two keys with Ana Lima, one with Ana Souza: she is Ana Lima.
    assert sorted(map(sorted, groups)) == [["Ana", "Ana Lima"], ["Ana Souza"]]
