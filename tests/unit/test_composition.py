"""Services and the SQL repository are composed of parts, not built from mixin diamonds.

Each service wired by :class:`~customer_core.CustomerCore` is a facade: it
derives from :class:`~customer_core.services.base.ServiceBase` alone and
writes out every public method itself, so each one is checked at the
boundary (:mod:`customer_core.services.boundary`) and documented on the class.
"""

from __future__ import annotations

import inspect

import attrs
import pytest

from customer_core import Actor, connect
from customer_core.adapters.sqlalchemy.errors import GuardedRepository
from customer_core.adapters.sqlalchemy.repository import SqlCustomerRepository
from customer_core.facade import CustomerCore
from customer_core.services.base import ServiceBase
from customer_core.services.boundary import id_parameters


def _wired_services() -> list[type[ServiceBase]]:
    core = connect("memory://")
    found = {type(getattr(core, field.name)) for field in attrs.fields(CustomerCore)}
    return sorted((t for t in found if issubclass(t, ServiceBase)), key=lambda t: t.__name__)


SERVICES = _wired_services()


def test_every_wired_service_is_found() -> None:
    names = {service.__name__ for service in SERVICES}
    assert {"CustomerService", "IdentityService", "PortfolioService", "Importer"} <= names


@pytest.mark.parametrize("service", SERVICES, ids=lambda t: t.__name__)
def test_a_service_derives_from_service_base_alone(service: type[ServiceBase]) -> None:
    assert service.__mro__ == (service, ServiceBase, object)


@pytest.mark.parametrize("service", SERVICES, ids=lambda t: t.__name__)
def test_every_public_method_is_written_on_the_service_and_checked(
    service: type[ServiceBase],
) -> None:
    for name, method in inspect.getmembers(service, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert name in vars(service), f"{service.__name__}.{name} is inherited"
        if id_parameters(method):
            assert hasattr(method, "__customer_core_checks__"), f"{name} is not checked"


def test_the_sql_repository_holds_its_visibility_queries_instead_of_deriving_from_them() -> None:
    assert SqlCustomerRepository.__bases__ == (GuardedRepository,)


def test_the_parts_of_a_service_share_its_dependencies() -> None:
    core = connect("memory://")
    admin = Actor(tenant_id="t", user_id="u", role="admin")
    ana = core.customers.register("t", admin, name="Ana", phones=["11 98765-4321"])
    # The channels part parses with the preset the service has now.
    core.customers.preset = core.customers.preset.evolve(default_region="PT")
    changed = core.customers.add_phone("t", admin, ana.id, "912 345 678")
    assert "+351912345678" in {phone.e164 for phone in changed.phones}
