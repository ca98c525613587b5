"""`verbatim feeds ...` as a user runs it, on a real database file and a feed on 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

from adapters.opml import parse_opml
from bot.core.models import Feed
from bot.entrypoints.cli.feeds import progress_printer
from tests.adapters.httpserver import Route, serve
from tests.conftest import run_cli

CONFIG = '[sources]\nsample_feed = false\nallow_private_hosts = ["127.0.0.1"]\n'


def feeds(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    config = tmp_path / "verbatim.toml"
    config.write_text(CONFIG)
    done = run_cli(
        "feeds", *args, "--db", str(tmp_path / "v.db"), "--config", str(config), cwd=tmp_path
    )
    return done.returncode, done.stdout, done.stderr


def test_add_list_pause_resume_remove_with_clear_errors(tmp_path: Path) -> None:
    url = "https://harbour-herald.example/rss"
    add = ("add", url, "--channel", "console:desk", "--interval", "600", "--no-check")
    code, out, _ = feeds(tmp_path, *add)
    assert code == 0 and "Watching https://harbour-herald.example/rss every 600s" in out
    code, _, err = feeds(tmp_path, "add", url)
    assert code == 1 and "already watching" in err
    for bad in ("harbour-herald.example/rss", "ftp://harbour-herald.example/rss"):
        code, _, err = feeds(tmp_path, "add", bad)
        assert code == 1 and "not a feed address" in err
    code, _, err = feeds(tmp_path, "add", "https://x.example/f", "--interval", "1", "--no-check")
    assert code == 1 and "too short" in err
    assert feeds(tmp_path, "pause", url)[0] == 0
    code, out, _ = feeds(tmp_path, "list")
    assert code == 0 and f"{url}  paused" in out
    code, out, _ = feeds(tmp_path, "list", "--json")
    (row,) = json.loads(out)
    assert (row["url"], row["channel"], row["paused"]) == (url, "console:desk", 1)
    assert feeds(tmp_path, "resume", url)[0] == 0
    assert f"{url}  new" in feeds(tmp_path, "list")[1]
    assert feeds(tmp_path, "remove", url)[0] == 0
    code, _, err = feeds(tmp_path, "remove", url)
    assert code == 1 and "not watching" in err
    code, _, err = feeds(tmp_path, "pause", url)
    assert code == 1 and "not watching" in err
    assert "No feeds watched." in feeds(tmp_path, "list")[1]


def test_import_export_round_trip_and_hostile_opml(tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="Harbour Herald" xmlUrl="https://harbour-herald.example/rss"/>'
        '<outline text="Quay Gazette" xmlUrl="https://quay-gazette.example/atom"/>'
        '<outline text="Bad" xmlUrl="gopher://old.example/feed"/></body></opml>'
    )
    code, out, err = feeds(tmp_path, "import", str(opml))
    assert code == 0 and "Imported 2 of 3 feeds" in out
    assert "skipped: 'gopher://old.example/feed' is not a feed address" in err
    code, out, err = feeds(tmp_path, "import", str(opml))
    assert code == 1 and "Imported 0 of 3" in out and "already watching" in err
    exported = tmp_path / "out.opml"
    assert feeds(tmp_path, "export", str(exported))[0] == 0
    assert parse_opml(exported.read_bytes()) == [
        ("https://harbour-herald.example/rss", "Harbour Herald"),
        ("https://quay-gazette.example/atom", "Quay Gazette"),
    ]
    assert feeds(tmp_path, "export")[1] == exported.read_text()
    hostile = tmp_path / "lol.opml"
    hostile.write_text(
        '<!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<opml><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>'
    )
    code, _, err = feeds(tmp_path, "import", str(hostile))
    assert code == 1 and "refused" in err and "DTD" in err
    code, _, err = feeds(tmp_path, "import", str(tmp_path / "missing.opml"))
    assert code == 1 and "missing.opml: no such file" in err  # as every command says it


ENTRY = (
    "<item><title>Mayor Tova Rindel on the ferry line, part {n}</title>"
    "<link>http://127.0.0.1/news/{n}</link><pubDate>0{n} Nov 2026 08:00:00 GMT</pubDate>"
    "<description>&quot;We will open the ferry line {n} in spring,&quot; Mayor Tova Rindel "
    "told reporters on Monday.</description></item>"
)


def test_poll_once_learns_the_backlog_silently_except_backfill(tmp_path: Path) -> None:
    items = "".join(ENTRY.format(n=n) for n in (3, 2, 1))
    body = f'<rss version="2.0"><channel><title>Rindel Watch</title>{items}</channel></rss>'
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, body)}) as server:
        url = server.url("/rss")
        assert feeds(tmp_path, "add", url, "--backfill", "1")[0] == 0
        code, out, err = feeds(tmp_path, "poll", "--once")
        assert code == 0, err
        assert f"{url}: ok: 3 new, 1 alerted" in out
        assert f"{url}: 3/3 entries" in err
        code, out, _ = feeds(tmp_path, "poll", "--once")
        assert code == 0 and "No feeds due." in out
    code, out, _ = feeds(tmp_path, "list")
    assert f"{url}  ok  Rindel Watch" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_counts_otherwise() -> None:
    feed = Feed(1, "https://harbour-herald.example/rss")
    tty, plain = _Terminal(), io.StringIO()
    for stream in (tty, plain):
        show = progress_printer(stream)
        for done in range(1, 251):
            show(feed, done, 250)
    assert tty.getvalue().count("\r") == 250 and tty.getvalue().endswith(f"[{'#' * 30}] 250/250\n")
    assert plain.getvalue().splitlines() == [
        f"{feed.url}: 100/250 entries",
        f"{feed.url}: 200/250 entries",
        f"{feed.url}: 250/250 entries",
    ]


def test_add_fetches_the_feed_once_and_says_what_it_found_or_why_not(tmp_path: Path) -> None:
    items = "".join(ENTRY.format(n=n) for n in (3, 2, 1))
    body = f'<rss version="2.0"><channel><title>Rindel Watch</title>{items}</channel></rss>'
    html = {"Content-Type": "text/html"}
    routes: dict[str, Route] = {
        "/rss": (200, {"Content-Type": "application/rss+xml"}, body),
        "/page": (200, html, "<html><body>Not a feed</body></html>"),
        "/home": (
            200,
            html,
            '<html><head><title>Rindel Watch</title><link rel="stylesheet" href="/s.css">'
            '<link rel="alternate" type="application/atom+xml" href="/atom-missing">'
            '<link rel="alternate" type="application/rss+xml" title="News" href="/rss"></head>'
            "<body>Home</body></html>",
        ),
        "/xml": (200, {"Content-Type": "application/xml"}, "<note>hello</note>"),
        "/busy": (503, {"Content-Type": "text/plain", "Retry-After": "120"}, "busy"),
    }
    with serve(routes) as server:
        code, out, err = feeds(tmp_path, "add", server.url("/rss"))
        assert code == 0, err
        assert (
            "Found “Rindel Watch”: 3 entries, the newest from 2026-11-03;"
            " 3 quotes in the 3 newest." in out
        )
        code, _, err = feeds(tmp_path, "add", server.url("/rss-typo"))
        assert code == 1 and "is not added: HTTP 404" in err
        code, _, err = feeds(tmp_path, "add", server.url("/page"))
        assert code == 1 and "is not added: it is a web page that names no RSS or Atom feed" in err
        # A site's home page names its feed (RSS first): that feed is watched, and said so.
        other = tmp_path / "other"
        other.mkdir()
        code, out, err = feeds(other, "add", server.url("/home"))
        assert code == 0, err
        assert f"Watching {server.url('/rss')} every" in out
        assert f"{server.url('/home')} names {server.url('/rss')}: Found “Rindel Watch”" in out
        code, _, err = feeds(tmp_path, "add", server.url("/home"))
        assert code == 1, err
        assert f"already watching {server.url('/rss')}, which {server.url('/home')} names" in err
        assert not server.requests_to("/atom-missing")
        code, _, err = feeds(tmp_path, "add", server.url("/xml"))
        assert code == 1 and "is not added: not an RSS or Atom feed" in err
        code, out, err = feeds(tmp_path, "add", server.url("/busy"))
        assert code == 0, err
        assert "could not be read just now (HTTP 503)" in out
        assert len(server.requests_to("/rss")) == 3  # fetched once a check, not polled
    listed = feeds(tmp_path, "list")[1]
    assert f"{server.url('/rss')}  new  Rindel Watch" in listed
    assert server.url("/busy") in listed and server.url("/page") not in listed


BAD_ADDRESSES = {  # each with the reason it is refused
    "http://[::1": "it does not parse as a URL (Invalid IPv6 URL)",
    "http://127.0.0.1:abc/": "its port is not a number from 0 to 65535",
    "file:///etc/passwd": "use an http:// or https:// URL",
    "ftp://harbour-herald.example/rss": "use an http:// or https:// URL",
    "notaurl": "use an http:// or https:// URL",
}


def test_an_address_that_does_not_parse_is_refused_with_why_and_the_rest_goes_on(
    tmp_path: Path,
) -> None:
    """``http://[::1`` raised ValueError out of `feeds add` and `feeds import` (nothing was
    imported); other unusable outlines were left out without a word, and a port that is no
    number was imported and polled forever."""
    for url, why in BAD_ADDRESSES.items():
        for check in ((), ("--no-check",)):
            code, _, err = feeds(tmp_path, "add", url, *check)
            assert code == 1 and f"{url!r} is not a feed address: {why}" in err, err
            assert "Traceback" not in err
    outlines = "".join(f'<outline text="Bad" xmlUrl="{url}"/>' for url in BAD_ADDRESSES)
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="Harbour Herald" xmlUrl="https://harbour-herald.example/rss"/>'
        f'{outlines}<outline text="Quay Gazette" xmlUrl="https://quay-gazette.example/atom"/>'
        "</body></opml>"
    )
    code, out, err = feeds(tmp_path, "import", str(opml))
    assert code == 0, err
    assert "Imported 2 of 7 feeds" in out
    for url, why in BAD_ADDRESSES.items():
        assert f"verbatim: skipped: {url!r} is not a feed address: {why}" in err
    listed = feeds(tmp_path, "list")[1].splitlines()
    assert [line.split()[0] for line in listed] == [
        "https://harbour-herald.example/rss",
        "https://quay-gazette.example/atom",
    ]


def test_an_entry_whose_link_does_not_parse_leaves_the_feed_readable(tmp_path: Path) -> None:
    """One ``<link>http://[::1</link>`` made `feeds add` print a traceback and every poll of
    the feed fail; it is skipped, and the good entry beside it read."""
    bad = ENTRY.format(n=2).replace("http://127.0.0.1/news/2", "http://[::1")
    body = (
        f'<rss version="2.0"><channel><title>Rindel Watch</title>{bad}'
        f"{ENTRY.format(n=1)}</channel></rss>"
    )
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, body)}) as server:
        url = server.url("/rss")
        code, out, err = feeds(tmp_path, "add", url, "--backfill", "1")
        assert code == 0, err
        assert "Found “Rindel Watch”: 1 entry" in out
        code, out, err = feeds(tmp_path, "poll", "--once")
        assert code == 0, err
        assert f"{url}: ok: 1 new, 1 alerted" in out
    assert f"{url}  ok  Rindel Watch" in feeds(tmp_path, "list")[1]


def test_a_channel_on_no_platform_or_one_that_is_off_is_refused(tmp_path: Path) -> None:
    """`feeds add --channel bogus:zz` was stored, and then `verbatim run` would not start."""
    url = "https://harbour-herald.example/rss"
    code, _, err = feeds(tmp_path, "add", url, "--no-check", "--channel", "bogus:zz")
    assert code == 1
    assert "--channel 'bogus:zz': unknown platform 'bogus' (use console, slack or discord)" in err
    code, _, err = feeds(tmp_path, "add", url, "--no-check", "--channel", "slack:C999")
    assert code == 1
    assert "--channel 'slack:C999' is on slack, which is not enabled" in err
    opml = tmp_path / "in.opml"
    opml.write_text(f'<opml version="2.0"><body><outline xmlUrl="{url}"/></body></opml>')
    code, _, err = feeds(tmp_path, "import", str(opml), "--channel", "bogus:zz")
    assert code == 1 and "unknown platform 'bogus'" in err
    assert "No feeds watched." in feeds(tmp_path, "list")[1]
    code, out, err = feeds(tmp_path, "add", url, "--no-check", "--channel", "console:desk")
    assert code == 0 and "for console:desk" in out, err


def test_run_starts_beside_a_stored_feed_whose_channel_is_on_no_platform(tmp_path: Path) -> None:
    """A feed stored with such a channel (an old database) stopped `verbatim run` with exit 2;
    it starts, says so in a line, and reads the feed, its alerts going by the routing."""
    from storage.db import open_db
    from storage.feeds import FeedStore

    items = "".join(ENTRY.format(n=n) for n in (2, 1))
    body = f'<rss version="2.0"><channel><title>Rindel Watch</title>{items}</channel></rss>'
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, body)}) as server:
        url = server.url("/rss")
        db = open_db(tmp_path / "v.db")
        FeedStore(db).add(url, "bogus:zz")
        db.close()
        (tmp_path / "verbatim.toml").write_text(CONFIG)
        done = run_cli("run", "--once", "--db", "v.db", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert f"feed {url} sends to 'bogus:zz', on no known platform" in done.stderr
        assert server.requests_to("/rss")
    assert f"{url}  ok  Rindel Watch" in feeds(tmp_path, "list")[1]


def test_an_interval_under_a_minute_is_refused_zero_too(tmp_path: Path) -> None:
    """``--interval 0`` quietly became the default 900 s while 1 and -5 were refused."""
    for interval in ("0", "1", "-5", "59"):
        url = f"https://harbour-herald.example/rss{interval}"
        code, _, err = feeds(tmp_path, "add", url, "--no-check", "--interval", interval)
        assert code == 1 and f"interval {interval}s is too short" in err, err
    code, out, _ = feeds(tmp_path, "add", "https://x.example/f", "--no-check", "--interval", "60")
    assert code == 0 and "every 60s" in out
    assert "No feeds watched." not in feeds(tmp_path, "list")[1]


def test_import_refuses_a_device_a_directory_and_an_oversized_file_without_reading_them(
    tmp_path: Path,
) -> None:
    # /dev/zero was read for ever (the command hung, its memory growing).
    code, _, err = feeds(tmp_path, "import", "/dev/zero")
    assert code == 1 and "/dev/zero: not a regular file" in err
    code, _, err = feeds(tmp_path, "import", str(tmp_path))
    assert code == 1 and f"{tmp_path}: is a directory" in err  # was "[Errno 21] Is a directory"
    big = tmp_path / "big.opml"
    big.write_bytes(b"<opml>" + b" " * 5_000_001)
    code, _, err = feeds(tmp_path, "import", str(big))
    assert code == 1 and "larger than 5000000 bytes" in err
