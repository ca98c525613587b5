"""Runs of words that once made the name patterns quadratic are read in time linear in their
length. A page can hold anything: a run of titles ("Mr Dr Mr Dr …", 200 KB of it took more than
ten minutes) must not stall ingestion.

Timing without a bound on the machine: each run is read at two lengths, four times apart, and
the longer may take at most eight times as long (best of three, CPU time). Linear work takes
about four times as long; quadratic work sixteen times, at any machine's speed.
"""

from __future__ import annotations

import time

import pytest

from bot.core.extract import extract_quotes
from bot.core.extract.tagger import load_model

SHORT = 3_000  # characters; the long run is four times as long


def cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        extract_quotes(text)
        best = min(best, time.process_time() - start)
    return max(best, 1e-3)  # below a millisecond, the clock's grain, not the work


@pytest.mark.parametrize(
    "unit",
    ["Mr Dr ", "Mr. Dr. ", "Former President Mayor ", "Gov Sen Rep Judge ", "Mr Dr\n"],
)
def test_a_run_of_titles_is_read_in_linear_time(unit: str) -> None:
    load_model()
    short = unit * (SHORT // len(unit)) + "said."
    long = unit * (4 * SHORT // len(unit)) + "said."
    assert cpu_seconds(long) < 8 * cpu_seconds(short)
