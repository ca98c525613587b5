"""The matcher's shortcuts (issue 20) change no answer: each quote tokenised once, no alignment
for candidates sharing too few content words, no search past an exact repeat. The events of a
fixed corpus are the same with and without them."""

from __future__ import annotations

import json

import pytest

import bot.core.matching.classify as classify
import bot.core.monitor as monitor
from bench.corpus import generate
from bot.core.monitor import Monitor
from bot.core.serialize import event_to_dict
from storage.db import open_db
from storage.store import Store


def _events() -> list[str]:
    store = Store(open_db(":memory:"))
    mon = Monitor(store, [])
    out: list[str] = []
    for article in generate(250, seed=9):
        out.extend(json.dumps(event_to_dict(e), sort_keys=True) for e in mon.ingest(article))
    return out


def test_the_shortcuts_change_no_event(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _events()
    original = monitor.classify_quote

    def every_candidate_from_scratch(text, speaker, candidates, kind, tokens=None):
        return original(text, speaker, candidates, kind)  # tokenised again

    monkeypatch.setattr(monitor, "classify_quote", every_candidate_from_scratch)
    monkeypatch.setattr(classify, "_unbeatable", lambda key: False)
    monkeypatch.setattr(classify, "_shared_content", lambda canonical, q: 10**6)
    slow = _events()
    assert len(fast) > 500
    assert fast == slow
