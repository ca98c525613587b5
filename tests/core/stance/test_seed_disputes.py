"""The seed articles: the four disputes of gold.json are found, the two non-disputes are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.models import Quote, QuoteKind
from bot.core.stance import Target, find_disputes
from tests.conftest import GOLD, SEEDS, need_shared

STATEMENT_IDS = {"S1": 1, "S2": 2, "S3": 3}


def _gold() -> dict:
    need_shared()
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _read(name: str) -> tuple[str, list[Quote], list[Target]]:
    """The article, its gold quotes (offsets by str.find) and the three statements as targets."""
    gold = _gold()
    text = (SEEDS / name).read_text(encoding="utf-8")
    canonical = {
        q["statement"]: (q["speaker"], q["text"])
        for q in gold["quotes"]
        if q.get("relation") == "first"
    }
    quotes: list[Quote] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for q in gold["quotes"]:
        if q["article"] != name:
            continue
        start = text.find(q["text"])
        assert start >= 0, q["text"]
        end = start + len(q["text"])
        quotes.append(Quote(q["text"], start, end, QuoteKind(q["kind"]), q["speaker"]))
        if q.get("statement"):
            spans.setdefault(q["statement"], []).append((start, end))
    targets = [
        Target(STATEMENT_IDS[key], speaker, words, tuple(spans.get(key, ())))
        for key, (speaker, words) in sorted(canonical.items())
    ]
    return text, quotes, targets


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def test_the_four_gold_disputes_are_found_with_disputer_and_evidence() -> None:
    for dispute in _gold()["disputes"]:
        text, quotes, targets = _read(dispute["article"])
        findings = find_disputes(text, quotes, targets)
        by = None if dispute["by"] == "the outlet" else dispute["by"]
        matching = [f for f in findings if f.by == by]
        assert matching, (dispute, findings)
        finding = matching[0]
        assert finding.statement_id in (1, 2), finding  # Macron's S1/S2, never the US's S3
        pieces = [p.strip(" .") for p in _norm(dispute["evidence"]).split("...")]
        assert all(p in _norm(finding.evidence) for p in pieces), (dispute, finding)
        assert finding.cue


@pytest.mark.parametrize("article", ["000_ff137786bbcf9b44.txt", "004_8e82855a1186cabc.txt"])
def test_neutral_and_explaining_articles_are_not_flagged(article: str) -> None:
    assert article in {d["article"] for d in _gold()["not_disputes"]}
    text, quotes, targets = _read(article)
    assert find_disputes(text, quotes, targets) == []


def test_no_dispute_goes_to_the_us_statement_or_the_outlet_in_the_times_copy() -> None:
    text, quotes, targets = _read("001_e415571ad3f1c5de.txt")
    findings = find_disputes(text, quotes, targets)
    assert {f.by for f in findings} == {"David Arakhamia", "Nicolas Tenzer", "Alina Polyakova"}
    assert all(f.statement_id in (1, 2) for f in findings)


def test_le_monde_copy_without_targets_quoted_finds_nothing() -> None:
    text, quotes, targets = _read("003_34b4e6c27b0b1f71.txt")
    assert find_disputes(text, quotes, targets) == []


def test_shared_folder_layout_is_what_the_tests_expect() -> None:
    _gold()
    assert Path(SEEDS).is_dir()


@pytest.mark.parametrize("keep_spans", [True, False])
def test_same_answers_without_extracted_quotes_or_spans(keep_spans: bool) -> None:
    """The extractor may miss a quote, and a tracked statement has no span in the article."""
    expected = {
        "001_e415571ad3f1c5de.txt": {"David Arakhamia", "Nicolas Tenzer", "Alina Polyakova"},
        "002_f1d616dfc469d761.txt": {None},
    }
    for name in sorted(_gold()["articles"]):
        text, _, targets = _read(name)
        if not keep_spans:
            targets = [Target(t.statement_id, t.speaker, t.canonical) for t in targets]
        findings = find_disputes(text, [], targets)
        assert {f.by for f in findings} == expected.get(name, set()), name
        assert all(f.statement_id in (1, 2) for f in findings)
