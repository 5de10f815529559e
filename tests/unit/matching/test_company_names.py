"""Which names are a company's: the kind an import gives a row without CNPJ or Tipo."""

from __future__ import annotations

import pytest

from customer_core.domain.matching.company_names import company_name_marker, looks_like_company

PEOPLE = [
    "Maria de Sá",  # the surname Sá, accented
    "Maria de Sa",  # ... and without its accent
    "MARIA DE SA",  # ... in capitals: SA only counts in a name that is not all capitals
    "João Sá",
    "Lin Mei",  # a given name, not the MEI form
    "João Mercado",  # a surname, not a shop: Mercado counts only as the first word
    "Mercado, João",  # surname first
    "Ana Loja",
    "Maria da Igreja",
    "Zé da Farmácia",  # a nickname: a business word after da/do/de
    "Maria do Açougue",
    "Carlos Eletricista",  # occupations are not business words
    "Edna Cabeleireira",
    "Maria E. Souza",
    "João M. E. Souza",  # initials, not M.E.
    "José Carlos Casa",
    "Ana Paula Pereira da Silva Júnior",
    "Loja",  # one word: nothing to tell
    "Maria Melo 11987654321",  # a phone typed into the name, not a CNPJ
    "Maria Melo 11222333000180",  # 14 digits that are no valid CNPJ
    "Maria da Conceição",  # a devotional name after da: her own
    "Lucas da Maria",  # a given name first (Lucas is one), not goods
    "Tonho da Maria",  # a nickname: no plural of goods
    "Neves da Conceição",  # a devotional name, whatever comes first
    "Fretes do Zé",  # Zé is no common given name: nothing to tell
]

COMPANIES = [
    ("José Rocha ME", "ME"),
    ("JOSÉ ROCHA ME", "ME"),
    ("Francisca Alves Silva M.E.", "M.E."),
    ("Ana Melo Jesus - M.E.", "M.E."),
    ("Vera Moraes Silva ME - Vera Cabeleireira", "ME"),
    ("João Manicure (João Alves Guimarães M.E.)", "M.E."),
    ("Silva Comércio de Alimentos EIRELI", "EIRELI"),
    ("Padaria Pão Quente Ltda", "LTDA"),
    ("Souza Ltda-ME", "LTDA"),
    ("Souza & Cia", "& CIA"),
    ("Cia. Hering", "CIA."),
    ("Mendes & Filhos", "& FILHOS"),
    ("Transportes Aparecida S.A.", "S.A."),
    ("Transportes Aparecida S/A", "S/A"),
    ("Casas Pernambucanas SA", "SA"),
    ("Pereira Contabilidade S/S", "S/S"),
    ("Maria Silva MEI", "MEI"),
    ("Bom Gosto EPP", "EPP"),
    ("Rocha Engenharia SLU", "SLU"),
    ("12.345.678 Maria da Silva", "MEI razão social"),
    ("Moda Praia (35.280.545 JESSICA SANTANA)", "MEI razão social"),
    ("Maria Melo 11222333000181", "CNPJ in the name"),
    ("Maria Melo 11.222.333/0001-81 ME", "CNPJ in the name"),
    ("Padaria Pão Quente", "padaria"),
    ("Farmácia do Zé", "farmacia"),
    ("Zé Lanches", "lanches"),
    ("Mercado São Jorge", "mercado"),
    ("Auto Escola Silva", "auto"),
    ("Progresso Auto Peças", "pecas"),  # a shop's word after its name (issue 20)
    ("Luciana Elétrica", "eletrica"),
    ("Estética Bela Vista", "estetica"),
    ("Patrícia Auto Center", "center"),
    ("Materiais de Construção Souza", "materiais"),
    ("Igreja Batista da Lagoinha", "igreja"),
    ("Escola Pequeno Príncipe", "escola"),
    ("Oficina do Zé", "oficina"),
    ("Restaurante Sabor Caseiro", "restaurante"),
    ("Silva Consultoria", "consultoria"),
    ("Associação dos Moradores", "associacao"),
    ("Clínica Sorriso", "clinica"),
    ("Marmitas do Ricardo", "shop named after its owner"),
    ("Doces da Ana", "shop named after its owner"),
    ("SALGADOS DA MARIA", "shop named after its owner"),
]


@pytest.mark.parametrize("name", PEOPLE)
def test_people_stay_people(name: str) -> None:
    assert company_name_marker(name) is None
    assert not looks_like_company(name)


@pytest.mark.parametrize(("name", "marker"), COMPANIES)
def test_companies_are_found_by_their_legal_form_or_business_word(name: str, marker: str) -> None:
    found = company_name_marker(name)
    assert found is not None and found.endswith(marker), found
    assert looks_like_company(name)
