"""The 36 gold quotes of the shared seed articles: exact text, kind and resolved speaker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.extract import extract_quotes
from bot.core.matching.split import matched_quotes

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
if not SAMPLES.exists():
    SAMPLES = Path("/work/shared/samples")

pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples folder is absent")


def _gold() -> list[dict[str, str]]:
    if not SAMPLES.exists():
        return []
    quotes: list[dict[str, str]] = json.loads((SAMPLES / "gold.json").read_text())["quotes"]
    return quotes


@pytest.mark.parametrize("gold", _gold(), ids=lambda g: f"{g['article'][:3]}:{g['text'][:30]}")
def test_gold_quote_found_with_kind_and_speaker(gold: dict[str, str]) -> None:
    text = (SAMPLES / "seeds" / gold["article"]).read_text(encoding="utf-8")
    # the quotes the bot matches: the quoted words inside reported speech are among them
    found = [q for q in matched_quotes(extract_quotes(text)) if q.text == gold["text"]]
    assert found, f"not extracted: {gold['text'][:60]}"
    assert found[0].kind.value == gold["kind"]
    assert found[0].speaker == gold["speaker"]
    assert text[found[0].start : found[0].end] == gold["text"]


def test_all_36_gold_quotes_are_there() -> None:
    assert len(_gold()) == 36
