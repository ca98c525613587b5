"""The matcher's shortcuts (issue 20) change no answer: each quote tokenised once, no alignment
for candidates sharing too few words (or, for another speaker, too few to blame them), no
search past an exact repeat. The events of a fixed corpus are the same with and without them;
tests/end_to_end/test_same_events.py holds the whole pipeline to a recorded answer."""

from __future__ import annotations

import json

import pytest

import bot.core.matching.classify as classify
import bot.core.monitor as monitor
from bench.corpus import generate, polnear_training_articles
from bot.core.models import Article
from bot.core.monitor import Monitor
from bot.core.serialize import event_to_dict
from storage.db import open_db
from storage.store import Store


def _corpus(name: str) -> list[Article]:
    if name == "generated":
        return list(generate(250, seed=9))
    articles = polnear_training_articles(120)  # real news: quotes shaped as they come
    if not articles:
        pytest.skip("../shared/data/polnear-train is not beside the repo")
    return articles


def _events(articles: list[Article]) -> list[str]:
    store = Store(open_db(":memory:"))
    mon = Monitor(store, [])
    out: list[str] = []
    for article in articles:
        out.extend(json.dumps(event_to_dict(e), sort_keys=True) for e in mon.ingest(article))
    return out


@pytest.mark.parametrize("name", ["generated", "polnear training split"])
def test_the_shortcuts_change_no_event(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    articles = _corpus(name)
    fast = _events(articles)
    original = monitor.classify_quote

    def every_candidate_from_scratch(text, speaker, candidates, kind, tokens=None):
        return original(text, speaker, candidates, kind)  # tokenised again

    monkeypatch.setattr(monitor, "classify_quote", every_candidate_from_scratch)
    monkeypatch.setattr(classify, "_exact_repeat", lambda q, speaker, known: False)
    monkeypatch.setattr(classify, "_hopeless", lambda canonical, q, needed, speaker, known: False)
    monkeypatch.setattr(classify, "_same_person", classify.same_person)
    slow = _events(articles)
    assert len(fast) > 500
    assert fast == slow
