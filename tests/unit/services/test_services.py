from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest

from customer_core import (
    Actor,
    CardinalityExceeded,
    Customer,
    DuplicateIdentity,
    InvalidOperation,
    InvalidPhone,
    InvalidTaxId,
    InvalidValue,
    MissingRequiredField,
    NotFound,
    PermissionDenied,
    Phone,
    RelationshipType,
    VersionConflict,
    presets,
)
from customer_core.adapters.memory import MemoryStore
from customer_core.defaults import ScryptPasswordHasher
from customer_core.ports import TaxIdStatus
from customer_core.services import CustomerService
from customer_core.services.customer_changes import Change
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
    ana = service.register(T, SELLER, name="Ana", tax_id="529.982.247-25")
    bia = service.register(T, SELLER, name="Bia")
    with pytest.raises(DuplicateIdentity) as info:
        service.update(T, SELLER, bia.id, tax_id="52998224725")
    assert info.value.details["holder_id"] == ana.id
    assert service.get(T, SELLER, bia.id).tax_id is None


def test_a_household_shares_a_landline_and_an_owner_their_mobile() -> None:
    """Phone lines and contact e-mails are shareable: each holder keeps its own record."""
    service = make()
    ana = service.register(T, SELLER, name="Ana Lima", phones=["(11) 3333-4444"])
    bruno = service.register(T, SELLER, name="Bruno Lima", phones=["+55 11 3333-4444"])
    company = service.register(
        T,
        SELLER,
        name="Ana Lima Doces",
        kind="company",
        tax_id="11.222.333/0001-81",
        phones=["11 3333-4444"],
        emails=["ana@doces.com"],
    )
    ana = service.add_email(T, SELLER, ana.id, "ANA@doces.com")
    assert len({ana.id, bruno.id, company.id}) == 3
    assert [str(p) for p in service.get(T, SELLER, bruno.id).phones] == ["+55 11 3333-4444"]
    assert str(service.get(T, SELLER, ana.id).emails[0]) == "ANA@doces.com"


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
    with pytest.raises(TypeError, match="version"):  # not a field a caller sets
        service.update(T, SELLER, ana.id, version=9)  # type: ignore[call-arg]
    assert service.get(T, SELLER, ana.id).version == 1


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
    with pytest.raises(PermissionDenied):  # a seller never holds a customer's reset secret
        service.create_reset_token(T, SELLER, ana.id)
    token = service.create_reset_token(T, ADMIN, ana.id)
    assert "." in token and token.split(".")[1] not in repr(service.get(T, SELLER, ana.id))
    service.reset_password(T, token, "brand-new-pass")
    assert service.authenticate(T, "ana@x.com", "brand-new-pass") is not None
    with pytest.raises(InvalidOperation) as info:
        service.reset_password(T, token, "another-pass")  # one use only
    assert info.value.code == "invalid_reset_token"
    late = service.create_reset_token(T, ADMIN, ana.id)
    clock.advance(timedelta(hours=3))
    with pytest.raises(InvalidOperation):
        service.reset_password(T, late, "another-pass")


def test_a_reset_token_dies_when_the_login_email_changes() -> None:
    service = CustomerService(
        MemoryStore(), preset=presets.ERP_SHOP, hasher=ScryptPasswordHasher(n=2**10)
    )
    ana = service.register(T, SELLER, name="Ana", emails=["ana@x.com"], password="s3nha-segura")
    token = service.request_password_reset(T, "ANA@x.com")
    assert token is not None and service.request_password_reset(T, "nobody@x.com") is None
    service.add_email(T, SELLER, ana.id, "ana@novo.com")
    service.set_primary_email(T, SELLER, ana.id, "ana@novo.com")
    with pytest.raises(InvalidOperation) as info:
        service.reset_password(T, token, "tomada-de-conta")
    assert info.value.code == "invalid_reset_token"
    assert service.authenticate(T, "ana@novo.com", "s3nha-segura") is not None


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
    with pytest.raises(TypeError, match="expected_verison"):
        service.add_phone(T, ADMIN, ana.id, "11 3333-4444", expected_verison=99)  # type: ignore[call-arg]
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
    with pytest.raises(TypeError, match="check"):
        service.remove_email(T, ADMIN, ana.id, "ana@x.com", check=False)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="check"):
        service.edit(T, ADMIN, ana.id, lambda c: c.remove_email("ana@x.com"), check=False)  # type: ignore[call-arg]
    assert service.get(T, ADMIN, ana.id) == ana


def _store_as_is(service: CustomerService, changed: Customer) -> Customer:
    """Save ``changed`` without any service check: a record stored before the rules
    (an older version of the library, another preset)."""
    with service.uow_factory() as uow:
        saved = uow.customers.save(changed, expected_version=changed.version)
        uow.commit()
    return saved


FIVE_PHONES = tuple(Phone.parse(f"11 98765-432{i}") for i in range(5))


def test_edit_cannot_store_more_phones_than_the_preset_allows() -> None:
    service = make(presets.OMNICHANNEL)  # at most 3 phones
    ana = service.register(T, ADMIN, name="Ana", phones=["11 98765-4321"])
    with pytest.raises(CardinalityExceeded) as error:
        service.edit(T, ADMIN, ana.id, lambda c: attrs.evolve(c, phones=FIVE_PHONES))
    assert (error.value.code, error.value.field) == ("too_many_phones", "phones")
    assert service.get(T, ADMIN, ana.id) == ana


def test_edit_cannot_store_an_unknown_status() -> None:
    service = make(presets.ERP_SHOP)
    ana = service.register(T, ADMIN, name="Ana")
    with pytest.raises(InvalidOperation) as error:
        service.edit(T, ADMIN, ana.id, lambda c: attrs.evolve(c, status="bogus"))
    assert (error.value.code, error.value.field) == ("unknown_status", "status")
    assert service.get(T, ADMIN, ana.id) == ana


