"""`verbatim topic ...` to save and try topic queries; `verbatim digest` for a summary."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.topics import Document, QueryError, parse_query

DEFAULT_CHANNEL = "console:default"
_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def parse_since(text: str) -> timedelta:
    """'90m', '24h', '7d', '2w' -> a timedelta; ValueError with a readable message otherwise."""
    m = _SINCE.match(text)
    if m is None:
        raise ValueError(f"--since {text!r}: use a number and m, h, d or w, like 24h")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


# The earliest start a period may have: far before any coverage, and far enough from
# `datetime.min` that the digest's margins (a week read late, 14 hours of zones) stay dates.
EARLIEST_SINCE = datetime(1000, 1, 1, tzinfo=UTC)


def parse_since_date(text: str, now: datetime) -> datetime:
    """``2022-12-03`` (any date `verbatim ingest` reads), ``2022-12``, ``2022`` or ``7d``: a
    start from `EARLIEST_SINCE` to ``now``; ValueError saying why for any other."""
    start = _since_date(text, now)
    if start is None or not EARLIEST_SINCE <= start <= now:
        raise ValueError(
            f"--since {text!r}: "
            + ("a start after now" if start is not None and start > now else "out of range")
            + f"; the start of a period is from {EARLIEST_SINCE:%Y-%m-%d} to now "
            f"({now:%Y-%m-%d %H:%M} UTC)"
        )
    return start


def _since_date(text: str, now: datetime) -> datetime | None:
    """The start ``text`` names, None when it is no date Python can hold."""
    from adapters.files import parse_date

    try:
        return now - parse_since(text)
    except OverflowError:  # 99999999d: before year 1
        return None
    except ValueError:
        pass
    month = _YEAR_MONTH.fullmatch(text.strip())
    if month and 1 <= int(month.group(2) or 1) <= 12:
        year = int(month.group(1))
        return datetime(year, int(month.group(2) or 1), 1, tzinfo=UTC) if year else None
    when, problem = parse_date(text)
    if when is None:
        if problem == "out of range":
            return None
        raise ValueError(
            f"--since {text!r}: {problem}; use a date like 2022-12-03 or 2022-12, or 7d"
        )
    return when


def register(sub: Any) -> None:
    topic = sub.add_parser("topic", help="save, list, remove and try topic queries")
    tsub = topic.add_subparsers(dest="topic_command", metavar="ACTION", required=True)
    p = tsub.add_parser("add", help="save a topic for a channel")
    p.add_argument("name")
    p.add_argument("query", help="e.g. '\"carbon tax\" OR (climate NEAR/5 levy) speaker:morrow'")
    p.add_argument("--channel", default=DEFAULT_CHANNEL, help=f"default: {DEFAULT_CHANNEL}")
    p.set_defaults(func=_add)
    p = tsub.add_parser("list", help="a channel's topics")
    p.add_argument("--channel", default=None, help="default: every channel")
    p.add_argument("--json", action="store_true", help="a JSON list of the topics")
    p.set_defaults(func=_list)
    p = tsub.add_parser("remove", help="delete a topic")
    p.add_argument("name")
    p.add_argument("--channel", default=DEFAULT_CHANNEL, help=f"default: {DEFAULT_CHANNEL}")
    p.set_defaults(func=_remove)
    p = tsub.add_parser("test", help="what a query would have matched in stored coverage")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, help="show at most this many (default 20)")
    p.add_argument("--json", action="store_true", help="JSON: the count and the matches shown")
    p.set_defaults(func=_test)

    p = sub.add_parser(
        "digest", help="summary of a period by publication time: new, repeated, altered, disputed"
    )
    p.add_argument(
        "--since",
        default="24h",
        help="the period: a length back from now (default 24h; 7d, 2w) or a start date "
        "(2022-12-03, 2022-12), from 1000-01-01 to now",
    )
    p.add_argument("--channel", default=DEFAULT_CHANNEL, help=f"default: {DEFAULT_CHANNEL}")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--chart", metavar="FILE", help="also write a coverage chart PNG")
    p.set_defaults(func=_digest)


def _app(args: argparse.Namespace, *, stored: bool = True) -> Any:
    """The app; unless adding, the database must exist already (a mistyped --db says so)."""
    from bot.bootstrap import open_app

    return open_app(args.db, args.config, must_exist=stored)


def _topics(app: Any) -> Any:
    return app.topics


def _add(args: argparse.Namespace) -> int:
    from bot.core.errors import TopicError

    app = _app(args, stored=False)
    try:
        topic = _topics(app).add(args.channel, args.name, args.query)
    except (QueryError, TopicError) as exc:
        print(f"verbatim: {exc}")
        return 1
    finally:
        app.close()
    print(f"Saved topic {topic.name!r} for {topic.channel}: {topic.query}")
    return 0


def _list(args: argparse.Namespace) -> int:
    app = _app(args)
    try:
        topics = _topics(app).list(args.channel)
    finally:
        app.close()
    if args.json:
        rows = [
            {"id": t.id, "channel": t.channel, "name": t.name, "query": t.query} for t in topics
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not topics:
        print("No topics saved.")
    for t in topics:
        print(f"{t.channel}  {t.name}: {t.query}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    app = _app(args)
    try:
        removed = _topics(app).remove(args.channel, args.name)
    finally:
        app.close()
    print(f"Removed {args.name!r}." if removed else f"No topic {args.name!r} in {args.channel}.")
    return 0 if removed else 1


def _documents(app: Any) -> Iterator[Document]:
    """Stored articles and quotes; the store's iter_documents when it has one."""
    own = getattr(app.store, "iter_documents", None)
    if own is not None:
        yield from own()
        return
    for row in app.db.query("select outlet, title, text from articles order by id"):
        yield Document(f"{row['title']}\n{row['text']}", "article", None, row["outlet"])
    sql = (
        "select q.text, q.speaker, a.outlet from quotes q join articles a on a.id = q.article_id "
        "order by q.id"
    )
    for row in app.db.query(sql):
        yield Document(row["text"], "quote", row["speaker"], row["outlet"])


