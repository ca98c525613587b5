"""Article pages: invented news pages (served on 127.0.0.1) become articles with clean
paragraphs and metadata; login forms, link lists, briefs and non-HTML are refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.fetch import Fetcher, FetchError, FetchPolicy
from adapters.pages import NotAnArticle, fetch_article, page_article
from tests.adapters.httpserver import TestHTTPServer

URL = "https://www.morrowgazette.example/local/2026/11/20/tide-barrier"
PARAGRAPHS = [
    "The Brackwater harbour council voted seven to two on Thursday evening to build a tide "
    "barrier across the old channel, ending a debate that had run for almost three years.",
    "\u201cThis barrier will protect four thousand homes from the next great storm,\u201d said "
    "councillor Oren Talbot, who proposed the plan. \u201cWe cannot wait for another flood to "
    "tell us what we already know.\u201d",
    "Opponents said the cost, estimated at 48 million crowns, would fall on fishing families. "
    '"The council is spending money it does not have on a wall nobody asked for," said '
    "Marisol Quint, who chairs the fishermen's association.",
    "Mayor Pella Druce said the vote was close but fair. She added that construction would "
    "begin in the spring and take about two years.",
]
ARTICLE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour council approves tide barrier | The Morrow Gazette</title>
<meta property="og:site_name" content="The Morrow Gazette">
<meta property="og:title" content="Harbour council approves tide barrier">
<meta name="author" content="Ilse Varga">
<meta property="article:published_time" content="2026-11-20T09:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour council approves tide barrier</h1>
<p class="byline">By Ilse Varga</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Ferry timetable changes again</a></li>
<li><a href="/b">Lighthouse keeper retires after forty years</a></li></ul></aside>
<footer>Subscribe to our newsletter &copy; 2026 The Morrow Gazette</footer>
</body></html>"""

LOGIN = """<html><head><title>Sign in - The Morrow Gazette</title></head><body>
<form action="/login" method="post"><h2>Sign in to your account</h2>
<label>Email</label><input name="email"><label>Password</label>
<input type="password" name="pw"><button>Sign in</button>
<p>Forgot your password? <a href="/reset">Reset it</a>.</p></form></body></html>"""

INDEX = (
    "<html><head><title>Local news - The Morrow Gazette</title></head><body><h1>Local</h1><ul>"
    + "".join(
        f'<li><a href="/story/{i}">Harbour story number {i} about the barrier vote</a></li>'
        for i in range(40)
    )
    + "</ul></body></html>"
)

BRIEF = """<html><head><title>Ferry delayed</title></head><body><article><h1>Ferry delayed</h1>
<p>The morning ferry to Calder Isle left an hour late on Friday. "Fog," said the captain.</p>
</article></body></html>"""


def test_a_news_page_becomes_an_article_with_paragraphs_and_metadata() -> None:
    article = page_article(ARTICLE.encode("utf-8"), URL)
    assert article.title == "Harbour council approves tide barrier"
    assert article.outlet == "The Morrow Gazette"
    assert article.author == "Ilse Varga"
    assert article.published == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert article.url == URL and article.language == "en"
    assert article.text.split("\n\n") == PARAGRAPHS
    for boilerplate in ("Home", "Most read", "Lighthouse", "newsletter", "By Ilse Varga"):
        assert boilerplate not in article.text


def test_the_language_comes_from_the_html_element() -> None:
    assert page_article(ARTICLE.replace('lang="en"', "lang='pt-BR'"), URL).language == "pt"
    assert page_article(ARTICLE.replace(' lang="en"', ""), URL).language == "en"  # the default


def test_the_outlet_falls_back_to_the_host_and_can_be_given() -> None:
    bare = ARTICLE.replace('<meta property="og:site_name" content="The Morrow Gazette">', "")
    bare = bare.replace(" | The Morrow Gazette", "").replace("The Morrow Gazette</footer>", "</f>")
    assert page_article(bare, URL).outlet == "morrowgazette.example"
    assert page_article(ARTICLE, URL, outlet="Morrow Gazette (print)").outlet == (
        "Morrow Gazette (print)"
    )


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (LOGIN, "too short"),
        (INDEX, "too short"),
        (BRIEF, "too short"),
        ("Just some plain text, no markup at all. " * 30, "not html"),
        (b"%PDF-1.7\x00\x01\x02 binary", "not html"),
        ("<html><body></body></html>", "no main text"),
    ],
)
def test_pages_that_are_not_articles_say_why(html: str | bytes, reason: str) -> None:
    with pytest.raises(NotAnArticle) as info:
        page_article(html, URL)
    assert info.value.reason.startswith(reason)
    assert URL in str(info.value)


