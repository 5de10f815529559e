"""The conflicting-evidence rule: when two records are certainly different customers.

One rule, used by every path that could put two records together -- the
import's grouping and upsert, inbound attach, duplicate suggestions, merge --
so that none of them unions or overwrites what another keeps apart. Two
records are different customers when:

- their valid tax ids differ (two CPFs, two CNPJs -- branches of one company
  included -- or a CPF and a CNPJ);
- one is a person and the other a company (the person may be the company's
  contact, never merged into it);
- a generational suffix (*Júnior*, *Filho*, *Neto*, *Sobrinho*) is on one side
  only, or differs;
- their names are not :func:`~customer_core.domain.matching.names.names_compatible`
  (for a company, no pair of its legal and trade names is).

A shared phone line or e-mail never outweighs any of these: a household
shares a landline, an owner and their company share a mobile.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Cpf
>>> now = datetime(2026, 1, 5, tzinfo=timezone.utc)
>>> ana = Customer.create(id="a", tenant_id="t", name="Ana Lima", now=now,
...                       tax_id=Cpf.parse("529.982.247-25"))
>>> bruno = Customer.create(id="b", tenant_id="t", name="Bruno Lima", now=now)
>>> conflicting_evidence(MatchRecord.of(ana), MatchRecord.of(bruno))
<Conflict.NAMES: 'names'>
>>> conflicting_evidence(MatchRecord.of(ana), MatchRecord.of(ana)) is None
True
"""

from __future__ import annotations

import enum

from customer_core.domain.matching.names import name_keys_compatible
from customer_core.domain.matching.records import MatchRecord

__all__ = ["Conflict", "conflicting_evidence"]


class Conflict(enum.Enum):
    """Why two records are different customers."""

    TAX_IDS = "tax_ids"  # two different valid tax ids
    PERSON_AND_COMPANY = "person_and_company"
    GENERATION = "generation"  # Júnior/Filho/Neto on one side only, or different
    NAMES = "names"  # names_compatible says no

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    Conflict.TAX_IDS: "they hold different tax ids",
    Conflict.PERSON_AND_COMPANY: "one is a person and the other a company",
    Conflict.GENERATION: "a Júnior/Filho/Neto suffix is on one side only",
    Conflict.NAMES: "their names are different people's",
}


def conflicting_evidence(a: MatchRecord, b: MatchRecord, /) -> Conflict | None:
    """The first reason ``a`` and ``b`` are different customers, or ``None``.

    Records without a name on one side (an inbound contact that never said
    its name) are compatible by name with anyone: only other evidence speaks.
    """
    if a.tax_id is not None and b.tax_id is not None and a.tax_id != b.tax_id:
        return Conflict.TAX_IDS
    if a.company != b.company:
        return Conflict.PERSON_AND_COMPANY
    if not a.company and a.names[0].generation != b.names[0].generation:
        return Conflict.GENERATION
    if not any(name_keys_compatible(x, y, company=a.company) for x in a.names for y in b.names):
        return Conflict.NAMES
    return None
