"""Fuzzing what reads outside text: nothing escapes but the documented error, with a message.

Adds to the property tests beside each parser (extract, topics, commands, pages): the matcher
and its index, the feed and file readers, long news-shaped extractor input, and parsed topic
queries run against arbitrary documents.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.files import FileError, read_articles
from adapters.local_feed import read_feed_file
from bot.core.extract.quotes import _extract
from bot.core.extract.tagger import load_model
from bot.core.matching import KnownStatement, StatementIndex, classify_quote
from bot.core.models import Relation
from bot.core.topics import Document, QueryError, parse_query

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE_FEED = Path(__file__).resolve().parents[1] / "config" / "sample" / "feed.atom"

_VOCABULARY = (
    "we will not raise the harbour tax this year 12,000 twelve 3.5% never ferry line "
    "families Port Aldren … ... — “ ” ' \" don't won't 2026 a an of Vennholt it's"
)
WORDS = st.sampled_from(_VOCABULARY.split())
PHRASE = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=25).map(" ".join))
SPEAKER = st.one_of(
    st.none(), st.sampled_from(["Clara Vennholt", "Vennholt", "Ines Calloway", ""]), st.text()
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few words deleted, swapped, duplicated or replaced."""
    words = text.split(" ")
    for _ in range(draw(st.integers(0, 4))):
        if not words:
            break
        i = draw(st.integers(0, len(words) - 1))
        op = draw(st.sampled_from(["del", "dup", "swap", "put"]))
        if op == "del":
            del words[i]
        elif op == "dup":
            words.insert(i, words[i])
        elif op == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = draw(WORDS)
    return " ".join(words)


# -- matcher ------------------------------------------------------------------------------


@FAST
@given(st.data(), st.lists(st.tuples(PHRASE, SPEAKER), min_size=1, max_size=6), SPEAKER)
def test_any_quote_against_any_statements_gets_a_verdict(
    data: st.DataObject, stored: list[tuple[str, str | None]], speaker: str | None
) -> None:
    known = [KnownStatement(i + 1, who, text) for i, (text, who) in enumerate(stored)]
    source = data.draw(st.sampled_from([k.canonical for k in known]))
    quote = data.draw(st.one_of(PHRASE, mutated(source)))
    verdict = classify_quote(quote, speaker, known)
    assert verdict.relation in set(Relation)
    if verdict.relation is Relation.NEW:
        assert verdict.statement_id is None
    else:
        assert verdict.statement_id in {k.id for k in known}
        for op in verdict.diff:
            assert op.op in ("equal", "insert", "delete", "replace")


@FAST
@given(st.lists(st.tuples(PHRASE, SPEAKER), max_size=20), PHRASE)
def test_the_index_finds_only_what_it_holds(
    stored: list[tuple[str, str | None]], query: str
) -> None:
    index = StatementIndex()
    for i, (text, who) in enumerate(stored, 1):
        index.add(i, who, text)
    assert len(index) == len(stored)
    found = index.candidates(query)
    assert len(found) == len(set(found)) and set(found) <= set(range(1, len(stored) + 1))
    for i, (text, _) in enumerate(stored, 1):  # a small index: every statement is in reach
        own = index.candidates(text)
        assert own == [] or i in own or len(own) == 25


# -- extractor on long, news-shaped text ----------------------------------------------------

PARAGRAPH = st.one_of(
    st.builds(
        "“{}”, {} said.".format, PHRASE, st.sampled_from(["Vennholt", "she", "Mr. Calloway"])
    ),
    st.builds("{} said {}.".format, st.sampled_from(["Ines Calloway", "He"]), PHRASE),
    st.builds("According to {}, “{}".format, SPEAKER.map(str), PHRASE),
    PHRASE,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, max_size=120).map("\n\n".join))
def test_long_news_shaped_text_gives_exact_spans(text: str) -> None:
    for q in _extract(text, load_model()) if text.strip() else []:  # unguarded: bugs surface
        assert text[q.start : q.end] == q.text


# -- topic queries against arbitrary documents ---------------------------------------------

