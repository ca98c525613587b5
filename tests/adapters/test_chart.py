"""The coverage chart is a real PNG that matplotlib can read back."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from matplotlib import image

from adapters.chart import render_coverage_chart
from bot.core.digest import Digest, StatementLine

PNG = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
END = datetime(2026, 3, 3, 9, tzinfo=UTC)


def test_chart_file_is_an_image(tmp_path: Path) -> None:
    lines = tuple(
        StatementLine(
            i, "Aurèle Vasseur", f"Statement number {i} about the harbour", ("A", "B"), i + 1
        )
        for i in range(1, 4)
    )
    digest = Digest("slack:C1", START, END, most_repeated=lines)
    written = render_coverage_chart(digest, tmp_path / "coverage.png")
    assert written == tmp_path / "coverage.png"
    data = (tmp_path / "coverage.png").read_bytes()
    assert data.startswith(PNG) and len(data) > 5_000
    pixels = image.imread(tmp_path / "coverage.png")
    assert pixels.shape[0] > 100 and pixels.shape[1] == 900


def test_empty_period_still_draws_into_a_buffer() -> None:
    buffer = io.BytesIO()
    data = render_coverage_chart(Digest("console:default", START, END), buffer)
    assert isinstance(data, bytes) and data == buffer.getvalue() and data.startswith(PNG)
    assert image.imread(io.BytesIO(data)).ndim == 3
