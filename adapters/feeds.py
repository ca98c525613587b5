"""RSS/Atom feeds over HTTP: parse bytes into articles, and poll subscribed feeds politely.

A poll is a conditional GET; new entries (by normalised link or title fingerprint, so changed
GUIDs, dates and descriptions do not count) are ingested oldest first; a feed's first poll
learns its backlog silently. Each poll reads at most `MAX_ENTRIES` entries, so a huge feed costs
bounded time and memory, and one feed's failure never stops the others.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from adapters.fetch import FEED_TYPES, Fetcher, FetchError
from bot.core.models import Article, Event, EventType, Feed
from bot.core.ports import Clock

log = logging.getLogger(__name__)

MAX_ENTRIES = 500
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|icid|ref|ref_src|"
    r"src|smid|share|at_medium|at_campaign|_ga|yclid|igshid)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_ENTRY_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ENTRY_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_BLOCKS = {"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its articles oldest first, and what went wrong while reading it."""

    title: str
    articles: tuple[Article, ...]
    error: str | None = None  # a malformed feed keeps what parsed; this says what broke
    skipped: int = 0  # entries left out: over the cap, or without a link or text
    summary_only: frozenset[str] = frozenset()  # urls whose text is only the feed's summary


def clean_link(url: str) -> str:
    """The link without tracking parameters or fragment, with a lower-case host."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(sorted(query)), "")
    )


def entry_keys(article: Article) -> tuple[str, ...]:
    """What identifies an entry across GUID, pubDate and description changes: its link without
    scheme, ``www.`` or trailing slash, and a fingerprint of a title of four words or more."""
    parts = urlsplit(clean_link(article.url))
    host = parts.netloc.removeprefix("www.")
    link = f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
    keys = [f"link:{link}"]
    words = _WORD.findall(article.title.casefold())
    if len(words) >= 4:
        keys.append("title:" + hashlib.sha1(" ".join(words).encode()).hexdigest()[:20])
    return tuple(keys)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Readable text of an HTML fragment: tags dropped, paragraphs kept apart."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _windows(data: bytes, limit: int) -> tuple[list[bytes], int]:
    """The document cut to its first and last ``limit`` entries when it has more (feeds are
    usually newest first, some oldest first); returns the pieces and the entries left out."""
    ends = [m.end() for m in _ENTRY_CLOSE.finditer(data)]
    first = _ENTRY_OPEN.search(data)
    if len(ends) <= 2 * limit or first is None:
        return [data], 0
    header, footer = data[: first.start()], data[ends[-1] :]
    head = data[: ends[limit - 1]] + footer
    tail = header + data[ends[-limit - 1] :]
    return [head, tail], len(ends) - 2 * limit


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None
    except (OverflowError, ValueError, TypeError):
        return None


def _article(entry: Any, feed_title: str, source: str) -> tuple[Article, bool] | None:
    """One entry as an article and whether its text is only a summary; None without text/link."""
    content = entry.get("content") or []
    body = content[0] if content else {"value": entry.get("summary", ""), "type": "text/html"}
    raw = str(body.get("value") or "")
    text = raw.strip() if body.get("type") == "text/plain" else plain_text(raw)
    guid = str(entry.get("id") or "")
    url = clean_link(str(entry.get("link") or guid))
    if not text or not url.startswith(("http://", "https://")):
        return None  # no text, or no absolute link to identify the article by
    origin = entry.get("source") or {}
    return (
        Article(
            url=url,
            outlet=str(origin.get("title") or feed_title or urlsplit(url).netloc or source),
            title=plain_text(str(entry.get("title", ""))),
            text=text,
            published=_published(entry),
            author=str(entry.get("author")) if entry.get("author") else None,
        ),
        not content,
    )


def parse_feed(data: bytes, source: str, *, limit: int = MAX_ENTRIES) -> ParsedFeed:
    """Read RSS/Atom bytes into at most ``limit`` articles, the newest, given oldest first.

    Never raises on bad input: a malformed feed keeps the entries that parsed and says why in
    ``error``; entries without a link or text are skipped.
    """
    pieces, skipped = _windows(data, limit)
    entries: list[Any] = []
    title, error = "", None
    for piece in pieces:
        parsed = feedparser.parse(piece, sanitize_html=True, resolve_relative_uris=False)
        if parsed.get("bozo") and error is None:
            error = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"
        title = title or str(parsed.feed.get("title", ""))
        entries.extend(parsed.entries)
    found: dict[str, tuple[int, Article, bool]] = {}
    for position, entry in enumerate(entries):
        made = _article(entry, title, source)
        if made is None:
            skipped += 1
        elif made[0].url not in found:
            found[made[0].url] = (position, *made)
    # Oldest first: by date, else later in the document counts as older (newest-first feeds).
    floor = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(found.values(), key=lambda f: (f[1].published or floor, -f[0]))
    kept = ordered[-limit:] if limit > 0 else []
    skipped += len(ordered) - len(kept)
    return ParsedFeed(
        title=plain_text(title),
        articles=tuple(a for _, a, _ in kept),
        error=error,
        skipped=skipped,
        summary_only=frozenset(a.url for _, a, summary in kept if summary),
    )


class FeedBook(Protocol):
    """What the poller needs from the feed store (`storage.feeds.FeedStore`)."""

    def due(self, now: datetime) -> list[Feed]: ...
    def validators(self, feed_id: int) -> tuple[str | None, str | None]: ...
    def pending_backfill(self, feed_id: int) -> int | None: ...
    def failing_since(self, feed_id: int) -> str | None: ...
    def seen(self, feed_id: int, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, feed_id: int, keys: Iterable[str], now: datetime) -> None: ...
    def record_ok(
        self,
        feed: Feed,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        *,
        title: str | None = None,
    ) -> str | None: ...
    def record_failure(
        self, feed: Feed, error: str, now: datetime, *, retry_after: float | None = None
    ) -> tuple[int, datetime, bool]: ...


@dataclass(frozen=True)
class FeedOutcome:
    """One feed's poll: "ok", "not-modified" or "failed", and what it brought in."""

    feed: Feed
    status: str
    ingested: int = 0
    alerted: int = 0  # ingested with alerts on (not silently)
    skipped: int = 0
    error: str | None = None


