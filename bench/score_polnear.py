"""Score ``extract_quotes`` on the PolNeAR dev set (brat Source/Cue/Content spans).

A gold content counts as found when predictions cover more than 30% (or 80%) of its
characters (PolNeAR joins a split quote into one content, so the pieces count together); a
prediction is correct when it covers >30% of a gold content or lies >30% inside one. Reported
for contents with a quotation mark ("direct"), for contents whose cue is a verb of speech
("speech": said, told, according to …, the closest to what quote-extraction papers annotate; its
precision is a lower bound), and for all. Speaker proxy: the
predicted mention or resolved speaker agrees with the gold Source span.
Run: ``.venv/bin/python -m bench.score_polnear [DIR]``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.extract import extract_quotes
from bot.core.models import Quote, QuoteKind

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear-train"
if not DEFAULT.exists():
    DEFAULT = Path("/work/shared/data/polnear-train")
_MARKS = re.compile(r"[\"“”«»„]")


@dataclass(frozen=True, slots=True)
class Gold:
    pieces: tuple[tuple[int, int], ...]
    text: str
    source: str
    cue: str = ""

    @property
    def size(self) -> int:
        return sum(e - s for s, e in self.pieces)


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    out = []
    for piece in field.split(";"):
        a, b = piece.split()[-2:]
        out.append((int(a), int(b)))
    return tuple(out)


def read_gold(ann: Path) -> list[Gold]:
    """Attributions of one .ann file as (content pieces, content text, source text)."""
    spans: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {}
    events: list[str] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            spans[parts[0]] = (_spans(parts[1].split(" ", 1)[1]), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1])
    golds: list[Gold] = []
    for ev in events:
        roles = dict(r.split(":", 1) for r in ev.split() if ":" in r)
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        source = spans.get(roles.get("Source", ""), ((), ""))[1]
        cue = spans.get(roles.get("Cue", ""), ((), ""))[1]
        golds.append(Gold(content[0], content[1], source, cue))
    return golds


def articles(root: Path = DEFAULT) -> Iterator[tuple[str, str, list[Gold]]]:
    """(name, text, gold) for every article, one annotator each (the first by name)."""
    seen: set[str] = set()
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in seen:
            continue
        seen.add(name)
        txt = root / "text" / f"{name}.txt"
        if txt.exists():
            yield name, txt.read_text(encoding="utf-8"), read_gold(ann)


_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|according to|added|adds|asked|asks|wrote|"
    r"writes|warned|warns|argued|argues|claimed|claims|insisted|insists|explained|noted|"
    r"stated|announced|declared|tweeted|replied|responded|suggested|acknowledged|admitted)\b",
    re.IGNORECASE,
)


def _in_subset(subset: str, g: Gold) -> bool:
    if subset == "direct":
        return bool(_MARKS.search(g.text))
    if subset == "speech":
        return bool(_SPEECH.search(g.cue))
    return True


def coverage(gold: Gold, q: Quote) -> float:
    inter = sum(max(0, min(e, q.end) - max(s, q.start)) for s, e in gold.pieces)
    return inter / gold.size if gold.size else 0.0


def inside(gold: Gold, q: Quote) -> float:
    """Share of the prediction that lies inside the gold content."""
    inter = sum(max(0, min(e, q.end) - max(s, q.start)) for s, e in gold.pieces)
    return inter / (q.end - q.start) if q.end > q.start else 0.0


def union_coverage(gold: Gold, preds: list[Quote]) -> float:
    """Share of a (possibly split) gold content covered by all predictions together."""
    covered = 0
    for s, e in gold.pieces:
        marks = bytearray(e - s)
        for q in preds:
            for i in range(max(s, q.start), min(e, q.end)):
                marks[i - s] = 1
        covered += sum(marks)
    return covered / gold.size if gold.size else 0.0


def speaker_ok(gold: Gold, q: Quote) -> bool:
    src = gold.source.lower().strip()
    if not src:
        return q.speaker is None
    mention = (q.speaker_mention or "").lower()
    words = [w for w in re.findall(r"[\w’']+", mention) if w not in ("the", "a", "an")]
    if words and (mention in src or src in mention):
        return True
    if q.speaker:
        last = q.speaker.split()[-1].lower()
        return bool(re.search(rf"\b{re.escape(last)}\b", src))
    return False


def score(root: Path = DEFAULT, limit: int | None = None) -> dict[str, float]:
    """Precision/recall/F1 at 30% and 80% coverage, direct-only and all, plus speed."""
    tallies: dict[str, list[int]] = {}
    spk = [0, 0]
    elapsed = 0.0
    n = 0
    for _name, text, golds in articles(root):
        if limit is not None and n >= limit:
            break
        n += 1
        t0 = time.perf_counter()
        preds = extract_quotes(text)
        elapsed += time.perf_counter() - t0
        for subset in ("direct", "speech", "all"):
            gs = [g for g in golds if _in_subset(subset, g)]
            ps = [p for p in preds if subset != "direct" or p.kind is not QuoteKind.INDIRECT]
            for thr in (0.3, 0.8):
                t = tallies.setdefault(f"{subset}@{int(thr * 100)}", [0, 0, 0, 0])
                t[0] += sum(1 for g in gs if union_coverage(g, preds) > thr)
                t[1] += len(gs)
                t[2] += sum(
                    1 for p in ps if any(max(coverage(g, p), inside(g, p)) > thr for g in golds)
                )
                t[3] += len(ps)
        for g in golds:
            best = max(preds, key=lambda p: coverage(g, p), default=None)
            if best is not None and coverage(g, best) > 0.3:
                spk[1] += 1
                spk[0] += speaker_ok(g, best)
    out: dict[str, float] = {}
    for key, (found, total, correct, predicted) in tallies.items():
        r = found / total if total else 0.0
        p = correct / predicted if predicted else 0.0
        out[f"{key} P"], out[f"{key} R"] = p, r
        out[f"{key} F1"] = 2 * p * r / (p + r) if p + r else 0.0
    out["speaker"] = spk[0] / spk[1] if spk[1] else 0.0
    out["articles"] = n
    out["articles/s"] = n / elapsed if elapsed else 0.0
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not root.exists():
        print(f"no PolNeAR data at {root}", file=sys.stderr)
        return 1
    result = score(root)
    for subset in ("direct", "speech", "all"):
        for thr in (30, 80):
            k = f"{subset}@{thr}"
            print(
                f"{k:<10} P {result[k + ' P']:.3f}  R {result[k + ' R']:.3f}"
                f"  F1 {result[k + ' F1']:.3f}"
            )
    print(f"speaker (proxy, matched golds) {result['speaker']:.3f}")
    print(f"{int(result['articles'])} articles, {result['articles/s']:.0f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
