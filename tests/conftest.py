"""Shared test fixtures: paths to the bundled config and to ../shared when it is present, the
`verbatim` command run as a user runs it (in this process, or in a subprocess), a batch file
for `verbatim ingest`, and copies of a migrated database."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

from bot.core.models import Article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "samples" / "seeds"
GOLD = SHARED / "samples" / "gold.json"
# Settings for a run on one console channel that is told every new statement, no sample feed.
DESK_CONFIG = """
[sources]
sample_feed = false

[[channels]]
id = "console:desk"
new_statements = "all"
"""
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"  # as `bot.entrypoints.cli.main` configures it


def write_batch(path: Path, articles: Iterable[Article]) -> Path:
    """``articles`` as the JSON lines `verbatim ingest` reads, one an article, into ``path``."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            record = {"url": a.url, "outlet": a.outlet, "title": a.title, "text": a.text}
            if a.published:
                record["published"] = a.published.isoformat()
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Put a copy of a freshly migrated, empty database at a path, and return the path: a test
    that opens a new database for each of its examples starts from a copy (a few ms) instead of
    running every migration again (about 70 ms). The migrations' own tests do not use it."""
    from storage.db import open_db  # imported late: a test module's imports stay light

    template = tmp_path_factory.mktemp("migrated") / "verbatim.db"
    open_db(template).close()

    def copy_to(path: Path) -> Path:
        shutil.copyfile(template, path)
        return path

    return copy_to


def need_shared() -> None:
    if not GOLD.exists():
        pytest.skip(f"{SHARED} is not present (CI and developers have it beside the repo)")


def run_cli(
    *args: str, cwd: Path, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `verbatim ARGS` in this process, as `python -m bot` would run it, and return what a
    subprocess would: the exit code, stdout and stderr (log lines included, formatted as the
    command formats them). Much faster than a subprocess: the interpreter, the imports and the
    models are loaded once. ``timeout`` is not enforced here (see `run_cli_process`)."""
    from bot.entrypoints.cli import main  # imported late: a test module's imports stay light

    stdout, stderr = _stream(), _stream()
    stdin_stream = _stream(stdin or "")
    verbose = "-v" in args or "--verbose" in args
    with (
        _inside(cwd),
        _logging_to(stderr, logging.INFO if verbose else logging.WARNING),
        patch.multiple(sys, stdin=stdin_stream, stdout=stdout, stderr=stderr),
        patch.dict(os.environ, {"NO_COLOR": "1"}),
    ):
        code = _exit_code(main, list(args), stderr)
    return subprocess.CompletedProcess(["verbatim", *args], code, _text(stdout), _text(stderr))


def run_cli_process(
    *args: str, cwd: Path, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in a subprocess: for what only a real process shows (the entry
    point, signals, exit codes through the interpreter)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _stream(text: str = "") -> io.TextIOWrapper:
    """A text stream with a ``buffer`` beneath it, as sys.stdin/stdout have."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline=None)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8")


def _exit_code(main: Callable[[list[str]], int], argv: list[str], stderr: io.TextIOWrapper) -> int:
    """``main(argv)``'s exit code, as the interpreter would turn it into one."""
    try:
        return int(main(argv) or 0)
    except SystemExit as done:  # argparse's --help and usage errors
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=stderr)
        return 1
    except Exception:  # a crash: the traceback on stderr and exit code 1, as python prints it
        traceback.print_exc(file=stderr)
        return 1


@contextlib.contextmanager
def _inside(cwd: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _logging_to(stream: io.TextIOWrapper, level: int) -> Iterator[None]:
    """Log lines to ``stream`` at ``level`` for one command: under pytest the root logger already
    has handlers, so the command's own `logging.basicConfig` does nothing."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
