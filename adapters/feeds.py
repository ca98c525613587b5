"""RSS/Atom feeds over HTTP: parse bytes into articles, and poll subscribed feeds politely.

A poll is a conditional GET; new entries (by normalised link or title fingerprint, so changed
GUIDs, dates and descriptions do not count) are ingested oldest first; a feed's first poll
learns its backlog silently. Each poll reads at most `MAX_ENTRIES` entries, so a huge feed costs
bounded time and memory, and one feed's failure never stops the others. `FeedPoller.stop` ends
a round between two entries (the bot is stopping): what it stored is whole, and the rest of the
feed is read at the next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from typing import Protocol

from adapters.feed_entries import (
    MAX_ENTRIES,
    ParsedFeed,
    clean_link,
    entry_keys,
    parse_feed,
    plain_text,
)
from adapters.fetch import FEED_OR_PAGE, FEED_TYPES, PAGE_TYPES, Fetcher, FetchError, FetchResult
from bot.core.errors import FeedError
from bot.core.models import Article, Event, EventType, Feed, QuoteKind
from bot.core.ports import Clock, FeedCheck, SystemClock
from bot.core.urls import BadUrl, is_web_url, join_url, split_url

log = logging.getLogger(__name__)
MAX_PAGES = 20  # article pages fetched for summary-only entries in one poll of one feed

__all__ = [
    "MAX_ENTRIES", "FeedBook", "FeedOutcome", "FeedPoller", "ParsedFeed", "PollReport",
    "check_feed", "clean_link", "entry_keys", "feed_links", "parse_feed", "plain_text",
]  # fmt: skip
# The link types of the feeds a page names that are read here, RSS first (most sites' choice).
_READABLE = ("application/rss+xml", "application/atom+xml")


class _FeedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (type, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        named = {k.lower(): (v or "").strip() for k, v in attrs}
        rels = named.get("rel", "").lower().split()
        kind = named.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in _READABLE and named.get("href"):
            self.found.append((kind, named["href"]))


def feed_links(html: bytes, base: str) -> list[str]:
    """The RSS and Atom feeds a web page names in ``<link rel="alternate" type=...>``, RSS
    first, as absolute http(s) URLs; a site's home page given for a feed is read through this.
    Only the page's first 512 KB are read: the links stand in its head."""
    parser = _FeedLinks()
    try:
        parser.feed(html[:512_000].decode("utf-8", errors="replace"))
        parser.close()
    except Exception:  # an HTML parser on untrusted input: what it found so far will do
        pass
    ranked = sorted(parser.found, key=lambda found: _READABLE.index(found[0]))
    urls = [join_url(base, href) for _, href in ranked]
    return list(dict.fromkeys(u for u in urls if u is not None and is_web_url(u)))


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
        complete: bool = True,
    ) -> str | None: ...
    def record_failure(
        self, feed: Feed, error: str, now: datetime, *, retry_after: float | None = None
    ) -> tuple[int, datetime, bool]: ...


@dataclass(frozen=True)
class FeedOutcome:
    """One feed's poll: "ok", "not-modified", "failed" or "stopped" (the bot stopped it between
    two entries; the rest are read at the next poll), and what it brought in."""

    feed: Feed
    status: str
    ingested: int = 0
    alerted: int = 0  # ingested with alerts on (not silently)
    skipped: int = 0
    error: str | None = None
    unstored: int = 0  # new entries that could not be stored: unseen, retried next poll


