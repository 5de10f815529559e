"""The shop's app: ``migrate`` migrates the library's tables too."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def migrate_customers(using: str = "default", **_: Any) -> None:
    """Run customer_core's Alembic migrations after Django's own (safe to run again).

    The library's tables are not Django models: Alembic owns them, and records
    their version in a table of its own (``customer_core_version``)
    beside Django's ``django_migrations`` (and any Alembic of the shop's).
    """
    from customer_core.adapters.sqlalchemy import upgrade
    from shop.customers import library_engine

    upgrade(library_engine(using))


class ShopConfig(AppConfig):
    name = "shop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(migrate_customers, sender=self)
