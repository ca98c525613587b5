"""Shared test fixtures: paths to the bundled config and to ../shared when it is present."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "samples" / "seeds"
GOLD = SHARED / "samples" / "gold.json"


def need_shared() -> None:
    if not GOLD.exists():
        pytest.skip(f"{SHARED} is not present (CI and developers have it beside the repo)")


def run_cli(*args: str, cwd: Path, stdin: str | None = None, timeout: float = 120):
    """Run `python -m bot ...` in a subprocess, as a user would."""
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