@dataclass(frozen=True)
class PollReport:
    outcomes: tuple[FeedOutcome, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ingested(self) -> int:
        return sum(o.ingested for o in self.outcomes)


Ingest = Callable[[Article, bool, Feed], object]  # article, silent, the feed it came from
Notice = Callable[[Event, str], None]
Progress = Callable[[Feed, int, int], None]  # feed, done, total


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
        self.reported: set[str] = set()  # entries whose ingest failure was logged in full
        self.reported_dates: set[int] = set()  # feeds whose unreadable dates were logged
        self.stopping = threading.Event()

    def stop(self) -> None:
        """End the round in flight after the entry it is storing, and start no other: called
        from another thread when the bot stops."""
        self.stopping.set()

    def poll_due(self, now: datetime | None = None) -> PollReport:
        """Poll every feed whose time has come; a failing feed is logged and backed off, and
        whatever happens with one feed, the others are polled."""
        now = now or self.clock.now()
        return self.poll_each(self.store.due(now), now)

    def poll_each(self, feeds: Iterable[Feed], now: datetime | None = None) -> PollReport:
        """Poll ``feeds`` one after the other, until the poller is stopped."""
        outcomes = []
        for feed in feeds:
            if self.stopping.is_set():
                break
            outcomes.append(self.poll(feed, now))
        return PollReport(tuple(outcomes))

    def poll(
        self, feed: Feed, now: datetime | None = None, *, backfill: int | None = None
    ) -> FeedOutcome:
        """One feed, now. ``backfill`` overrides the stored count for a first poll."""
        now = now or self.clock.now()
        try:
            return self._poll(feed, now, backfill)
        except FetchError as e:
            error, retry_after = e.message, e.retry_after
        except Exception as e:  # one feed's bug must not stop the round
            if self.stopping.is_set():  # the bot stopped without waiting, closing under us
                log.info("feed %s: poll stopped (%s: %s)", feed.url, type(e).__name__, e)
                return FeedOutcome(feed, "stopped", error="the bot stopped")
            log.exception("feed %s: poll failed", feed.url)
            error, retry_after = f"{type(e).__name__}: {e}", None
        try:
            return self._failed(feed, now, error, retry_after)
        except Exception:  # not even the failure could be stored: still, the round goes on
            log.exception("feed %s: its failure (%s) could not be recorded", feed.url, error)
            return FeedOutcome(feed, "failed", error=error)

    def _poll(self, feed: Feed, now: datetime, backfill: int | None) -> FeedOutcome:
        etag, last_modified = self.store.validators(feed.id)
        result = self.fetcher.get(
            feed.url, etag=etag, last_modified=last_modified, kinds=FEED_TYPES
        )
        if result.not_modified:
            self._ok(feed, result, now, None)
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
        if parsed.bad_dates and feed.id not in self.reported_dates:
            self.reported_dates.add(feed.id)  # once per feed while the bot runs
            log.warning(
                "feed %s: %d entry date(s) not understood, stored without a date, e.g. %s",
                feed.url, len(parsed.bad_dates), parsed.bad_dates[0],
            )  # fmt: skip
        if parsed.skipped:
            log.info(
                "feed %s: %d entries skipped (over the cap of %d, no text, or no link that parses)",
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
        alerted = failed = 0
        # Full pages for the newest summary-only entries, at most `MAX_PAGES` a poll: a
        # backlog of 500 is read from its summaries rather than fetched page by page.
        summaries = [a.url for a, _ in fresh if a.url in parsed.summary_only]
        wanted = set(summaries[-MAX_PAGES:]) if self.fetch_page else set()
        for done, (article, keys) in enumerate(fresh, 1):
            silent = done - 1 < loud_from
            if not self.stopping.is_set() and article.url in wanted:
                article = self._full_page(article)
            if self.stopping.is_set():
                return self._stopped(feed, done - 1 - failed, alerted, len(fresh), parsed)
            try:
                self.ingest(article, silent, feed)
            except Exception as exc:
                if self.stopping.is_set():  # the bot stopped without waiting for this entry
                    raise
                # Not stored, so not seen: the next poll of this feed tries it again.
                failed += 1
                self._entry_failed(feed, article, exc)
            else:
                alerted += not silent
                self.store.mark_seen(feed.id, keys, now)
            if self.progress:
                self.progress(feed, done, len(fresh))
        self._ok(feed, result, now, parsed.title or None, not failed)
        log.info(
            "feed %s: %d new entries (%d alerted, %d to retry)",
            feed.url, len(fresh), alerted, failed,
        )  # fmt: skip
        return FeedOutcome(
            feed, "ok", len(fresh) - failed, alerted, parsed.skipped, parsed.error, failed
        )

    def _stopped(
        self, feed: Feed, stored: int, alerted: int, new: int, parsed: ParsedFeed
    ) -> FeedOutcome:
        """The round was stopped before this feed's next entry. Nothing of the poll is recorded
        but the entries stored (marked seen): the feed stays due, a first poll's backfill stays
        pending, and the validators kept are the last complete poll's, which the changed feed
        does not match, so the next poll reads the rest as this one would have."""
        log.info(
            "feed %s: stopped after %d of %d new entries; the rest are read at the next poll",
            feed.url, stored, new,
        )  # fmt: skip
        return FeedOutcome(feed, "stopped", stored, alerted, parsed.skipped, parsed.error)

    def _entry_failed(self, feed: Feed, article: Article, exc: Exception) -> None:
        """Log an entry that could not be stored: in full the first time, briefly after."""
        if article.url not in self.reported:
            self.reported.add(article.url)
            log.error(
                "feed %s: entry %s could not be stored; it stays unseen and is retried at"
                " the next poll",
                feed.url, article.url, exc_info=exc,
            )  # fmt: skip
        else:
            log.warning(
                "feed %s: entry %s still cannot be stored (%s: %s)",
                feed.url, article.url, type(exc).__name__, exc,
            )  # fmt: skip

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
        answer: FetchResult,
        now: datetime,
        title: str | None,
        complete: bool = True,
    ) -> None:
        """A poll the feed answered: its validators kept, a recovery told once."""
        streak = self.store.record_ok(
            feed, answer.etag, answer.last_modified, now, title=title, complete=complete
        )
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
        outlet = feed.title or _netloc(feed.url)
        return Event(
            EventType.FEED_NOTICE,
            feed.url,
            outlet,
            title=outlet,
            detail=detail,
            channel=feed.channel,
        )


def _netloc(url: str) -> str:
    try:
        return split_url(url).netloc or url
    except BadUrl:  # stored before such an address was refused
        return url


def _name(feed: Feed) -> str:
    return f"{feed.title} ({feed.url})" if feed.title else feed.url


# -- `feeds add`: one fetch of an address, to say what it is before it is watched --------------
QUOTES_SAMPLE = 10  # newest entries whose quotes `feeds add` counts
# Answers that may pass by themselves: a feed giving one of these when added is added anyway.
PASSING_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def check_feed(fetcher: Fetcher, url: str) -> FeedCheck:
    """Fetch a feed once, as it is being added: what it holds, or FeedError saying why it is
    no feed (a mistyped address, a page that names no feed, a refused host). A web page that
    names its feed (``<link rel="alternate">``, a site's home page) is read through to that
    feed, whose address is returned in ``url``. A failure that may pass by itself (a server
    error, a timeout, a rate limit) is returned in ``problem``, not raised."""
    try:
        result = fetcher.get(url, kinds=FEED_OR_PAGE)
    except FetchError as exc:
        return _not_fetched(url, exc)
    page = None
    if result.content_type in PAGE_TYPES and not _looks_like_feed(result.content):
        links = feed_links(result.content, result.url)
        if not links:
            raise FeedError(
                f"{url} is not added: it is a web page that names no RSS or Atom feed"
                ' (no <link rel="alternate">); give the feed\'s own address'
            )
        page, url = url, links[0]
        try:
            result = fetcher.get(url, kinds=FEED_TYPES)
        except FetchError as exc:
            return _not_fetched(url, exc, page)
    parsed = parse_feed(result.content, url)
    if not parsed.articles and not parsed.title:
        why = parsed.error or "no entries and no title"
        raise FeedError(f"{url} is not added: not an RSS or Atom feed ({why})")
    dates = [a.published for a in parsed.articles if a.published is not None]
    newest = parsed.articles[-QUOTES_SAMPLE:]  # oldest first
    return FeedCheck(
        parsed.title,
        len(parsed.articles),
        max(dates) if dates else None,
        url=url,
        quotes=sum(_quotes_in(a.text) for a in newest),
        sampled=len(newest),
        page=page,
    )


def _not_fetched(url: str, exc: FetchError, page: str | None = None) -> FeedCheck:
    passing = exc.reason in ("timeout", "network") and "resolve" not in exc.message
    if passing or exc.status in PASSING_STATUS:
        return FeedCheck("", 0, None, exc.message, url=url, page=page)
    named = f" (named by {page})" if page else ""
    raise FeedError(f"{url}{named} is not added: {exc.message}") from None


def _looks_like_feed(content: bytes) -> bool:
    """A feed served as text/html (some hosts do): its first tag is rss, feed or rdf."""
    head = content[:2048].lstrip().lower()
    for prolog in (b"<?xml", b"<!--"):
        if head.startswith(prolog):
            head = head[head.find(b">") + 1 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _quotes_in(text: str) -> int:
    from bot.core.extract import extract_quotes  # the quote model loads on first use
    from bot.core.matching.split import matched_quotes

    # the words the bot matches: quoted words inside reported speech count, the report not
    quotes = matched_quotes(extract_quotes(text))
    return sum(1 for q in quotes if q.kind is not QuoteKind.INDIRECT)
