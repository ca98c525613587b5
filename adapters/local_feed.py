"""A feed read from a local file: the bundled sample feed, and feeds kept on disk."""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from bot.core.models import Article

log = logging.getLogger(__name__)


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def read_feed_file(path: Path) -> list[Article]:
    """Every entry of an RSS/Atom file as an article; a broken feed keeps what parsed."""
    parsed = feedparser.parse(path.read_bytes())
    if parsed.get("bozo"):
        log.warning(
            "feed %s is malformed (%s); keeping %d entries",
            path,
            parsed.get("bozo_exception"),
            len(parsed.entries),
        )
    feed_title = parsed.feed.get("title", path.stem)
    articles = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        text = content[0].get("value") if content else entry.get("summary", "")
        url = entry.get("link") or entry.get("id")
        if not text or not url:
            log.info("feed %s: entry without text or link skipped", path)
            continue
        source = entry.get("source") or {}
        articles.append(
            Article(
                url=url,
                outlet=source.get("title") or feed_title,
                title=entry.get("title", ""),
                text=text,
                published=_published(entry),
            )
        )
    return articles
