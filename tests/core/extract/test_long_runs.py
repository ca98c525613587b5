"""Runs of words that once made extraction or stance slow are read in time linear in their
length. A page can hold anything: a run of titles ("Mr Dr Mr Dr …", 200 KB of it took more than
ten minutes), of initials, of adverbs or of contesting words must not stall ingestion.

Timing without a bound on the machine: each run is read at two lengths, four times apart, and
the longer may take at most eight times as long (best of three, CPU time). Linear work takes
about four times as long; quadratic work sixteen times, exponential work far more, at any
machine's speed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from bot.core.extract import extract_quotes
from bot.core.extract.tagger import load_model
from bot.core.stance import judge_stance

SHORT = 3_000  # characters; the long run is four times as long


def cpu_seconds(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return max(best, 1e-3)  # below a millisecond, the clock's grain, not the work


def grows_linearly(
    make: Callable[[int], str], read: Callable[[str], object], size: int = SHORT
) -> bool:
    short, long = make(size), make(4 * size)
    return cpu_seconds(lambda: read(long)) < 8 * cpu_seconds(lambda: read(short))


@pytest.mark.parametrize(
    ("unit", "tail"),
    [
        ("Mr Dr ", "said."),  # titles and a name splitting one run (SUBJECT_VERB)
        ("Mr. Dr. ", "said."),
        ("Former President Mayor ", "said."),
        ("Gov Sen Rep Judge ", "said."),
        ("Mr Dr\n", "said."),
        ("former ", ""),  # a lower-case title no name follows (the roster)
        ("A. ", " x “y”"),  # the words before a quote read as a colon's label
        ("Ines ", " said “x”"),
        ("A. ", "x Calloway said it."),  # initials before a lower-case word (the tagger's source)
        ("Ines said “yes” ", ""),  # many quotes in one sentence, each finding its cue
    ],
)
def test_a_long_run_is_read_in_linear_time(unit: str, tail: str) -> None:
    load_model()
    assert grows_linearly(lambda size: unit * (size // len(unit)) + tail, extract_quotes)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Ines{} x said “Yes, we will.”", " only"),  # "only" is an adverb and also "\w+ly"
        ("Mayor Ines Calloway spoke on Tuesday. {} x Calloway said it.", " A."),  # initials
    ],
)
def test_words_read_two_ways_do_not_double_the_time_each(text: str, words: str) -> None:
    # Each of 22 such words once doubled the time: 5 s for 147 characters.
    load_model()
    few, many = text.format(words * 11), text.format(words * 22)
    assert cpu_seconds(lambda: extract_quotes(many)) < 8 * cpu_seconds(lambda: extract_quotes(few))


@pytest.mark.parametrize("unit", ["false ", "refuted "])
def test_a_body_of_many_cues_is_judged_in_linear_time(unit: str) -> None:
    claim = "The mayor said taxes would rise next year."
    runs = itertools.count()  # a new body each time: a body read before is kept, not read again
    # (at 3,000 characters the quadratic part was still small: 12,000 against 48,000)
    assert grows_linearly(
        lambda size: unit * (size // len(unit)),
        lambda body: judge_stance(claim, f"{body} {next(runs)}"),
        12_000,
    )
