"""`verbatim story`: one statement's history — first appearance, spread, variants, disputes."""

from __future__ import annotations

import argparse
import json
from typing import Any

from adapters.console import render_reply
from bot.core.story import story_reply
from bot.entrypoints.cli.lookup import json_answer


def register(sub: Any) -> None:
    p = sub.add_parser(
        "story",
        help="one statement's history: first appearance, outlets per day, every variant with "
        "its diff, every dispute with who and the evidence",
    )
    p.add_argument("query", nargs="+", help="a statement id (18 or #18) or a few of its words")
    p.add_argument("--by-hour", action="store_true", help="spread per hour instead of per day")
    p.add_argument("--json", action="store_true", help="JSON for scripts: the story's fields")
    p.set_defaults(func=_story)


def _story(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_app

    query = " ".join(args.query)
    app = open_app(args.db, args.config, must_exist=True)
    try:
        reply = story_reply(app.history.story(query, by_hour=args.by_hour), query)
    finally:
        app.close()
    if args.json:  # the story's own fields, or what went wrong
        print(json.dumps(json_answer(reply, "story"), ensure_ascii=False))
    else:
        print(render_reply(reply))
    return 0 if reply.ok else 1
