from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given

from customer_core import (
    Address,
    CardinalityExceeded,
    Contact,
    Cpf,
    Customer,
    CustomerCoreError,
    CustomerKind,
    DuplicateIdentifier,
    Email,
    IdentityKind,
    InvalidOperation,
    MissingRequiredField,
    Phone,
    PhoneType,
    RelationshipType,
    SocialProfile,
    Source,
    presets,
)
from customer_core.testing import strategies as cc

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def new(**fields: object) -> Customer:
    return Customer.create(id="c1", tenant_id="t1", name="Ana Lima", now=NOW, **fields)  # type: ignore[arg-type]


def test_fourth_phone_under_omnichannel_is_refused_and_nothing_changes() -> None:
    policy = presets.OMNICHANNEL.contact
    customer = new()
    for text in ("11 98765-4321", "11 3333-4444", "21 99999-0000"):
        customer = customer.add_phone(Phone.parse(text), policy=policy)
    before = customer
    with pytest.raises(CardinalityExceeded) as info:
        customer.add_phone(Phone.parse("31 98888-7777"), policy=policy)
    assert (info.value.code, info.value.field) == ("too_many_phones", "phones")
    assert customer == before and len(customer.phones) == 3


def test_omnichannel_allows_only_fixed_or_mobile() -> None:
    with pytest.raises(CardinalityExceeded) as info:
        new().add_phone(
            Phone.parse("11 3333-4444", type=PhoneType.FAX), policy=presets.OMNICHANNEL.contact
        )
    assert info.value.code == "phone_type_not_allowed"


def test_second_instagram_profile_is_refused() -> None:
    policy = presets.OMNICHANNEL.contact
    customer = new().add_social_profile(
        SocialProfile.parse("@ana", network="instagram"), policy=policy
    )
    with pytest.raises(CardinalityExceeded) as info:
        customer.add_social_profile(
            SocialProfile.parse("@ana.lima", network="instagram"), policy=policy
        )
    assert info.value.code == "one_profile_per_network"


def test_sixth_profile_and_disallowed_network() -> None:
    policy = presets.OMNICHANNEL.contact
    customer = new()
    for network in ("facebook", "instagram", "linkedin", "telegram", "whatsapp"):
        handle = "5511987654321" if network == "whatsapp" else "ana"
        customer = customer.add_social_profile(
            SocialProfile.parse(handle, network=network), policy=policy
        )
    with pytest.raises(CardinalityExceeded) as info:
        customer.add_social_profile(SocialProfile.parse("ana", network="x"), policy=policy)
    assert info.value.code in {"too_many_social_profiles", "network_not_allowed"}
    with pytest.raises(CardinalityExceeded) as info:
        new().add_social_profile(SocialProfile.parse("ana", network="tiktok"), policy=policy)
    assert info.value.code == "network_not_allowed"


def test_same_phone_twice_on_one_customer_in_another_format() -> None:
    policy = presets.HELPDESK_CARD.contact
    customer = new().add_phone(Phone.parse("+55 11 98765-4321"), policy=policy)
    with pytest.raises(DuplicateIdentifier) as info:
        customer.add_phone(Phone.parse("11 8765-4321"), policy=policy)
    assert info.value.code == "duplicate_identifier"


def test_same_email_in_another_case_is_a_duplicate() -> None:
    policy = presets.DEFAULT.contact
    customer = new().add_email(Email.parse("ana@x.com"), policy=policy)
    with pytest.raises(DuplicateIdentifier):
        customer.add_email(Email.parse("ANA@X.COM"), policy=policy)


def test_unlimited_emails_in_omnichannel() -> None:
    customer = new()
    for i in range(20):
        customer = customer.add_email(
            Email.parse(f"ana{i}@x.com"), policy=presets.OMNICHANNEL.contact
        )
    assert len(customer.emails) == 20


