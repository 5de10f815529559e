"""Value objects: parsed once, compared by normalized value, PII masked in ``repr``."""

from customer_core.domain.values.address import UFS, Address, AddressType
from customer_core.domain.values.email import Email, email_match_key
from customer_core.domain.values.language import Language
from customer_core.domain.values.online import (
    ExternalId,
    MessengerApp,
    MessengerId,
    SocialNetwork,
    SocialProfile,
    Website,
)
from customer_core.domain.values.phone import Phone, PhoneType, phone_match_key
from customer_core.domain.values.tax_id import Cnpj, Cpf, TaxId, parse_tax_id

__all__ = [
    "UFS",
    "Address",
    "AddressType",
    "Cnpj",
    "Cpf",
    "Email",
    "ExternalId",
    "Language",
    "MessengerApp",
    "MessengerId",
    "Phone",
    "PhoneType",
    "SocialNetwork",
    "SocialProfile",
    "TaxId",
    "Website",
    "email_match_key",
    "parse_tax_id",
    "phone_match_key",
]
