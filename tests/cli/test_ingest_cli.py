"""`verbatim ingest` on bad input, as a user runs it: the good records are all stored."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

from tests.conftest import DESK_CONFIG, run_cli

TEXT = "Councillor Brenna Osk said the harbour tax would stay. “It stays,” she said."


def articles(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("select url from articles order by id")]
    finally:
        conn.close()


def test_one_bad_line_of_twenty_is_skipped_with_its_file_and_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": f"https://ledger.example/{n}", "text": f"{TEXT} ({n})"})
        for n in range(20)
    ]
    lines[0] = json.dumps({"url": "https://ledger.example/0", "text": 12})  # wrong type, on top
    lines[9] = "{not json"
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")
    done = run_cli("ingest", "--db", "v.db", "batch.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "skipped batch.jsonl:1: the record has no text" in done.stderr
    assert "skipped batch.jsonl:10: not JSON" in done.stderr
    stored = articles(tmp_path / "v.db")
    assert stored == [f"https://ledger.example/{n}" for n in range(20) if n not in (0, 9)]


def test_a_file_with_a_byte_order_mark_is_ingested(tmp_path: Path) -> None:
    record = json.dumps({"url": "https://ledger.example/bom", "text": TEXT})
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + record.encode())
    done = run_cli("ingest", "--db", "v.db", "bom.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert articles(tmp_path / "v.db") == ["https://ledger.example/bom"]


def test_two_articles_on_stdin_are_two_articles(tmp_path: Path) -> None:
    for text in (f"Harbour tax\n{TEXT}", "Ferry line\nMayor Ines Calloway said the ferry runs."):
        done = run_cli("ingest", "--db", "v.db", "-", cwd=tmp_path, stdin=text)
        assert done.returncode == 0, done.stderr
    again = run_cli("ingest", "--db", "v.db", "-", cwd=tmp_path, stdin=f"Harbour tax\n{TEXT}")
    assert again.returncode == 0
    stored = articles(tmp_path / "v.db")
    assert len(stored) == 2 and all(u.startswith("urn:verbatim:stdin:") for u in stored)


def test_junk_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_bytes(bytes(range(1, 9)) * 30_000)
    (tmp_path / "utf16.txt").write_bytes(f"Harbour tax\n{TEXT}".encode("utf-16-le"))
    (tmp_path / "ok.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    done = run_cli("ingest", "--db", "v.db", "junk.txt", "utf16.txt", "ok.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped junk.txt: not readable text" in done.stderr
    assert "skipped utf16.txt: contains NUL characters" in done.stderr
    assert len(articles(tmp_path / "v.db")) == 1


def test_published_accepts_common_forms_and_names_a_bad_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    ok = run_cli("ingest", "--db", "v.db", "--published", "31/12/2025", "a.txt", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("ingest", "--db", "v.db", "--published", "2025-02-30", "a.txt", cwd=tmp_path)
    assert bad.returncode == 2 and "--published '2025-02-30': no such date" in bad.stderr


def test_silent_prints_nothing_per_statement(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": f"https://ledger.example/{n}",
                "outlet": "Harbour Ledger",
                "title": "Pier",
                "text": f"“{words},” said Clara Vennholt.",
            }
        )
        for n, words in enumerate(
            [
                "We will open the pier to the ferries in May",
                "The market hall needs a new roof before the winter",
                "Nobody in this council wants a harbour tax",
            ]
        )
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "v.db"
    done = run_cli("ingest", "--silent", "--db", str(db), "a.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Read 3 articles silently: 3 new statements, no alerts queued.\n"
    assert "Clara Vennholt" not in done.stdout
    quiet = run_cli("ingest", "--silent", "--json", "--db", str(db), "a.jsonl", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == ""  # nothing for scripts either
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from statements").fetchone()[0] == 3
        assert conn.execute("select count(*) from alerts").fetchone()[0] == 0


def test_published_month_is_read_the_same_on_the_command_line_and_in_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "“We will open the pier in May,” said Clara Vennholt.", encoding="utf-8"
    )
    record = {
        "url": "https://ledger.example/2",
        "outlet": "Harbour Ledger",
        "published": "2022-12",
        "text": "“The market hall needs a new roof,” said Clara Vennholt.",
    }
    (tmp_path / "b.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "v.db"
    one = run_cli(
        "ingest", "--db", str(db), "--outlet", "Harbour Ledger", "--published", "2022-12",
        "a.txt", cwd=tmp_path,
    )  # fmt: skip
    two = run_cli("ingest", "--db", str(db), "b.jsonl", cwd=tmp_path)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert "date" not in two.stderr
    with sqlite3.connect(db) as conn:
        dates = [r[0] for r in conn.execute("select published from articles order by id")]
    assert dates == ["2022-12-01T00:00:00+00:00"] * 2
    bad = run_cli("ingest", "--db", str(db), "--published", "2022-13", "a.txt", cwd=tmp_path)
    assert bad.returncode == 2 and "no such date" in bad.stderr


def test_url_is_refused_with_several_inputs(tmp_path: Path) -> None:
    """`--url` names one file's article: with two files the second was dropped unseen (one
    article per url)."""
    for name in ("good1.txt", "good2.txt"):
        (tmp_path / name).write_text(f"Harbour tax\n{TEXT} ({name})", encoding="utf-8")
    done = run_cli(
        "ingest", "--db", "v.db", "--url", "https://x.example/a", "good1.txt", "good2.txt",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--url names the article of a single file; 2 inputs were given" in done.stderr
    assert not (tmp_path / "v.db").exists()
    one = run_cli(
        "ingest", "--db", "v.db", "--url", "https://x.example/a", "good1.txt", cwd=tmp_path
    )
    assert one.returncode == 0, one.stderr
    assert articles(tmp_path / "v.db") == ["https://x.example/a"]


def test_a_record_repeating_a_url_with_other_text_is_skipped_saying_so(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://ledger.example/1", "text": TEXT}),
        json.dumps({"url": "https://ledger.example/1", "text": TEXT}),  # the same: no news
        json.dumps({"url": "https://ledger.example/1", "text": f"{TEXT} Updated."}),
        json.dumps({"url": "https://ledger.example/2", "text": f"{TEXT} Two."}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")
    done = run_cli("ingest", "--db", "v.db", "batch.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "verbatim: skipped batch.jsonl:3: the url https://ledger.example/1 is already the url "
        "of batch.jsonl:1, with other text (one article per url)"
    ]
    assert articles(tmp_path / "v.db") == ["https://ledger.example/1", "https://ledger.example/2"]


def test_a_device_or_a_fifo_is_refused_and_stdin_has_the_files_size_cap(tmp_path: Path) -> None:
    """A path that is no regular file may never end (`/dev/zero`, `/dev/urandom`, a FIFO no one
    closes): it is refused, not read; stdin is read up to the files' 20 MB and refused past it."""
    from adapters.files import MAX_FILE_BYTES

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=_write_to, args=(fifo, f"Harbour tax\n{TEXT}"), daemon=True)
    writer.start()
    (tmp_path / "ok.txt").write_text(f"Harbour tax\n{TEXT}", encoding="utf-8")
    done = run_cli("ingest", "--db", "v.db", "/dev/null", str(fifo), "ok.txt", cwd=tmp_path)
    _release(fifo, writer)
    assert done.returncode == 0, done.stderr
    assert "skipped /dev/null: not a regular file" in done.stderr
    assert f"skipped {fifo}: not a regular file" in done.stderr
    assert len(articles(tmp_path / "v.db")) == 1
    extracted = run_cli("extract", "/dev/null", cwd=tmp_path)
    assert extracted.returncode == 1
    assert "verbatim: /dev/null: not a regular file" in extracted.stderr
    big = "a" * (MAX_FILE_BYTES + 1)
    for command in (("ingest", "--db", "v.db", "-"), ("extract", "-")):
        refused = run_cli(*command, cwd=tmp_path, stdin=big)
        assert refused.returncode == 1
        assert "stdin: larger than 20 MB" in refused.stderr, command
    assert len(articles(tmp_path / "v.db")) == 1


