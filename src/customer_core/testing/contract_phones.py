"""Phone lines in storage: a *recado* number holds no key, an 8-digit number keeps its form.

Mixed into :class:`customer_core.testing.contract.StorageContract`. A phone
typed with the note ``recado`` (someone else's line) is stored with its flag
and gives no identity key, so no other customer's line is claimed by it; an
8-digit Brazilian number valid as typed is stored as typed and held under the
line key of its 9-digit form.
"""

from __future__ import annotations

from customer_core.domain.model.identity import IdentityKey, IdentityKind
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.ports import UnitOfWorkFactory
from customer_core.testing.records import new_customer

__all__ = ["PhoneLinesContract"]


class PhoneLinesContract:
    """Storage of *recado* numbers and of 8-digit numbers kept as typed."""

    def test_a_recado_number_is_stored_and_holds_no_line(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        recado = Phone.parse("(11) 98765-4321 recado")
        ana = new_customer(tenant, "Ana Lima", phones=(recado,))
        bruno = new_customer(tenant, "Bruno Souza", phones=(Phone.parse("11 98765-4321"),))
        with uow_factory() as uow:
            uow.customers.add(ana)
            uow.customers.add(bruno)
            uow.commit()
        line = IdentityKey(IdentityKind.PHONE, recado.match_key)
        with uow_factory() as uow:
            stored = uow.customers.get(tenant, ana.id)
            assert stored.phones == (recado,)
            assert stored.phones[0].message_number
            assert stored.phones[0].type is PhoneType.OTHER
            assert uow.customers.holders(tenant, [line]) == {line: (bruno.id,)}

    def test_an_8_digit_number_is_stored_as_typed_under_its_9_digit_line(
        self, uow_factory: UnitOfWorkFactory, tenant: str
    ) -> None:
        typed = Phone.parse("+55 31 7123-4567")
        ana = new_customer(tenant, "Ana Lima", phones=(typed,))
        with uow_factory() as uow:
            uow.customers.add(ana)
            uow.commit()
        line = IdentityKey(IdentityKind.PHONE, "5531971234567")
        with uow_factory() as uow:
            assert uow.customers.get(tenant, ana.id).phones[0].e164 == "+553171234567"
            assert uow.customers.holders(tenant, [line]) == {line: (ana.id,)}
