"""The errors that cross the layers: raised by storage and the adapters, caught by the app and
the entrypoints, which show their message to the user. Here so that the app can catch them
without importing the storage or adapter that raises them."""

from __future__ import annotations


class FeedError(ValueError):
    """A feed that cannot be added or found; the message is for the user."""


class TopicError(ValueError):
    """A topic that cannot be saved or found; the message is for the user."""


class OpmlError(ValueError):
    """An OPML document that cannot be read; the message is for the user."""


class DatabaseUnusable(ValueError):
    """A database file that cannot be opened as one (not SQLite, a directory, no permission);
    the message names the file and says why."""


class FetchError(Exception):
    """A fetch that was refused or failed: ``reason`` (a short machine word), ``url``, ``message``
    (human, without the url), and for HTTP errors ``status`` and ``retry_after`` (seconds)."""

    def __init__(
        self,
        reason: str,
        url: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{message}: {url}")
        self.message = message
        self.reason = reason
        self.url = url
        self.status = status
        self.retry_after = retry_after  # seconds, from a Retry-After header

    def redirected_from(self, origin: str) -> FetchError:
        """The same error, saying which requested URL led to it."""
        return FetchError(
            self.reason,
            self.url,
            self.message + f" (redirected from {origin})",
            status=self.status,
            retry_after=self.retry_after,
        )
