"""Whether an e-mail address is a company's mailbox: a kind signal for rows that state none.

A spreadsheet row may list a company under its owner's bare name
(*Maria Santos Barbosa*) with no CNPJ, no ``Tipo`` and no legal form, while
its e-mail says whose it is: ``contato@barbosamateriais.com.br``,
``financeiro@...``, ``vendas.filial3@...`` are the mailboxes of a function
inside an organization (a *role address*), not of a person. Read as a
person, such a row joins the owner's rows through the mobile they share.

:func:`role_mailbox` reads the local part only: its first word (split at
``.``, ``_``, ``-``, ``+``), without trailing digits, is one of the usual
names of a company's departments and shared mailboxes, in Portuguese and
English. The domain alone says nothing: a person's work address is on their
employer's domain (``joao.silva@empresa.com.br``), and a small business
uses a free provider (``salgadosdaana@gmail.com``).

>>> role_mailbox("CONTATO@BarbosaMateriais.com.br")
'contato'
>>> role_mailbox("financeiro45@ribeiroservicos.com.br")
'financeiro'
>>> role_mailbox("maria.vendas@gmail.com") is None  # a person named first
True
"""

from __future__ import annotations

import re

__all__ = ["role_mailbox"]

#: Mailboxes of a function, not of a person (compared without accents).
_ROLES = frozenset(
    {
        # Portuguese
        "adm", "admin", "administracao", "administrativo", "atendimento", "cobranca",
        "comercial", "compras", "contabilidade", "contato", "contatos", "diretoria",
        "escritorio", "expedicao", "faturamento", "financeiro", "fiscal", "gerencia",
        "juridico", "logistica", "orcamento", "orcamentos", "ouvidoria", "pedidos",
        "recepcao", "rh", "sac", "secretaria", "suporte", "vendas",
        # English
        "billing", "contact", "info", "office", "sales", "support",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[._+-]")
_ACCENTS = str.maketrans("áàâãéêíóôõúç", "aaaaeeiooouc")


def role_mailbox(address: str, /) -> str | None:
    """The role an e-mail address is the mailbox of (``contato``, ``vendas``...), or ``None``."""
    local = address.rpartition("@")[0].lower().translate(_ACCENTS)
    first = _SEPARATORS.split(local, maxsplit=1)[0].rstrip("0123456789")
    return first if first in _ROLES else None
