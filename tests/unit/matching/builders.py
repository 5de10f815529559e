"""Customers for the matching tests: one builder, the town's crowd, the policies they run under."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

import attrs

from customer_core import Customer, Email, Phone
from customer_core.domain.matching.duplicates import DEFAULT_POLICY
from customer_core.domain.values.address import Address
from customer_core.domain.values.tax_id import parse_tax_id

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
#: A tenant of 300 counts its own names here (the default waits for 2,000 records).
LARGE = attrs.evolve(DEFAULT_POLICY, national_records=100)


def customer(
    id: str,
    name: str,
    *,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    city: str | None = None,
    uf: str = "MT",
    cep: str | None = None,
    street: str | None = None,
    tax_id: str | None = None,
    company: bool = False,
) -> Customer:
    """A customer of tenant ``t``; an address only when a city or a CEP is given."""
    address = Address.create(street=street, city=city, uf=uf, cep=cep) if city or cep else None
    return Customer.create(
        id=id,
        tenant_id="t",
        name=name,
        now=NOW,
        kind="company" if company else "person",
        phones=tuple(Phone.parse(p) for p in phones),
        emails=tuple(Email.parse(e) for e in emails),
        tax_id=parse_tax_id(tax_id) if tax_id else None,
        addresses=(address,) if address else (),
    )


def crowd(size: int, city: str = "Cuiabá", *, street: str | None = None) -> list[Customer]:
    """Other customers of the town, with names that share nothing with the tests' pairs."""
    given = ("Ana", "Bruno", "Carla", "Diego", "Elisa", "Fábio", "Gisele", "Hugo")
    family = ("Lima", "Costa", "Rocha", "Alves", "Dias", "Melo", "Reis", "Cunha", "Pinto")
    return [
        customer(
            f"z{i:04d}",
            f"{given[i % 8]} {family[i % 9]} {family[(i // 9) % 9]}",
            city=city,
            street=street,
        )
        for i in range(size)
    ]
