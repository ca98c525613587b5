"""`verbatim quote`, `speaker` and `track`: the slash-command lookups on the command line."""

from __future__ import annotations

import argparse
import json
from typing import Any

from adapters.console import render_reply
from bot.core.backend import Caller
from bot.core.models import Reply

CLI_CALLER = Caller(channel="console:default", user="cli", is_admin=True)


def register(sub: Any) -> None:
    p = sub.add_parser("quote", help="who said these words, where first, and every variant")
    p.add_argument("words", nargs="+", help="a few words of the quote")
    p.add_argument("--json", action="store_true", help="JSON for scripts: the statement's fields")
    p.set_defaults(
        func=lambda a: _answer(a, lambda b: b.quote(" ".join(a.words)), lookup=True, key="match")
    )

    p = sub.add_parser("speaker", help="a speaker's recent statements")
    p.add_argument("name", nargs="+", help="the speaker's name, e.g. Emmanuel Macron")
    p.add_argument("--json", action="store_true", help="JSON for scripts: each statement's fields")
    p.set_defaults(
        func=lambda a: _answer(
            a, lambda b: b.speaker(" ".join(a.name)), lookup=True, key="statements"
        )
    )

    p = sub.add_parser(
        "track", help="pin a statement by hand; coverage repeating, altering or disputing it alerts"
    )
    p.add_argument("text", help="the statement's words (quote them in the shell)")
    p.add_argument("--speaker", help="who made the statement")
    p.add_argument("--json", action="store_true", help="JSON for scripts")
    p.set_defaults(func=lambda a: _answer(a, lambda b: b.track(CLI_CALLER, a.text, a.speaker)))


def reply_to_dict(reply: Reply) -> dict[str, object]:
    return {
        "ok": reply.ok,
        "title": reply.title,
        "lines": list(reply.lines),
        "fields": dict(reply.fields),
        **reply.data,
    }


def json_answer(reply: Reply, key: str | None) -> dict[str, object]:
    """``--json``: the fields the reply carries under ``key`` (a lookup's statement, a
    speaker's statements), else the reply itself; a failure says what went wrong."""
    if not reply.ok:
        return {"ok": False, "error": reply.title}
    if key is None or key not in reply.data:
        return reply_to_dict(reply)
    found = reply.data[key]
    return {"ok": True, **found} if isinstance(found, dict) else {"ok": True, key: found}


def _answer(
    args: argparse.Namespace, ask: Any, *, lookup: bool = False, key: str | None = None
) -> int:
    """Ask the backend once; a ``lookup`` refuses a database that does not exist."""
    from bot.bootstrap import open_app

    app = open_app(args.db, args.config, must_exist=lookup)
    try:
        reply: Reply = ask(app.backend())
    finally:
        app.close()
    if args.json:
        print(json.dumps(json_answer(reply, key), ensure_ascii=False))
    else:
        print(render_reply(reply))
    return 0 if reply.ok else 1
