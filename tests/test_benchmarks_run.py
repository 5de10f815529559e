"""The benchmarks still run: each script at a tiny scale, start to end (no figures asserted).

A refactor once left ``benchmarks/`` importing a helper that no longer
existed, and nothing noticed until the next benchmark run. Timing is never
checked here (the machines are noisy); only that every script completes and
prints its summary.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"

RUNS = {
    "run_all": (
        ["run_all.py", "--scale", "0.002", "--samples", "50", "--rounds", "1"],
        "Summary: the targets of the import issue",
    ),
    "visibility_search": (
        ["visibility_search.py", "--customers", "2000", "--backends", "sqlite", "--calls", "10"],
        "visibility filter cost",
    ),
    "matching_quality": (
        ["matching_quality.py", "--records", "500", "--no-splink"],
        "meets every target",
    ),
    "memory_report": (
        ["memory_report.py", "--customers", "300"],
        "Duplicate report over",
    ),
    "whole_path": (
        ["whole_path.py", "--records", "300", "--seeds", "1", "--explain", "1"],
        "Whole path on generator B",
    ),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_script_runs_at_a_tiny_scale(name: str) -> None:
    arguments, expected = RUNS[name]
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert expected in result.stdout
