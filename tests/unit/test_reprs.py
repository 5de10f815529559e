"""No public type prints a person's data whole (LGPD: logs and tracebacks are read by many).

Every attrs class or named tuple of the public API is found by introspection
and is either built here with personal values and checked, or listed as
holding none (with why): a new public type fails this test until someone
decides which it is.
"""

from __future__ import annotations

import inspect
from datetime import datetime, timezone

import attrs
import pytest

import customer_core
from customer_core import (
    Address,
    Cnpj,
    Contact,
    ContactPolicy,
    Cpf,
    Customer,
    Email,
    ExternalId,
    IdentityKey,
    MessengerId,
    Phone,
    SocialProfile,
)
from customer_core.domain.model.identity import IdentityKind
from customer_core.services.inbound import Inbound

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)
#: What must never appear in a repr.
SECRETS = ("52998224725", "529.982.247", "98765", "ana.lima", "joao.silva", "C-1042", "Flores")

SAMPLES: dict[str, object] = {
    "Address": Address.create(street="Rua das Flores", number="10", city="Recife", cep="50010-000"),
    "Cnpj": Cnpj.parse("11.222.333/0001-81"),
    "Cpf": Cpf.parse("529.982.247-25"),
    "Email": Email.parse("ana.lima@exemplo.com.br"),
    "ExternalId": ExternalId.parse("erp", "C-1042"),
    "IdentityKey": IdentityKey(IdentityKind.TAX_ID, "52998224725"),
    "MessengerId": MessengerId.parse("whatsapp", "5511987654321"),
    "Phone": Phone.parse("(11) 98765-4321"),
    "SocialProfile": SocialProfile.parse("https://instagram.com/joao.silva"),
    "Customer": Customer.create(
        id="c1",
        tenant_id="t",
        name="Ana Lima",
        now=NOW,
        tax_id=Cpf.parse("529.982.247-25"),
        phones=(Phone.parse("(11) 98765-4321"),),
        emails=(Email.parse("ana.lima@exemplo.com.br"),),
    ),
    "Contact": Contact.create(
        id="k1",
        name="Ana Lima",
        phones=(Phone.parse("(11) 98765-4321"),),
        emails=(),
        policy=ContactPolicy(),
    ),
    "Inbound": Inbound.parse(
        {
            "phone": "(11) 98765-4321",
            "email": "ana.lima@exemplo.com.br",
            "messenger": ("whatsapp", "5511987654321"),
            "social": "https://instagram.com/joao.silva",
            "external": ("erp", "C-1042"),
        }
    ),
}

#: Public types that hold nobody's personal data, and why.
NOT_PERSONAL = {
    "AccessPolicy": "configuration",
    "Actor": "the host's user ids and role",
    "ContactPolicy": "configuration",
    "CustomerCore": "wired services",
    "FieldError": "an error's field, position, code and message (no personal values)",
    "Language": "an ISO 639-1 code",
    "Portfolio": "a group of customers: a name and user ids",
    "Preset": "configuration",
    "RegistrationPolicy": "configuration",
    "StatusDefinition": "configuration",
    "Website": "a site's address, public by nature",
}


def _public_value_types() -> list[str]:
    found = []
    for name in customer_core.__all__:
        obj = getattr(customer_core, name)
        if inspect.isclass(obj) and (attrs.has(obj) or hasattr(obj, "_fields")):
            found.append(name)
    return found


def test_every_public_type_is_checked_or_declared_not_personal() -> None:
    unclassified = set(_public_value_types()) - set(SAMPLES) - set(NOT_PERSONAL)
    assert not unclassified, f"decide whether these print personal data: {sorted(unclassified)}"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_repr_masks_personal_values(name: str) -> None:
    shown = repr(SAMPLES[name])
    leaked = [secret for secret in SECRETS if secret in shown]
    assert not leaked, f"{name} repr shows {leaked}: {shown}"
