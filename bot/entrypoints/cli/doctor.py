"""`verbatim doctor`: checks what a real deployment needs and says what to fix, one line each.

Settings, the database, every configured channel's platform, Slack (token, scopes, Socket Mode
app token, the bot in each channel), Discord (token, guilds, the bot's permissions in each
channel) and every feed. On the embedded defaults it reports the console setup and passes.
Exit status 0 when every check passes, 1 otherwise; ``--json`` for scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.app.settings import Settings, SettingsError, load_settings

Finding = tuple[str, bool, str]  # (what was checked, passed, what it found or how to fix it)
FEED_CHECKS_AT_ONCE = 8


def register(sub: Any) -> None:
    p = sub.add_parser(
        "doctor",
        help="check tokens, scopes, permissions, channels, the database and feeds",
        description="Checks what a real deployment needs and says what to fix, one line each. "
        "Exits 1 when a check fails.",
    )
    p.add_argument("--json", action="store_true", help="one JSON object: ok and every check")
    p.add_argument("--no-feeds", action="store_true", help="do not fetch the feeds")
    p.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config, dict(os.environ), args.db)
    except SettingsError as exc:
        findings: list[Finding] = [("settings", False, str(exc))]
    else:
        findings = asyncio.run(diagnose(settings, feeds=not args.no_feeds))
    ok = all(passed for _, passed, _ in findings)
    if args.json:
        checks = [{"check": name, "ok": passed, "detail": detail}
                  for name, passed, detail in findings]  # fmt: skip
        print(json.dumps({"ok": ok, "checks": checks}, ensure_ascii=False))
    else:
        for name, passed, detail in findings:
            print(f"{'ok  ' if passed else 'FAIL'}  {name}: {detail}")
        failed = sum(not passed for _, passed, _ in findings)
        print("everything is in place" if ok else f"{failed} to fix", file=sys.stderr)
    return 0 if ok else 1


async def diagnose(settings: Settings, *, feeds: bool = True) -> list[Finding]:
    """Every check for ``settings``, in the order a person would fix them."""
    findings: list[Finding] = [("settings", True, f"read from {settings.source}")]
    findings.append(check_database(settings.db_path))
    findings += check_routes(settings)
    if settings.slack is None and settings.discord is None:
        findings.append(("chat", True, "console only: alerts print here, no tokens needed "
                         "(enable [slack] or [discord] to post to chat)"))  # fmt: skip
    if settings.slack is not None:
        findings += await _slack(settings)
    if settings.discord is not None:
        findings += await _discord(settings)
    if feeds:
        findings += await asyncio.to_thread(check_feeds, settings)
    return findings


def check_database(path: Path) -> Finding:
    """The database file can be written (or created where it is configured)."""
    if path.exists():
        try:
            with sqlite3.connect(path, timeout=5) as db:
                db.execute("begin immediate")  # takes the write lock, writes nothing
                db.rollback()
        except sqlite3.Error as exc:
            return ("database", False, f"{path} cannot be written ({exc}): check its permissions")
        return ("database", True, f"{path} is writable")
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        return ("database", False, f"{path} cannot be created under {parent}: set [database] path")
    return ("database", True, f"{path} will be created on the first run")


def check_routes(settings: Settings) -> list[Finding]:
    """Each channel's platform is configured; otherwise its alerts would wait forever."""
    enabled = {"console": settings.console, "slack": settings.slack is not None,
               "discord": settings.discord is not None}  # fmt: skip
    findings: list[Finding] = []
    for route in settings.routes:
        platform = route.channel.partition(":")[0]
        if not enabled.get(platform):
            fix = f"enable [{platform}] or remove this [[channels]] entry"
            findings.append((f"channel {route.channel}", False, f"{platform} is not set up: {fix}"))
    return findings


def _channels(settings: Settings, platform: str) -> list[str]:
    return [r.channel.partition(":")[2] for r in settings.routes
            if r.channel.startswith(f"{platform}:")]  # fmt: skip


async def _slack(settings: Settings) -> list[Finding]:
    from adapters.slack.checks import check_slack
    from adapters.slack.settings import SlackSettings

    try:
        slack = SlackSettings.from_config(settings.slack or {}, settings.env)
    except ValueError as exc:
        return [("slack settings", False, str(exc))]
    return await check_slack(slack, _channels(settings, "slack"))


async def _discord(settings: Settings) -> list[Finding]:
    from adapters.discord.checks import check_discord
    from adapters.discord.settings import DiscordSettings

    try:
        discord = DiscordSettings.from_config(settings.discord or {}, settings.env)
    except ValueError as exc:
        return [("discord settings", False, str(exc))]
    channels = [int(c) for c in _channels(settings, "discord") if c.isdigit()]
    return await check_discord(discord, channels)


def check_feeds(settings: Settings) -> list[Finding]:
    """Every configured and subscribed feed answers with a feed, under the fetch policy."""
    from adapters.fetch import FEED_TYPES, Fetcher, FetchError
    from bot.bootstrap import fetch_policy

    urls = [f.url for f in settings.feeds] + _stored_feeds(settings)
    if not urls:
        sample = "the bundled sample feed (read from disk)" if settings.sample_feed else "none"
        return [("feeds", True, f"no feeds to fetch; sources: {sample}")]
    with Fetcher(fetch_policy(settings)) as fetcher:

        def one(url: str) -> Finding:
            try:
                result = fetcher.get(url, kinds=FEED_TYPES)
            except FetchError as exc:
                return (f"feed {url}", False, str(exc))
            return (f"feed {url}", True, f"answers ({len(result.content)} bytes)")

        with ThreadPoolExecutor(FEED_CHECKS_AT_ONCE) as pool:
            return list(pool.map(one, dict.fromkeys(urls)))


def _stored_feeds(settings: Settings) -> list[str]:
    """Feeds subscribed from chat or the command line, when the database exists already."""
    if not settings.db_path.is_file():
        return []
    from bot.bootstrap import open_app

    app = open_app(settings=settings)
    try:
        return [f.url for f in app.feeds.list()]
    finally:
        app.close()
