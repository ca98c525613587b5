"""The one delivery failure that retrying cannot fix, as the notifiers report it.

A notifier raises `PermanentDeliveryError` when the platform refused an alert for a reason that
stays true however often it is sent again: the channel is gone, the bot is not in it, or it may
not post there (Slack ``channel_not_found`` / ``not_in_channel`` / ``is_archived``, Discord
403 and 404). Any other exception stays a transient failure, retried with backoff. The outbox
may then keep the alert as failed, with ``reason``, instead of retrying it every round.
"""

from __future__ import annotations

# Codes saying the channel itself is out of reach: a note posted there would fail the same way.
UNREACHABLE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "restricted_action", "404", "10003"}
)


class PermanentDeliveryError(Exception):
    """The platform refused the alert for good; ``reason`` says why and what to fix."""

    def __init__(self, platform: str, code: str, reason: str) -> None:
        super().__init__(f"{platform}: {code}: {reason}")
        self.platform = platform  # "slack", "discord"
        self.code = code  # the platform's own error: "not_in_channel", "50013", ...
        self.reason = reason  # one line for the log and the admins: what to fix

    @property
    def reaches_channel(self) -> bool:
        """Whether a short note could still be posted in the channel (the message itself was
        refused, not the channel): then the channel is told there."""
        return self.code not in UNREACHABLE
