"""Article files read from disk: one bad record is skipped with its file and line, the rest is
read; byte-order marks, UTF-16, junk and login walls; dates in their common forms."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.files import FileError, content_url, parse_date, read_articles

TEXT = "Councillor Brenna Osk said the harbour tax would stay. “It stays,” she said."


def good(n: int) -> dict[str, str]:
    return {"url": f"https://ledger.example/{n}", "outlet": "Ledger", "text": f"{TEXT} ({n})"}


def read(path: Path) -> tuple[list[str], list[str]]:
    skipped: list[str] = []
    urls = [a.url for a in read_articles(str(path), skipped=lambda e: skipped.append(str(e)))]
    return urls, skipped


def test_one_malformed_line_of_twenty_skips_that_line_only(tmp_path: Path) -> None:
    lines = [json.dumps(good(n)) for n in range(20)]
    lines[6] = '{"url": "https://ledger.example/6", "text": "cut off'
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    urls, skipped = read(path)
    assert urls == [f"https://ledger.example/{n}" for n in range(20) if n != 6]
    assert len(skipped) == 1 and skipped[0].startswith(f"{path}:7: not JSON")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": 5}, "has no text"),
        ({"text": TEXT, "title": 5}, "title must be text, not a number"),
        ({"text": TEXT, "url": ["x"]}, "url must be text, not list"),
        ({"text": TEXT, "published": 1767139200}, "published must be text"),
        ({"text": TEXT, "author": {"name": "x"}}, "author must be text, not dict"),
        ([1, 2], "must be a JSON object"),
        ({"text": "\x01\x02\x03" * 400}, "control characters"),
        # Stored before, then refused by Discord with the alert that linked to them.
        ({"text": TEXT, "url": "http://[::1"}, "'http://[::1' is refused: it does not parse"),
        ({"text": TEXT, "url": "https://ledger.example/a b"}, "refused: it contains spaces"),
        ({"text": TEXT, "url": "https://:80/x"}, "refused: use an http:// or https:// URL"),
        ({"text": TEXT, "url": "   "}, "refused: it is empty"),
    ],
)
def test_a_record_of_wrong_types_at_the_top_skips_only_itself(
    tmp_path: Path, record: object, reason: str
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [record, good(1), good(2)]), "utf-8")
    urls, skipped = read(path)
    assert urls == ["https://ledger.example/1", "https://ledger.example/2"]
    assert len(skipped) == 1 and skipped[0].startswith(f"{path}:1: ") and reason in skipped[0]


def test_a_bad_record_in_a_json_array_skips_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([good(1), {"text": None}, good(3)]), "utf-8")
    urls, skipped = read(path)
    assert urls == ["https://ledger.example/1", "https://ledger.example/3"]
    assert skipped == [f"{path}: record 2: the record has no text"]


def test_json_lines_in_a_file_named_json_are_read_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(good(1)) + "\n" + json.dumps(good(2)) + "\n", "utf-8")
    assert read(path) == (["https://ledger.example/1", "https://ledger.example/2"], [])


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".txt"])
def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"batch{suffix}"
    body = json.dumps(good(1)) if suffix != ".txt" else f"Harbour tax\n{TEXT}"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (article,) = read_articles(str(path))
    assert "\ufeff" not in article.text + article.title
    assert article.text.endswith(TEXT if suffix == ".txt" else "(1)")


def test_utf16_with_its_mark_is_read_and_without_it_refused(tmp_path: Path) -> None:
    marked = tmp_path / "marked.txt"
    marked.write_bytes(f"Harbour tax\n{TEXT}".encode("utf-16"))
    assert next(read_articles(str(marked))).text.endswith(TEXT)
    bare = tmp_path / "bare.txt"
    bare.write_bytes(f"Harbour tax\n{TEXT}".encode("utf-16-le"))
    with pytest.raises(FileError, match=r"NUL characters .UTF-16 without a byte-order mark"):
        list(read_articles(str(bare)))


def test_a_file_of_control_characters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(1, 9)) * 30_000)  # 240 KB
    with pytest.raises(FileError, match=r"not readable text .* control characters"):
        list(read_articles(str(path)))


def test_a_login_wall_saved_as_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>Sign in</title></head><body><form>"
        '<input name="user"><input name="password" type="password"><button>Sign in</button>'
        "</form></body></html>",
        "utf-8",
    )
    with pytest.raises(FileError, match=r"page.html: not an article \("):
        list(read_articles(str(path)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/12/2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("12/31/2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("2025/12/31", datetime(2025, 12, 31, tzinfo=UTC)),
        ("31.12.2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("31 December 2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("Dec 31, 2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("2025-12-31T09:30:00Z", datetime(2025, 12, 31, 9, 30, tzinfo=UTC)),
        ("Wed, 31 Dec 2025 10:30:00 +0100", datetime(2025, 12, 31, 9, 30, tzinfo=UTC)),
    ],
)
def test_common_date_forms_are_read(value: str, expected: datetime) -> None:
    assert parse_date(value) == (expected, None)


def test_dates_that_cannot_be_read_are_logged_once_per_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "batch.jsonl"
    records = [{**good(n), "published": d} for n, d in enumerate(["2025-02-30", "soon", "1/2"])]
    path.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    with caplog.at_level(logging.WARNING, logger="adapters.files"):
        articles = list(read_articles(str(path)))
    assert [a.published for a in articles] == [None, None, None]
    (line,) = [r.getMessage() for r in caplog.records]
    assert "3 date(s) not understood" in line and f"{path}:1" in line and "2025-02-30" in line


def test_stdin_articles_are_named_by_their_words() -> None:
    assert content_url("Osk said  yes.") == content_url("Osk said yes.")
    assert content_url("Osk said yes.") != content_url("Osk said no.")


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_date_past_the_calendar_in_utc_is_refused_not_raised(value: str) -> None:
    assert parse_date(value) == (None, "out of range")


def test_a_url_that_is_no_web_address_names_the_article_as_given(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [{**good(1), "url": "urn:ledger:1"}, {**good(2), "url": "ledger-2"}]
    path.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    assert read(path) == (["urn:ledger:1", "ledger-2"], [])
