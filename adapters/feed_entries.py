"""Feed documents to articles: RSS/Atom bytes parsed with feedparser, bounded, and the keys
that recognise an entry again after its publisher changes its GUID, date or description.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlunsplit

import feedparser

from adapters.files import parse_date
from bot.core.models import Article
from bot.core.urls import BadUrl, is_web_url, split_url

MAX_ENTRIES = 500
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|icid|ref|ref_src|"
    r"src|smid|share|at_medium|at_campaign|_ga|yclid|igshid)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_ENTRY_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ENTRY_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_CHARREF = re.compile(
    rb"&#(?:0*([0-9]{1,8})|[xX]0*([0-9a-fA-F]{1,7}));|&#(?:[0-9]+|[xX][0-9a-fA-F]+);"
)
# Google Alerts and Google News send readers through a redirect on a Google host that names
# the publisher's page in its query: https://www.google.com/url?...&url=https://publisher/...
_GOOGLE_HOST = re.compile(r"(?:^|\.)google\.(?:com|[a-z]{2,3}|com?\.[a-z]{2})$")
_REDIRECT_PATHS = ("/url", "/news/url")
_ARTICLE_PATHS = ("/rss/articles/", "/articles/")  # news.google.com/rss/articles/<id>
_BLOCKS = {"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its articles oldest first, and what went wrong while reading it."""

    title: str
    articles: tuple[Article, ...]
    error: str | None = None  # a malformed feed keeps what parsed; this says what broke
    skipped: int = 0  # entries left out: over the cap, without text, or without a link read
    summary_only: frozenset[str] = frozenset()  # urls whose text is only the feed's summary
    bad_dates: tuple[str, ...] = ()  # dates given that could not be read (stored as none)


def clean_link(url: str) -> str:
    """The link without tracking parameters or fragment, with a lower-case host; BadUrl
    (a ValueError) for one that does not parse."""
    parts = split_url(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(sorted(query)), "")
    )


def unwrap_link(url: str) -> str | None:
    """The publisher's URL inside a Google redirect (Google Alerts, Google News), or None when
    ``url`` is no such redirect (or names no URL that parses)."""
    try:
        parts = split_url(url.strip())
    except BadUrl:
        return None
    if not _GOOGLE_HOST.search((parts.hostname or "").lower()):
        return None
    if parts.path.startswith(_ARTICLE_PATHS):
        return _encoded_article(parts.path.rsplit("/", 1)[-1])
    if parts.path not in _REDIRECT_PATHS:
        return None
    query = dict(parse_qsl(parts.query))
    target = (query.get("url") or query.get("q") or "").strip()
    return target if is_web_url(target) else None


def _encoded_article(token: str) -> str | None:
    """The URL a Google News article id carries in itself (base64 of a small protobuf: the URL
    after its length byte), or None: newer ids carry only a key that needs Google to resolve."""
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    at = data.find(b"http")
    if at < 1 or data[at - 1] >= 0x80:
        return None
    found = data[at : at + data[at - 1]]
    try:
        target = found.decode("ascii")
    except UnicodeDecodeError:
        return None
    ok = target.startswith(("http://", "https://")) and target.isprintable() and " " not in target
    return target if ok and is_web_url(target) else None


def _is_aggregator(feed_title: str) -> bool:
    """A feed whose entries come from other outlets, so its own title is no outlet."""
    title = feed_title.casefold()
    return title.startswith("google alert") or title.endswith("google news")


def entry_keys(article: Article) -> tuple[str, ...]:
    """What identifies an entry across GUID, pubDate and description changes: its link without
    scheme, ``www.`` or trailing slash, and a fingerprint of a title of four words or more."""
    parts = split_url(clean_link(article.url))
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


def _readable_charrefs(data: bytes) -> bytes:
    """Numeric character references that name no character (past U+10FFFF, a surrogate) as
    U+FFFD, as an HTML parser reads them: feedparser's lenient parser, which reads a feed that
    is not well-formed XML, raised ValueError on one and lost the whole feed."""

    def readable(match: re.Match[bytes]) -> bytes:
        decimal, hexadecimal = match.group(1), match.group(2)
        if decimal is None and hexadecimal is None:
            return b"&#xFFFD;"  # too many digits to name any character
        value = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            return b"&#xFFFD;"
        return match.group(0)

    return _CHARREF.sub(readable, data) if b"&#" in data else data


def _published(entry: Any) -> tuple[datetime | None, str | None]:
    """The entry's date and, when it gave one that cannot be read, what it gave.

    Our own reader goes first: feedparser turns ``2025-02-30`` into 2 March, and does not
    read ``31/12/2025``; forms only feedparser knows still come from it."""
    raw = str(entry.get("published") or entry.get("updated") or "").strip()
    if raw:
        when, problem = parse_date(raw)
        if when is not None or problem == "no such date":
            return when, (f"{raw[:40]!r}: {problem}" if problem else None)
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC), None
    except (OverflowError, ValueError, TypeError):
        pass
    return None, (f"{raw[:40]!r}: not a date" if raw else None)


def _article(
    entry: Any, feed_title: str, source: str, bad_dates: list[str]
) -> tuple[Article, bool] | None:
    """One entry as an article and whether its text is only a summary; None without text/link.
    A date that cannot be read goes to ``bad_dates``."""
    content = entry.get("content") or []
    body = content[0] if content else {"value": entry.get("summary", ""), "type": "text/html"}
    raw = str(body.get("value") or "")
    text = raw.strip() if body.get("type") == "text/plain" else plain_text(raw)
    guid = str(entry.get("id") or "")
    link = str(entry.get("link") or guid)
    publisher = unwrap_link(link)
    try:
        url = clean_link(publisher or link)
    except BadUrl:
        return None  # a link that does not parse (http://[::1): skipped, counted, not fatal
    if not text or not url.startswith(("http://", "https://")):
        return None  # no text, or no absolute link to identify the article by
    origin = entry.get("source") or {}
    published, bad_date = _published(entry)
    if bad_date:
        bad_dates.append(bad_date)
    title = plain_text(str(entry.get("title", "")))
    named = plain_text(str(origin.get("title") or ""))
    host = split_url(url).netloc.removeprefix("www.")
    if named and title.endswith(f" - {named}"):
        title = title.removesuffix(f" - {named}")  # Google News: "Headline - Outlet"
    if not named and (publisher or _is_aggregator(feed_title)):
        named = host  # an aggregator's entry: the publisher's site, not "Google Alert - …"
    return (
        Article(
            url=url,
            outlet=named or feed_title or host or source,
            title=title,
            text=text,
            published=published,
            author=str(entry.get("author")) if entry.get("author") else None,
        ),
        not content,
    )


def parse_feed(data: bytes, source: str, *, limit: int = MAX_ENTRIES) -> ParsedFeed:
    """Read RSS/Atom bytes into at most ``limit`` articles, the newest, given oldest first.

    Never raises on bad input: a malformed feed keeps the entries that parsed and says why in
    ``error``; entries without a link or text are skipped.
    """
    pieces, skipped = _windows(_readable_charrefs(data), limit)
    entries: list[Any] = []
    title, error = "", None
    for piece in pieces:
        parsed = feedparser.parse(piece, sanitize_html=True, resolve_relative_uris=False)
        if parsed.get("bozo") and error is None:
            error = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"
        title = title or str(parsed.feed.get("title", ""))
        entries.extend(parsed.entries)
    found: dict[str, tuple[int, Article, bool]] = {}
    bad_dates: list[str] = []
    for position, entry in enumerate(entries):
        made = _article(entry, title, source, bad_dates)
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
        bad_dates=tuple(bad_dates),
    )
