"""A site's page read through to the feed it names, and Google Alerts / Google News entries
read as the publisher's articles (issue 18), on a 127.0.0.1 server."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.feed_entries import unwrap_link
from adapters.feeds import check_feed, feed_links, parse_feed
from adapters.fetch import Fetcher, FetchPolicy
from bot.core.errors import FeedError
from tests.adapters.httpserver import Route, serve

POLICY = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))
HTML = {"Content-Type": "text/html; charset=utf-8"}

GOOGLE_ALERT = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>tag:google.com,2005:reader/user/1/state/com.google/alerts/2</id>
<title>Google Alert - ferry line</title>
<entry>
<id>tag:google.com,2013:googlealerts/feed:1</id>
<title type="html">Minister defends the &lt;b&gt;ferry line&lt;/b&gt;</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://www.harbour-ledger.example/news/ferry%3Fid%3D7&amp;ct=ga&amp;cd=CAEYACoU&amp;usg=AOvVaw0"/>
<published>2026-11-23T08:00:00Z</published>
<content type="html">Harbour minister Tomas Ekdahl said: &quot;The new ferry line will
carry two million passengers.&quot;</content>
</entry>
</feed>"""

GOOGLE_NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>"ferry line" - Google News</title>
<item><title>Ferry line to open in spring - Tide Post</title>
<link>https://news.google.com/news/url?sa=t&amp;fd=R&amp;url=https://tide-post.example/ferry-spring</link>
<pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate>
<description>The ferry line opens in spring, the ministry said.</description>
<source url="https://tide-post.example">Tide Post</source></item>
<item><title>Harbour budget passes - Fenwick Courier</title>
<link>https://news.google.com/rss/articles/{encoded}?oc=5</link>
<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
<description>The harbour budget passed on Monday.</description>
<source url="https://fenwick-courier.example">Fenwick Courier</source></item>
<item><title>Quay reopens - Morrow Gazette</title>
<link>https://news.google.com/rss/articles/AU_yqLNopaqueKeyOnly?oc=5</link>
<pubDate>Mon, 23 Nov 2026 11:00:00 GMT</pubDate>
<description>The quay reopened.</description>
<source url="https://morrow-gazette.example">Morrow Gazette</source></item>
</channel></rss>"""


def _article_id(url: str) -> str:
    """A Google News article id of the older kind, which carries its URL in itself."""
    raw = url.encode()
    payload = b"\x08\x13\x22" + bytes([len(raw)]) + raw + b"\xd2\x01\x00"
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


GOOGLE_NEWS = GOOGLE_NEWS.replace(
    "{encoded}", _article_id("https://fenwick-courier.example/budget?x=1")
)


def test_a_page_names_its_feeds_rss_first_as_absolute_urls() -> None:
    page = (
        b"<html><head><link rel='stylesheet' href='/a.css'>"
        b'<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        b'<LINK REL="Alternate home" TYPE="application/rss+xml; charset=utf-8" href="rss">'
        b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        b'<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">'
        b"</head><body><p>Hello</p></body></html>"
    )
    assert feed_links(page, "https://harbour-ledger.example/news/") == [
        "https://harbour-ledger.example/news/rss",
        "https://harbour-ledger.example/atom.xml",
    ]
    assert feed_links(b"<html><body>no head", "https://x.example/") == []
    assert feed_links(b"\xff\xfe<<<link", "https://x.example/") == []


def test_google_alerts_entries_are_the_publishers_articles() -> None:
    parsed = parse_feed(GOOGLE_ALERT.encode(), "https://www.google.com/alerts/feeds/1/2")
    [article] = parsed.articles
    assert article.url == "https://www.harbour-ledger.example/news/ferry?id=7"
    assert article.outlet == "harbour-ledger.example"
    assert article.title == "Minister defends the ferry line"


def test_google_news_entries_name_their_outlet_and_drop_it_from_the_title() -> None:
    parsed = parse_feed(GOOGLE_NEWS.encode(), "https://news.google.com/rss/search?q=ferry")
    spring, budget, quay = parsed.articles
    assert (spring.url, spring.outlet, spring.title) == (
        "https://tide-post.example/ferry-spring",
        "Tide Post",
        "Ferry line to open in spring",
    )
    # An article id that carries its URL is read; an opaque key stays as it is.
    assert (budget.url, budget.outlet, budget.title) == (
        "https://fenwick-courier.example/budget?x=1",
        "Fenwick Courier",
        "Harbour budget passes",
    )
    assert quay.url.startswith("https://news.google.com/rss/articles/AU_yqL")
    assert (quay.outlet, quay.title) == ("Morrow Gazette", "Quay reopens")


def test_an_ordinary_feed_keeps_its_title_as_outlet_and_other_google_links_stay() -> None:
    rss = (
        '<rss version="2.0"><channel><title>Harbour Ledger</title><item><title>Maps</title>'
        "<link>https://www.google.com/maps/place?url=https://elsewhere.example/</link>"
        "<description>A map.</description></item></channel></rss>"
    )
    [article] = parse_feed(rss.encode(), "https://harbour-ledger.example/rss").articles
    assert article.outlet == "Harbour Ledger"
    assert article.url.startswith("https://www.google.com/maps/place")  # no redirect path


def test_check_reads_a_home_page_through_to_its_feed_and_counts_quotes() -> None:
    home = '<html><head><link rel="alternate" type="application/atom+xml" href="/alerts"></head>'
    routes: dict[str, Route] = {
        "/": (200, HTML, home),
        "/alerts": (200, {"Content-Type": "application/atom+xml"}, GOOGLE_ALERT),
        "/blank": (200, HTML, "<html><head><title>Home</title></head><body>Hi</body></html>"),
        "/gone": (200, HTML, '<link rel="alternate" type="application/rss+xml" href="/x">'),
        "/served-as-html": (200, HTML, GOOGLE_NEWS),
    }
    with serve(routes) as site, Fetcher(POLICY) as fetcher:
        found = check_feed(fetcher, site.url("/"))
        assert found.url == site.url("/alerts") and found.page == site.url("/")
        assert (found.title, found.entries, found.quotes, found.sampled) == (
            "Google Alert - ferry line",
            1,
            1,
            1,
        )
        assert found.describe() == (
            f"{site.url('/')} names {site.url('/alerts')}: Found “Google Alert - ferry line”:"
            " 1 entry, the newest from 2026-11-23; 1 quote in the newest entry."
        )
        with pytest.raises(FeedError, match="a web page that names no RSS or Atom feed"):
            check_feed(fetcher, site.url("/blank"))
        with pytest.raises(FeedError, match=r"/x \(named by .*/gone\) is not added: HTTP 404"):
            check_feed(fetcher, site.url("/gone"))
        served = check_feed(fetcher, site.url("/served-as-html"))
        assert served.url == site.url("/served-as-html") and served.entries == 3


@given(st.binary(max_size=3000), st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_feed_links_and_unwrapping_never_raise(page: bytes, link: str) -> None:
    """Whatever a page or a link holds: a list of absolute links, a URL or None, no traceback."""
    found = feed_links(page, "https://x.example/")
    assert all(u.startswith(("http://", "https://")) for u in found)
    for candidate in (
        link,
        f"https://www.google.com/url?url={link}",
        f"https://news.google.com/rss/articles/{link}",
    ):
        target = unwrap_link(candidate)
        assert target is None or target.startswith(("http://", "https://"))
