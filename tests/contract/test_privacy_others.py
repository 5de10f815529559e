"""What an erasure or an anonymization leaves of other people, on every storage.

The person goes; the decisions about others, and the others' data, stay.
And what the person was tied to is not handed to actors who could not see
them: their audit trail, the companies that list them as a contact.
"""

from __future__ import annotations

import uuid

import pytest

from customer_core import Actor, CustomerCore, presets
from customer_core.domain.model.dismissals import REASON_REMOVED
from customer_core.ports import UnitOfWorkFactory

KEY = b"a key the host keeps outside the db"


def _tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def _dpo(tenant: str) -> Actor:
    return Actor(tenant_id=tenant, user_id="dpo", role="admin", permissions=["privacy"])


def _suggested_pairs(core: CustomerCore, tenant: str) -> set[frozenset[str]]:
    report = core.identity.duplicate_report(tenant, _dpo(tenant))
    pairs = {frozenset(s.ids) for s in report.suggestions}
    pairs |= {frozenset(c.ids) for c in report.clusters}
    return pairs


@pytest.mark.parametrize("right", ["erase", "anonymize"])
def test_a_dismissal_keeps_the_others_apart_once_one_of_them_is_gone(
    storage: UnitOfWorkFactory, right: str
) -> None:
    tenant = _tenant()
    core = CustomerCore.over(storage, privacy_key=KEY)
    dpo = _dpo(tenant)
    a = core.customers.register(tenant, dpo, name="Paulo Ribeiro", phones=["11 97000-0001"])
    b = core.customers.register(
        tenant, dpo, name="Paulo Ribeiro", phones=["11 97000-0002"], emails=["p2@x.com"]
    )
    c = core.customers.register(tenant, dpo, name="Paulo Ribeiro", emails=["p2@x.com"])
    assert frozenset((b.id, c.id)) in _suggested_pairs(core, tenant)
    decision = core.identity.dismiss(tenant, dpo, [a.id, b.id, c.id], "Paulo pai e Paulo filho")

    getattr(core.privacy, right)(tenant, dpo, a.id)

    assert _suggested_pairs(core, tenant) == set()
    [left] = core.identity.dismissals(tenant, dpo)
    assert (left.id, left.customer_ids) == (decision.id, tuple(sorted((b.id, c.id))))
    assert left.reason == REASON_REMOVED  # the reviewer's words may name the person


def test_an_anonymized_customer_leaves_the_duplicate_hints_it_was_in(
    storage: UnitOfWorkFactory,
) -> None:
    tenant = _tenant()
    core = CustomerCore.over(storage, preset=presets.HELPDESK_CARD, privacy_key=KEY)
    dpo = _dpo(tenant)
    bia = core.customers.register(tenant, dpo, name="Bia Reis", emails=["bia@x.com"])
    caio = core.customers.register(tenant, dpo, name="Caio Prado", phones=["(21) 99123-4567"])
    # One message names both: the inbound conflict is noted as a hint tying them.
    core.identity.resolve_inbound(
        tenant, "email", {"email": "bia@x.com", "phone": "(21) 99123-4567"}
    )
    assert frozenset((bia.id, caio.id)) in _suggested_pairs(core, tenant)

    core.privacy.anonymize(tenant, dpo, bia.id)

    assert _suggested_pairs(core, tenant) == set()
    with storage() as uow:
        assert list(uow.hints.about(tenant, bia.id)) == []
        assert list(uow.hints.about(tenant, caio.id)) == []
