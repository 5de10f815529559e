"""Default ids: UUID version 7, unique, ordered by creation time."""

from __future__ import annotations

import time
import uuid

from customer_core.defaults import UuidIds, time_ordered_id


def test_ids_are_uuid7_and_unique() -> None:
    ids = [UuidIds().new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    for text in ids[:100]:
        parsed = uuid.UUID(hex=text)
        assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
        assert text == parsed.hex  # 32 lower-case hex characters


def test_later_ids_sort_later() -> None:
    first = time_ordered_id()
    time.sleep(0.002)
    second = time_ordered_id()
    assert first < second
    assert int(second[:12], 16) - int(first[:12], 16) >= 2  # milliseconds apart


def test_ids_of_one_millisecond_sort_in_the_order_they_were_made() -> None:
    ids = [time_ordered_id() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len({text[:12] for text in ids}) < len(ids)  # many shared a millisecond


def test_a_step_carries_into_the_next_field_and_stays_a_uuid7() -> None:
    from customer_core.defaults import _step

    assert _step((5, 0xFFF, (1 << 62) - 1))[:2] == (6, 0)
    assert _step((5, 1, (1 << 62) - 3))[:2] == (5, 2)
    for _ in range(100):
        parsed = uuid.UUID(hex=time_ordered_id())
        assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
