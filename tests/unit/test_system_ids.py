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
