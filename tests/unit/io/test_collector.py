"""The import's garbage-collector setting is the run's alone: put back after, shared by threads."""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Iterator

import pytest

from customer_core import Actor, connect
from customer_core.io.collector import FIRST_THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_overlapping_runs_share_the_setting_and_the_last_puts_it_back() -> None:
    first_in, second_out = threading.Event(), threading.Event()
    seen: list[int] = []

    def run() -> None:
        with fewer_collections():
            first_in.set()
            second_out.wait(5)
            seen.append(gc.get_threshold()[0])

    thread = threading.Thread(target=run)
    thread.start()
    first_in.wait(5)
    with fewer_collections():
        assert gc.get_threshold() == (FIRST_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (FIRST_THRESHOLD, 10, 10)  # the other run goes on
    second_out.set()
    thread.join(5)
    assert seen == [FIRST_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)


def test_a_setting_the_application_made_meanwhile_is_left_alone() -> None:
    with fewer_collections():
        gc.set_threshold(5000, 20, 20)
    assert gc.get_threshold() == (5000, 20, 20)
    gc.set_threshold(0)  # the collector off: left off
    with fewer_collections():
        assert gc.get_threshold()[0] == 0


def test_an_import_asked_to_raises_the_threshold_only_while_it_runs() -> None:
    core = connect("memory://")
    admin = Actor(tenant_id="t", user_id="admin", role="admin")
    seen: list[int] = []

    def progress(_: object) -> None:
        seen.append(gc.get_threshold()[0])

    for tune in (True, False):
        core.importer.run(
            "t", admin, io.BytesIO(b"Nome\nAna Lima\n"), progress=progress, tune_gc=tune
        )
    assert seen and set(seen[: len(seen) // 2]) == {FIRST_THRESHOLD}
    assert set(seen[len(seen) // 2 :]) == {700}
    assert gc.get_threshold() == (700, 10, 10)