QUERY_TOKENS = st.sampled_from(
    [
        *['"', "(", ")", "*", "~", "AND", "OR", "NOT", "NEAR/1", "NEAR/40", "speaker:"],
        *["outlet:", "kind:quote", "kind:article", "tax", "harb*", "ferry~", "-", " ", "é", "İ"],
    ]
)


@FAST
@given(st.lists(QUERY_TOKENS, max_size=16).map(" ".join), PHRASE, SPEAKER, st.text(max_size=30))
def test_parsed_queries_match_any_document(
    query: str, text: str, speaker: str | None, outlet: str
) -> None:
    try:
        parsed = parse_query(query)
    except QueryError as error:
        assert str(error).strip()
        return
    for kind in ("quote", "article"):
        assert parsed.matches(Document(text, kind, speaker, outlet)) in (True, False)


# -- feed files ----------------------------------------------------------------------------

DATES = st.one_of(
    st.sampled_from(
        [
            *["2026-11-20T08:00:00Z", "1970-01-01T00:00:00Z", "9999-12-30T00:00:00Z", ""],
            *["Thu, 20 Nov 2026 08:00:00 -1200", "2026-02-30T25:61:00Z", "2026-11-20", "never"],
        ]
    ),
    st.text(max_size=30),
)
# A year past 9999 after the time zone: see test_a_date_past_year_9999_keeps_the_feed.
BEYOND_9999 = "9999-12-31T23:59:59-14:00"
ENTRY = st.fixed_dictionaries(
    {"title": st.text(max_size=40), "link": st.text(max_size=40), "date": DATES},
    optional={"content": st.text(max_size=200), "source": st.text(max_size=20)},
)


def atom(entries: list[dict[str, str]]) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">']
    parts.append("<title>Fenwick Courier</title>")
    for e in entries:
        parts.append(
            f"<entry><title>{escape(e['title'])}</title><link href={json.dumps(e['link'])}/>"
            f"<id>{escape(e['link'])}</id><published>{escape(e['date'])}</published>"
            f"<updated>{escape(e['date'])}</updated>"
        )
        if "source" in e:
            parts.append(f"<source><title>{escape(e['source'])}</title></source>")
        if "content" in e:
            parts.append(f'<content type="text">{escape(e["content"])}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode("utf-8", "surrogatepass")


def read_feed_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.xml"
        path.write_bytes(data)
        for article in read_feed_file(path):
            assert article.url and article.text


@settings(max_examples=60, deadline=None)
@given(st.lists(ENTRY, max_size=4))
def test_generated_feeds_read_without_escaping_errors(entries: list[dict[str, str]]) -> None:
    read_feed_bytes(atom(entries))


def test_a_date_past_year_9999_keeps_the_feed() -> None:
    good = {"title": "Ferry line", "link": "https://fenwick.example/1", "date": "2026-11-20"}
    bad = {**good, "link": "https://fenwick.example/2", "date": BEYOND_9999}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.xml"
        path.write_bytes(atom([{**good, "content": "Said."}, {**bad, "content": "Said."}]))
        assert len(read_feed_file(path)) >= 1


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_are_an_empty_feed_not_a_crash(data: bytes) -> None:
    logging.getLogger("adapters.local_feed").setLevel(logging.ERROR)
    read_feed_bytes(data)


@FAST
@given(st.data())
def test_a_mutated_real_feed_keeps_what_parses(data: st.DataObject) -> None:
    raw = bytearray(SAMPLE_FEED.read_bytes())
    declaration = raw.index(b"?>") + 2  # see test_a_garbled_encoding_declaration_is_a_bad_feed
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(declaration, len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "put"]))
        if op == "flip":
            raw[at] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del raw[at : at + data.draw(st.integers(1, 200))]
        else:
            raw[at:at] = data.draw(st.sampled_from([b"<", b"&", b"]]>", b"\xff\xfe", b"<entry>"]))
    read_feed_bytes(bytes(raw))


def test_a_garbled_encoding_declaration_is_a_bad_feed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    raw = bytearray(SAMPLE_FEED.read_bytes())
    raw[raw.index(b"utf-8") + 4] ^= 0x80  # encoding="utf-\xb8"
    path = tmp_path / "feed.xml"
    path.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="adapters.local_feed"):
        assert read_feed_file(path) == []  # nothing read from it, and nothing raised
    [warning] = [r for r in caplog.records if r.name == "adapters.local_feed"]
    assert str(path) in warning.getMessage() and "could not be read" in warning.getMessage()
    assert "UnicodeDecodeError" in warning.getMessage()  # says why


