"""The `/verbatim` command language shared by Slack and Discord: parse, run, help.

Slack hands us the typed text (`parse_command`), Discord its app-command options
(`command_from_options`); both become the same frozen `Command` values, which `run_command`
sends to the `CommandBackend`, so every platform means the same thing by every command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.core.backend import Caller, CommandBackend
from bot.core.models import Reply
from bot.core.routing import ROUTE_SETTINGS

ADMIN_ONLY = {
    "feeds add": "add feeds",
    "feeds remove": "remove feeds",
    "feeds import": "import feeds",
}
# Opening quote mark -> the marks that may close it (people type “…“ and „…“ too).
QUOTES = {'"': '"', "“": "”“", "„": "“”", "«": "»", "‘": "’‘", "'": "'"}

# Every command with its usage line and help text (the README and tests check both).
USAGE: dict[str, str] = {
    "quote": "quote <words>",
    "speaker": "speaker <name>",
    "story": "story <words or statement id>",
    "topic add": "topic add <name> <query>",
    "topic list": "topic list",
    "topic remove": "topic remove <name>",
    "track": 'track "<text>" [speaker:<name>]',
    "feeds add": "feeds add <url>",
    "feeds list": "feeds list",
    "feeds remove": "feeds remove <url>",
    "feeds import": "feeds import <opml url or text>",
    "digest": "digest [now]",
    "route": "route [<setting> <value>]",
    "mute": "mute <statement id>",
    "help": "help [command]",
}
COMMANDS: tuple[str, ...] = tuple(USAGE)
HELP: dict[str, str] = {
    "quote": "Who said these words, where they first appeared, and every variant since.",
    "speaker": "What one person said recently, newest first.",
    "story": "One statement's history: where it first appeared, how many outlets carried it"
    " each day, every variant with its changes, every dispute with who and the evidence.",
    "topic add": "Save a topic for this channel: phrases in quotes, AND/OR/NOT, speaker:, outlet:."
    " New coverage that matches is alerted here.",
    "topic list": "This channel's saved topics and their queries.",
    "topic remove": "Delete one of this channel's topics.",
    "track": "Pin a statement: this channel is alerted on every repeat, alteration or dispute"
    " of it, even before anyone quotes it.",
    "feeds add": "Watch an RSS or Atom feed (admins only).",
    "feeds list": "The feeds being watched, with their state.",
    "feeds remove": "Stop watching a feed (admins only).",
    "feeds import": "Watch every feed of an OPML export, given as a link or pasted (admins only).",
    "digest": "This channel's digest settings; with `now`, post a digest of the last day now.",
    "route": "Show what this channel is alerted about and when its digest comes; admins change"
    " it: `alerts <kinds>|all`, `speakers <names>|everyone`, `new watched|all|none`,"
    " `digest [<weekday>] <HH:MM> [time zone]|off` (with a weekday: weekly, over seven days),"
    " `severity high|medium|low` (alterations below it are recorded and shown in digests, not"
    " alerted), `mention @here|@channel|<role or group id>|off` (who high-severity alerts"
    " ping).",
    "mute": "Stop alerts about one statement (the number under an alert) in this channel.",
    "help": "What Verbatim can do; `help <command>` explains one command.",
}


def help_reply(topic: str | None = None) -> Reply:
    """Help for one command, one group ("topic", "feeds") or, without a topic, all commands."""
    key = " ".join((topic or "").lower().split()).removeprefix("/verbatim").strip()
    if not key:
        names = COMMANDS
        title = "Verbatim commands"
    else:
        names = tuple(c for c in COMMANDS if c == key or c.startswith(key + " "))
        title = f"/verbatim {key}"
    if not names:
        return Reply(title=f"No command {key!r}. Try /verbatim help.", ok=False)
    lines = tuple(f"/verbatim {USAGE[c]} \u2014 {HELP[c]}" for c in names)
    return Reply(title=title, lines=lines)


class UsageError(ValueError):
    """Text that is not a valid command; the message is the usage line to show the user."""

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.command = command


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed command: ``name`` is a key of `HELP` ("topic add"), ``args`` its arguments."""

    name: str
    args: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        return dict(self.args).get(key, default)


def _usage(name: str, problem: str) -> UsageError:
    return UsageError(f"{problem}. Usage: /verbatim {USAGE[name]}", name)


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES[text[0]]:
        return text[1:-1].strip()
    return text


