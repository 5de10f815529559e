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
