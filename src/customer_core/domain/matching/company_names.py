"""Whether a name is a company's: the kind a row without a CNPJ or a ``Tipo`` takes.

Spreadsheets list companies without their CNPJ (*Padaria Pão Quente*, *José
Rocha ME*). Read as people, they are merged with their owner, who shares the
mobile, and kept apart from their own company records. A name is taken for a
company's (:func:`company_name_marker`) when it carries:

1. **a legal-entity form**, as Brazilian company names write it:

   - *Ltda*, *Limitada*, *EIRELI*, *EPP*, *SLU*, *Cia.*, *Companhia*, *& Cia*,
     *& Filhos*, *& Irmãos* anywhere;
   - *ME*, *M.E.*, *MEI*, *Cia*, *S/A*, *S.A.*, *S/S*, *S/C* at the end of the
     name or of one of its parts (before ``-``, ``(``, ``)``, ``/``):
     *Vera Silva ME - Vera Cabeleireira*, *João Manicure (João Guimarães M.E.)*;
   - a bare final *SA* only when written in capitals inside a name that is not
     all capitals (*Casas Pernambucanas SA*): *Maria de Sá*, *Maria de Sa* and
     an all-capitals *MARIA DE SA* are the surname *Sá*;
   - *MEI* only in capitals (*Lin Mei* is a given name);
   - the CNPJ root that opens the *razão social* of an MEI
     (``12.345.678 Maria da Silva``), or a valid CNPJ anywhere in the name
     (``Maria Melo 55.935.868/0001-75``: a person's name holds no CNPJ, while
     a phone number typed into the name is no CNPJ);

2. **a business word** (the list below, from the usual naming of Brazilian
   shops, firms and institutions, not from any test file):

   - a word that is nobody's name -- *Padaria*, *Farmácia*, *Comércio*,
     *Serviços*, *Distribuidora*, *Transportes*, *Construtora*, *Restaurante*,
     *Materiais*... -- counts anywhere except right after *da*/*do*/*de*:
     *Zé da Farmácia* and *Maria do Açougue* are how people are nicknamed,
     *Farmácia do Zé* and *Zé Lanches* are businesses;
   - a word that is also a surname or a nickname's tail -- *Mercado*, *Loja*,
     *Casa*, *Igreja*, *Escola*, *Oficina*, *Bar*, *Posto*... -- counts only as
     the first word (*Mercado São Jorge*, not *João Mercado*).

3. **a shop named for what it sells and its owner**: exactly *Goods da/do
   Given name*, where the first word is a plural that is nobody's given name
   and the last a common given name (*Marmitas do Ricardo*, *Doces da Ana*,
   *Fretes do Zé* not: *Zé* is no common one). A person's name puts *da*/*do*
   before a family name (*Ana da Silva*) or a devotional name (*Maria da
   Conceição*, whose first word is a given name anyway); a nickname puts it
   after a person's word (*Tonho da Maria*, *Mãe do Pedro*: no plural). Read
   as a person, such a row shares its owner's mobile and fits the owner's
   name through an initial (*Ricardo M. Santos*).

Occupations (*Cabeleireira*, *Eletricista*, *Manicure*) are not in the list:
*Carlos Eletricista* is as often the person as their business. A CPF, or a
``Tipo`` PF, always wins over the name; the import reads the name only when
the row says nothing else (see ``Draft.customer_kind``). ``register`` does not
guess: an API caller states the kind.

>>> company_name_marker("José Rocha ME")
'legal form ME'
>>> company_name_marker("Padaria Pão Quente")
'business word padaria'
>>> company_name_marker("Zé da Farmácia") is None, company_name_marker("Maria de Sá") is None
(True, True)
"""

from __future__ import annotations

import re

from customer_core.domain.matching.given_names import is_common_given_name, national_given_names
from customer_core.domain.values.tax_id import Cnpj
from customer_core.domain.values.text import accents, fold
from customer_core.errors import CustomerCoreError

__all__ = ["company_name_marker", "looks_like_company"]

