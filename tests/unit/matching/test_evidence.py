"""The conflicting-evidence rule and its name floor, ``names_compatible``: the committed table.

Every row is a pair real CRMs see; a change of the rule shows here as a
changed row, reviewed on its own.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from customer_core.domain.matching.evidence import Conflict, conflicting_evidence
from customer_core.domain.matching.names import names_compatible
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.customer import Customer, CustomerKind
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cnpj, Cpf

PEOPLE = [
    # typos, accents, case
    ("Daniela de Oliveira Soare", "Daniela de Oliveira Soares", True, "typo in the surname"),
    ("José Luiz Hoffmann", "JOSE LUIZ HOFMANN", True, "accents, case, a doubled letter"),
    ("Natáli Rodriuges", "Natália Machado Rodrigues", True, "typos, not a gender form"),
    ("Rafale Souza", "Rafael Souza", True, "transposed letters"),
    ("Luiz Carlos Pereira", "Luís Carlos Pereira", True, "same sound"),
    # abbreviated and dropped middle names
    ("Jose cL. Hoffmann", "José Luiz Hoffmann", True, "stray initial"),
    ("Maria A. Santos", "Maria Aparecida dos Santos", True, "initial for a middle name"),
    ("J. Silva", "João Silva", True, "initial for the first name"),
    ("João Pedro Souza", "João Souza", True, "dropped middle name"),
    ("Ana Lima", "Ana Lima Souza", True, "a surname added (marriage)"),
    # surname first
    ("SILVA, João Pedro", "João Pedro Silva", True, "surname first with a comma"),
    ("Souza João", "João Souza", True, "surname first without a comma"),
    ("Carvalho Xavier João Vitor", "João Xavier", True, "family names first, one dropped"),
    ("Guimarães Campos Eduardo", "Eduardo Campos", True, "family names first, one dropped"),
    ("Borges Silva Elizangela", "Elisangela Silva", True, "family names first, z for s"),
    ("Campos Silva Paula", "Paulo Campos", False, "surname first excuses no other given name"),
    ("Campos Silva Eduardo Júnior", "Eduardo Campos", False, "surname first, a son"),
    ("Campos Silva Eduardo", "Eduardo Lima", False, "surname first, another family name"),
    # one given name alone
    ("Ana", "Ana Lima", True, "a lone given name"),
    # two given names vs one
    ("Ana Maria Silva", "Ana Silva", True, "the second given name dropped"),
    ("Maria Silva", "Ana Maria Silva", False, "the other's first name is missing"),
    # different people
    ("Paulo Lima", "Paula Lima", False, "masculine/feminine forms"),
    ("Maria Silva", "Mário Silva", False, "masculine/feminine forms"),
    ("Daniel Souza", "Daniela Souza", False, "masculine/feminine forms"),
    ("Ana Lima", "Bruno Lima", False, "another given name in the household"),
    ("Ana Lima", "Ana Souza", False, "another family name"),
    ("Carlos Alberto Souza", "Carlos Alberto Souza Júnior", False, "father and son"),
    ("Carlos Souza Filho", "Carlos Souza Neto", False, "son and grandson"),
    ("Carlos Souza Jr.", "Carlos Souza Júnior", True, "the same suffix spelt two ways"),
    ("Luis Silva", "Luisa Silva", False, "masculine/feminine forms"),
    # what a WhatsApp profile or a helpdesk contact holds besides the name
    ("Pastor José Medeiros", "José Medeiros", True, "a form of address before the name"),
    ("Dra. Ana Paula Lima", "Ana Paula Lima", True, "an abbreviated form of address"),
    ("Dona Maria Silva", "Maria da Silva", True, "dona"),
    ("Dr. Paulo Lima", "Paula Lima", False, "a title excuses no other given name"),
    ("+55 11 97079-3761", "Marcelo da Silva Dias", True, "a phone number as the name: no name"),
    ("Ana Lima 2", "Ana Lima", True, "a number in a person's name"),
]

COMPANIES = [
    ("Padaria Pão Quente Ltda", "Pão Quente", True, "trade name inside the legal name"),
    ("PADARIA PAO QUENTE LTDA - ME", "Padaria Pão Quente", True, "company forms left out"),
    ("Mercado São Jorge", "Padaria São Jorge", False, "another business on the same street"),
    ("Silva & Lima Comércio de Alimentos Ltda", "Silva e Lima Comercio de Alimentos", True, "&/e"),
]


@pytest.mark.parametrize(("a", "b", "compatible", "why"), PEOPLE)
def test_names_compatible_people(a: str, b: str, compatible: bool, why: str) -> None:
    assert names_compatible(a, b) is compatible, why
    assert names_compatible(b, a) is compatible, f"{why} (turned around)"


@pytest.mark.parametrize(("a", "b", "compatible", "why"), COMPANIES)
def test_names_compatible_companies(a: str, b: str, compatible: bool, why: str) -> None:
    assert names_compatible(a, b, company=True) is compatible, why
    assert names_compatible(b, a, company=True) is compatible, f"{why} (turned around)"


NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
LANDLINE = Phone.parse("(11) 3333-4444")


def _record(name: str, **fields: object) -> MatchRecord:
    customer = Customer.create(id=name, tenant_id="t", name=name, now=NOW, **fields)  # type: ignore[arg-type]
    return MatchRecord.of(customer)


def test_a_shared_landline_never_excuses_different_tax_ids() -> None:
    ana = _record("Ana Lima", tax_id=Cpf.parse("529.982.247-25"), phones=(LANDLINE,))
    ana_again = _record("Ana Lima", tax_id=Cpf.parse("390.533.447-05"), phones=(LANDLINE,))
    assert conflicting_evidence(ana, ana_again) is Conflict.TAX_IDS


def test_household_owner_company_and_father_son_are_different_customers() -> None:
    ana = _record("Ana Lima", phones=(LANDLINE,))
    bruno = _record("Bruno Lima", phones=(LANDLINE,))
    company = _record(
        "Ana Lima Doces ME", kind=CustomerKind.COMPANY, tax_id=Cnpj.parse("11.222.333/0001-81")
    )
    father = _record("Carlos Souza")
    son = _record("Carlos Souza Júnior")
    assert conflicting_evidence(ana, bruno) is Conflict.NAMES
    assert conflicting_evidence(ana, company) is Conflict.PERSON_AND_COMPANY
    assert conflicting_evidence(father, son) is Conflict.GENERATION
    assert conflicting_evidence(son, father) is Conflict.GENERATION


def test_branches_of_one_company_are_different_customers() -> None:
    head = _record("Loja X", kind=CustomerKind.COMPANY, tax_id=Cnpj.parse("11.222.333/0001-81"))
    branch = _record("Loja X", kind=CustomerKind.COMPANY, tax_id=Cnpj.parse("11.222.333/0002-62"))
    assert conflicting_evidence(head, branch) is Conflict.TAX_IDS


def test_a_company_is_compatible_through_its_trade_name() -> None:
    legal = _record(
        "Silva & Lima Comércio de Alimentos Ltda",
        kind=CustomerKind.COMPANY,
        trade_name="Mercadinho Bom Preço",
    )
    trade = _record("Mercadinho Bom Preço", kind=CustomerKind.COMPANY)
    assert conflicting_evidence(legal, trade) is None


def test_the_same_person_spelt_differently_is_no_conflict() -> None:
    one = _record("José Luiz Hoffmann", tax_id=Cpf.parse("529.982.247-25"))
    other = _record("Jose L. Hofmann")
    assert conflicting_evidence(one, other) is None
    assert conflicting_evidence(other, one) is None
