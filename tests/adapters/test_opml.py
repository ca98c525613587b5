"""OPML round trip, and hostile OPML refused with a clear error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.opml import MAX_OPML_BYTES, OpmlError, parse_opml, to_opml
from bot.core.models import Feed

FEEDS = [
    Feed(1, "https://harbour-herald.example/rss", "Harbour Herald", "slack:C1"),
    Feed(2, "https://quay-gazette.example/atom?x=1&y=<2>", 'Quay "Gazette" & Co', None),
    Feed(3, "http://aldren-courier.example/feed", "", "discord:42"),
]


def test_round_trip_keeps_urls_and_titles() -> None:
    text = to_opml(FEEDS)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">')
    assert 'category="slack:C1"' in text
    assert parse_opml(text) == [(f.url, f.title or f.url) for f in FEEDS]
    assert parse_opml(to_opml([])) == []


def test_nested_outlines_text_titles_and_duplicates() -> None:
    opml = """<?xml version="1.0" encoding="ISO-8859-1"?>
    <opml version="1.0"><head><title>Mine</title></head><body>
      <outline text="Local news">
        <outline text="Herald" type="rss" xmlUrl="https://harbour-herald.example/rss"/>
        <outline TEXT="Gazette" XMLURL="https://quay-gazette.example/atom"/>
      </outline>
      <outline text="Herald again" xmlUrl="https://harbour-herald.example/rss"/>
      <outline text="Mail" xmlUrl="mailto:desk@herald.example"/>
      <outline text="No feed" htmlUrl="https://harbour-herald.example/"/>
    </body></opml>""".encode("iso-8859-1")
    assert parse_opml(opml) == [
        ("https://harbour-herald.example/rss", "Herald"),
        ("https://quay-gazette.example/atom", "Gazette"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<opml><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>',
            "DTD",
        ),
        (
            '<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml><body/></opml>',
            "DTD",
        ),
        ('<opml><body><outline text="&lol;" xmlUrl="https://x.example/f"/></body></opml>', "OPML"),
        ("<rss><channel/></rss>", "does not start with <opml>"),
        ("this is not xml", "not a readable OPML file"),
        ("", "not a readable OPML file"),
        ("<opml><body><outline", "not a readable OPML file"),
    ],
)
def test_hostile_or_broken_opml_is_refused(text: str, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(text)


def test_oversized_opml_is_refused_before_parsing() -> None:
    with pytest.raises(OpmlError, match="over the"):
        parse_opml(b" " * (MAX_OPML_BYTES + 1))


_BITS = st.sampled_from(
    [
        "<opml>",
        "</opml>",
        "<body>",
        "</body>",
        "<outline ",
        "/>",
        ">",
        'xmlUrl="',
        '"',
        "https://a.example/f",
        "&amp;",
        "&x;",
        "<!DOCTYPE x>",
        "<!ENTITY e 'v'>",
        "]]>",
        "\x00",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=500), st.lists(_BITS | st.text(max_size=10)).map("".join)))
def test_parse_opml_raises_only_opml_error(data: bytes | str) -> None:
    try:
        result = parse_opml(data)
    except OpmlError:
        return
    assert all(url.startswith(("http://", "https://")) for url, _ in result)
