"""The shop's URLs."""

from __future__ import annotations

from django.urls import path

from shop.views import place_order

urlpatterns = [path("<str:tenant_id>/orders", place_order)]
