"""`verbatim ingest URL`: article pages fetched over real HTTP on 127.0.0.1, safely."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.httpserver import serve
from tests.conftest import run_cli

CONFIG = """
[sources]
sample_feed = false
allow_private_hosts = [{allowed}]

[[channels]]
id = "console:desk"
new_statements = "all"
"""

PAGE = """<!doctype html><html lang="en"><head><title>Ferry line promised</title>
<meta property="og:site_name" content="Harbour Ledger">
<meta property="article:published_time" content="2026-11-20T08:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Ferry line promised</h1>
<p>Harbour minister Tomas Ekdahl said on Monday that the new ferry line would open next
spring, ending years of delays at the northern docks of the island.</p>
<p>“The new ferry line will carry two million passengers a year by 2028,” Ekdahl told
reporters at the quay, where the first of three new piers is already being built.</p>
<p>The ministry expects the line to cost less than the bridge it replaces, and says the
timetable was agreed with the port authority and the two unions after weeks of talks.</p>
<p>Critics on the council have asked for the full cost estimate to be published before
the budget vote in January, saying the numbers have changed twice since the summer.</p>
</article><footer>© Harbour Ledger</footer></body></html>"""

LOGIN = """<!doctype html><html><head><title>Sign in</title></head><body>
<form><input name="user"><input name="password" type="password"><button>Sign in</button>
</form></body></html>"""

HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_an_article_url_is_fetched_cleaned_and_ingested(tmp_path: Path) -> None:
    with serve({"/ferry": (200, HTML, PAGE), "/login": (200, HTML, LOGIN)}) as server:
        (tmp_path / "verbatim.toml").write_text(CONFIG.format(allowed='"127.0.0.1"'))
        args = ("ingest", "--json", "--config", "verbatim.toml", "--db", "v.db")
        done = run_cli(*args, server.url("/ferry"), server.url("/login"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"speaker": "Tomas Ekdahl"' in done.stdout
    assert '"outlet": "Harbour Ledger"' in done.stdout
    assert "two million passengers a year by 2028" in done.stdout
    assert "skipped not an article" in done.stderr and "/login" in done.stderr


def test_a_private_address_is_refused_unless_allowed(tmp_path: Path) -> None:
    with serve({"/ferry": (200, HTML, PAGE)}) as server:
        (tmp_path / "verbatim.toml").write_text(CONFIG.format(allowed=""))
        args = ("ingest", "--config", "verbatim.toml", "--db", "v.db", server.url("/ferry"))
        done = run_cli(*args, cwd=tmp_path)
        assert server.requests == []  # refused before any connection
    assert done.returncode == 1
    assert "skipped refused" in done.stderr and "non-public" in done.stderr
