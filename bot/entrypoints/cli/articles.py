"""`verbatim extract` and `verbatim ingest`: articles from files through the core."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from adapters.console import Style, render_event, wants_colour
from adapters.files import Defaults, FileError, parse_date, read_articles, read_text, usable_url
from bot.core.extract import extract_quotes
from bot.core.models import Article, EventType
from bot.core.presentation import plural
from bot.core.serialize import event_to_dict, quote_to_dict

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="print the quotes found in article files (no database)",
        description="Extract every quote with its speaker. With --json: one JSON line per file, "
        '{"source", "quotes": [{"text", "start", "end", "kind", "speaker", '
        '"speaker_mention", "cue", "quoted"}]} or {"source", "error"}; offsets index the file '
        'as read. "quoted" lists the quoted words inside reported speech (said the plan was '
        "“a disaster”) as fragment records; it is empty for the other kinds.",
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="text files of at most 20 MB; - reads stdin"
    )
    p.add_argument("--json", action="store_true", help="JSON lines for scripts")
    p.set_defaults(func=run_extract)

    p = sub.add_parser(
        "ingest",
        help="read articles from files or URLs, store them and report what they repeat, alter or "
        "dispute",
        description="Ingest articles in the order given: plain text (first line is the title), "
        "HTML, or JSON / JSON Lines records with url, outlet, title, published, text, or an "
        "article page's http(s) URL (fetched safely, its text cleaned). Prints one line per "
        "event; running it again on the same input prints nothing new. A url already stored with "
        "other text keeps the stored article, saying so in a line.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="article files or URLs; - reads stdin")
    p.add_argument("--json", action="store_true", help="one JSON line per event")
    p.add_argument("--outlet", help="outlet for files that do not name one")
    p.add_argument("--published", help="publication date (ISO 8601) for files without one")
    p.add_argument(
        "--url", help="url for a single file that does not give one (refused with several inputs)"
    )
    p.add_argument(
        "--silent",
        action="store_true",
        help="learn statements without queueing any alert or printing them; one summary line",
    )
    p.set_defaults(func=run_ingest)


def run_extract(args: argparse.Namespace) -> int:
    style = Style(wants_colour(sys.stdout))
    failures = 0
    for path in args.files:
        try:
            text = read_text(path)
            quotes = extract_quotes(text)
        except FileError as exc:
            failures += 1
            if args.json:
                print(json.dumps({"source": path, "error": str(exc)}), flush=True)
            else:
                print(f"verbatim: {exc}", file=sys.stderr)
            continue
        if args.json:
            line = {"source": path, "quotes": [quote_to_dict(q) for q in quotes]}
            print(json.dumps(line, ensure_ascii=False), flush=True)
            continue
        print(style.bold(f"{path}: {len(quotes)} quotes"))
        for q in quotes:
            who = q.speaker or "?"
            mention = f" ({q.speaker_mention})" if q.speaker_mention not in (None, who) else ""
            print(f"  [{q.kind.value}] {who}{mention} {q.cue or ''}: “{q.text}”")
            for part in q.quoted:
                print(f"      [{part.kind.value}] “{part.text}”")
    return 1 if failures == len(args.files) else 0


def run_ingest(args: argparse.Namespace) -> int:
    from adapters.fetch import Fetcher, FetchError
    from adapters.pages import NotAnArticle, fetch_article
    from bot.bootstrap import fetch_policy, open_app

    if args.url and len(args.files) > 1:
        print(
            f"verbatim: --url names the article of a single file; {len(args.files)} inputs "
            "were given (give their records a url, or ingest them one at a time)",
            file=sys.stderr,
        )
        return 2
    if args.url is not None and (why := usable_url(args.url)) is not None:
        print(f"verbatim: --url {args.url!r} is refused: {why}", file=sys.stderr)
        return 2
    published, problem = parse_date(args.published) if args.published else (None, None)
    if problem is not None:
        print(f"verbatim: --published {args.published!r}: {problem}", file=sys.stderr)
        return 2
    defaults = Defaults(args.outlet, published, args.url)
    app = open_app(args.db, args.config)
    style = Style(wants_colour(sys.stdout))
    problems = stored = learned = 0
    fetcher = None

    def skipped(exc: Exception) -> None:
        nonlocal problems
        problems += 1
        print(f"verbatim: skipped {exc}", file=sys.stderr)

    def ingest(article: Article) -> None:
        nonlocal stored, learned
        try:
            events = app.monitor.ingest(article, silent=args.silent)
        except Exception as exc:  # this article is not stored; the next ones still are
            log.info("ingest of %s failed", article.url, exc_info=True)
            skipped(FileError(f"{article.url}: not stored ({type(exc).__name__}: {exc})"))
            return
        stored += 1
        if args.silent:  # learned, nothing to tell per statement
            learned += sum(e.type is EventType.NEW_STATEMENT for e in events)
            return
        for event in events:
            if args.json:
                print(json.dumps(event_to_dict(event), ensure_ascii=False), flush=True)
            else:
                print("\n".join(render_event(event, style)) + "\n")

    try:
        for path in args.files:
            try:
                if path.lower().startswith(("http://", "https://")):
                    fetcher = fetcher or Fetcher(fetch_policy(app.settings))
                    ingest(fetch_article(fetcher, path))
                else:
                    for article in read_articles(path, defaults, skipped):
                        ingest(article)
            except (FileError, FetchError, NotAnArticle) as exc:
                skipped(exc)
    finally:
        if fetcher is not None:
            fetcher.close()
        app.close()
    if args.silent and not args.json:
        print(
            f"Read {plural(stored, 'article')} silently: {plural(learned, 'new statement')}, "
            "no alerts queued."
        )
    return 1 if problems and not stored else 0
