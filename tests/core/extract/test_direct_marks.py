"""bench.direct_marks: the shared scorer's direct@0.3 beside a reading that knows ''…'' quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.direct_marks import SCORER, main

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside the repo")


def test_two_apostrophes_count_as_a_quotation_mark_only_in_the_second_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "''The pier will reopen in May,'' Mayor Ines Calloway said on Monday.\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "harbour.txt").write_text(text, encoding="utf-8")
    content = text[: text.index(" Mayor")]
    source = (text.index("Mayor"), text.index(" said"))
    (tmp_path / "attributions" / "harbour_ann1.ann").write_text(
        f"T1\tContent 0 {len(content)}\t{content}\n"
        f"T2\tSource {source[0]} {source[1]}\t{text[source[0] : source[1]]}\n"
        "E1\tAttribution:T1 Content:T1 Source:T2\n",
        encoding="utf-8",
    )
    words = "The pier will reopen in May,"
    quote = {
        "text": words,
        "start": 2,
        "end": 2 + len(words),
        "kind": "direct",
        "speaker": "Ines Calloway",
    }
    output = tmp_path / "out.jsonl"
    line = {"source": str(tmp_path / "text" / "harbour.txt"), "quotes": [quote]}
    output.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert main([str(tmp_path), str(output)]) == 0
    scorer, marks = capsys.readouterr().out.splitlines()
    assert "(tp 0 fp 1 fn 0)" in scorer  # the scorer: no direct gold, a direct prediction
    assert "(tp 1 fp 0 fn 0)" in marks and "speaker=1.000" in marks
