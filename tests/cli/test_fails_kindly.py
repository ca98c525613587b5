"""Bad input on the command line and in chat gets a message, never a traceback: failed alerts
listed and sent again, lookups on a missing database, a chart to a missing directory, output
piped into `head`, absurd ids, and a false positive marked from another channel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bootstrap import open_app
from bot.core.backend import Caller
from bot.core.commands import UsageError, parse_command
from bot.core.models import Event, EventType
from tests.conftest import REPO, run_cli

TEXT = "Councillor Brenna Osk said the harbour tax would stay. “It stays,” she said."


def dead_alert(db: Path) -> int:
    """A console alert the platform refused for good, as the delivery round leaves it."""
    app = open_app(str(db))
    try:
        event = Event(EventType.TOPIC, "https://ledger.example/1", "Ledger", title="Harbour tax")
        app.outbox.enqueue_alert("t1", "console:default", event, None)
        [alert] = app.outbox.pending()
        app.outbox.mark_failed(alert.id, "PermanentDeliveryError: x")
        app.outbox.mark_dead(alert.id, "refused: the bot is not in the channel")
        return alert.id
    finally:
        app.close()


def test_failed_alerts_are_listed_and_sent_again_on_request(tmp_path: Path) -> None:
    alert_id = dead_alert(tmp_path / "v.db")
    listed = run_cli("alerts", "--failed", "--db", "v.db", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert f"#{alert_id} console:default topic: Harbour tax" in listed.stdout
    assert "refused: the bot is not in the channel" in listed.stdout
    as_json = run_cli("alerts", "--json", "--db", "v.db", cwd=tmp_path)
    [line] = [json.loads(x) for x in as_json.stdout.splitlines()]
    assert line["id"] == alert_id and line["reason"].startswith("refused:")

    retried = run_cli("alerts", "--retry", str(alert_id), "--db", "v.db", cwd=tmp_path)
    assert retried.returncode == 0, retried.stderr
    assert "1 failed alert queued again; 1 sent now." in retried.stdout
    assert "Harbour tax" in retried.stdout  # printed by the console notifier
    assert run_cli("alerts", "--db", "v.db", cwd=tmp_path).stdout == ""
    again = run_cli("alerts", "--retry", str(alert_id), "--db", "v.db", cwd=tmp_path)
    assert again.returncode == 1 and "0 failed alerts queued again" in again.stdout


@pytest.mark.parametrize("bad", ["abc", "0", "9" * 29, "1" * 5000])
def test_alert_ids_that_cannot_exist_are_refused_by_the_parser(tmp_path: Path, bad: str) -> None:
    dead_alert(tmp_path / "v.db")
    done = run_cli("alerts", "--retry", bad, "--db", "v.db", cwd=tmp_path)
    assert done.returncode == 2 and "is not an alert id" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("quote", "harbour", "tax"),
        ("speaker", "Brenna", "Osk"),
        ("topic", "list"),
        ("topic", "test", "harbour"),
        ("digest",),
        ("feeds", "list"),
        ("alerts", "--failed"),
    ],
)
def test_a_lookup_refuses_a_database_that_does_not_exist(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    done = run_cli(*command, "--db", "typo/v.db", cwd=tmp_path)
    assert done.returncode == 2
    assert "database typo/v.db does not exist" in done.stderr
    assert not (tmp_path / "typo").exists()


def test_a_chart_to_a_missing_directory_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    assert run_cli("ingest", "--db", "v.db", "a.txt", cwd=tmp_path).returncode == 0
    done = run_cli("digest", "--db", "v.db", "--chart", "/nonexistent/dir/c.png", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "verbatim: --chart /nonexistent/dir/c.png: no such directory"


@pytest.mark.parametrize(
    "command",
    [("ingest", "a.txt"), ("speaker", "Brenna", "Osk"), ("digest",), ("feeds", "list"), ("init",)],
)
def test_a_database_or_config_that_is_no_such_file_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Bytes that are not SQLite, a directory, as --db; bytes that are not UTF-8, a directory,
    as --config: one line saying which and why, exit 2, and the file is left as it was."""
    (tmp_path / "a.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    junk = bytes(range(256)) * 20
    (tmp_path / "binary.bin").write_bytes(junk)
    (tmp_path / "adir").mkdir()
    config = ("--config", "verbatim.toml") if command == ("init",) else ()
    cases = {
        ("--db", "binary.bin", *config): "verbatim: database binary.bin cannot be opened: file "
        "is not a database (check --db or [database] path)",
        ("--db", "adir", *config): "verbatim: database adir is a directory, not a database file "
        "(check --db or [database] path)",
        ("--config", "binary.bin"): "verbatim: configuration error: binary.bin is not UTF-8 "
        "text (a TOML file is)",
        ("--config", "adir"): "verbatim: configuration error: config file adir is a "
        "directory, not a TOML file",
    }
    for options, line in cases.items():
        if command == ("init",) and options[0] == "--config":
            continue  # init writes its config file: not this test's
        done = run_cli(*command, *options, cwd=tmp_path)
        assert (done.returncode, done.stderr.strip()) == (2, line), options
    assert (tmp_path / "binary.bin").read_bytes() == junk
    assert sorted(p.name for p in (tmp_path / "adir").iterdir()) == []


def test_a_database_in_a_new_directory_is_created_saying_so(tmp_path: Path) -> None:
    """The first run's `var/` (the README's `make run`), or any --db: the directory is made,
    and a line says so, not silently."""
    (tmp_path / "a.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    done = run_cli("ingest", "--db", "new/dir/v.db", "a.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "WARNING storage.db: created the directory new/dir for the database v.db" in (
        done.stderr
    )
    assert (tmp_path / "new" / "dir" / "v.db").is_file()
    again = run_cli("ingest", "--db", "new/dir/v.db", "a.txt", cwd=tmp_path)
    assert "created the directory" not in again.stderr
    under_a_file = run_cli("ingest", "--db", "a.txt/v.db", "a.txt", cwd=tmp_path)
    assert (under_a_file.returncode, under_a_file.stderr.strip()) == (
        2,
        "verbatim: database a.txt/v.db: a.txt is not a directory (check --db or [database] path)",
    )


def test_feeds_export_to_a_path_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    assert run_cli("ingest", "--db", "v.db", "-", cwd=tmp_path, stdin=TEXT).returncode == 0
    for path, why in (
        ("/nonexistent/x.opml", "No such file or directory"),
        ("adir", "Is a directory"),
    ):
        done = run_cli("feeds", "export", path, "--db", "v.db", cwd=tmp_path)
        assert (done.returncode, done.stderr.strip()) == (
            2,
            f"verbatim: feeds export {path}: {why}",
        )


def test_output_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    article = "Harbour tax\n\n" + "".join(
        f"Councillor Brenna Osk said: “It stays for {n} years.”\n\n" for n in range(400)
    )
    for n in range(6):
        (tmp_path / f"a{n}.txt").write_text(article, encoding="utf-8")
    files = [f"a{n}.txt" for n in range(6)]
    env = {"PYTHONPATH": str(REPO), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    verbatim = subprocess.Popen(
        [sys.executable, "-m", "bot", "extract", *files],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert verbatim.stdout is not None and verbatim.stderr is not None
    head = verbatim.stdout.readline()
    verbatim.stdout.close()  # what `head -1` does once it has its line
    errors = verbatim.stderr.read().decode()
    assert verbatim.wait(timeout=120) == 141
    assert head.startswith(b"a0.txt: 400 quotes")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


@pytest.mark.parametrize("digits", ["9" * 29, "1" * 5000])
def test_mute_with_an_id_no_statement_can_have_is_a_usage_message(digits: str) -> None:
    with pytest.raises(UsageError, match="There is no statement #"):
        parse_command(f"mute {digits}")


def test_buttons_with_ids_past_sqlite_integers_answer_there_is_none(tmp_path: Path) -> None:
    app = open_app(str(tmp_path / "v.db"))
    try:
        backend = app.backend()
        caller = Caller("slack:C1", "U1")
        for reply in (
            backend.mute(caller, 10**29),
            backend.sources(10**20),
            backend.false_positive(caller, 99999999999999999999),
        ):
            assert not reply.ok and "There is no" in reply.title
    finally:
        app.close()


def test_a_false_positive_is_marked_only_from_the_alerts_channel_or_thread(
    tmp_path: Path,
) -> None:
    app = open_app(str(tmp_path / "v.db"))
    try:
        statement, _ = app.store.add_tracked_statement("the harbour tax will stay", "Brenna Osk")
        event = Event(EventType.ALTER, "https://ledger.example/1", "Ledger", statement_id=statement)
        thread_key = f"statement:{statement}"
        app.outbox.enqueue_alert("k", "discord:100", event, thread_key)
        [alert] = app.outbox.pending()
        app.outbox.set_thread("discord:100", thread_key, "555")
        backend = app.backend()
        elsewhere = backend.false_positive(Caller("discord:200", "U1"), alert.id)
        assert not elsewhere.ok and "another channel" in elsewhere.title
        assert not app.outbox.is_suppressed("discord:100", statement, EventType.ALTER)
        assert not app.outbox.is_suppressed("discord:200", statement, EventType.ALTER)
        in_thread = backend.false_positive(Caller("discord:555", "U1"), alert.id)
        assert in_thread.ok
        assert app.outbox.is_suppressed("discord:100", statement, EventType.ALTER)
    finally:
        app.close()


def test_feeds_add_from_chat_fetches_once_and_refuses_a_mistyped_address(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.bootstrap import feed_checker
    from tests.adapters.httpserver import serve
    from tests.adapters.test_feed_poller import RSS, item, rss

    with serve({"/rss": (200, RSS, rss(item(1)))}) as server:
        app = open_app(str(tmp_path / "v.db"))
        try:
            settings = replace(app.settings, allow_private_hosts=("127.0.0.1",))
            backend = app.backend(check_feed=feed_checker(settings))
            admin = Caller("slack:C1", "U1", is_admin=True)
            typo = backend.feeds_add(admin, server.url("/rsss"))
            assert not typo.ok and typo.title.endswith("is not added: HTTP 404.")
            added = backend.feeds_add(admin, server.url("/rss"))
            assert added.ok and added.lines[0].startswith("Found “Harbour Herald”: 1 entry")
            assert [f.url for f in backend.feeds.list()] == [server.url("/rss")]
        finally:
            app.close()


def test_feeds_add_from_chat_of_a_redirect_loop_says_so_with_the_address_as_given(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from bot.bootstrap import feed_checker
    from tests.adapters.httpserver import Route, serve

    loop: dict[str, Route] = {
        "/a": (302, {"Location": "/b"}, b""),
        "/b": (302, {"Location": "/a"}, b""),
    }
    with serve(loop) as server:
        app = open_app(str(tmp_path / "v.db"))
        try:
            settings = replace(app.settings, allow_private_hosts=("127.0.0.1",))
            backend = app.backend(check_feed=feed_checker(settings))
            reply = backend.feeds_add(Caller("slack:C1", "U1", is_admin=True), server.url("/a"))
            # Was "Http://127.0.0.1:…/a is not added: more than 5 redirects from."
            assert not reply.ok
            assert (
                reply.title == f"{server.url('/a')} is not added: more than 5 redirects in a row."
            )
            assert backend.feeds.list() == []
        finally:
            app.close()


def test_a_deep_topic_from_chat_is_answered_with_the_caret_and_not_saved(tmp_path: Path) -> None:
    app = open_app(str(tmp_path / "v.db"))
    try:
        backend = app.backend()
        caller = Caller("slack:C1", "U1")
        reply = backend.topic_add(caller, "deep", "NOT " * 2000 + "harbour")
        assert not reply.ok and reply.title == "That query does not parse."
        assert "nested more than 32 deep" in reply.lines[0] and reply.lines[0].endswith("^")
        assert backend.topic_list(caller).title.startswith("No topics")
    finally:
        app.close()


def test_ingest_refuses_a_url_option_that_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("“The tide tables change in May,” pilot Rolf Inge said.\n")
    done = run_cli("ingest", "--db", "v.db", "--url", "http://[::1", "a.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "--url 'http://[::1' is refused: it does not parse as a URL" in done.stderr
    assert not (tmp_path / "v.db").exists()  # refused before anything was opened
