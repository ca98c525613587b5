"""A feed read from a local file: the bundled sample feed, and feeds kept on disk.

The bytes go through the same reader as feeds fetched over HTTP (`adapters.feeds.parse_feed`),
so a file and a URL give the same articles; a file that is no feed at all gives none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from adapters.feeds import parse_feed
from bot.core.models import Article

log = logging.getLogger(__name__)


def read_feed_file(path: Path) -> list[Article]:
    """Every entry of an RSS/Atom file as an article, oldest first; a broken feed keeps what
    parsed, and one that cannot be read at all is logged and gives nothing."""
    try:
        parsed = parse_feed(path.read_bytes(), str(path))
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        # feedparser can fail outright on a garbled encoding declaration.
        log.warning("feed %s could not be read (%s: %s); skipped", path, type(exc).__name__, exc)
        return []
    if parsed.error:
        log.warning(
            "feed %s is malformed (%s); keeping %d entries",
            path,
            parsed.error,
            len(parsed.articles),
        )
    if parsed.skipped:
        log.info(
            "feed %s: %d entries skipped (no link or text, or over the cap)", path, parsed.skipped
        )
    return list(parsed.articles)
