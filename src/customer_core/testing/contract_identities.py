"""The identity index in storage: who holds which key, and what a write may take.

Mixed into :class:`customer_core.testing.contract.StorageContract`. An
exclusive key (a CPF, a messenger id) belongs to one customer of a tenant; a
phone line or an e-mail may be shared, and its first holder takes a claim so
that concurrent first holders of a new line make one customer; a write that
would take a key another customer holds writes nothing.
"""

from __future__ import annotations

import attrs
import pytest

from customer_core.domain.model.identity import IdentityKey, IdentityKind
from customer_core.domain.values.email import Email
from customer_core.domain.values.online import MessengerId
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.tax_id import Cpf
from customer_core.errors import DuplicateIdentity, NotFound
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.records import NOW, new_customer

__all__ = ["IdentityIndexContract"]

_LINE = IdentityKey(IdentityKind.PHONE, "5511987654321")


class IdentityIndexContract:
    """Storage behaviour of the identity index (keys, claims, holders, look-ups)."""

    def test_an_exclusive_identity_belongs_to_onenew_customer(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        first = new_customer(tenant, tax_id=Cpf.parse("529.982.247-25"))
        with uow_factory() as uow:
            uow.customers.add(first)
            uow.commit()
        # The same CPF typed another way, with a free e-mail besides.
        second = new_customer(
            tenant,
            name="Ana L.",
            tax_id=Cpf.parse("52998224725"),
            emails=(Email.parse("other@x.com"),),
        )
        with uow_factory() as uow, pytest.raises(DuplicateIdentity) as info:
            uow.customers.add(second)
        assert info.value.field == "tax_id"
        assert info.value.details["holder_id"] == first.id
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1
            assert (
                uow.customers.holders(tenant, [IdentityKey(IdentityKind.EMAIL, "other@x.com")])
                == {}
            )

    def test_a_phone_line_and_an_email_may_be_shared(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        landline = Phone.parse("(11) 3333-4444")
        ana = new_customer(tenant, phones=(landline,), emails=(Email.parse("casa@x.com"),))
        # The same line typed another way: one line key, two holders (a household).
        bruno = new_customer(
            tenant,
            name="Bruno Lima",
            phones=(Phone.parse("+55 11 3333-4444"),),
            emails=(Email.parse("CASA@x.com"),),
        )
        with uow_factory() as uow:
            uow.customers.add(ana)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.add(bruno)
            uow.commit()
        line = IdentityKey(IdentityKind.PHONE, landline.match_key)
        mail = IdentityKey(IdentityKind.EMAIL, "casa@x.com")
        with uow_factory() as uow:
            both = tuple(sorted((ana.id, bruno.id)))
            assert uow.customers.holders(tenant, [line, mail]) == {line: both, mail: both}
            found = uow.customers.look_up(tenant, [line])
            assert [c.id for c in found.holding[line]] == list(both)

    def test_a_first_holder_write_fails_when_the_line_is_held(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        mobile = Phone.parse("11 98765-4321")
        with uow_factory() as uow:
            uow.customers.add(new_customer(tenant, phones=(mobile,)))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateIdentity):
            uow.customers.add(
                new_customer(tenant, name="Bia", phones=(Phone.parse("11 8765-4321"),)),
                first_holder=True,
            )
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1

    def test_concurrent_first_holders_of_a_new_line_one_wins(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        # Both decided to create "the customer of this new line" before either
        # committed; the second writes after the first committed (one writer
        # at a time: SQLite serializes writers anyway).
        first, second = uow_factory(), uow_factory()
        with first, second:
            assert second.customers.holders(tenant, [_LINE]) == {}
            first.customers.add(
                new_customer(tenant, phones=(Phone.parse("11 98765-4321"),)), first_holder=True
            )
            first.commit()
            with pytest.raises(DuplicateIdentity):
                # The same new line as a WhatsApp id, from another process.
                second.customers.add(
                    new_customer(
                        tenant,
                        name="Ana (WhatsApp)",
                        messenger_ids=(MessengerId.parse("whatsapp", "5511987654321"),),
                    ),
                    first_holder=True,
                )
                second.commit()
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1

    def test_mark_seen_is_read_back_by_look_up(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        landline = Phone.parse("(11) 3333-4444")
        ana = new_customer(tenant, phones=(landline,))
        bruno = new_customer(tenant, name="Bruno", phones=(landline,))
        line = IdentityKey(IdentityKind.PHONE, landline.match_key)
        with uow_factory() as uow:
            uow.customers.add_many([ana, bruno])
            uow.commit()
        with uow_factory() as uow:
            uow.customers.mark_seen(tenant, bruno.id, [line], NOW)
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.look_up(tenant, [line]).last_seen == {(line, bruno.id): NOW}

    def test_look_up_reads_holders_and_lists_together(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        phone = Phone.parse("+55 11 98765-4321")
        ana = new_customer(tenant, phones=(phone,), emails=(Email.parse("ana@x.com"),))
        bia = new_customer(tenant, name="Bia", emails=(Email.parse("bia@x.com"),))
        line = IdentityKey(IdentityKind.PHONE, phone.match_key)
        ana_mail, bia_mail = (IdentityKey(IdentityKind.EMAIL, f"{n}@x.com") for n in ("ana", "bia"))
        nobody = IdentityKey(IdentityKind.EMAIL, "nobody@x.com")
        with uow_factory() as uow:
            uow.customers.add_many([ana, bia])
            uow.lists.add(tenant, "spam", [line, nobody], customer_id=None)
            uow.lists.add(tenant, "vip", [bia_mail], customer_id=bia.id)
            uow.commit()
        keys = [line, ana_mail, bia_mail, nobody]
        with uow_factory() as uow:
            found = uow.customers.look_up(tenant, keys, lists=("spam", "vip", "other"))
            assert {k: tuple(c.id for c in cs) for k, cs in found.holding.items()} == {
                line: (ana.id,),
                ana_mail: (ana.id,),
                bia_mail: (bia.id,),
            }
            assert found.holding[line] == (uow.customers.get(tenant, ana.id),)
            assert found.listed == {"spam": {line, nobody}, "vip": {bia_mail}, "other": set()}
            assert uow.customers.look_up(tenant, keys).listed == {}
            # Writes of the same transaction are seen; other tenants are not.
            uow.lists.remove(tenant, "spam", [nobody])
            assert uow.customers.look_up(tenant, [nobody], lists=("spam",)).listed["spam"] == set()
            other = uow.customers.look_up(tenant + "x", keys, lists=("spam",))
            assert other.holding == {}
            assert other.listed == {"spam": set()}

    def test_email_identity_is_case_insensitive(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        with uow_factory() as uow:
            uow.customers.add(new_customer(tenant, emails=(Email.parse("ana@x.com"),)))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateIdentity):
            uow.customers.add(
                new_customer(tenant, emails=(Email.parse("ANA@X.COM"),)), first_holder=True
            )

    def test_two_new_customers_in_one_transaction_cannot_share_a_key(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        with uow_factory() as uow:
            uow.customers.add(new_customer(tenant, tax_id=tax_id))
            with pytest.raises(DuplicateIdentity) as info:
                uow.customers.add(new_customer(tenant, tax_id=tax_id))
            assert info.value.field == "tax_id"

    def test_tenants_are_isolated(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        phone = Phone.parse("11 98765-4321")
        with uow_factory() as uow:
            uow.customers.add(new_customer(tenant, phones=(phone,)))
            uow.customers.add(new_customer(tenant + "-b", phones=(phone,)))
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.count(tenant) == 1
            assert uow.customers.count(tenant + "-b") == 1
            uow.customers.delete(tenant + "-b", uow.customers.list_page(tenant + "-b")[0].id)
            uow.commit()

    def test_saving_frees_removed_keys_and_claims_new_ones(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        phone = Phone.parse("11 98765-4321")
        owner = new_customer(tenant, phones=(phone,))
        other = new_customer(tenant, name="Bia")
        with uow_factory() as uow:
            owner = uow.customers.add(owner)
            other = uow.customers.add(other)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.save(owner.remove_phone(phone.match_key), expected_version=1)
            uow.customers.save(attrs.evolve(other, phones=(phone,)), expected_version=1)
            uow.commit()
        with uow_factory() as uow:
            holders = uow.customers.holders(
                tenant, [IdentityKey(IdentityKind.PHONE, phone.match_key)]
            )
            assert holders == {IdentityKey(IdentityKind.PHONE, phone.match_key): (other.id,)}

    def test_saving_a_key_held_by_another_writes_nothing(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        holder = new_customer(tenant, tax_id=tax_id)
        other = new_customer(tenant, name="Bia", note="before")
        with uow_factory() as uow:
            uow.customers.add(holder)
            other = uow.customers.add(other)
            uow.commit()
        changed = attrs.evolve(other, tax_id=tax_id, note="after")
        with uow_factory() as uow, pytest.raises(DuplicateIdentity) as info:
            uow.customers.save(changed, expected_version=1)
        assert info.value.details["holder_id"] == holder.id
        with uow_factory() as uow:
            assert uow.customers.get(tenant, other.id).note == "before"

    def test_delete_frees_keys(self, uow_factory: UnitOfWorkFactory, tenant: str) -> None:
        tax_id = Cpf.parse("529.982.247-25")
        gone = new_customer(tenant, tax_id=tax_id)
        with uow_factory() as uow:
            uow.customers.add(gone)
            uow.commit()
        with uow_factory() as uow:
            uow.customers.delete(tenant, gone.id)
            uow.customers.add(new_customer(tenant, tax_id=tax_id))
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.customers.get(tenant, gone.id)
            with pytest.raises(NotFound):
                uow.customers.delete(tenant, gone.id)
            assert uow.customers.count(tenant) == 1