def test_required_fields_of_omnichat() -> None:
    registration = presets.OMNICHAT.registration
    customer = new(phones=(Phone.parse("11 98765-4321"),), emails=(Email.parse("ana@x.com"),))
    with pytest.raises(MissingRequiredField) as info:
        customer.check(presets.OMNICHAT.contact, registration)
    assert info.value.field == "city"
    complete = customer.add_address(
        Address.create(type="delivery", street="Rua A", neighborhood="Centro", city="Recife"),
        policy=presets.OMNICHAT.contact,
    )
    complete.check(presets.OMNICHAT.contact, registration)


def test_missing_name() -> None:
    with pytest.raises(MissingRequiredField) as info:
        Customer.create(id="c", tenant_id="t", name="   ", now=NOW)
    assert info.value.field == "name"


def test_primary_email_and_phone() -> None:
    policy = presets.DEFAULT.contact
    customer = new().add_email(Email.parse("a@x.com"), policy=policy)
    customer = customer.add_email(Email.parse("b@x.com"), policy=policy)
    assert customer.primary_email == Email.parse("a@x.com")
    customer = customer.set_primary_email("b@x.com")
    assert str(customer.primary_email) == "b@x.com"
    customer = customer.remove_email("b@x.com")
    assert str(customer.primary_email) == "a@x.com"
    with pytest.raises(InvalidOperation) as info:
        customer.set_primary_email("zzz@x.com")
    assert info.value.code == "primary_must_exist"
    customer = customer.add_phone(Phone.parse("11 98765-4321"), policy=policy)
    assert customer.primary_phone == Phone.parse("+5511987654321")


def test_relationship_type_is_derived() -> None:
    lead = new(source=Source.SELF_REGISTERED)
    assert lead.relationship_type is RelationshipType.LEAD
    assert new().relationship_type is RelationshipType.CONTACT
    bought = lead.record_purchase(NOW)
    assert bought.relationship_type is RelationshipType.ACTIVE
    assert bought.record_purchase(NOW + timedelta(days=3)).first_purchase_at == NOW
    statuses = presets.ERP_SHOP.statuses
    assert bought.with_status("inactive", statuses).relationship_type is RelationshipType.INACTIVE


def test_statuses_grant_access() -> None:
    statuses = presets.ERP_SHOP.statuses
    customer = new()
    assert customer.can_log_in(statuses)
    assert not customer.with_status("blocked_credit", statuses).can_log_in(statuses)
    assert customer.with_status("wholesale", statuses).can_log_in(statuses)
    with pytest.raises(InvalidOperation) as info:
        customer.with_status("vip-gold", statuses)
    assert info.value.code == "unknown_status"


def test_contacts_only_on_companies_and_under_the_same_policy() -> None:
    policy = presets.OMNICHANNEL.contact
    contact = Contact.create(
        id="k1", name="Rita", policy=policy, phones=[Phone.parse("11 98765-4321")]
    )
    with pytest.raises(InvalidOperation):
        new().add_contact(contact, policy=policy)
    company = new(kind=CustomerKind.COMPANY).add_contact(contact, policy=policy)
    assert company.contacts == (contact,)
    with pytest.raises(CardinalityExceeded):
        Contact.create(
            id="k2",
            name="Rita",
            policy=policy,
            phones=[Phone.parse(f"11 98765-432{i}") for i in range(4)],
        )


def test_record_contact_keeps_latest() -> None:
    customer = new().record_contact(NOW).record_contact(NOW - timedelta(days=1))
    assert customer.last_contacted_at == NOW


def test_update_refuses_identity_fields() -> None:
    with pytest.raises(InvalidOperation):
        new().update(tenant_id="other")
    assert new().update(name="  Ana   Maria ").name == "Ana Maria"


def test_identity_keys() -> None:
    customer = new(
        tax_id=Cpf.parse("529.982.247-25"),
        phones=(Phone.parse("11 98765-4321"),),
        emails=(Email.parse("Ana@X.com"),),
    )
    assert set(customer.identity_keys()) == {
        (IdentityKind.TAX_ID, "52998224725"),
        (IdentityKind.PHONE, "5511987654321"),
        (IdentityKind.EMAIL, "ana@x.com"),
    }


