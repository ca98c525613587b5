"""Stance: who disputes a known statement in an article, and whether a body supports a claim."""

from bot.core.stance.disputes import find_disputes, too_short_to_contest
from bot.core.stance.linking import Target
from bot.core.stance.relatedness import DocumentFrequencies
from bot.core.stance.verdict import StanceVerdict, judge_stance

__all__ = [
    "DocumentFrequencies",
    "StanceVerdict",
    "Target",
    "find_disputes",
    "judge_stance",
    "too_short_to_contest",
]
