"""Faults: the bot killed mid-batch, the database locked by another process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.corpus import generate
from tests.conftest import DESK_CONFIG, REPO, run_cli, write_batch


def write_articles(path: Path, n: int) -> list[str]:
    """``n`` generated articles into the batch file ``path``; their urls."""
    articles = list(generate(n, seed=11))
    write_batch(path, articles)
    return [a.url for a in articles]


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def stored_so_far(db: Path) -> int:
    """Articles stored by a running ingest; 0 while the database is still being created."""
    try:
        return count(db, "select count(*) from articles") if db.exists() else 0
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    batch = tmp_path / "batch.jsonl"
    urls = write_articles(batch, 200)  # killed after 40: 160 articles of margin at 50 ms a look
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    args = [sys.executable, "-m", "bot", "ingest", "--config", str(config), "--db", str(db)]
    proc = subprocess.Popen([*args, str(batch)], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if stored_so_far(db) >= 40:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_before = count(db, "select count(*) from articles")
    assert 0 < stored_before < len(urls), "the kill should land mid-batch"

    # Every stored article is whole: its quotes are there with it.
    orphans = (
        "select count(*) from articles a where not exists "
        "(select 1 from events e where e.article_id = a.id) and exists "
        "(select 1 from quotes q where q.article_id = a.id and q.statement_id is not null)"
    )
    assert count(db, orphans) == 0

    again = run_cli("ingest", "--config", str(config), "--db", str(db), str(batch), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert count(db, "select count(*) from articles") == len(urls)
    assert count(db, "select count(distinct url) from articles") == len(urls)
    queued = count(db, "select count(*) from alerts")
    assert queued > 0

    first = run_cli("run", "--once", "--config", str(config), "--db", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert count(db, "select count(*) from alerts where sent_at is null") == 0
    printed = first.stdout.count("#desk")
    assert printed == queued  # every alert delivered once
    second = run_cli("run", "--once", "--config", str(config), "--db", str(db), cwd=tmp_path)
    assert second.stdout.count("#desk") == 0  # and never again


def test_a_database_locked_by_another_process_is_waited_for(tmp_path: Path) -> None:
    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    batch = tmp_path / "batch.jsonl"
    write_articles(batch, 3)
    assert run_cli("init", "--config", str(config), "--db", str(db), cwd=tmp_path).returncode == 0
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    locker.execute("begin exclusive")
    released = threading.Event()

    def release() -> None:  # the ingest, in this process, reaches the lock within milliseconds
        time.sleep(1)
        locker.execute("commit")
        locker.close()
        released.set()

    threading.Thread(target=release, daemon=True).start()
    result = run_cli("ingest", "--config", str(config), "--db", str(db), str(batch), cwd=tmp_path)
    assert released.is_set()
    assert result.returncode == 0, result.stderr
    assert count(db, "select count(*) from articles") == 3


def test_a_saved_topic_nested_too_deep_stops_no_article(tmp_path: Path) -> None:
    """A topic saved before the parser had its depth limit (written straight into the table)
    is skipped with one warning; every article is stored and the other topics still alert."""
    from bot.bootstrap import open_app

    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    app = open_app(str(db), str(config))
    deep = "(" * 245 + "said" + ")" * 245
    for name, query in (("deep", deep), ("said", "said")):
        app.db.execute(
            "insert into topics (channel, name, query, created_at) values (?, ?, ?, ?)",
            ["console:desk", name, query, "2026-11-01T00:00:00+00:00"],
        )
    app.close()
    batch = tmp_path / "batch.jsonl"
    urls = write_articles(batch, 20)
    done = run_cli("ingest", "--config", str(config), "--db", str(db), str(batch), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert count(db, "select count(*) from articles") == len(urls)
    assert done.stderr.count("topic 'deep' of console:desk is skipped") == 1
    assert count(db, 'select count(*) from alerts where payload like \'%"topic": "said"%\'') > 0


def test_a_failing_stage_loses_no_article_and_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.bootstrap import open_app
    from bot.core.stages import DisputeStage

    def broken(self: object, *args: object) -> list[object]:
        raise RuntimeError("a bug in the dispute stage")

    monkeypatch.setattr(DisputeStage, "__call__", broken)
    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    app = open_app(str(db), str(config))
    try:
        app.topics.add("console:desk", "said", "said")
        articles = generate(5, seed=3)
        with caplog.at_level("ERROR"):
            for article in articles:
                app.monitor.ingest(article)
    finally:
        app.close()
    assert count(db, "select count(*) from articles") == 5
    assert count(db, "select count(*) from quotes") > 0
    assert count(db, 'select count(*) from alerts where payload like \'%"topic": "said"%\'') > 0
    failures = [r for r in caplog.records if "dispute stage failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is not None


async def test_a_slack_channel_the_bot_is_not_in_dead_letters_and_the_others_go_on(
    tmp_path: Path,
) -> None:
    """The whole bot on the Slack stand-in: the alert for a channel the bot was never invited
    to is refused once (not retried every round), kept as failed with Slack's reason, and sent
    on request once the bot is in; the other channel gets its alert meanwhile."""
    import asyncio

    from bot.app.settings import load_settings
    from bot.bootstrap import open_app
    from bot.core.models import Article
    from tests.adapters.slack.standin import SlackStandIn
    from tests.end_to_end.conftest import bot_running
    from tests.end_to_end.test_run_on_slack import settle_welcomes

    standin = SlackStandIn()
    await standin.start()
    config = tmp_path / "verbatim.toml"
    config.write_text(
        f"[sources]\nsample_feed = false\n[console]\nenabled = false\n"
        f'[slack]\nenabled = true\napi_base_url = "{standin.base_url}"\n'
        '[[channels]]\nid = "slack:C100"\nnew_statements = "all"\n'
        '[[channels]]\nid = "slack:COUT"\nnew_statements = "all"\n'
    )
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}
    app = open_app(settings=load_settings(config, env, str(tmp_path / "v.db")))
    try:
        async with bot_running(app) as runner:
            await asyncio.wait_for(standin.connected.wait(), 20)
            # The channels' one welcome each: COUT's is refused the same way, once.
            welcomes = await settle_welcomes(runner, standin)
            assert [p["channel"] for p in welcomes] == ["C100", "COUT"]
            article = Article(
                url="https://harbour-ledger.example/ferry",
                outlet="Harbour Ledger",
                title="Ferry line promised",
                text="Harbour minister Tomas Ekdahl said: “The new ferry line opens in spring.”",
            )
            await runner.in_worker(runner.app.monitor.ingest, article)
            for _ in range(3):
                await runner.deliver()
                await runner.in_worker(
                    runner.app.db.execute, "update alerts set next_attempt_at = null"
                )
            posts = standin.called("chat.postMessage")
            assert [p["channel"] for p in posts] == ["C100", "COUT"]  # COUT tried once
            kept = await runner.in_worker(runner.app.outbox.failed)
            assert sorted(f.alert.key.startswith("welcome:") for f in kept) == [False, True]
            [failed] = [f for f in kept if not f.alert.key.startswith("welcome:")]
            assert failed.alert.channel == "slack:COUT"
            assert failed.reason.startswith(
                "refused (not_in_channel): the bot is not in the channel"
            )

            standin.outside.clear()  # /invite @Verbatim
            assert await runner.in_worker(runner.app.outbox.retry_failed) == 2  # welcome and alert
            await runner.deliver()
            assert [p["channel"] for p in standin.called("chat.postMessage")][-1] == "COUT"
            assert await runner.in_worker(runner.app.outbox.failed) == []
            assert await runner.in_worker(runner.app.outbox.pending_count) == 0
    finally:
        await standin.stop()


def test_an_outbox_row_that_cannot_be_read_is_set_aside_and_the_others_are_sent(
    tmp_path: Path,
) -> None:
    """A payload that is not JSON (`{broken`, written by hand) crashed `alerts` and `alerts
    --retry`, and failed every delivery round of `run`, so no alert after it was ever sent. The
    row is set aside, failed for good with the reason and a log line; the others go."""
    from bot.bootstrap import open_app
    from bot.core.models import Event, EventType

    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    app = open_app(str(db), str(config))
    try:
        for n in (1, 2, 3):
            event = Event(EventType.TOPIC, f"https://ledger.example/{n}", "Ledger", title=f"T{n}")
            app.outbox.enqueue_alert(f"k{n}", "console:desk", event, None)
        [_, second, third] = app.outbox.pending()
        app.outbox.mark_failed(third.id, "PermanentDeliveryError: x")
        app.outbox.mark_dead(third.id, "refused: the bot is not in the channel")
    finally:
        app.close()
    conn = sqlite3.connect(db)
    conn.execute("update alerts set payload = '{broken' where id in (?, ?)", [second.id, third.id])
    conn.commit()
    conn.close()
    common = ("--config", str(config), "--db", str(db))

    listed = run_cli("alerts", *common, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert f"#{third.id} console:desk (unreadable)" in listed.stdout
    assert "its stored payload cannot be read (JSONDecodeError" in listed.stdout
    retried = run_cli("alerts", "--retry", *common, cwd=tmp_path)
    assert retried.returncode == 0, retried.stderr
    assert f"alert #{third.id} kept as failed, not retried: its stored payload" in retried.stderr
    assert "Traceback" not in retried.stderr

    done = run_cli("run", "--once", *common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "delivery round failed" not in done.stderr
    assert f"alert #{second.id} for console:desk set aside, failed for good" in done.stderr
    assert "T1" in done.stdout
    assert count(db, "select count(*) from alerts where sent_at is not null") == 1
    assert count(db, "select count(*) from alerts where failed_at is not null") == 2
    again = run_cli("run", "--once", *common, cwd=tmp_path)
    assert "set aside" not in again.stderr and "T1" not in again.stdout  # said once, sent once
    as_json = run_cli("alerts", "--json", *common, cwd=tmp_path)
    assert [json.loads(line)["id"] for line in as_json.stdout.splitlines()] == [second.id, third.id]


def test_a_stored_event_that_cannot_be_read_is_skipped_by_every_reader(tmp_path: Path) -> None:
    """One events payload that was not JSON (`{broken`, written by hand) made `digest`,
    `story`, `export events` and `export alerts` crash with JSONDecodeError, and a quote's
    damaged diff `quote` and `export quotes`. Each reader skips that row with a line naming it
    and why, and reads the rest; nothing is deleted."""
    from tests.storage.test_history import ARTICLES

    config = tmp_path / "verbatim.toml"
    config.write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    common = ("--config", str(config), "--db", str(db))
    batch = write_batch(tmp_path / "plant.jsonl", ARTICLES)
    done = run_cli("ingest", *common, str(batch), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    [event_id] = conn.execute("select min(id) from events where type = 'alter'").fetchone()
    [alert_id] = conn.execute("select min(id) from alerts").fetchone()
    [quote_id] = conn.execute("select min(id) from quotes where relation = 'alter'").fetchone()
    tables = ("events", "alerts", "quotes")
    events, alerts, quotes = (
        conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables
    )
    conn.execute("update events set payload = '{broken' where id = ?", [event_id])
    conn.execute("update alerts set payload = '[1, 2]' where id = ?", [alert_id])
    conn.execute("update quotes set diff = '{broken' where id = ?", [quote_id])
    conn.commit()
    conn.close()
    said = f"event #{event_id} skipped: its stored payload cannot be read (JSONDecodeError"

    for args in (("digest", "--since", "2026-01"), ("story", "Ostrava plant")):
        done = run_cli(*args, *common, cwd=tmp_path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count(said) == 1 and "Clara Vennholt" in done.stdout
    exported = run_cli("export", "events", "--format", "json", *common, cwd=tmp_path)
    assert exported.returncode == 0 and exported.stderr.count(said) == 1, exported.stderr
    assert len(json.loads(exported.stdout)) == events - 1
    exported = run_cli("export", "alerts", "--format", "json", *common, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert f"alert #{alert_id} skipped: its stored payload cannot be read" in exported.stderr
    assert len(json.loads(exported.stdout)) == alerts - 1
    diff_said = f"quote #{quote_id} skipped: its stored changes or diff cannot be read"
    exported = run_cli("export", "quotes", "--format", "json", *common, cwd=tmp_path)
    assert exported.returncode == 0 and diff_said in exported.stderr, exported.stderr
    assert len(json.loads(exported.stdout)) == quotes - 1
    looked_up = run_cli("quote", "close the Ostrava plant", *common, cwd=tmp_path)
    assert looked_up.returncode == 0 and diff_said in looked_up.stderr, looked_up.stderr
    assert "Harbour Ledger" in looked_up.stdout
    assert count(db, "select count(*) from events") == events  # nothing deleted
    assert count(db, "select count(*) from quotes") == quotes