def _take_word(text: str, name: str) -> tuple[str, str]:
    """Split off the first word (or quoted phrase) of ``text``: ``(word, rest)``."""
    text = text.lstrip()
    if not text:
        return "", ""
    if text[0] in QUOTES:
        closers = QUOTES[text[0]]
        for i in range(1, len(text)):
            if text[i] in closers:
                return text[1:i].strip(), text[i + 1 :].lstrip()
        raise _usage(name, f"A quote mark {text[0]} is never closed")
    parts = text.split(maxsplit=1)
    head = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    return head, rest


def _need(name: str, key: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise _usage(name, f"Missing <{key}>")
    return value


MAX_ID = 2**63 - 1  # the largest id a statement or alert can have (SQLite's integers)


def _statement_id(name: str, raw: str) -> str:
    """A positive id; its length is checked before it is read, so 5,000 digits cost nothing."""
    raw = raw.strip().lstrip("#").lstrip("0") or "0"
    if not raw.isascii() or not raw.isdigit() or raw == "0":
        raise _usage(name, "The statement id must be a positive number, like 42")
    if len(raw) > len(str(MAX_ID)) or int(raw) > MAX_ID:
        raise _usage(name, f"There is no statement #{raw[:12]}{'…' if len(raw) > 12 else ''}")
    return raw


def _split_track(rest: str) -> tuple[str, str]:
    """``"<text>" [speaker:<name>]`` -> (text, speaker)."""
    rest = rest.strip()
    if rest[:1] in QUOTES:
        text, tail = _take_word(rest, "track")
    else:
        lowered = rest.lower()
        at = lowered.rfind("speaker:")
        if at > 0 and lowered[at - 1].isspace():
            text, tail = rest[:at], rest[at:]
        elif at == 0:
            text, tail = "", rest
        else:
            text, tail = rest, ""
    tail = tail.strip()
    speaker = ""
    if tail:
        if not tail.lower().startswith("speaker:"):
            raise _usage("track", f"Unexpected {tail!r} after the text")
        speaker = _strip_quotes(tail[len("speaker:") :])
        if not speaker:
            raise _usage("track", "speaker: needs a name")
    return _need("track", "text", text), speaker


def parse_command(text: str) -> Command:
    """Parse what follows ``/verbatim``; raise `UsageError` for anything that is not a command."""
    head, rest = _take_word(text.replace("\u00a0", " "), "help")
    verb = head.lower()
    if verb in ("topic", "feeds"):
        sub, rest = _take_word(rest, "help")
        name = f"{verb} {sub.lower()}".strip()
        if name not in USAGE:
            subs = ", ".join(c.split()[1] for c in COMMANDS if c.startswith(verb + " "))
            raise UsageError(f"/verbatim {verb} needs one of: {subs}.", verb)
    else:
        name = verb or "help"
    if name not in USAGE:
        raise UsageError(f"Unknown command {head!r}. Try /verbatim help.", None)
    return _parse_args(name, rest)


def _parse_args(name: str, rest: str) -> Command:
    args: dict[str, str] = {}
    if name == "quote":
        args["words"] = _need(name, "words", _strip_quotes(rest))
    elif name == "speaker":
        args["name"] = _need(name, "name", _strip_quotes(rest))
    elif name == "story":
        args["query"] = _need(name, "words or statement id", _strip_quotes(rest))
    elif name in ("topic add", "topic remove"):
        topic, query = _take_word(rest, name)
        args["name"] = _need(name, "name", topic)
        if name == "topic add":
            args["query"] = _need(name, "query", query)
        elif query.strip():
            raise _usage(name, f"Unexpected {query.strip()!r} after the name")
    elif name == "track":
        args["text"], speaker = _split_track(rest)
        if speaker:
            args["speaker"] = speaker
    elif name in ("feeds add", "feeds remove"):
        url, extra = _take_word(rest, name)
        args["url"] = _need(name, "url", url)
        if extra.strip():
            raise _usage(name, "Give one url")
    elif name == "feeds import":
        args["opml"] = _need(name, "opml url or text", rest)
    elif name == "digest":
        word = rest.strip().lower()
        if word not in ("", "now"):
            raise _usage(name, f"Unexpected {rest.strip()!r}")
        args["now"] = "yes" if word == "now" else ""
    elif name == "mute":
        args["statement"] = _statement_id(name, _need(name, "statement id", rest))
    elif name == "route":
        setting, value = _take_word(rest, name)
        args.update(_route_args(setting, value))
    elif name == "help":
        topic = " ".join(rest.lower().split()).removeprefix("/verbatim ").strip()
        if topic:
            args["topic"] = topic
    elif rest.strip():  # topic list, feeds list
        raise _usage(name, f"Unexpected {rest.strip()!r}")
    return Command(name, tuple(args.items()))


def command_from_options(name: str, options: Mapping[str, object]) -> Command:
    """Build a `Command` from named options (Discord app commands); raise `UsageError`."""
    name = " ".join(name.lower().split())
    if name not in USAGE:
        raise UsageError(f"Unknown command {name!r}. Try /verbatim help.", None)
    raw = {k: v for k, v in options.items() if v is not None}
    args: dict[str, str] = {}
    if name == "digest":
        now = raw.get("now", False)
        args["now"] = (
            "yes" if now is True or str(now).strip().lower() in ("now", "yes", "true") else ""
        )
    elif name == "mute":
        value = raw.get("statement", raw.get("statement_id", ""))
        args["statement"] = _statement_id(name, str(value))
    elif name == "route":
        args.update(_route_args(str(raw.get("setting", "")), str(raw.get("value", ""))))
    elif name == "help":
        topic = str(raw.get("topic", raw.get("command", ""))).strip().lower()
        if topic:
            args["topic"] = topic
    else:
        for key in _KEYS[name]:
            value = str(raw.get(key, "")).strip()
            if key == "speaker":
                if value:
                    args[key] = value
            else:
                args[key] = _need(name, key, value)
    return Command(name, tuple(args.items()))


def _route_args(setting: str, value: str) -> dict[str, str]:
    setting = setting.strip().lower() or "show"
    value = " ".join(value.split())
    if setting not in ROUTE_SETTINGS:
        raise _usage("route", f"Unknown setting {setting!r}")
    if setting == "show" and value:
        raise _usage("route", f"Unexpected {value!r} after show")
    if setting != "show" and not value:
        raise _usage("route", f"route {setting} needs a value")
    return {"setting": setting, "value": value}


_KEYS: dict[str, tuple[str, ...]] = {
    "quote": ("words",),
    "speaker": ("name",),
    "story": ("query",),
    "topic add": ("name", "query"),
    "topic list": (),
    "topic remove": ("name",),
    "track": ("text", "speaker"),
    "feeds add": ("url",),
    "feeds list": (),
    "feeds remove": ("url",),
    "feeds import": ("opml",),
}


def run_command(command: Command, caller: Caller, backend: CommandBackend) -> Reply:
    """Answer ``command`` for ``caller``: admin checks here, the work in ``backend``."""
    name, get = command.name, command.get
    if name in ADMIN_ONLY and not caller.is_admin:
        return Reply(title=f"Only admins can {ADMIN_ONLY[name]}.", ok=False)
    if name == "route" and get("setting") != "show" and not caller.is_admin:
        return Reply(title="Only admins can change a channel's routing.", ok=False)
    answer = _ANSWERS.get(name)
    if answer is None:
        return help_reply(get("topic") or None)
    return answer(backend, caller, get)


_Answer = Callable[[CommandBackend, Caller, Callable[..., str]], Reply]
# One line per command: which backend method answers it, with which of its values.
_ANSWERS: dict[str, _Answer] = {
    "quote": lambda b, c, get: b.quote(get("words")),
    "speaker": lambda b, c, get: b.speaker(get("name")),
    "story": lambda b, c, get: b.story(get("query")),
    "topic add": lambda b, c, get: b.topic_add(c, get("name"), get("query")),
    "topic list": lambda b, c, get: b.topic_list(c),
    "topic remove": lambda b, c, get: b.topic_remove(c, get("name")),
    "track": lambda b, c, get: b.track(c, get("text"), get("speaker") or None),
    "feeds add": lambda b, c, get: b.feeds_add(c, get("url")),
    "feeds list": lambda b, c, get: b.feeds_list(c),
    "feeds remove": lambda b, c, get: b.feeds_remove(c, get("url")),
    "feeds import": lambda b, c, get: b.feeds_import(c, get("opml")),
    "digest": lambda b, c, get: b.digest(c, bool(get("now"))),
    "mute": lambda b, c, get: b.mute(c, int(get("statement"))),
    "route": lambda b, c, get: b.route(c, get("setting"), get("value")),
}
