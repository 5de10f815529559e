"""One preset per product this library reproduces.

Each preset bundles the three policies (contact cardinality, registration,
access) and the customer statuses of one product's help pages:

>>> from customer_core import presets
>>> presets.OMNICHANNEL.contact.max_phones
3
>>> sorted(presets.OMNICHAT.registration.required_fields)
['city', 'email', 'name', 'neighborhood', 'phone', 'street']
>>> presets.HELPDESK_PORTFOLIO.access.visibility.value
'restricted'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import attrs

from customer_core.domain.model.customer import DEFAULT_STATUSES
from customer_core.domain.model.policies import ContactPolicy, RegistrationPolicy, StatusDefinition
from customer_core.domain.rules.policies import AccessPolicy, Visibility
from customer_core.domain.values.address import AddressType
from customer_core.domain.values.online import SocialNetwork
from customer_core.domain.values.phone import PhoneType
from customer_core.unset import UNSET, Unset

__all__ = [
    "ALL",
    "DEFAULT",
    "ERP_SHOP",
    "HELPDESK_CARD",
    "HELPDESK_PORTFOLIO",
    "OMNICHANNEL",
    "OMNICHAT",
    "Preset",
    "PresetChoice",
]


@attrs.frozen(kw_only=True)
class Preset:
    """The policies of one product, plus its statuses and default phone region."""

    name: str
    description: str
    contact: ContactPolicy = attrs.field(factory=ContactPolicy)
    registration: RegistrationPolicy = attrs.field(factory=RegistrationPolicy)
    access: AccessPolicy = attrs.field(factory=AccessPolicy)
    statuses: tuple[StatusDefinition, ...] = DEFAULT_STATUSES
    default_region: str = "BR"

    def evolve(
        self,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        contact: ContactPolicy | Unset = UNSET,
        registration: RegistrationPolicy | Unset = UNSET,
        access: AccessPolicy | Unset = UNSET,
        statuses: tuple[StatusDefinition, ...] | Unset = UNSET,
        default_region: str | Unset = UNSET,
    ) -> Preset:
        """A copy with some parts replaced (for a tenant's own tweaks).

        A part left out (:data:`~customer_core.UNSET`) is kept.

        >>> OMNICHANNEL.evolve(default_region="PT").default_region
        'PT'
        """
        given: dict[str, Any] = {
            "name": name,
            "description": description,
            "contact": contact,
            "registration": registration,
            "access": access,
            "statuses": statuses,
            "default_region": default_region,
        }
        return attrs.evolve(self, **{k: v for k, v in given.items() if v is not UNSET})


DEFAULT = Preset(
    name="default",
    description="No limits; name required; open visibility.",
)

#: Seed 000, omnichannel customer register: name and tenant ("domínio")
#: required, tax id optional as "Código"; each contact has up to 3 phones,
#: fixed or mobile, with country and area code; unlimited e-mails; up to 5
#: social profiles, one per network, on Facebook, Instagram, LinkedIn, Telegram
#: and WhatsApp.
OMNICHANNEL = Preset(
    name="omnichannel",
    description="Omnichannel register: ≤3 fixed/mobile phones, ≤5 profiles one per network.",
    contact=ContactPolicy(
        max_phones=3,
        max_emails=None,
        max_social_profiles=5,
        one_profile_per_network=True,
        allowed_phone_types={PhoneType.LANDLINE, PhoneType.MOBILE},
        allowed_networks={
            SocialNetwork.FACEBOOK,
            SocialNetwork.INSTAGRAM,
            SocialNetwork.LINKEDIN,
            SocialNetwork.TELEGRAM,
            SocialNetwork.WHATSAPP,
        },
    ),
    registration=RegistrationPolicy(required_fields={"name"}),
)

#: Seed 001, helpdesk customer card: cards are created by hand or from an
#: inbound message; many typed phones (home, mobile, landline, fax, other),
#: e-mails, sites, social links, messenger ids, external ids and addresses;
#: spammer / VIP flags; language detected from the first message.
HELPDESK_CARD = Preset(
    name="helpdesk_card",
    description="Helpdesk customer card: unlimited channels, spam/VIP lists, inbound creation.",
    contact=ContactPolicy(
        allowed_phone_types={
            PhoneType.HOME,
            PhoneType.MOBILE,
            PhoneType.LANDLINE,
            PhoneType.FAX,
            PhoneType.OTHER,
            PhoneType.WORK,
        },
    ),
    registration=RegistrationPolicy(required_fields={"name"}),
)

#: Seed 002, sales chat app: name, phone (DDI/DDD/number), e-mail and the
#: delivery address's street, neighborhood and city are required; everyone sees
#: every customer and "my portfolio" is a filter on by default for sellers;
#: delete is admin-only; transfer, remove from portfolio and setting the
#: responsible user are for supervisors and admins; bulk conversation needs a
#: granted permission and takes at most 10 customers.
OMNICHAT = Preset(
    name="omnichat",
    description="Sales chat app: full contact data required, open visibility, role-gated actions.",
    contact=ContactPolicy(),
    registration=RegistrationPolicy(
        required_fields={"name", "phone", "email", "street", "neighborhood", "city"}
    ),
    access=AccessPolicy(
        visibility=Visibility.OPEN, bulk_conversation_max=10, import_assigns_importer=True
    ),
)

#: Seed 003, enterprise helpdesk portfolios: agents see only the customers
#: and organizations of their portfolios; unassigned customers need the
#: ``view_unassigned`` permission; assigning a portfolio needs
#: ``assign_portfolio``; deleting a portfolio unassigns its customers.
HELPDESK_PORTFOLIO = Preset(
    name="helpdesk_portfolio",
    description="Enterprise helpdesk: restricted visibility by portfolio.",
    registration=RegistrationPolicy(required_fields={"name"}),
    # Agents work from what they can see; "my portfolio" is a sales-app filter, off here.
    access=AccessPolicy(visibility=Visibility.RESTRICTED, my_portfolio_default_roles=frozenset()),
)

#: Seed 004, shop back office / ERP: name (or *razão social*) and status are
#: required, status "active" grants access to the shop and "inactive" removes
#: it, other statuses organise; the CPF/CNPJ is checked with the registry
#: (Sefaz); the main e-mail is the login and receives all communication;
#: addresses are default or delivery, each active or not; relationship type
#: (active / lead / contact / inactive) is derived.
ERP_SHOP = Preset(
    name="erp_shop",
    description="Shop back office: status grants login, tax id verified, main e-mail is login.",
    contact=ContactPolicy(allowed_address_types={AddressType.DEFAULT, AddressType.DELIVERY}),
    registration=RegistrationPolicy(
        required_fields={"name", "status"},
        verify_tax_id=True,
        primary_email_is_login=True,
    ),
    statuses=(
        *DEFAULT_STATUSES,
        StatusDefinition("blocked_credit", grants_access=False, label="Crédito bloqueado"),
        StatusDefinition("wholesale", grants_access=True, label="Atacado"),
    ),
)

ALL: tuple[Preset, ...] = (OMNICHANNEL, HELPDESK_CARD, OMNICHAT, HELPDESK_PORTFOLIO, ERP_SHOP)

#: What ``preset=`` takes: one preset for every tenant, or a function from a
#: tenant id to its preset, so one process serves tenants configured
#: differently. The function is called on every use within a tenant's call:
#: make it cheap (a dictionary look-up, :func:`functools.cache`).
PresetChoice: TypeAlias = Preset | Callable[[str], Preset]
