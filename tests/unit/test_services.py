from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from customer_core import (
    Actor,
    CardinalityExceeded,
    DuplicateIdentity,
    InvalidOperation,
    InvalidPhone,
    InvalidTaxId,
    InvalidValue,
    MissingRequiredField,
    NotFound,
    PermissionDenied,
    RelationshipType,
    VersionConflict,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.defaults import ScryptPasswordHasher
from customer_core.ports import TaxIdStatus
from customer_core.services import CustomerService
from customer_core.testing.fakes import (
    FakeTaxIdRegistry,
    FixedClock,
    RecordingPublisher,
    SequentialIds,
)

T = "acme"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")
SELLER = Actor(tenant_id=T, user_id="seller", role="seller")


def make(preset: presets.Preset = presets.DEFAULT, **kw: object) -> CustomerService:
    return CustomerService(
        MemoryStore(),
        preset=preset,
        clock=FixedClock(),
        ids=SequentialIds("c"),
        hasher=ScryptPasswordHasher(n=2**10),
        **kw,  # type: ignore[arg-type]
    )


def test_register_with_raw_input_and_events() -> None:
    publisher = RecordingPublisher()
    service = make(presets.OMNICHANNEL, publisher=publisher)
    ana = service.register(
        T,
        SELLER,
        name=" Ana  Lima ",
        tax_id="529.982.247-25",
        phones=[
            "(11) 98765-4321",
            {"country_code": "55", "area_code": "11", "number": "3333-4444"},
        ],
        emails=["Ana@Exemplo.com"],
        social_profiles=["https://instagram.com/ana.lima"],
    )
    assert (ana.name, ana.version, ana.id) == ("Ana Lima", 1, "c-000001")
    assert service.get(T, SELLER, ana.id) == ana
    assert list(publisher.names()) == ["customer.registered"]


def test_nothing_is_stored_when_a_rule_fails() -> None:
    service = make(presets.OMNICHANNEL)
    phones = ["11 98765-4321", "11 98765-4322", "11 98765-4323", "11 98765-4324"]
    with pytest.raises(CardinalityExceeded):
        service.register(T, SELLER, name="Ana", phones=phones)
    with pytest.raises(InvalidPhone):
        service.register(T, SELLER, name="Ana", phones=["11 9876-ABCD"])
    with service.uow_factory() as uow:
        assert uow.customers.count(T) == 0


def test_omnichat_requires_contact_and_delivery_data() -> None:
    service = make(presets.OMNICHAT)
    with pytest.raises(MissingRequiredField) as info:
        service.register(T, SELLER, name="Ana", phones=["11 98765-4321"])
    assert info.value.field == "city"
    ana = service.register(
        T,
        SELLER,
        name="Ana",
        phones=["11 98765-4321"],
        emails=["ana@x.com"],
        addresses=[
            {"type": "delivery", "street": "Rua A", "neighborhood": "Centro", "city": "Recife"}
        ],
    )
    with pytest.raises(MissingRequiredField):
        service.remove_email(T, SELLER, ana.id, "ana@x.com")
    assert service.get(T, SELLER, ana.id).version == 1


def test_duplicate_identity_across_customers_names_the_holder() -> None:
    service = make()
    ana = service.register(T, SELLER, name="Ana", phones=["+55 11 98765-4321"])
    bia = service.register(T, SELLER, name="Bia")
    with pytest.raises(DuplicateIdentity) as info:
        service.add_phone(T, SELLER, bia.id, "5511 8765 4321")
    assert info.value.details["holder_id"] == ana.id
    assert service.get(T, SELLER, bia.id).phones == ()


def test_optimistic_locking_on_update() -> None:
    service = make()
    ana = service.register(T, SELLER, name="Ana")
    service.update(T, SELLER, ana.id, expected_version=1, note="first")
    with pytest.raises(VersionConflict):
        service.update(T, SELLER, ana.id, expected_version=1, note="stale")
    assert service.get(T, SELLER, ana.id).note == "first"


def test_update_validates_fields() -> None:
    service = make()
    ana = service.register(T, SELLER, name="Ana")
    with pytest.raises(InvalidTaxId):
        service.update(T, SELLER, ana.id, tax_id="111.111.111-11")
    with pytest.raises(MissingRequiredField):
        service.update(T, SELLER, ana.id, name="  ")
    with pytest.raises(Exception, match="not directly settable"):
        service.update(T, SELLER, ana.id, version=9)


def test_primary_email_is_the_login() -> None:
    service = make(presets.ERP_SHOP)
    ana = service.register(
        T, SELLER, name="Ana", emails=["ana@x.com", "ana@y.com"], password="s3cret-pass"
    )
    assert service.authenticate(T, "ANA@x.com", "s3cret-pass") == ana
    assert service.authenticate(T, "ana@y.com", "s3cret-pass") is None  # not the login
    assert service.authenticate(T, "ana@x.com", "wrong-pass") is None
    assert service.authenticate(T, "nobody@x.com", "s3cret-pass") is None
    ana = service.set_primary_email(T, SELLER, ana.id, "ana@y.com")
    assert service.authenticate(T, "ana@y.com", "s3cret-pass") is not None
    service.change_status(T, SELLER, ana.id, "inactive")
    assert service.authenticate(T, "ana@y.com", "s3cret-pass") is None


def test_password_rules_and_reset_token() -> None:
    clock = FixedClock()
    service = CustomerService(
        MemoryStore(), preset=presets.ERP_SHOP, clock=clock, hasher=ScryptPasswordHasher(n=2**10)
    )
    ana = service.register(T, SELLER, name="Ana", emails=["ana@x.com"])
    with pytest.raises(InvalidOperation) as info:
        service.set_password(T, SELLER, ana.id, "short")
    assert info.value.code == "invalid_password"
    token = service.create_reset_token(T, SELLER, ana.id)
    assert "." in token and token.split(".")[1] not in repr(service.get(T, SELLER, ana.id))
    service.reset_password(T, token, "brand-new-pass")
    assert service.authenticate(T, "ana@x.com", "brand-new-pass") is not None
    with pytest.raises(InvalidOperation) as info:
        service.reset_password(T, token, "another-pass")  # one use only
    assert info.value.code == "invalid_reset_token"
    late = service.create_reset_token(T, SELLER, ana.id)
    clock.advance(timedelta(hours=3))
    with pytest.raises(InvalidOperation):
        service.reset_password(T, late, "another-pass")


def test_relationship_type_flow() -> None:
    service = make(presets.ERP_SHOP)
    lead = service.register(T, SELLER, name="Ana", source="self_registered")
    assert lead.relationship_type is RelationshipType.LEAD
    active = service.record_purchase(T, SELLER, lead.id)
    assert active.relationship_type is RelationshipType.ACTIVE
    inactive = service.change_status(T, SELLER, lead.id, "inactive")
    assert inactive.relationship_type is RelationshipType.INACTIVE
    with pytest.raises(InvalidOperation):
        service.change_status(T, SELLER, lead.id, "gold")


def test_tax_id_checked_with_the_registry_when_the_preset_says_so() -> None:
    registry = FakeTaxIdRegistry({"52998224725": TaxIdStatus.REGULAR})
    service = make(presets.ERP_SHOP, tax_registry=registry)
    service.register(T, SELLER, name="Ana", tax_id="529.982.247-25")
    with pytest.raises(InvalidTaxId) as info:
        service.register(T, SELLER, name="Bia", tax_id="11.222.333/0001-81")
    assert info.value.details["registry_status"] == "not_found"
    assert registry.asked == ["52998224725", "11222333000181"]


def test_delete_is_admin_only_by_default() -> None:
    service = make()
    ana = service.register(T, SELLER, name="Ana")
    with pytest.raises(PermissionDenied):
        service.delete(T, SELLER, ana.id)
    service.delete(T, ADMIN, ana.id)
    with pytest.raises(NotFound):
        service.delete(T, ADMIN, ana.id)


def test_actor_of_another_tenant_is_refused() -> None:
    service = make()
    with pytest.raises(InvalidOperation) as info:
        service.register("other", SELLER, name="Ana")
    assert info.value.code == "wrong_tenant"


def test_company_contacts_and_addresses() -> None:
    service = make(presets.OMNICHANNEL)
    acme = service.register(
        T, SELLER, name="ACME Ltda", kind="company", tax_id="11.222.333/0001-81"
    )
    acme = service.add_contact(T, SELLER, acme.id, {"name": "Rita", "phones": ["11 98765-4321"]})
    contact = acme.contacts[0]
    with pytest.raises(CardinalityExceeded):
        service.add_contact(
            T, SELLER, acme.id, {"name": "Rui", "phones": [f"11 98765-432{i}" for i in range(4)]}
        )
    acme = service.remove_contact(T, SELLER, acme.id, contact.id)
    assert acme.contacts == ()
    acme = service.add_address(
        T, SELLER, acme.id, {"street": "Rua A", "city": "Recife", "uf": "PE"}
    )
    acme = service.replace_address(T, SELLER, acme.id, 0, {"street": "Rua B", "city": "Recife"})
    assert acme.addresses[0].street == "Rua B"
    acme = service.add_messenger_id(T, SELLER, acme.id, ("telegram", "12345"))
    acme = service.add_social_profile(T, SELLER, acme.id, ("instagram", "@acme"))
    with pytest.raises(CardinalityExceeded):
        service.add_social_profile(T, SELLER, acme.id, "https://instagram.com/acme.oficial")
    assert service.get(T, SELLER, acme.id) == acme


def test_bad_input_types_are_our_errors() -> None:
    from customer_core import CustomerCoreError

    service = make()
    for bad in (
        {"tax_id": 5},
        {"language": 3},
        {"addresses": [{"street": "R", "planet": "Mars"}]},
        {"messenger_ids": ["5511987654321"]},
        {"messenger_ids": [None]},
        {"external_ids": ["erp-1"]},
    ):
        with pytest.raises(CustomerCoreError):
            service.register(T, SELLER, name="Ana", **bad)
    with pytest.raises(CustomerCoreError):
        Actor(tenant_id=T, user_id="u", role="king")
    with pytest.raises(CustomerCoreError):
        Actor(tenant_id=T, user_id="u", permissions=["fly"])


@pytest.mark.parametrize("at", ["2024-01-01", datetime(2024, 1, 1), 0])
def test_a_purchase_or_contact_time_must_be_an_aware_datetime(at: object) -> None:
    service = make()
    ana = service.register(T, ADMIN, name="Ana")
    for record in (service.record_purchase, service.record_contact):
        with pytest.raises(InvalidValue) as error:
            record(T, ADMIN, ana.id, at=at)  # type: ignore[arg-type]
        assert error.value.field == "at"
    assert service.get(T, ADMIN, ana.id) == ana


def test_wrong_contact_or_social_profile_inputs_are_our_errors() -> None:
    from customer_core import CustomerCoreError

    service = make()
    acme = service.register(T, ADMIN, name="Acme", kind="company")
    with pytest.raises(CustomerCoreError) as error:
        service.add_contact(T, ADMIN, acme.id, None)
    assert error.value.field == "contacts"
    with pytest.raises(CustomerCoreError) as error:
        service.add_social_profile(T, ADMIN, acme.id, ("instagram",))
    assert error.value.field == "social_profiles"
    assert service.get(T, ADMIN, acme.id) == acme


def test_a_misspelt_expected_version_is_refused_not_ignored() -> None:
    service = make(presets.OMNICHANNEL)
    ana = service.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    with pytest.raises(InvalidValue) as error:
        service.add_phone(T, ADMIN, ana.id, "11 3333-4444", expected_verison=99)
    assert error.value.field == "expected_verison"
    assert service.get(T, ADMIN, ana.id) == ana
    with pytest.raises(VersionConflict):
        service.add_phone(T, ADMIN, ana.id, "11 3333-4444", expected_version=99)
    assert service.get(T, ADMIN, ana.id) == ana


def test_a_record_lacking_required_fields_can_be_completed_one_field_at_a_time() -> None:
    from customer_core.services.identity import IdentityService

    store = MemoryStore()
    service = CustomerService(store, preset=presets.OMNICHAT)
    identity = IdentityService(store, preset=presets.OMNICHAT)
    ana = identity.resolve_inbound(T, "whatsapp", {"phone": "21 99999-0000"}).customer
    ana = service.update(T, ADMIN, ana.id, name="Ana Lima")  # no e-mail nor address yet
    ana = service.add_email(T, ADMIN, ana.id, "ana@x.com")
    address = {"street": "Rua A", "neighborhood": "Centro", "city": "Recife"}
    ana = service.add_address(T, ADMIN, ana.id, address)
    assert (ana.name, ana.version) == ("Ana Lima", 4)
    with pytest.raises(MissingRequiredField) as error:  # what is there stays required
        service.remove_email(T, ADMIN, ana.id, "ana@x.com")
    assert error.value.field == "email"


@pytest.mark.parametrize("version", ["1", True, 1.0])
def test_expected_version_must_be_a_version_number(version: object) -> None:
    service = make()
    ana = service.register(T, ADMIN, name="Ana")
    with pytest.raises(InvalidValue) as error:
        service.update(T, ADMIN, ana.id, name="Bia", expected_version=version)  # type: ignore[arg-type]
    assert error.value.field == "expected_version"
    assert service.get(T, ADMIN, ana.id) == ana


def test_a_caller_cannot_skip_the_required_field_check() -> None:
    service = make(presets.OMNICHAT)
    address = {"street": "Rua A", "neighborhood": "Centro", "city": "Recife"}
    ana = service.register(
        T, ADMIN, name="Ana", phones=["11 98765-4321"], emails=["ana@x.com"], addresses=[address]
    )
    with pytest.raises(InvalidValue) as error:
        service.remove_email(T, ADMIN, ana.id, "ana@x.com", check=False)
    assert error.value.field == "check"
    with pytest.raises(InvalidValue):
        service.edit(T, ADMIN, ana.id, lambda c: c.remove_email("ana@x.com"), check=False)
    assert service.get(T, ADMIN, ana.id) == ana