def _write_to(fifo: Path, text: str) -> None:
    try:
        with fifo.open("w", encoding="utf-8") as fh:  # waits for a reader
            fh.write(text)
    except BrokenPipeError:  # the reader that released us read nothing
        pass


def _release(fifo: Path, writer: threading.Thread) -> None:
    """Let a writer still waiting for a reader go (a reader that opens and closes at once)."""
    if writer.is_alive():
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    writer.join(5)


def test_a_url_already_stored_with_other_text_keeps_the_stored_article_saying_so(
    tmp_path: Path,
) -> None:
    """A url stored by an earlier run, or by another file of the same run, arriving with other
    text was dropped without a word. The stored article is kept and one line says so; the same
    words again (a re-run, a copy from the same outlet elsewhere) stay silent, and nothing is
    stored or alerted twice."""
    (tmp_path / "verbatim.toml").write_text(DESK_CONFIG)
    common = ("--config", "verbatim.toml", "--db", "v.db")
    first = json.dumps({"url": "https://ledger.example/1", "outlet": "Ledger", "text": TEXT})
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")
    done = run_cli("ingest", *common, "a.jsonl", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    again = run_cli("ingest", *common, "a.jsonl", cwd=tmp_path)  # the same input: nothing new
    assert again.returncode == 0 and again.stderr == again.stdout == ""

    said = (
        "https://ledger.example/1 is already stored with other text: the stored article is "
        "kept (one article per url)"
    )
    other = json.dumps(
        {"url": "https://ledger.example/1", "outlet": "Ledger", "text": f"{TEXT} No."}
    )
    (tmp_path / "b.jsonl").write_text(other, encoding="utf-8")
    later = run_cli("ingest", *common, "b.jsonl", cwd=tmp_path)
    assert later.returncode == 0 and later.stdout == ""
    assert [line.split(": ", 1)[1] for line in later.stderr.splitlines()] == [said]

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    copy = json.dumps({"url": "https://ledger.example/copy", "outlet": "Ledger", "text": TEXT})
    (tmp_path / "c.jsonl").write_text(copy, encoding="utf-8")  # the same words elsewhere
    both = run_cli(
        "ingest", "--config", "verbatim.toml", "--db", "fresh/v.db", "a.jsonl", "b.jsonl",
        "c.jsonl", cwd=tmp_path,
    )  # fmt: skip
    assert both.returncode == 0
    assert [line.split(": ", 1)[1] for line in both.stderr.splitlines()] == [said]
    for db in (tmp_path / "v.db", fresh / "v.db"):
        assert articles(db) == ["https://ledger.example/1"]
        conn = sqlite3.connect(db)
        try:
            [(text,)] = conn.execute("select text from articles")
            assert text == TEXT  # the first text stays
            assert conn.execute("select count(*) from alerts").fetchone()[0] == 1
        finally:
            conn.close()
