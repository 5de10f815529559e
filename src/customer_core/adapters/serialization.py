"""cattrs at the edge: customers to JSON-ready documents and back.

Values are stored in their canonical form and rebuilt without re-parsing (they
were validated when they entered), so loading is cheap.

>>> from datetime import datetime, timezone
>>> from customer_core import Customer, Cpf
>>> c = Customer.create(id="c1", tenant_id="t", name="Ana", tax_id=Cpf.parse("52998224725"),
...                     now=datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> doc = customer_to_document(c)
>>> doc["tax_id"], doc["created_at"]
('52998224725', '2026-01-01T00:00:00+00:00')
>>> customer_from_document(doc) == c
True
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import cattrs

from customer_core.domain.model.actor import Portfolio
from customer_core.domain.model.customer import Customer
from customer_core.domain.values.tax_id import Cnpj, Cpf

__all__ = [
    "customer_from_document",
    "customer_to_document",
    "make_converter",
    "portfolio_from_document",
    "portfolio_to_document",
]


def _tax_id(value: Any, _: Any) -> Cpf | Cnpj | None:
    if value is None:
        return None
    text = str(value)
    return Cpf(text) if len(text) == 11 else Cnpj(text)


@cache
def make_converter() -> cattrs.Converter:
    """The one converter of the package (values in canonical form, ISO datetimes)."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, lambda v, _: datetime.fromisoformat(v))
    converter.register_unstructure_hook(Cpf, lambda v: v.digits)
    converter.register_unstructure_hook(Cnpj, lambda v: v.digits)
    converter.register_structure_hook(Cpf | Cnpj | None, _tax_id)
    converter.register_unstructure_hook(frozenset, sorted)
    return converter


def customer_to_document(customer: Customer, /) -> dict[str, Any]:
    document: dict[str, Any] = make_converter().unstructure(customer)
    return document


def customer_from_document(document: dict[str, Any], /) -> Customer:
    return make_converter().structure(document, Customer)


def portfolio_to_document(portfolio: Portfolio, /) -> dict[str, Any]:
    document: dict[str, Any] = make_converter().unstructure(portfolio)
    return document


def portfolio_from_document(document: dict[str, Any], /) -> Portfolio:
    return make_converter().structure(document, Portfolio)