def test_customer_repr_masks_pii() -> None:
    customer = new(tax_id=Cpf.parse("529.982.247-25"), emails=(Email.parse("ana.lima@x.com"),))
    assert "52998224725" not in repr(customer) and "ana.lima" not in repr(customer)


@given(cc.customers())
def test_generated_customers_are_valid_under_the_default_preset(customer: Customer) -> None:
    customer.check(presets.DEFAULT.contact, presets.DEFAULT.registration)
    keys = customer.identity_keys()
    assert len(keys) == len(set(keys))


OMNICHANNEL, ERP_SHOP = presets.OMNICHANNEL, presets.ERP_SHOP
FIVE_PHONES = tuple(Phone.parse(f"11 98765-432{i}") for i in range(5))


def check_invariants(customer: Customer, before: Customer | None = None) -> None:
    customer.check_invariants(
        OMNICHANNEL.contact, ERP_SHOP.statuses, OMNICHANNEL.registration, before=before
    )


@pytest.mark.parametrize(
    ("changes", "error", "code", "field"),
    [
        ({"phones": FIVE_PHONES}, CardinalityExceeded, "too_many_phones", "phones"),
        ({"status": "bogus"}, InvalidOperation, "unknown_status", "status"),
        ({"primary_email_key": "b@x.com"}, InvalidOperation, "primary_must_exist", "primary_email"),
        (
            {"primary_phone_key": "551133334444"},
            InvalidOperation,
            "primary_must_exist",
            "primary_phone",
        ),
        ({"name": ""}, MissingRequiredField, "required_field", "name"),
    ],
)
def test_check_invariants_refuses_a_broken_record(
    changes: dict[str, Any], error: type[CustomerCoreError], code: str, field: str
) -> None:
    customer = new(emails=(Email.parse("a@x.com"),))
    check_invariants(customer)
    broken = attrs.evolve(customer, **changes)
    with pytest.raises(error) as info:
        check_invariants(broken)
    assert (info.value.code, info.value.field) == (code, field)
    with pytest.raises(error):  # a change that breaks it is refused too
        check_invariants(broken, before=customer)


def test_check_invariants_refuses_only_what_a_change_breaks() -> None:
    # Stored under another preset (or before the aggregate checked): editable,
    # and phones can be removed one at a time, but nothing may be added.
    stored = attrs.evolve(new(), phones=FIVE_PHONES, status="bogus", name="")
    check_invariants(stored.update(note="called back", name="Ana"), before=stored)
    fewer = stored.remove_phone(FIVE_PHONES[0].match_key)
    check_invariants(fewer, before=stored)
    check_invariants(fewer.with_status("inactive", ERP_SHOP.statuses), before=stored)
    more = attrs.evolve(stored, phones=(*FIVE_PHONES, Phone.parse("21 99999-0000")))
    with pytest.raises(CardinalityExceeded):
        check_invariants(more, before=stored)
    with pytest.raises(InvalidOperation):
        check_invariants(attrs.evolve(stored, status="other"), before=stored)


def test_check_invariants_without_registration_leaves_required_fields_out() -> None:
    nameless = attrs.evolve(new(), name="")
    nameless.check_invariants(OMNICHANNEL.contact, ERP_SHOP.statuses)
    with pytest.raises(CardinalityExceeded):
        attrs.evolve(nameless, phones=FIVE_PHONES).check_invariants(
            OMNICHANNEL.contact, ERP_SHOP.statuses
        )


def test_check_invariants_checks_each_company_contact() -> None:
    rita = Contact.create(id="k1", name="Rita", policy=OMNICHANNEL.contact)
    company = new(kind=CustomerKind.COMPANY).add_contact(rita, policy=OMNICHANNEL.contact)
    broken = attrs.evolve(company, contacts=(attrs.evolve(rita, phones=FIVE_PHONES),))
    with pytest.raises(CardinalityExceeded) as info:
        check_invariants(broken, before=company)
    assert info.value.field == "contacts.phones"
