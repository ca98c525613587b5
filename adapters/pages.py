"""Article pages: clean text and metadata from HTML with trafilatura, and a refusal with a
reason for pages that are not articles (login forms, section fronts, link lists).

A page is an article when its main text holds at least `MIN_PROSE_CHARS` characters of prose
(lines that end as sentences end) in at least `MIN_SENTENCES` sentences, and prose is most of the
main text. 400 characters is about three short news sentences: the shortest wire brief that can
carry a quote with its speaker and context. Link lists and forms are mostly lines without a full
stop, which is what the prose share catches. Paragraphs are separated by blank lines, because
the quote extractor reads paragraph by paragraph.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import Document

from adapters.fetch import PAGE_TYPES, Fetcher, FetchError, FetchPolicy, HostPace
from bot.core.models import Article
from bot.core.urls import BadUrl, split_url

MAX_HTML_BYTES = FetchPolicy().max_body_bytes
MIN_PROSE_CHARS = 400
MIN_SENTENCES = 3
MIN_PROSE_SHARE = 0.5

_TAG = re.compile(r"<\s*[a-zA-Z!]")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "deferred_url_extractor": True,  # a dated <meta> (with its time) before a date in the URL
}


class NotAnArticle(Exception):
    """A page that is not an article; ``reason`` says why in a few words."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"not an article ({reason}): {url}")
        self.reason = reason
        self.url = url


def page_article(
    html: bytes | str, url: str, *, outlet: str | None = None, max_bytes: int = MAX_HTML_BYTES
) -> Article:
    """The article in one HTML page, or NotAnArticle saying why not."""
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "replace"))
    if size > max_bytes:
        raise NotAnArticle(f"too large ({size} bytes, limit {max_bytes})", url)
    head = html[:4096].decode("utf-8", "replace") if isinstance(html, bytes) else html[:4096]
    if "\x00" in head or not _TAG.search(head):
        raise NotAnArticle("not html", url)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as e:  # a third-party parser on untrusted input: any failure is a refusal
        raise NotAnArticle(f"unparsable html ({type(e).__name__})", url) from e
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        raise NotAnArticle("no main text", url)
    title = _clean(doc.title or "")
    paragraphs = _paragraphs(doc.text or "", title if _starts_with_heading(doc) else "")
    _check_prose(paragraphs, url)
    return Article(
        url=url,
        outlet=outlet or _clean(doc.sitename or "") or _host(url),
        title=title or paragraphs[0][:200],
        text="\n\n".join(paragraphs),
        published=_published(doc.date),
        language=doc.language or _language(head) or "en",
        author=_clean(doc.author or "") or None,
    )


def fetch_article(fetcher: Fetcher, url: str, pace: HostPace | None = None) -> Article:
    """Fetch one page (HTML only) and read its article; FetchError or NotAnArticle if not.

    With ``pace``, a host that answered a moment ago is given its pause first. The fetcher
    caps the page's size and the time it takes; trafilatura reads at most that many bytes.
    """
    try:
        host = split_url(url).hostname or ""
    except BadUrl as exc:
        raise FetchError("bad-url", url, f"not fetched: {exc.reason}") from None
    if pace is not None:
        pace.wait(host)
    try:
        result = fetcher.get(url, kinds=PAGE_TYPES)
    except FetchError as exc:
        if pace is not None and exc.status is not None:
            pace.reached(host)  # it answered, with an error
        raise
    if pace is not None:
        pace.reached(host)
    return page_article(result.content, result.url, max_bytes=fetcher.policy.max_body_bytes)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _paragraphs(text: str, title: str) -> list[str]:
    lines = [_clean(line) for line in text.splitlines()]
    paragraphs = [line for line in lines if line]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline repeated as the page's first heading
    return paragraphs


def _starts_with_heading(doc: Document) -> bool:
    body = doc.body
    return body is not None and len(body) > 0 and body[0].tag == "head"


def _check_prose(paragraphs: list[str], url: str) -> None:
    """Prose is the part of each paragraph up to its last sentence end; the rest is not."""
    total = sum(len(p) for p in paragraphs)
    ends = [list(_SENTENCE_END.finditer(p)) for p in paragraphs]
    prose_chars = sum(found[-1].end() for found in ends if found)
    sentences = sum(len(found) for found in ends)
    if total == 0:
        raise NotAnArticle("no main text", url)
    if prose_chars < MIN_PROSE_CHARS:
        raise NotAnArticle(f"too short ({prose_chars} characters of prose)", url)
    if sentences < MIN_SENTENCES:
        raise NotAnArticle(f"too few sentences ({sentences})", url)
    if prose_chars < MIN_PROSE_SHARE * total:
        raise NotAnArticle("mostly links, headings or form labels", url)


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _language(head: str) -> str | None:
    """The primary language subtag of ``<html lang="...">`` ("pt" for "pt-BR"), if any."""
    found = _HTML_LANG.search(head)
    return found.group(1).lower() if found else None


def _host(url: str) -> str:
    try:
        host = (split_url(url).hostname or "").lower()
    except BadUrl:
        host = ""
    return host.removeprefix("www.") or "unknown outlet"
