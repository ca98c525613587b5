"""Articles from files and stdin: plain text, HTML, JSON and JSON Lines records.

A JSON record has `url`, `outlet`, `title`, `published` and `text`; only `text` is required.
Plain text takes its first line as the title. A file that cannot be read raises `FileError`
with a message saying why, so a batch can report it and go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.models import Article
from bot.core.serialize import parse_time

MAX_FILE_BYTES = 20_000_000


class FileError(ValueError):
    """A file that is not a readable article; the message says why."""


@dataclass(frozen=True)
class Defaults:
    """What the command line says about articles whose file does not say it."""

    outlet: str | None = None
    published: datetime | None = None
    url: str | None = None


def read_text(path: str) -> str:
    """The file's text exactly as stored (UTF-8, nothing stripped); `-` is stdin."""
    import sys

    try:
        if path == "-":
            return sys.stdin.read()
        p = Path(path)
        if p.stat().st_size > MAX_FILE_BYTES:
            raise FileError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
        with p.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except UnicodeDecodeError:
        raise FileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None


def _record(data: Any, where: str, defaults: Defaults) -> Article:
    if not isinstance(data, dict):
        raise FileError(f"{where}: a record must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise FileError(f"{where}: the record has no text")
    url = data.get("url") or defaults.url or f"urn:verbatim:{where}"
    published = parse_time(data.get("published")) or defaults.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return Article(
        url=str(url),
        outlet=str(data.get("outlet") or defaults.outlet or "unknown outlet"),
        title=str(data.get("title") or text.strip().splitlines()[0][:200]),
        text=text,
        published=published,
        language=str(data.get("language") or "en"),
        author=data.get("author"),
    )


def _html_article(html: str, where: str, defaults: Defaults) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise FileError(f"{where}: no article text found in the HTML")
    title = getattr(doc, "title", None) or text.splitlines()[0][:200]
    return Article(
        url=defaults.url or getattr(doc, "url", None) or f"urn:verbatim:{where}",
        outlet=defaults.outlet or getattr(doc, "sitename", None) or "unknown outlet",
        title=title,
        text=text,
        published=defaults.published or parse_time(getattr(doc, "date", None)),
        author=getattr(doc, "author", None),
    )


def read_articles(path: str, defaults: Defaults = Defaults()) -> Iterator[Article]:
    """The articles in one file; raises FileError for the whole file or for one bad record."""
    text = read_text(path)
    name = "stdin" if path == "-" else Path(path).resolve().as_uri()
    suffix = Path(path).suffix.lower()
    stripped = text.lstrip()
    if suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{") and "\n{" in text):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FileError(f"{path}:{n}: not JSON: {exc.msg}") from None
                except RecursionError:
                    raise FileError(f"{path}:{n}: JSON nested too deeply to read") from None
                yield _record(data, f"{name}#{n}", defaults)
        return
    if suffix == ".json" or stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except RecursionError:
            raise FileError(f"{path}: JSON nested too deeply to read") from None
        except json.JSONDecodeError as exc:
            if suffix == ".json":
                raise FileError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
        else:
            records = data if isinstance(data, list) else [data]
            for n, rec in enumerate(records, 1):
                yield _record(rec, f"{name}#{n}" if len(records) > 1 else name, defaults)
            return
    if suffix in (".html", ".htm") or stripped[:200].lower().startswith(
        ("<!doctype html", "<html")
    ):
        yield _html_article(text, name, defaults)
        return
    if not text.strip():
        raise FileError(f"{path}: empty file")
    yield _record(
        {"text": text}, name, Defaults(defaults.outlet, defaults.published, defaults.url or name)
    )
