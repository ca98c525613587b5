"""Articles from files and stdin: plain text, HTML, JSON and JSON Lines records.

A JSON record has `url`, `outlet`, `title`, `published` and `text`; only `text` is required,
and every field is text. Plain text takes its first line as the title. A file that cannot be
read at all raises `FileError` saying why; one bad record (a line that is not JSON, a field of
the wrong type, text that is not readable) is handed to ``skipped`` with its file and line, and
the records around it are read as usual. Files are UTF-8, with or without a byte-order mark,
or UTF-16 with one. A record without a url is named by its file and line, or, from stdin, by
its content, so two different articles piped in one after the other are two articles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from bot.core.models import Article
from bot.core.urls import BadUrl, web_url

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20_000_000
_TEXT_FIELDS = ("url", "outlet", "title", "published", "language", "author")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})")
_WORDY_DATES = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


class FileError(ValueError):
    """A file, or one record of it, that is not a readable article; the message says why."""


Skipped = Callable[[FileError], None]


@dataclass(frozen=True)
class Defaults:
    """What the command line says about articles whose file does not say it."""

    outlet: str | None = None
    published: datetime | None = None
    url: str | None = None


def decode(data: bytes, where: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or UTF-16 that starts with its mark."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise FileError(f"{where}: not UTF-8 text") from None
    if _looks_like_utf16(text):
        raise FileError(
            f"{where}: contains NUL characters (UTF-16 without a byte-order mark?);"
            " save it as UTF-8"
        )
    return text


def _looks_like_utf16(text: str) -> bool:
    """UTF-16 text read as UTF-8: a NUL in (nearly) every other character, not in the rest."""
    sample = text[:4000]
    odd, even = sample[1::2], sample[0::2]
    if len(odd) < 2:
        return False
    for nuls, others in ((odd, even), (even, odd)):
        if nuls.count("\x00") >= 0.9 * len(nuls) and others.count("\x00") <= 0.1 * len(others):
            return True
    return False


def read_text(path: str) -> str:
    """The file's text exactly as stored (nothing stripped but a byte-order mark); `-` is
    stdin. Only a regular file is read (a device or a FIFO may never end), and neither it nor
    stdin beyond `MAX_FILE_BYTES`."""
    try:
        if path == "-":
            buffer = getattr(sys.stdin, "buffer", None)
            if buffer is None:  # a text stream put in place of stdin (tests, embedding)
                return _at_most(sys.stdin.read(MAX_FILE_BYTES + 1), "stdin")
            return decode(_at_most(buffer.read(MAX_FILE_BYTES + 1), "stdin"), "stdin")
        with open_regular(path) as fh:
            return decode(_at_most(fh.read(MAX_FILE_BYTES + 1), path), path)
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading bytes, if it is a regular file: a device or a FIFO may never
    end (or never begin), so it is refused, without opening it, by a `FileError` saying why,
    as a path that does not exist or is a directory is."""
    p = Path(path)
    try:
        mode = p.stat().st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise FileError(f"{path}: not a regular file (a device, a FIFO; - reads stdin)")
        return p.open("rb")
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None