#: Legal forms that are no word of a person's name, wherever they stand.
_FORMS_ANYWHERE = frozenset({"ltda", "limitada", "eireli", "epp", "slu", "companhia"})
#: Legal forms read only at the end of the name or of one of its parts
#: (*Me* and *Cia* are no name's last word; *MEI* is, unless in capitals).
_FORMS_FINAL = frozenset({"me", "cia"})
#: Punctuated forms, matched on the text as typed (case-insensitive).
_PUNCTUATED = re.compile(
    r"(?<![\w.])(?:"
    r"(?P<me>m\.e\.?)|(?P<sa>s\s?[/.]\s?a\.?)|(?P<ss>s\s?/\s?[sc])"
    r")(?=\s*(?:$|[-–—()/,]))"
    r"|(?P<cia>\bcia\.|&\s*(?:cia|filhos?|filhas?|irm[aã]os?)\b)",
    re.IGNORECASE,
)
#: The razão social of an MEI opens with its CNPJ root: ``12.345.678 Maria da Silva``.
_MEI_ROOT = re.compile(r"^\d{2}\.?\d{3}\.?\d{3}\s+\D")
#: A CNPJ written into the name (``Maria Melo 55935868000175``), checked before it counts.
_CNPJ_IN_NAME = re.compile(r"(?<![\d.])\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}(?![\d])")
#: Where a name's parts end: ``Razão Ltda - Fantasia``, ``Fantasia (Razão ME)``.
_PARTS = re.compile(r"\s[-–—]\s|[()/]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Business words that are nobody's name: anywhere but after da/do/de.
_BUSINESS_ANYWHERE = _words(
    """
    padaria panificadora confeitaria doceria docaria mercearia supermercado supermercados
    minimercado hipermercado hortifruti sacolao acougue peixaria lanchonete lanches
    pizzaria restaurante churrascaria sorveteria pastelaria cafeteria choperia
    farmacia drogaria papelaria livraria floricultura otica joalheria relojoaria
    perfumaria cosmeticos boutique modas confeccoes calcados moveis eletromoveis
    eletrodomesticos eletronicos informatica borracharia serralheria marcenaria
    vidracaria madeireira funilaria autopecas lavanderia barbearia distribuidora
    distribuicao transportadora transportes logistica construtora construcoes
    incorporadora imobiliaria imoveis consultoria assessoria contabilidade advocacia
    advogados associados engenharia tecnologia comercio comercial servicos industria
    industrial industrias importadora importacao exportadora exportacao atacadista
    atacado varejo materiais empreendimentos participacoes representacoes
    agropecuaria veterinaria metalurgica alimentos bebidas turismo seguros corretora
    artesanato pecas eletrica eletricos estetica costuras center
    """
)
#: Business words that are also surnames or end nicknames: only as the first word.
_BUSINESS_FIRST = _words(
    """
    mercado loja lojas casa bar igreja escola colegio creche clinica consultorio academia
    oficina posto salao studio estudio instituto associacao fundacao sindicato
    cooperativa condominio hotel pousada hospital laboratorio emporio armazem bazar
    deposito escritorio agencia grupo auto centro moda pet grafica editora clube
    """
)
_AFTER_PARTICLE = frozenset({"da", "do", "de", "das", "dos"})


def _valid_cnpj(text: str) -> bool:
    try:
        Cnpj.parse(text)
    except CustomerCoreError:
        return False
    return True


def company_name_marker(name: str, /) -> str | None:
    """What in ``name`` says it is a company's (``None``: a person's, as far as it tells).

    See the module's documentation for the rule.

    >>> company_name_marker("Jessica Moda (35.280.545 JESSICA SANTANA CUNHA)")
    'MEI razão social'
    >>> company_name_marker("Transportes Nossa Senhora Aparecida S.A.")
    'legal form S.A.'
    >>> [company_name_marker(n) for n in ("Casas Bahia SA", "ANTONIO DE SA", "Lin Mei")]
    ['legal form SA', None, None]
    """
    text = " ".join(name.split())
    found = _PUNCTUATED.search(text)
    if found is not None:
        return f"legal form {' '.join(found.group(0).upper().split())}"
    parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
    if any(_MEI_ROOT.match(p) for p in parts):
        return "MEI razão social"
    if any(_valid_cnpj(found.group(0)) for found in _CNPJ_IN_NAME.finditer(text)):
        return "CNPJ in the name"
    all_capitals = text.upper() == text
    for part in parts:
        words = [w for w in re.split(r"[\s.,;:]+", part) if w]
        if not words:
            continue
        last = words[-1]
        folded = fold(last)
        if folded in _FORMS_FINAL or last == "MEI":
            return f"legal form {last.upper().rstrip('.')}"
        if last == "SA" and not all_capitals and len(words) > 1 and not accents(last):
            return "legal form SA"
    folded_words = [w for w in re.split(r"[^\w&]+", fold(text)) if w]
    for word in folded_words:
        if word in _FORMS_ANYWHERE:
            return f"legal form {word.upper()}"
    for i, word in enumerate(folded_words):
        if word in _BUSINESS_ANYWHERE and (i == 0 or folded_words[i - 1] not in _AFTER_PARTICLE):
            return f"business word {word}"
    # "Mercado, João" is a surname written first, not a shop.
    surname_first = re.match(r"\s*[^\s,]+\s*,", text) is not None
    if len(folded_words) > 1 and folded_words[0] in _BUSINESS_FIRST and not surname_first:
        return f"business word {folded_words[0]}"
    if not surname_first and _named_after_owner(folded_words):
        return "shop named after its owner"
    return None


#: Given names that follow *da*/*do* in a person's own name (*Maria da Conceição*).
_DEVOTIONAL = _words(
    """
    conceicao aparecida lurdes lourdes fatima socorro gloria nazare penha graca dores
    luz paz guia salete rosario carmo chagas anunciacao assuncao piedade
    """
)


def _named_after_owner(words: list[str]) -> bool:
    """*Marmitas do Ricardo*: a plural that is nobody's given name, *da*/*do*, a given name."""
    if len(words) != 3 or words[1] not in ("da", "do"):
        return False
    goods, owner = words[0], words[2]
    given, _ = national_given_names()
    return (
        len(goods) > 3
        and goods.endswith("s")
        and goods not in given
        and owner not in _DEVOTIONAL
        and is_common_given_name(owner)
    )


def looks_like_company(name: str, /) -> bool:
    """Whether :func:`company_name_marker` finds anything in ``name``."""
    return company_name_marker(name) is not None