# -- article files --------------------------------------------------------------------------

RECORD = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
RECORD_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        k: RECORD | st.text(max_size=40)
        for k in ("text", "url", "outlet", "title", "published", "author", "language")
    },
)
FILE_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(RECORD_FIELDS | RECORD, max_size=4).map(lambda rs: "\n".join(map(json.dumps, rs))),
    RECORD_FIELDS.map(json.dumps),
    st.lists(RECORD_FIELDS, max_size=3).map(json.dumps),
    st.builds("<!doctype html><html><body>{}</body></html>".format, st.text(max_size=300)),
)


def read_file_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"article{suffix}"
        path.write_bytes(data)
        try:
            articles = list(read_articles(str(path)))
        except FileError as error:
            assert str(error).strip()
            return
        for article in articles:  # HTML whose text is only blanks gives a blank article
            assert isinstance(article.text, str) and isinstance(article.title, str)
            assert isinstance(article.url, str) and isinstance(article.outlet, str)


SUFFIX = st.sampled_from([".json", ".jsonl", ".html", ".txt", ""])


@FAST
@given(FILE_TEXT, SUFFIX)
def test_any_article_file_reads_or_says_why(text: str, suffix: str) -> None:
    read_file_bytes(text.encode("utf-8", "surrogatepass"), suffix)


@FAST
@given(st.binary(max_size=2000), SUFFIX)
def test_any_bytes_read_or_say_why(data: bytes, suffix: str) -> None:
    read_file_bytes(data, suffix)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json_says_why(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"article{suffix}"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(FileError) as error:
        list(read_articles(str(path)))
    where = f"{path}:1:" if suffix == ".jsonl" else f"{path}:"  # a JSONL error names its line
    assert str(error.value) == f"{where} JSON nested too deeply to read"


def test_deep_but_parsable_json_says_why() -> None:
    read_file_bytes(b'{"text": ' + b"[" * 500 + b"]" * 500 + b"}", ".jsonl")
    read_file_bytes(b"[" * 500 + b"{}" + b"]" * 500, ".json")


# -- one bad record among good ones: skipped with its line, every good one stored ----------

GOOD_TEXT = "Councillor Brenna Osk said the harbour tax would stay. “It stays,” she said."
BAD_LINE = st.one_of(
    st.text(max_size=60).filter(lambda t: t.strip() and "\n" not in t and "\r" not in t),
    RECORD_FIELDS.map(json.dumps),
    st.sampled_from(
        ['{"text": 5}', '{"text": "x", "title": 7}', "[" * 5000, '{"url": "u"', "null"]
    ),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.booleans(), min_size=1, max_size=12), st.data())
def test_good_records_around_bad_ones_are_all_stored(
    migrated_db: Callable[[Path], Path], pattern: list[bool], data: st.DataObject
) -> None:
    from dataclasses import replace

    from bot.app.settings import Settings
    from bot.bootstrap import open_app

    lines, good = [], []
    for n, is_good in enumerate(pattern, 1):
        if is_good:
            url = f"https://ledger.example/{n}"
            lines.append(json.dumps({"url": url, "text": f"{GOOD_TEXT} ({n})"}))
            good.append(url)
        else:
            lines.append(data.draw(BAD_LINE))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
        skipped: list[FileError] = []
        db_path = migrated_db(Path(tmp) / "v.db")
        app = open_app(settings=replace(Settings(), db_path=db_path, console=False))
        try:
            for article in read_articles(str(path), skipped=skipped.append):
                app.monitor.ingest(article)
            stored = [r["url"] for r in app.db.query("select url from articles order by id")]
        finally:
            app.close()
    assert [u for u in stored if u in good] == good  # every good record, in order
    for error in skipped:
        line = int(str(error).removeprefix(f"{path}:").split(":", 1)[0])
        assert not pattern[line - 1], f"a good line was skipped: {error}"
