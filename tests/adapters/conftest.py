"""Fixtures of the adapter tests: a local HTTP server (`httpserver.serve`) for those that fetch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.httpserver import TestHTTPServer, serve


@pytest.fixture
def server() -> Iterator[TestHTTPServer]:
    """A server on 127.0.0.1 with no routes yet: a test adds them to ``server.routes``."""
    with serve() as running:
        yield running
