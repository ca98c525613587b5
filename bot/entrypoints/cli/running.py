"""`verbatim run` (the bot) and `verbatim demo` (the bundled sample coverage, replayed)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="run the bot: poll sources, post alerts to every configured channel",
        description="Runs until Ctrl-C or SIGTERM, which stop it after the article being read "
        "(a second one: without waiting for the feed round, whose rest is read at the next "
        "start). Without a config file it uses the embedded defaults: a SQLite file in ./var, "
        "console output and the bundled sample feed.",
    )
    p.add_argument("--once", action="store_true", help="poll every source once, deliver, exit")
    p.set_defaults(func=run_bot)

    p = sub.add_parser(
        "demo", help="replay the bundled sample coverage and print its alerts and a digest"
    )
    p.set_defaults(func=run_demo)


def run_bot(args: argparse.Namespace) -> int:
    from bot.app.settings import check_platforms, load_settings
    from bot.bootstrap import open_app
    from bot.entrypoints.runner import Runner

    settings = load_settings(args.config, dict(os.environ), args.db)
    check_platforms(settings)  # a channel on a platform that is off stops start-up, named
    app = open_app(settings=settings)
    try:  # the same for what was saved from chat
        feeds = [(f.url, f.channel) for f in app.feeds.list()]
        ignored = check_platforms(settings, app.store.saved_routes(), feeds)
    except BaseException:
        app.close()
        raise
    for line in ignored:
        print(f"verbatim: {line}", file=sys.stderr)
    print(
        f"verbatim: database {app.settings.db_path}, settings from {app.settings.source}",
        file=sys.stderr,
    )
    asyncio.run(Runner(app).run(once=args.once))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bot.app.settings import load_settings
    from bot.bootstrap import open_app
    from bot.entrypoints.runner import Runner

    with tempfile.TemporaryDirectory(prefix="verbatim-demo-") as tmp:
        import os

        settings = load_settings(args.config, dict(os.environ), args.db)
        settings = replace(
            settings,
            db_path=Path(args.db) if args.db else Path(tmp) / "demo.db",
            sample_feed=True,
            feeds=(),
            slack=None,
            discord=None,
            console=True,
        )
        app = open_app(settings=settings)
        print("Replaying the bundled sample coverage (invented outlets and people)...\n")
        runner = Runner(app)
        asyncio.run(runner.run(once=True))
        from datetime import UTC, datetime, timedelta

        from bot.app.channel_digests import digest_for, last_day
        from bot.core.digest import render_digest_text
        from storage.history import publication_span

        channel = settings.routes[0].channel if settings.routes else "console:default"
        app = open_app(settings=settings)  # the runner closed its own on the way out
        try:
            # The sample coverage has its own dates: the digest covers what it replayed.
            span = publication_span(app.store)
            start, end = (
                (span[0], span[1] + timedelta(seconds=1)) if span else last_day(datetime.now(UTC))
            )
            digest = digest_for(app.history, channel, start, end, settings.routes)
        finally:
            app.close()
        print("\n" + render_digest_text(digest))
    return 0
