"""A login e-mail taken by another customer is ``duplicate_login``, on every storage.

Under a preset whose primary e-mail is the login (``ERP_SHOP``), a customer
with a password logs in with its primary e-mail, and only one customer of a
tenant may. The same address may still be a contact e-mail of others.
"""

from __future__ import annotations

import uuid

import pytest

from customer_core import Actor, CustomerCore, DuplicateIdentity, presets
from customer_core.defaults import ScryptPasswordHasher
from customer_core.ports import UnitOfWorkFactory


def _shop(storage: UnitOfWorkFactory) -> tuple[CustomerCore, str, Actor]:
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    core = CustomerCore.over(storage, preset=presets.ERP_SHOP, hasher=ScryptPasswordHasher(n=2**10))
    return core, tenant, Actor(tenant_id=tenant, user_id="admin", role="admin")


def test_making_another_customers_login_the_primary_email_is_duplicate_login(
    storage: UnitOfWorkFactory,
) -> None:
    core, tenant, admin = _shop(storage)
    bia = core.customers.register(
        tenant, admin, name="Bia Souza", emails=["bia@exemplo.com"], password="s3nha-da-bia"
    )
    ana = core.customers.register(
        tenant, admin, name="Ana Lima", emails=["ana@exemplo.com"], password="s3nha-da-ana"
    )
    # As a contact e-mail the address may be shared (a couple's mailbox)...
    ana = core.customers.add_email(tenant, admin, ana.id, "BIA@exemplo.com")
    # ...but only one customer logs in with it.
    with pytest.raises(DuplicateIdentity) as refused:
        core.customers.set_primary_email(tenant, admin, ana.id, "bia@exemplo.com")
    assert (refused.value.code, refused.value.field) == ("duplicate_login", "emails")
    assert refused.value.details["holder_id"] == bia.id
    assert core.customers.get(tenant, admin, ana.id) == ana  # nothing was written
    assert core.customers.authenticate(tenant, "bia@exemplo.com", "s3nha-da-bia") == bia


def test_registering_with_another_customers_login_is_duplicate_login(
    storage: UnitOfWorkFactory,
) -> None:
    core, tenant, admin = _shop(storage)
    core.customers.register(
        tenant, admin, name="Bia Souza", emails=["bia@exemplo.com"], password="s3nha-da-bia"
    )
    with pytest.raises(DuplicateIdentity) as refused:
        core.customers.register(
            tenant, admin, name="Ana Lima", emails=["bia@exemplo.com"], password="s3nha-da-ana"
        )
    assert (refused.value.code, refused.value.field) == ("duplicate_login", "emails")
    # Without a password it is a contact e-mail, which customers may share.
    carla = core.customers.register(tenant, admin, name="Carla Dias", emails=["bia@exemplo.com"])
    assert [str(e) for e in carla.emails] == ["bia@exemplo.com"]
    with pytest.raises(DuplicateIdentity) as refused:  # a password makes it her login
        core.customers.set_password(tenant, admin, carla.id, "s3nha-da-carla")
    assert refused.value.code == "duplicate_login"


def test_other_exclusive_identifiers_stay_duplicate_identity(storage: UnitOfWorkFactory) -> None:
    core, tenant, admin = _shop(storage)
    core.customers.register(tenant, admin, name="Bia Souza", tax_id="529.982.247-25")
    with pytest.raises(DuplicateIdentity) as refused:
        core.customers.register(tenant, admin, name="Ana Lima", tax_id="52998224725")
    assert (refused.value.code, refused.value.field) == ("duplicate_identity", "tax_id")