def test_a_link_list_beside_the_prose_is_dropped() -> None:
    items = "".join(f"<li><a href='/s/{i}'>Story {i}</a></li>" for i in range(80))
    prose = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    html = f"<html><body><div>{prose}</div><div><ul>{items}</ul></div></body></html>"
    assert page_article(html, URL).text.split("\n\n") == PARAGRAPHS[:3]


def test_a_page_that_is_mostly_list_items_is_not_an_article() -> None:
    prose = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    items = "".join(f"<li>Tide table entry number {i} for the harbour</li>" for i in range(30))
    with pytest.raises(NotAnArticle) as info:
        page_article(f"<html><body><article>{prose}<ul>{items}</ul></article></body></html>", URL)
    assert info.value.reason == "mostly links, headings or form labels"


def test_paragraphs_that_lead_into_an_embed_still_count_as_prose() -> None:
    # Found on real pages: long paragraphs ending "... Watch the ad below:" before a video.
    # (No <title> either: the first paragraph stays, though trafilatura takes it as the title.)
    leads = [
        f"{PARAGRAPHS[0]} {PARAGRAPHS[n]} Watch the {kind} below:"
        for n, kind in [(1, "vote"), (3, "ad")]
    ]
    html = (
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in leads) + "</article></body></html>"
    )
    assert page_article(html, URL).text.split("\n\n") == leads


def test_html_above_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(NotAnArticle) as info:
        page_article(ARTICLE, URL, max_bytes=1000)
    assert info.value.reason.startswith("too large")


def test_fetch_article_reads_a_page_over_http(server: TestHTTPServer) -> None:
    server.routes["/story"] = (302, {"Location": "/local/tide-barrier"}, b"")
    html = ARTICLE.encode("utf-8")
    server.routes["/local/tide-barrier"] = (200, {"Content-Type": "text/html"}, html)
    with Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))) as fetcher:
        article = fetch_article(fetcher, server.url("/story"))
    assert article.url == server.url("/local/tide-barrier")
    assert article.text.split("\n\n") == PARAGRAPHS
    accept = server.requests_to("/story")[0].headers["accept"]
    assert "text/html" in accept and "rss" not in accept


def test_fetch_article_refuses_a_feed_and_a_login_page(server: TestHTTPServer) -> None:
    server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, b"<rss/>")
    server.routes["/login"] = (200, {"Content-Type": "text/html"}, LOGIN)
    with Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))) as fetcher:
        with pytest.raises(FetchError) as fetch_error:
            fetch_article(fetcher, server.url("/feed"))
        with pytest.raises(NotAnArticle) as not_article:
            fetch_article(fetcher, server.url("/login"))
    assert fetch_error.value.reason == "content-type"
    assert not_article.value.reason.startswith("too short")


def _check_any(html: str | bytes) -> None:
    try:
        article = page_article(html, URL)
    except NotAnArticle as e:
        assert e.reason
    else:
        assert article.text.strip() and "\n\n\n" not in article.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_is_an_article_or_not_an_article(text: str) -> None:
    _check_any(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["p", "div", "h2", "li", "blockquote", "td", "a"]), st.text()),
        max_size=30,
    )
)
def test_any_html_shaped_text_is_an_article_or_not_an_article(
    blocks: list[tuple[str, str]],
) -> None:
    body = "".join(f"<{tag}>{text}</{tag}>" for tag, text in blocks)
    _check_any(f"<html><head><title>x</title></head><body>{body}</body></html>")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_an_article_or_not_an_article(data: bytes) -> None:
    _check_any(b"<html><body><p>" + data)


def test_fetch_article_refuses_an_address_that_does_not_parse(server: TestHTTPServer) -> None:
    """``http://[::1`` made urllib raise ValueError out of `verbatim ingest`, and the files
    after it were never read: now it is a FetchError, which the command skips with its reason."""
    server.routes["/away"] = (302, {"Location": "http://[::1"}, b"")
    with Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))) as fetcher:
        for url in ("http://[::1", "http://127.0.0.1:abc/"):
            with pytest.raises(FetchError) as refused:
                fetch_article(fetcher, url)
            assert refused.value.reason == "bad-url", url
        with pytest.raises(FetchError):  # redirected to one: httpx refuses the Location
            fetch_article(fetcher, server.url("/away"))
    assert page_article(ARTICLE, "http://[::1").outlet  # a page given such a URL still reads