def _test(args: argparse.Namespace) -> int:
    try:
        query = parse_query(args.query)
    except QueryError as exc:
        if args.json:
            print(json.dumps({"ok": False, "query": args.query, "error": str(exc)}))
        else:
            print(f"verbatim: {exc}")
        return 1
    app = _app(args)
    try:
        hits = [d for d in _documents(app) if query.matches(d)]
    finally:
        app.close()
    if args.json:
        shown = [
            {"kind": d.kind, "outlet": d.outlet, "speaker": d.speaker, "text": d.text}
            for d in hits[: args.limit]
        ]
        print(
            json.dumps(
                {"ok": True, "query": args.query, "count": len(hits), "matches": shown},
                ensure_ascii=False,
            )
        )
        return 0
    print(f"{len(hits)} match(es) for {args.query}")
    for doc in hits[: args.limit]:
        who = f"{doc.speaker}: " if doc.speaker else ""
        snippet = " ".join(doc.text.split())[:100]
        print(f"  [{doc.kind}] {doc.outlet} — {who}{snippet}")
    return 0


def _digest(args: argparse.Namespace) -> int:
    from bot.app.channel_digests import digest_for
    from bot.core.digest import digest_to_json, render_digest_text

    end = datetime.now(UTC)
    try:
        start = parse_since_date(args.since, end)
    except ValueError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 2
    if args.chart and not Path(args.chart).resolve().parent.is_dir():
        print(f"verbatim: --chart {args.chart}: no such directory", file=sys.stderr)
        return 2
    app = _app(args)
    try:
        digest = digest_for(app.history, args.channel, start, end, app.settings.routes)
    finally:
        app.close()
    if args.chart:
        from adapters.chart import render_coverage_chart

        try:
            render_coverage_chart(digest, args.chart)
        except OSError as exc:
            print(f"verbatim: --chart {args.chart}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    print(json.dumps(digest_to_json(digest), indent=2) if args.json else render_digest_text(digest))
    return 0
