"""The shop's own table, a Django model on the same database as the library's customers."""

from __future__ import annotations

from django.db import models


class Order(models.Model):
    # Like the library's keys, the shop's start with the tenant.
    tenant_id = models.CharField(max_length=64)
    number = models.IntegerField()
    customer_id = models.CharField(max_length=64)  # a customer_core id: no foreign key
    total_cents = models.IntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["tenant_id", "number"], name="shop_order_number"),
        )
