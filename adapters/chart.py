"""Coverage of a digest's top statements as a PNG, for Slack and Discord to attach.

matplotlib runs headless (Agg); one horizontal bar per statement: outlets and quotes.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

from bot.core.digest import Digest, StatementLine


def _label(line: StatementLine) -> str:
    who = line.speaker or "Unknown"
    return textwrap.shorten(f"{who}: {line.text}", width=60, placeholder="…")


def render_coverage_chart(
    digest: Digest, target: str | Path | BinaryIO | None = None
) -> bytes | Path:
    """Draw the chart; returns the PNG bytes, or the Path written when ``target`` is a path."""
    lines = list(digest.most_repeated or digest.new_statements)
    figure = Figure(figsize=(9, 1.2 + 0.6 * max(len(lines), 1)), dpi=100)
    axes = figure.subplots()
    if lines:
        labels = [_label(s) for s in reversed(lines)]
        positions = range(len(labels))
        axes.barh(
            [p + 0.2 for p in positions], [s.mentions for s in reversed(lines)], 0.4, label="quotes"
        )
        axes.barh(
            [p - 0.2 for p in positions],
            [len(s.outlets) for s in reversed(lines)],
            0.4,
            label="outlets",
        )
        axes.set_yticks(list(positions), labels, fontsize=8)
        axes.legend(loc="lower right")
    else:
        axes.text(0.5, 0.5, "No coverage in this period", ha="center", va="center")
        axes.set_axis_off()
    axes.set_title(f"Coverage {digest.start:%Y-%m-%d %H:%M} – {digest.end:%Y-%m-%d %H:%M}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    if isinstance(target, str | Path):
        path = Path(target)
        path.write_bytes(data)
        return path
    if target is not None:
        target.write(data)
    return data