def _at_most(data: AnyStr, where: str) -> AnyStr:
    if len(data) > MAX_FILE_BYTES:
        raise FileError(f"{where}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return data


def check_readable(text: str, where: str) -> None:
    """Refuse text that no reader would call an article: control characters, no words."""
    controls = sum(
        1 for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS
    )
    if controls > max(8, len(text) // 100):
        raise FileError(f"{where}: not readable text ({controls} control characters)")
    if not any(c.isalpha() for c in text):
        raise FileError(f"{where}: no words in the text")


_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_date(value: str) -> tuple[datetime | None, str | None]:
    """A publication date in a common form, in UTC (assumed when it names no zone): ISO 8601,
    RFC 2822 (``Tue, 30 Dec 2025 10:00:00 +0100``), ``2025/12/31``, ``31/12/2025`` or ``31.12.2025``
    (day first, unless the second number cannot be a month), ``31 December 2025``,
    ``December 31, 2025``, or a month (``2022-12``: its first day). Returns (date, None), or
    (None, why not)."""
    value = " ".join(value.split())
    month = _YEAR_MONTH.fullmatch(value)
    if month:  # 2022-12: the month, from its first day
        if not 1 <= int(month.group(2)) <= 12:
            return None, "no such date"
        return datetime(int(month.group(1)), int(month.group(2)), 1, tzinfo=UTC), None
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        when = _other_forms(value)
    if when is None:
        numbers = _NUMERIC_DATE.fullmatch(value)
        return None, "no such date" if numbers or value[:4].isdigit() else "not a date"
    try:
        return (when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)), None
    except (OverflowError, ValueError):  # 9999-12-31T23:59:59-14:00 is past year 9999 in UTC
        return None, "out of range"


def _other_forms(value: str) -> datetime | None:
    numbers = _NUMERIC_DATE.fullmatch(value)
    if numbers:
        a, b, c = (int(g) for g in numbers.groups())
        year, month, day = (a, b, c) if len(numbers.group(1)) == 4 else (c, b, a)
        if len(numbers.group(1)) != 4 and a <= 12 < b:
            month, day = a, b  # 12/31/2025: month first
        try:
            return datetime(year, month, day) if year >= 1000 else None
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    for form in _WORDY_DATES:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    return None


def usable_url(url: str) -> str | None:
    """Why ``url`` cannot name an article, or None: a web address must parse (``http://[::1``
    was stored, then refused by Discord with the whole alert); other names (``file:``,
    ``urn:``, an id) are kept as given, and alerts show them unlinked."""
    if not url.strip():
        return "it is empty"
    if url.split(":", 1)[0].strip().lower() in ("http", "https"):
        try:
            web_url(url)
        except BadUrl as e:
            return e.reason
    return None


def content_url(text: str) -> str:
    """The name of an article known only by its words (stdin without a url)."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:24]
    return f"urn:verbatim:stdin:{digest}"


class _Reader:
    """One file's records, with where each comes from and the dates it could not read."""

    def __init__(self, path: str, defaults: Defaults) -> None:
        self.path = path
        self.defaults = defaults
        self.stdin = path == "-"
        self.name = "stdin" if self.stdin else Path(path).resolve().as_uri()
        self.bad_dates: list[tuple[str, str]] = []  # (where, why)
        self.urls: dict[str, tuple[str, str]] = {}  # url -> (where, digest of its text)

    def url_for(self, text: str, anchor: str | None) -> str:
        if self.defaults.url:
            return self.defaults.url
        if self.stdin:
            return content_url(text)
        return f"{self.name}#{anchor}" if anchor else self.name

    def published(self, value: str | None, where: str) -> datetime | None:
        if value is None or not value.strip():
            return self.defaults.published
        when, problem = parse_date(value)
        if problem is not None:
            self.bad_dates.append((where, f"{value[:40]!r}: {problem}"))
        return when or self.defaults.published

    def record(self, data: Any, where: str, anchor: str | None) -> Article:
        if not isinstance(data, dict):
            raise FileError(f"{where}: a record must be a JSON object")
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise FileError(f"{where}: the record has no text")
        for key in _TEXT_FIELDS:
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                kind = "a number" if isinstance(value, int | float) else type(value).__name__
                raise FileError(f"{where}: {key} must be text, not {kind}")
        check_readable(text, where)
        url = data.get("url") or self.url_for(text, anchor)
        if (why := usable_url(url)) is not None:
            raise FileError(f"{where}: the url {url!r} is refused: {why}")
        self.one_text_per_url(url, text, where)
        return Article(
            url=url,
            outlet=data.get("outlet") or self.defaults.outlet or "unknown outlet",
            title=data.get("title") or text.strip().splitlines()[0][:200],
            text=text,
            published=self.published(data.get("published"), where),
            language=data.get("language") or "en",
            author=data.get("author") or None,
        )

    def one_text_per_url(self, url: str, text: str, where: str) -> None:
        """An article is stored once per url: a record repeating an earlier record's url with
        other words would be dropped unseen, so it is refused saying which url it repeats."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        first = self.urls.setdefault(url, (where, digest))
        if first[1] != digest:
            raise FileError(
                f"{where}: the url {url} is already the url of {first[0]}, with other text "
                "(one article per url)"
            )

    def html(self, html: str) -> Article:
        from adapters.pages import NotAnArticle, page_article

        url = self.url_for(html, None)
        try:
            article = page_article(html, url, outlet=self.defaults.outlet)
        except NotAnArticle as exc:
            raise FileError(f"{self.path}: not an article ({exc.reason})") from None
        published = self.defaults.published or article.published
        return Article(
            url=url,
            outlet=article.outlet,
            title=article.title,
            text=article.text,
            published=published,
            language=article.language,
            author=article.author,
        )

    def lines(self, text: str, skipped: Skipped) -> Iterator[Article]:
        for n, line in enumerate(text.split("\n"), 1):  # lines as an editor numbers them
            if not line.strip():
                continue
            where = f"{self.path}:{n}"
            try:
                yield self.record(_json(line, where), where, str(n))
            except FileError as exc:
                skipped(exc)

    def report_dates(self) -> None:
        if not self.bad_dates:
            return
        where, why = self.bad_dates[0]
        more = len(self.bad_dates) - 1
        log.warning(
            "%s: %d date(s) not understood, stored without a date; first at %s, %s%s",
            self.path, len(self.bad_dates), where, why,
            f" (and {more} more)" if more else "",
        )  # fmt: skip


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"{where}: not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FileError(f"{where}: JSON nested too deeply to read") from None


def _raise(error: FileError) -> None:
    raise error


def read_articles(
    path: str, defaults: Defaults = Defaults(), skipped: Skipped = _raise
) -> Iterator[Article]:
    """The articles in one file. Raises FileError when the whole file is unreadable; a bad
    record goes to ``skipped`` (by default raised, which ends the file there)."""
    text = read_text(path)
    reader = _Reader(path, defaults)
    try:
        yield from _articles(reader, text, skipped)
    finally:
        reader.report_dates()


def _articles(reader: _Reader, text: str, skipped: Skipped) -> Iterator[Article]:
    path = reader.path
    suffix = Path(path).suffix.lower()
    stripped = text.lstrip()
    jsonl = suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{") and "\n{" in text)
    if jsonl:
        yield from reader.lines(text, skipped)
        return
    if suffix == ".json" or stripped.startswith(("{", "[")):
        try:
            data = _json(text, path)
        except FileError as exc:
            if suffix == ".json" and "Extra data" in str(exc):  # JSON Lines named .json
                yield from reader.lines(text, skipped)
                return
            if suffix == ".json" or "nested too deeply" in str(exc):
                raise
        else:
            records = data if isinstance(data, list) else [data]
            for n, rec in enumerate(records, 1):
                many = len(records) > 1
                where = f"{path}: record {n}" if many else path
                try:
                    yield reader.record(rec, where, str(n) if many else None)
                except FileError as exc:
                    skipped(exc)
            return
    if suffix in (".html", ".htm") or stripped[:200].lower().startswith(
        ("<!doctype html", "<html")
    ):
        yield reader.html(text)
        return
    if not text.strip():
        raise FileError(f"{path}: empty file")
    check_readable(text, path)
    yield reader.record({"text": text}, path, None)
