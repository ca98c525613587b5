"""The shared `/verbatim` command language: parsing, options, admin checks, help."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.backend import Caller
from bot.core.commands import (
    COMMANDS,
    HELP,
    USAGE,
    Command,
    UsageError,
    command_from_options,
    help_reply,
    parse_command,
    run_command,
)
from bot.core.models import Reply
from tests.fakes import Call, RecordingBackend

USER = Caller(channel="slack:C1", user="U1")
ADMIN = Caller(channel="slack:C1", user="U2", is_admin=True)


def run(text: str, caller: Caller = USER) -> tuple[Reply, list[Call]]:
    backend = RecordingBackend()
    reply = run_command(parse_command(text), caller, backend)
    assert backend.answers in ([], [reply])  # the reply is the backend's own answer, if any
    return reply, backend.calls


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("quote we will not raise taxes", ("quote", ("we will not raise taxes",))),
        ('quote "we will not raise taxes"', ("quote", ("we will not raise taxes",))),
        ("quote “we will not raise taxes”", ("quote", ("we will not raise taxes",))),
        ("speaker Mara Quillon", ("speaker", ("Mara Quillon",))),
        (
            'topic add pensions "pension reform" AND speaker:Quillon',
            ("topic_add", ("pensions", '"pension reform" AND speaker:Quillon')),
        ),
        (
            "topic add “rail strike” strike OR rail",
            ("topic_add", ("rail strike", "strike OR rail")),
        ),
        ("TOPIC list", ("topic_list", ())),
        ("topic remove pensions", ("topic_remove", ("pensions",))),
        ('track "The budget is balanced"', ("track", ("The budget is balanced", None))),
        (
            'track "The budget is balanced" speaker:"Mara Quillon"',
            ("track", ("The budget is balanced", "Mara Quillon")),
        ),
        (
            "track ‘We never said that’ speaker:Quillon",
            ("track", ("We never said that", "Quillon")),
        ),
        (
            "track the budget is balanced speaker:Quillon",
            ("track", ("the budget is balanced", "Quillon")),
        ),
        ("feeds list", ("feeds_list", ())),
        ("digest", ("digest", (False,))),
        ("digest now", ("digest", (True,))),
        ("mute 42", ("mute", (42,))),
        ("mute #7", ("mute", (7,))),
    ],
)
def test_each_command_reaches_its_backend_method(text: str, call: Call) -> None:
    reply, calls = run(text)
    assert calls == [call] and reply.ok


def test_admin_commands_need_an_admin() -> None:
    for text, verb in [
        ("feeds add https://news.example/feed.xml", "add feeds"),
        ("feeds remove https://news.example/feed.xml", "remove feeds"),
        ("feeds import https://news.example/list.opml", "import feeds"),
    ]:
        reply, calls = run(text, USER)
        assert calls == []
        assert not reply.ok
        assert reply.title == f"Only admins can {verb}."
        _, calls = run(text, ADMIN)
        assert len(calls) == 1
    assert run("feeds add https://news.example/feed.xml", ADMIN)[1] == [
        ("feeds_add", ("https://news.example/feed.xml",))
    ]


def test_anyone_sees_the_routing_and_only_admins_change_it() -> None:
    assert run("route", USER)[1] == [("route", ("show", ""))]
    assert run("route show", USER)[1] == [("route", ("show", ""))]
    reply, calls = run("route digest 08:30 Europe/Oslo", USER)
    assert calls == [] and not reply.ok and "admins" in reply.title
    _, calls = run("route digest 08:30  Europe/Oslo", ADMIN)
    assert calls == [("route", ("digest", "08:30 Europe/Oslo"))]
    options = command_from_options("route", {"setting": "new", "value": " all "})
    assert options == parse_command("route new all")


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("quote", "quote <words>"),
        ("topic add pensions", "topic add <name> <query>"),
        ("topic remove", "topic remove <name>"),
        ('track "unclosed', 'track "<text>" [speaker:<name>]'),
        ("track speaker:Quillon", 'track "<text>" [speaker:<name>]'),
        ("feeds add", "feeds add <url>"),
        ("mute twelve", "mute <statement id>"),
        ("mute 0", "mute <statement id>"),
        ("digest tomorrow", "digest [now]"),
        ("topic list everything", "topic list"),
        ("route colour red", "route [<setting> <value>]"),
        ("route digest", "route [<setting> <value>]"),
        ("route show everything", "route [<setting> <value>]"),
    ],
)
def test_bad_arguments_give_the_usage_line(text: str, usage: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_command(text)
    assert str(caught.value).endswith(f"Usage: /verbatim {usage}")


def test_unknown_commands_and_groups_say_what_exists() -> None:
    with pytest.raises(UsageError, match="Unknown command 'frobnicate'"):
        parse_command("frobnicate")
    with pytest.raises(UsageError, match="add, list, remove"):
        parse_command("topic rename a b")
    with pytest.raises(UsageError, match="add, list, remove, import"):
        parse_command("feeds")


def test_empty_text_is_help() -> None:
    assert parse_command("   ") == Command("help")
    reply, calls = run("")
    assert calls == []
    assert reply.title == "Verbatim commands"
    assert len(reply.lines) == len(COMMANDS)


def test_every_command_has_usage_and_help() -> None:
    assert set(HELP) == set(USAGE) == set(COMMANDS)
    for name in COMMANDS:
        assert HELP[name].strip()
        assert USAGE[name].startswith(name)
        reply = help_reply(name)
        assert reply.ok
        assert any(HELP[name] in line for line in reply.lines)


def test_help_for_a_group_and_an_unknown_topic() -> None:
    assert [line.split(" \u2014 ")[0] for line in help_reply("topic").lines] == [
        "/verbatim topic add <name> <query>",
        "/verbatim topic list",
        "/verbatim topic remove <name>",
    ]
    assert run("help feeds import")[0].lines[0].startswith("/verbatim feeds import")
    assert not help_reply("nonsense").ok


def test_options_build_the_same_commands_as_text() -> None:
    pairs: list[tuple[str, dict[str, object], str]] = [
        ("quote", {"words": "we will not"}, "quote we will not"),
        ("topic add", {"name": "rail strike", "query": "strike"}, 'topic add "rail strike" strike'),
        ("track", {"text": "The budget", "speaker": None}, 'track "The budget"'),
        (
            "track",
            {"text": "The budget", "speaker": "Quillon"},
            'track "The budget" speaker:Quillon',
        ),
        ("digest", {"now": True}, "digest now"),
        ("digest", {"now": False}, "digest"),
        ("mute", {"statement": 12}, "mute 12"),
        ("feeds import", {"opml": "<opml/>"}, "feeds import <opml/>"),
        ("topic list", {}, "topic list"),
        ("help", {}, "help"),
    ]
    for name, options, text in pairs:
        assert command_from_options(name, options) == parse_command(text)


def test_options_missing_or_bad_raise_usage_errors() -> None:
    with pytest.raises(UsageError, match="Missing <query>"):
        command_from_options("topic add", {"name": "x"})
    with pytest.raises(UsageError, match="positive number"):
        command_from_options("mute", {"statement": -3})
    with pytest.raises(UsageError, match="Unknown command"):
        command_from_options("dance", {})
    assert isinstance(UsageError("x"), ValueError)  # the Discord adapter catches ValueError


@given(st.text(max_size=200))
def test_any_text_parses_or_gives_a_usage_error(text: str) -> None:
    try:
        command = parse_command(text)
    except UsageError as exc:
        assert str(exc)
    else:
        assert command.name in USAGE


_words = st.sampled_from(
    ["topic", "feeds", "add", "track", "speaker:", '"', "“", "”", "‘", "mute", "7", "x"]
)


@given(st.lists(_words, max_size=8).map(" ".join))
def test_command_like_text_parses_or_gives_a_usage_error(text: str) -> None:
    try:
        command = parse_command(text)
    except UsageError as exc:
        assert "/verbatim" in str(exc)
    else:
        reply = run_command(command, ADMIN, RecordingBackend())
        assert reply.title


_values = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none())


@given(
    st.sampled_from([*COMMANDS, "topic", "nope", ""]),
    st.dictionaries(
        st.sampled_from(["words", "name", "query", "text", "speaker", "url", "opml", "now"])
        | st.sampled_from(["statement", "topic"]),
        _values,
    ),
)
def test_any_options_give_a_command_or_a_usage_error(name: str, options: dict) -> None:
    try:
        command = command_from_options(name, options)
    except UsageError as exc:
        assert str(exc)
    else:
        assert run_command(command, ADMIN, RecordingBackend()).title


def test_every_command_has_one_answer_in_the_table() -> None:
    from bot.core.commands import _ANSWERS, HELP, USAGE

    assert set(_ANSWERS) == set(USAGE) - {"help"} == set(HELP) - {"help"}
