"""`verbatim alerts`: the alerts that failed for good, and sending them again on request."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

MAX_ID = 2**63 - 1  # SQLite's largest integer


def register(sub: Any) -> None:
    p = sub.add_parser(
        "alerts",
        help="list the alerts that failed for good (--failed) or send them again (--retry)",
        description="An alert the platform refused for good (the bot is not in the channel, "
        "the channel is gone, it may not post there), that failed every try, or whose stored "
        "payload cannot be read is kept as failed with its reason. --failed lists them; "
        "--retry [ID...] puts them (or only these; not one that cannot be read) back in the "
        "outbox: console alerts are printed now, Slack and Discord ones go with the next "
        "delivery round of `verbatim run`.",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--failed", action="store_true", help="list failed alerts (the default)")
    what.add_argument(
        "--retry", nargs="*", type=_alert_id, metavar="ID", help="send failed alerts again"
    )
    p.add_argument("--channel", default=None, help="only this channel's (with --failed)")
    p.add_argument("--json", action="store_true", help="one JSON line per failed alert")
    p.set_defaults(func=run_alerts)


def _alert_id(text: str) -> int:
    raw = text.strip().lstrip("#")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or not 0 < int(raw) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not an alert id (a positive number)")
    return int(raw)


def run_alerts(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_app
    from bot.core.delivery import deliver_pending
    from bot.core.presentation import plural

    app = open_app(args.db, args.config, must_exist=True)
    try:
        if args.retry is not None:
            queued = app.outbox.retry_failed(args.retry)
            sent = asyncio.run(deliver_pending(app.outbox, app.notifiers)) if queued else 0
            print(
                f"{plural(queued, 'failed alert')} queued again; {sent} sent now"
                + (
                    "; the others go with the next round of `verbatim run`."
                    if queued > sent
                    else "."
                )
            )
            return 0 if queued or not args.retry else 1
        failed = app.outbox.failed(args.channel)
        unreadable = app.outbox.unreadable(args.channel)
    finally:
        app.close()
    for item in failed:
        alert = item.alert
        if args.json:
            line = {
                "id": alert.id,
                "channel": alert.channel,
                "type": alert.event.type.value,
                "attempts": alert.attempts,
                "failed_at": item.failed_at.isoformat(),
                "reason": item.reason,
                "url": alert.event.article_url,
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            what = alert.event.title or alert.event.article_url
            print(f"#{alert.id} {alert.channel} {alert.event.type.value}: {what}")
            print(f"    failed {item.failed_at:%Y-%m-%d %H:%M} UTC: {item.reason}")
    for bad in unreadable:  # nothing of it can be shown but where it was going and why
        if args.json:
            line = {
                "id": bad.id,
                "channel": bad.channel,
                "type": None,
                "attempts": None,
                "failed_at": bad.failed_at.isoformat(),
                "reason": bad.reason,
                "url": None,
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(f"#{bad.id} {bad.channel} (unreadable)")
            print(f"    failed {bad.failed_at:%Y-%m-%d %H:%M} UTC: {bad.reason}")
    if not failed and not unreadable and not args.json:
        print("No failed alerts.", file=sys.stderr)
    return 0
