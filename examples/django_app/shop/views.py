"""The shop's endpoints: a new customer and its first order, in one Django transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

import customer_core as cc
from customer_core.serialization import unstructure
from shop.customers import django_transaction, get_core
from shop.models import Order

#: HTTP status of each error family; the first matching class wins.
STATUS_BY_ERROR: tuple[tuple[type[cc.CustomerCoreError], int], ...] = (
    (cc.NotFound, 404),  # missing, or not visible to this actor: the same answer on purpose
    (cc.PermissionDenied, 403),
    (cc.Conflict, 409),
    (cc.StorageUnavailable, 503),  # the database is down or busy: try again later
    (cc.CustomerCoreError, 422),  # invalid values and rule violations: fix the input
)

View = Callable[..., HttpResponse]


def library_errors(view: View) -> View:
    """Library errors as JSON answers with their stable code and field."""

    @wraps(view)
    def answering(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except cc.CustomerCoreError as error:
            status = next(s for cls, s in STATUS_BY_ERROR if isinstance(error, cls))
            body = {"error": {"code": error.code, "field": error.field, "message": error.message}}
            response = JsonResponse(body, status=status)
            if status == 503:
                response["Retry-After"] = "5"
            return response

    return answering


def actor_of(request: HttpRequest, tenant_id: str) -> cc.Actor:
    """The acting user; a real shop reads it from ``request.user``."""
    return cc.Actor(
        tenant_id=tenant_id,
        user_id=request.headers.get("X-User-Id", ""),
        role=request.headers.get("X-User-Role", "seller"),
    )


@csrf_exempt  # an API called with JSON, not a form
@require_POST
@library_errors
def place_order(request: HttpRequest, tenant_id: str) -> HttpResponse:
    """Register the customer and store the order: both commit, or neither does."""
    body = json.loads(request.body)
    core = get_core()
    try:
        with transaction.atomic():
            with django_transaction(core):
                customer = core.customers.register(
                    tenant_id, actor_of(request, tenant_id), **body["customer"]
                )
            order = Order.objects.create(
                tenant_id=tenant_id,
                number=int(body["order"]["number"]),
                customer_id=customer.id,
                total_cents=int(body["order"]["total_cents"]),
            )
    except IntegrityError:  # the order number is taken: atomic() rolled both back
        return JsonResponse({"error": {"code": "order_exists", "field": "order"}}, status=409)
    return JsonResponse({"customer": unstructure(customer), "order": order.number}, status=201)
