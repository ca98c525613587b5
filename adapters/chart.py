"""How a digest's top statements spread, as a PNG for Slack and Discord to attach.

matplotlib runs headless (Agg). One line per top statement: how many outlets carried it over
time (by publication time), with its alterations and disputes marked where they appeared.
A digest built without times (no spread) falls back to one bar of outlets per statement.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from bot.core.digest import Digest, SpreadPoint, StatementLine

_COVERAGE = ("new_statement", "repeat", "alter", "misattribution")
_ALTERED = ("alter", "misattribution")
_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf")
_ALTER_STYLE: dict[str, object] = {"marker": "^", "color": "#ff7f0e", "markersize": 10}
_DISPUTE_STYLE: dict[str, object] = {"marker": "X", "color": "#d62728", "markersize": 11}


def _label(n: int, line: StatementLine | None, sid: int, width: int = 95) -> str:
    """``#18 Emmanuel Macron: “This means that one of …”``, cut at a word."""
    who = (line.speaker if line else None) or "Unknown speaker"
    text = line.text if line else ""
    short = textwrap.shorten(text, width=max(width - len(who), 20), placeholder=" …")
    return f"{n}. #{sid} {who}: “{short}”"


def _steps(points: Sequence[SpreadPoint]) -> list[tuple[datetime, int, SpreadPoint]]:
    """Each point with the number of outlets that had carried the statement by then."""
    seen: set[str] = set()
    out = []
    for p in points:
        if p.kind in _COVERAGE:
            seen.add(p.outlet)
        out.append((p.when, len(seen), p))
    return out


def _counts(steps: Sequence[tuple[datetime, int, SpreadPoint]]) -> str:
    altered = sum(p.kind in _ALTERED for _, _, p in steps)
    disputed = sum(p.kind == "dispute" for _, _, p in steps)
    parts = [f"{steps[-1][1]} outlet{'s' * (steps[-1][1] != 1)}"]
    parts += [f"{altered} altered"] * bool(altered) + [f"{disputed} disputed"] * bool(disputed)
    return " · ".join(parts)


def _spread_chart(figure: Figure, digest: Digest) -> None:
    """One panel per top statement, sharing the time axis: outlets carrying it so far, with
    its alterations (left of the line) and disputes (right of it) marked when they appeared."""
    lines = {s.statement_id: s for s in (*digest.new_statements, *digest.most_repeated)}
    panels = figure.subplots(len(digest.spread), 1, sharex=True, squeeze=False)[:, 0]
    times: list[datetime] = []
    for n, ((sid, points), axes) in enumerate(zip(digest.spread, panels, strict=True)):
        colour = _COLOURS[n % len(_COLOURS)]
        steps = _steps(points)
        xs = [t for t, _, _ in steps]
        ys = [y for _, y, _ in steps]
        times += xs
        axes.step(xs, ys, where="post", color=colour, linewidth=2.2)
        axes.plot(xs, ys, linestyle="none", marker="o", color=colour, markersize=6)
        for kinds, style, dx in ((_ALTERED, _ALTER_STYLE, -7), (("dispute",), _DISPUTE_STYLE, 7)):
            marked = [(t, y) for t, y, p in steps if p.kind in kinds]
            if marked:
                axes.plot(
                    [t for t, _ in marked],
                    [y for _, y in marked],
                    linestyle="none",
                    markeredgecolor="black",
                    markeredgewidth=0.6,
                    zorder=3,
                    transform=offset_copy(axes.transData, figure, x=dx, units="points"),
                    **style,
                )
        axes.set_title(_label(n + 1, lines.get(sid), sid, width=88), fontsize=10.5, loc="left")
        axes.set_title(_counts(steps), fontsize=10, loc="right", color="#444444")
        axes.set_ylim(0, max(ys) + 0.6)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(max(ys) + 1, 6)))
        axes.tick_params(labelsize=10)
        axes.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
    first, last = min(times), max(times)
    pad = max((last - first) * 0.05, timedelta(hours=3))
    bottom = panels[-1]
    bottom.set_xlim(first - pad, last + pad)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    bottom.set_xlabel("published (UTC)", fontsize=11)
    figure.supylabel("outlets carrying it", fontsize=11)
    figure.suptitle(
        f"How the top statements spread, {digest.start:%d %b %Y %H:%M} to "
        f"{digest.end:%d %b %Y %H:%M} UTC",
        fontsize=13,
        x=0.01,
        ha="left",
    )
    figure.legend(
        handles=[_key("altered", _ALTER_STYLE), _key("disputed", _DISPUTE_STYLE)],
        loc="upper right",
        fontsize=10,
        frameon=False,
        ncol=2,
    )


def _key(label: str, style: dict[str, object]) -> Line2D:
    return Line2D([], [], linestyle="none", markeredgecolor="black", label=label, **style)  # type: ignore[arg-type]


def _bar_chart(figure: Figure, digest: Digest) -> None:
    lines = list(digest.most_repeated or digest.new_statements)
    axes = figure.subplots()
    labels = [
        textwrap.fill(_label(n + 1, s, s.statement_id, width=70), 48, max_lines=2, placeholder=" …")
        for n, s in enumerate(lines)
    ][::-1]
    axes.barh(range(len(lines)), [len(s.outlets) for s in reversed(lines)], 0.6, color=_COLOURS[0])
    axes.set_yticks(list(range(len(lines))), labels, fontsize=10)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("outlets", fontsize=11)
    axes.set_title(
        f"Coverage {digest.start:%d %b %Y %H:%M} to {digest.end:%d %b %Y %H:%M} UTC",
        fontsize=13,
        loc="left",
    )


def render_coverage_chart(
    digest: Digest, target: str | Path | BinaryIO | None = None
) -> bytes | Path:
    """Draw the chart; returns the PNG bytes, or the Path written when ``target`` is a path."""
    if digest.spread:
        figure = Figure(figsize=(11, 1.3 + 1.9 * len(digest.spread)), dpi=100)
        _spread_chart(figure, digest)
        figure.tight_layout()
    elif digest.most_repeated or digest.new_statements:
        count = len(digest.most_repeated or digest.new_statements)
        figure = Figure(figsize=(11, 1.6 + 0.75 * count), dpi=100)
        _bar_chart(figure, digest)
        figure.tight_layout()
    else:
        figure = Figure(figsize=(11, 2), dpi=100)
        axes = figure.subplots()
        axes.text(0.5, 0.5, "No coverage in this period", ha="center", va="center", fontsize=13)
        axes.set_axis_off()
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
