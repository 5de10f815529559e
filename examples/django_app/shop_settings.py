"""Settings of the Django example: one PostgreSQL database for Django's tables and the library's.

``CUSTOMER_CORE_DATABASE`` is the database as an SQLAlchemy URL (the library's
convention); ``SHOP_DATABASE_SCHEMA``, when set, is the PostgreSQL schema both
work in (the tests give each run its own).
"""

from __future__ import annotations

import os

from sqlalchemy import make_url

_url = make_url(
    os.environ.get("CUSTOMER_CORE_DATABASE", "postgresql+psycopg://postgres@127.0.0.1:5432/shop")
)
_schema = os.environ.get("SHOP_DATABASE_SCHEMA")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "only-for-the-example")
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["shop"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "shop.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.database,
        "USER": _url.username or "",
        "PASSWORD": _url.password or "",
        "HOST": _url.host or "",
        "PORT": str(_url.port or ""),
        "OPTIONS": {"options": f"-csearch_path={_schema}"} if _schema else {},
    }
}
