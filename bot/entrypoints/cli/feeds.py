"""`verbatim feeds ...`: watch RSS/Atom feeds from the command line — add, list, remove, pause,
resume, OPML import and export, and poll now with a progress line for backlogs."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.core.models import Feed


def register(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="watch RSS/Atom feeds: add, list, pause, import, poll")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    p = fsub.add_parser("add", help="watch a feed (its backlog is learned silently)")
    p.add_argument("url", help="the feed, or a site's page that names it (<link rel=alternate>)")
    p.add_argument(
        "--channel",
        default=None,
        help="where its notices (feed down, back up) and, when that channel has no routing of"
        " its own, its alterations, misattributions and disputes go: console:…, slack:… or"
        " discord:…, on a platform that is enabled; default: every channel",
    )
    p.add_argument(
        "--interval",
        type=int,
        default=None,
        help="seconds between polls, 60 or more (at most a year); default: "
        "sources.poll_interval (900 unless set)",
    )
    p.add_argument(
        "--backfill", type=int, default=0, metavar="N", help="alert the N newest backlog entries"
    )
    p.add_argument(
        "--no-check",
        action="store_true",
        help="add it without fetching it first (by default it is fetched once, and refused "
        "when it is no feed)",
    )
    p.set_defaults(func=_add)
    p = fsub.add_parser("list", help="watched feeds and their health")
    p.add_argument("--channel", default=None, help="default: every channel")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=_list)
    for name, text in (
        ("remove", "stop watching a feed and forget what it showed"),
        ("pause", "stop polling a feed for now"),
        ("resume", "poll a paused or disabled feed again"),
    ):
        p = fsub.add_parser(name, help=text)
        p.add_argument("url")
        p.set_defaults(func=_change, change=name)
    p = fsub.add_parser("import", help="watch every feed of an OPML file")
    p.add_argument("file", help="an OPML file (a regular file of at most 5 MB), or - for stdin")
    p.add_argument(
        "--channel",
        default=None,
        help="where their notices go (on a platform that is enabled); default: every channel",
    )
    p.set_defaults(func=_import)
    p = fsub.add_parser("export", help="write the watched feeds as OPML")
    p.add_argument("file", nargs="?", default=None, help="default: standard output")
    p.set_defaults(func=_export)
    p = fsub.add_parser("poll", help="poll the feeds that are due, now")
    p.add_argument("--once", action="store_true", help="one round, then exit (default: keep on)")
    p.set_defaults(func=_poll)


def _open(args: argparse.Namespace, *, stored: bool = True) -> Any:
    """The app and its feeds; unless adding or polling, the database must exist already."""
    from bot.bootstrap import open_app

    app = open_app(args.db, args.config, must_exist=stored)
    return app, app.feeds


def _add(args: argparse.Namespace) -> int:
    from bot.app.sources import subscribe
    from bot.bootstrap import feed_checker
    from bot.core.errors import FeedError

    app, feeds = _open(args, stored=False)
    try:
        if args.channel is not None and (refusal := _channel_refusal(app, args.channel)):
            raise FeedError(f"{args.url.strip()} is not added: {refusal}")
        interval = app.settings.poll_interval if args.interval is None else args.interval
        check = None if args.no_check else feed_checker(app.settings)
        feed, found = subscribe(
            feeds, args.url, args.channel, interval, check, backfill=args.backfill
        )
    except FeedError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 1
    finally:
        app.close()
    where = feed.channel or "the configured routes"
    print(f"Watching {feed.url} every {feed.interval_seconds}s for {where}.")
    if found is not None:
        print(found.describe())
    if args.backfill:
        print(f"Its backlog is learned silently, except the {args.backfill} newest entries.")
    else:
        print("Its backlog is learned silently: alerts start with its next new entry.")
    return 0


def _channel_refusal(app: Any, channel: str) -> str | None:
    """Why ``--channel`` cannot be a feed's (a platform that is unknown or not enabled), or
    None: refused here, not found when the bot starts."""
    from bot.app.settings import SettingsError, check_channel

    try:
        check_channel(app.settings, channel, "--channel", "or choose another channel")
    except SettingsError as exc:
        return str(exc)
    return None


def _list(args: argparse.Namespace) -> int:
    app, feeds = _open(args)
    try:
        rows = [(feed, feeds.status(feed.id)) for feed in feeds.list(args.channel)]
    finally:
        app.close()
    if args.json:
        print(json.dumps([status for _, status in rows], indent=2))
        return 0
    if not rows:
        print("No feeds watched.")
    for feed, status in rows:
        print(f"{feed.url}  {_state(feed, status)}  {feed.title or '(untitled)'}")
    return 0


def _state(feed: Feed, status: dict[str, object]) -> str:
    if feed.paused:
        return "paused"
    if feed.disabled:
        return f"disabled ({status.get('last_error')})"
    if status.get("failures"):
        return f"failing x{status['failures']} ({status.get('last_error')})"
    return "ok" if status.get("last_ok_at") else "new"


def _change(args: argparse.Namespace) -> int:
    from bot.core.errors import FeedError

    app, feeds = _open(args)
    try:
        if args.change == "remove":
            if not feeds.remove(args.url):
                raise FeedError(f"not watching {args.url}")
        else:
            getattr(feeds, args.change)(args.url)
    except FeedError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 1
    finally:
        app.close()
    done = {"remove": "Stopped watching", "pause": "Paused", "resume": "Resumed"}[args.change]
    print(f"{done} {args.url.strip()}.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from adapters.files import FileError, open_regular
    from adapters.opml import MAX_OPML_BYTES, parse_opml
    from bot.core.errors import FeedError, OpmlError

    refused: list[str] = []
    try:  # a regular file (a device or a FIFO may never end), read no further than the limit
        if args.file == "-":
            data = sys.stdin.buffer.read(MAX_OPML_BYTES + 1)
        else:
            with open_regular(args.file) as fh:
                data = fh.read(MAX_OPML_BYTES + 1)
        if len(data) > MAX_OPML_BYTES:
            raise OpmlError(f"{args.file}: larger than {MAX_OPML_BYTES} bytes, the OPML limit")
        entries = parse_opml(data, refused)
    except (OSError, FileError, OpmlError) as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 1
    for why in refused:
        print(f"verbatim: skipped: {why}", file=sys.stderr)
    app, feeds = _open(args, stored=False)
    added = 0
    try:
        if args.channel is not None and (refusal := _channel_refusal(app, args.channel)):
            print(f"verbatim: no feed imported: {refusal}", file=sys.stderr)
            return 1
        for url, title in entries:
            try:
                feeds.add(url, args.channel, app.settings.poll_interval, title)
                added += 1
            except FeedError as exc:
                print(f"verbatim: skipped: {exc}", file=sys.stderr)
    finally:
        app.close()
    total = len(entries) + len(refused)
    print(f"Imported {added} of {total} feeds; backlogs are learned silently.")
    return 0 if added or not total else 1


def _export(args: argparse.Namespace) -> int:
    from adapters.opml import to_opml

    app, feeds = _open(args)
    try:
        text = to_opml(feeds.list())
    finally:
        app.close()
    if args.file:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as exc:  # no such directory, a directory, no permission
            print(f"verbatim: feeds export {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"Wrote {text.count('<outline')} feeds to {args.file}.")
    else:
        sys.stdout.write(text)
    return 0


def progress_printer(stream: TextIO) -> Callable[[Feed, int, int], None]:
    """A bar redrawn in place on a terminal; plain counts every 100 entries otherwise."""
    tty = stream.isatty()

    def show(feed: Feed, done: int, total: int) -> None:
        if tty:
            filled = 30 * done // max(total, 1)
            bar = "#" * filled + "-" * (30 - filled)
            end = "\n" if done == total else ""
            stream.write(f"\r{feed.url[-40:]} [{bar}] {done}/{total}{end}")
        elif done == total or done % 100 == 0:
            stream.write(f"{feed.url}: {done}/{total} entries\n")
        stream.flush()

    return show


def _poll(args: argparse.Namespace) -> int:
    import asyncio

    from adapters.fetch import Fetcher
    from bot.app.sources import add_configured_feeds
    from bot.bootstrap import feed_poller, fetch_policy
    from bot.core.delivery import deliver_pending

    app, _ = _open(args, stored=False)
    add_configured_feeds(app.feeds, app.settings)  # the config's [[feeds]], as `verbatim run`
    fetcher = Fetcher(fetch_policy(app.settings))
    poller = feed_poller(app, fetcher, progress_printer(sys.stderr))
    try:
        while True:
            report = poller.poll_due()
            for o in report.outcomes:
                said = o.error if o.status == "failed" else f"{o.ingested} new, {o.alerted} alerted"
                print(f"{o.feed.url}: {o.status}: {said}", flush=True)
            # Console alerts now; Slack and Discord ones wait in the outbox for `verbatim run`.
            asyncio.run(deliver_pending(app.outbox, app.notifiers))
            if args.once:
                if not report.outcomes:
                    print("No feeds due.")
                failed = report.count("failed")
                return 1 if failed and failed == len(report.outcomes) else 0
            time.sleep(10)
    finally:
        fetcher.close()
        app.close()