@pytest.mark.parametrize(
    "change",
    [
        lambda c: attrs.evolve(c, primary_email_key="zzz@x.com"),
        lambda c: attrs.evolve(c, primary_phone_key="5511999999999"),
        lambda c: attrs.evolve(c, emails=()),  # the primary e-mail left behind
    ],
)
def test_edit_cannot_point_the_primary_at_nothing(change: Change) -> None:
    service = make()
    ana = service.register(T, ADMIN, name="Ana", phones=["11 98765-4321"], emails=["ana@x.com"])
    with pytest.raises(InvalidOperation) as error:
        service.edit(T, ADMIN, ana.id, change)
    assert error.value.code == "primary_must_exist"
    assert service.get(T, ADMIN, ana.id) == ana


def test_edit_cannot_break_the_policy_of_a_company_contact() -> None:
    service = make(presets.OMNICHANNEL)
    acme = service.register(T, ADMIN, name="Acme", kind="company")
    acme = service.add_contact(T, ADMIN, acme.id, {"name": "Rita"})

    def five_phones(c: Customer) -> Customer:
        return attrs.evolve(c, contacts=(attrs.evolve(c.contacts[0], phones=FIVE_PHONES),))

    with pytest.raises(CardinalityExceeded) as error:
        service.edit(T, ADMIN, acme.id, five_phones)
    assert (error.value.code, error.value.field) == ("too_many_phones", "contacts.phones")


def test_register_refuses_an_unknown_status() -> None:
    service = make(presets.ERP_SHOP)
    with pytest.raises(InvalidOperation) as error:
        service.register(T, ADMIN, name="Ana", status="bogus")
    assert error.value.code == "unknown_status"
    with service.uow_factory() as uow:
        assert uow.customers.count(T) == 0


def test_a_record_stored_over_the_limits_stays_editable_and_can_be_brought_back() -> None:
    # Stored before the aggregate checked its invariants (or under another
    # preset): a change fails only for what it breaks, as with required fields.
    service = make(presets.OMNICHANNEL)
    ana = service.register(T, ADMIN, name="Ana")
    ana = _store_as_is(service, attrs.evolve(ana, phones=FIVE_PHONES, status="bogus"))
    ana = service.update(T, ADMIN, ana.id, note="called back")
    with pytest.raises(CardinalityExceeded):
        service.add_phone(T, ADMIN, ana.id, "21 99999-0000")
    ana = service.remove_phone(T, ADMIN, ana.id, FIVE_PHONES[0].e164)  # 4: still too many
    assert len(ana.phones) == 4
    ana = service.change_status(T, ADMIN, ana.id, "inactive")
    assert (ana.status, ana.note) == ("inactive", "called back")


def test_an_actor_of_another_tenant_is_refused_before_anything_is_read() -> None:
    """Even an import whose every row is bad answers wrong_tenant, not a report."""
    import io

    from customer_core import connect

    core = connect("memory://")
    other = Actor(tenant_id="a", user_id="u", role="admin")
    with pytest.raises(InvalidOperation) as info:
        core.importer.run("b", other, io.BytesIO(b"Nome;E-mail\n;x\n"))
    assert (info.value.code, info.value.field) == ("wrong_tenant", "tenant_id")


def test_every_login_path_verifies_one_password() -> None:
    """Unknown e-mail, no password, inactive customer, wrong password: the same work."""
    from customer_core.defaults import ScryptPasswordHasher

    class Counting(ScryptPasswordHasher):
        calls = 0

        def verify(self, password: str, hashed: str) -> bool:
            Counting.calls += 1
            return super().verify(password, hashed)

    service = CustomerService(MemoryStore(), preset=presets.ERP_SHOP, hasher=Counting())
    with_password = service.register(
        T, SELLER, name="Ana", emails=["ana@x.com"], password="s3nha-segura"
    )
    service.register(T, SELLER, name="Bia", emails=["bia@x.com"])  # no password
    inactive = service.register(
        T, SELLER, name="Caio", emails=["caio@x.com"], password="s3nha-segura"
    )
    service.change_status(T, SELLER, inactive.id, "inactive")
    for login, password in [
        ("nobody@x.com", "x" * 10),
        ("bia@x.com", "x" * 10),
        ("caio@x.com", "s3nha-segura"),
        ("ana@x.com", "wrong-password"),
    ]:
        before = Counting.calls
        assert service.authenticate(T, login, password) is None
        assert Counting.calls - before == 1, login
    assert service.authenticate(T, "ANA@x.com", "s3nha-segura") == service.get(
        T, SELLER, with_password.id
    )


def test_a_stored_whatsapp_id_that_is_no_line_can_be_removed_not_added() -> None:
    import attrs

    from customer_core import CustomerCoreError, MessengerApp, MessengerId

    service = make()
    ana = service.register(T, ADMIN, name="Ana Lima")
    legacy = MessengerId(MessengerApp.WHATSAPP, "551101234567")  # stored before the check
    with service.uow_factory() as uow:
        uow.customers.save(attrs.evolve(ana, messenger_ids=(legacy,)), expected_version=1)
        uow.commit()
    with pytest.raises(CustomerCoreError) as refused:
        service.add_messenger_id(T, ADMIN, ana.id, ("whatsapp", "551101234567"))
    assert refused.value.code == "invalid_messenger_id"
    kept = service.remove_messenger_id(T, ADMIN, ana.id, ("whatsapp", "55 11 0123-4567"))
    assert kept.messenger_ids == ()
