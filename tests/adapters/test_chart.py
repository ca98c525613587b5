"""The coverage chart is a real PNG: the spread of each top statement over time, by day."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from matplotlib import image

from adapters.chart import render_coverage_chart
from bot.core.digest import Digest, StatementLine, build_digest
from bot.core.models import Appearance, Change, ChangeKind, Event, EventType, Severity, Statement

PNG = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
END = datetime(2026, 3, 5, 9, tzinfo=UTC)
OUTLETS = (
    "Harbour Ledger",
    "Northfield Gazette",
    "Daily Lantern",
    "Evening Quill",
    "Coastline Post",
)
TEXTS = {
    1: "We will not close the Ostrava plant before the end of the year, whatever the council "
    "decides",
    2: "The budget is balanced and the harbour tax stays where it is",
    3: "Nobody asked us",
}
SPEAKERS = {1: "Clara Vennholt", 2: "Ines Morrow", 3: "Tomas Brill"}
NEGATION = (Change(ChangeKind.NEGATION, Severity.HIGH, "will not", "will"),)


def spread_digest(end: datetime = END) -> Digest:
    """Three statements picked up over three days; one altered, one disputed."""
    first = Appearance("Harbour Ledger", "https://ledger.example/1", START)
    statements = {sid: Statement(sid, SPEAKERS[sid], text, first) for sid, text in TEXTS.items()}
    plan = [  # (hours after START, statement, outlet, type)
        (1, 1, 0, EventType.NEW_STATEMENT), (3, 1, 1, EventType.REPEAT),
        (5, 2, 2, EventType.NEW_STATEMENT), (9, 1, 2, EventType.ALTER),
        (20, 1, 3, EventType.REPEAT), (22, 2, 0, EventType.REPEAT),
        (26, 1, 3, EventType.DISPUTE), (30, 3, 4, EventType.NEW_STATEMENT),
        (40, 1, 4, EventType.REPEAT), (44, 2, 4, EventType.ALTER),
        (50, 3, 1, EventType.REPEAT), (60, 2, 1, EventType.DISPUTE),
    ]  # fmt: skip
    events, times = [], []
    for hours, sid, outlet, kind in plan:
        events.append(
            Event(
                kind,
                f"https://news.example/{hours}",
                OUTLETS[outlet],
                statement_id=sid,
                speaker=SPEAKERS[sid],
                quote=TEXTS[sid],
                changes=NEGATION if kind is EventType.ALTER else (),
                disputed_by="Tomas Brill" if kind is EventType.DISPUTE else None,
            )
        )
        times.append(START + timedelta(hours=hours))
    return build_digest(events, statements, channel="slack:C1", start=START, end=end, times=times)


def test_the_spread_chart_draws_each_top_statement_over_time(tmp_path: Path) -> None:
    digest = spread_digest()
    assert [sid for sid, _ in digest.spread] == [1, 2, 3]
    points = dict(digest.spread)[1]
    assert [p.kind for p in points].count("alter") == 1 and points[0].when < points[-1].when
    written = render_coverage_chart(digest, tmp_path / "spread.png")
    assert written == tmp_path / "spread.png"
    data = written.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000
    pixels = image.imread(written)
    assert pixels.shape[1] == 1100 and pixels.shape[0] >= 600  # one panel per statement
    # The alteration marker's orange and the dispute marker's red are drawn.
    rgb = (pixels[..., :3] * 255).round().astype(int).reshape(-1, 3).tolist()
    colours = {tuple(c) for c in rgb}
    assert (255, 127, 14) in colours and (214, 39, 40) in colours


def test_without_times_a_bar_per_statement(tmp_path: Path) -> None:
    lines = tuple(
        StatementLine(
            i, "Aurèle Vasseur", f"Statement number {i} about the harbour", ("A", "B"), i + 1
        )
        for i in range(1, 4)
    )
    digest = Digest("slack:C1", START, END, most_repeated=lines)
    written = render_coverage_chart(digest, tmp_path / "coverage.png")
    data = (tmp_path / "coverage.png").read_bytes()
    assert written == tmp_path / "coverage.png" and data.startswith(PNG) and len(data) > 5_000
    assert image.imread(tmp_path / "coverage.png").shape[1] == 1100


def test_empty_period_still_draws_into_a_buffer() -> None:
    buffer = io.BytesIO()
    data = render_coverage_chart(Digest("console:default", START, END), buffer)
    assert isinstance(data, bytes) and data == buffer.getvalue() and data.startswith(PNG)
    assert image.imread(io.BytesIO(data)).ndim == 3
