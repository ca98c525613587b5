"""`bot.app.channel_digests.digest_event`: a channel's digest message, with its chart."""

from __future__ import annotations

from pathlib import Path

from bot.app.channel_digests import digest_event
from bot.bootstrap import draw_chart
from bot.core.digest import Digest
from bot.core.models import EventType
from tests.adapters.test_chart import END, PNG, START, spread_digest


def test_a_digest_with_coverage_carries_its_chart(tmp_path: Path) -> None:
    event = digest_event(
        spread_digest(), tmp_path / "charts", "digest-slack:C1-2026-03-05", draw_chart
    )
    assert event.type is EventType.DIGEST and event.channel == "slack:C1"
    assert event.title.startswith("Digest for slack:C1, 2026-03-02 09:00")
    assert event.detail and "Most repeated" in event.detail
    assert event.attachment == str(tmp_path / "charts" / "digest-slack-C1-2026-03-05.png")
    assert Path(event.attachment).read_bytes().startswith(PNG)


def test_an_empty_digest_or_no_folder_attaches_nothing(tmp_path: Path) -> None:
    empty = digest_event(Digest("console:desk", START, END), tmp_path, "empty", draw_chart)
    assert empty.attachment is None and empty.detail is None
    assert empty.title.endswith("nothing new.")
    assert digest_event(spread_digest(), None, "x", draw_chart).attachment is None
    assert list(tmp_path.iterdir()) == []