@dataclass(frozen=True)
class PollReport:
    outcomes: tuple[FeedOutcome, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ingested(self) -> int:
        return sum(o.ingested for o in self.outcomes)


Ingest = Callable[[Article, bool], object]
Notice = Callable[[Event, str], None]
Progress = Callable[[Feed, int, int], None]  # feed, done, total


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FeedPoller:
    """Poll due feeds through one `Fetcher`; ingest new entries; notice dead and revived feeds."""

    def __init__(
        self,
        store: FeedBook,
        fetcher: Fetcher,
        ingest: Ingest,
        notice: Notice,
        clock: Clock | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
        fetch_page: Callable[[str], Article] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.store, self.fetcher, self.ingest, self.notice = store, fetcher, ingest, notice
        self.clock = clock or SystemClock()
        self.max_entries = max_entries
        self.fetch_page = fetch_page  # full text for summary-only entries (adapters.pages)
        self.progress = progress

    def poll_due(self, now: datetime | None = None) -> PollReport:
        """Poll every feed whose time has come; a failing feed is logged and backed off."""
        now = now or self.clock.now()
        return PollReport(tuple(self.poll(feed, now) for feed in self.store.due(now)))

    def poll(
        self, feed: Feed, now: datetime | None = None, *, backfill: int | None = None
    ) -> FeedOutcome:
        """One feed, now. ``backfill`` overrides the stored count for a first poll."""
        now = now or self.clock.now()
        try:
            return self._poll(feed, now, backfill)
        except FetchError as e:
            return self._failed(feed, now, e.message, e.retry_after)
        except Exception as e:  # one feed's bug must not stop the round
            log.exception("feed %s: poll failed", feed.url)
            return self._failed(feed, now, f"{type(e).__name__}: {e}", None)

    def _poll(self, feed: Feed, now: datetime, backfill: int | None) -> FeedOutcome:
        etag, last_modified = self.store.validators(feed.id)
        result = self.fetcher.get(
            feed.url, etag=etag, last_modified=last_modified, kinds=FEED_TYPES
        )
        if result.not_modified:
            self._ok(feed, result.etag, result.last_modified, now, None)
            log.info("feed %s: not modified", feed.url)
            return FeedOutcome(feed, "not-modified")
        parsed = parse_feed(result.content, feed.url, limit=self.max_entries)
        if parsed.error and not parsed.articles and not parsed.title:
            return self._failed(feed, now, f"not a readable feed ({parsed.error})", None)
        if parsed.error:
            log.warning(
                "feed %s is malformed (%s); keeping %d entries",
                feed.url,
                parsed.error,
                len(parsed.articles),
            )
        if parsed.skipped:
            log.info(
                "feed %s: %d entries skipped (cap %d, or no link/text)",
                feed.url,
                parsed.skipped,
                self.max_entries,
            )
        pending = self.store.pending_backfill(feed.id)
        first = pending is not None
        fresh = self._unseen(feed, parsed.articles)
        loud_from = (
            len(fresh) - max(0, backfill if backfill is not None else pending or 0) if first else 0
        )
        alerted = 0
        for done, (article, keys) in enumerate(fresh, 1):
            silent = done - 1 < loud_from
            if self.fetch_page and article.url in parsed.summary_only:
                article = self._full_page(article)
            try:
                self.ingest(article, silent)
                alerted += not silent
            except Exception:  # a bad article is skipped, never retried forever
                log.exception("feed %s: entry %s could not be ingested", feed.url, article.url)
            self.store.mark_seen(feed.id, keys, now)
            if self.progress:
                self.progress(feed, done, len(fresh))
        self._ok(feed, result.etag, result.last_modified, now, parsed.title or None)
        log.info("feed %s: %d new entries (%d alerted)", feed.url, len(fresh), alerted)
        return FeedOutcome(feed, "ok", len(fresh), alerted, parsed.skipped, parsed.error)

    def _unseen(
        self, feed: Feed, articles: Iterable[Article]
    ) -> list[tuple[Article, tuple[str, ...]]]:
        keyed = [(a, entry_keys(a)) for a in articles]
        known = self.store.seen(feed.id, (k for _, keys in keyed for k in keys))
        fresh = []
        for article, keys in keyed:
            if not known.intersection(keys):
                fresh.append((article, keys))
                known.update(keys)  # two entries of one poll with one link or title: once
        return fresh

    def _full_page(self, article: Article) -> Article:
        assert self.fetch_page is not None
        try:
            page = self.fetch_page(article.url)
        except Exception as e:  # FetchError, NotAnArticle: the summary will do
            log.info("full page of %s not used: %s", article.url, e)
            return article
        return replace(page, outlet=article.outlet, published=page.published or article.published)

    def _ok(
        self,
        feed: Feed,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        title: str | None,
    ) -> None:
        streak = self.store.record_ok(feed, etag, last_modified, now, title=title)
        if streak is not None:
            log.warning("feed %s recovered", feed.url)
            self.notice(
                self._event(feed, f"Feed {_name(feed)} is back: it is polled again."),
                f"feed-recovered:{feed.id}:{streak}",
            )

    def _failed(
        self, feed: Feed, now: datetime, error: str, retry_after: float | None
    ) -> FeedOutcome:
        failures, until, disabled = self.store.record_failure(
            feed, error, now, retry_after=retry_after
        )
        log.warning(
            "feed %s failed (%d in a row, next try %s): %s",
            feed.url,
            failures,
            until.isoformat(),
            error,
        )
        if disabled:
            detail = (
                f"Feed {_name(feed)} disabled after {failures} failed polls in a row ({error}); "
                "it is checked once a day and resumes by itself when it answers again."
            )
            self.notice(
                self._event(feed, detail),
                f"feed-disabled:{feed.id}:{self.store.failing_since(feed.id)}",
            )
        return FeedOutcome(feed, "failed", error=error)

    def _event(self, feed: Feed, detail: str) -> Event:
        outlet = feed.title or urlsplit(feed.url).netloc
        return Event(
            EventType.FEED_NOTICE,
            feed.url,
            outlet,
            title=outlet,
            detail=detail,
            channel=feed.channel,
        )


def _name(feed: Feed) -> str:
    return f"{feed.title} ({feed.url})" if feed.title else feed.url
