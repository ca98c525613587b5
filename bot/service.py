"""The running bot's answers to chat commands and buttons: `CommandBackend` over the store."""

from __future__ import annotations

import logging

from bot.core.backend import Caller
from bot.core.lookups import quote_reply, sources_reply, speaker_reply
from bot.core.models import Reply
from bot.core.monitor import Monitor
from storage.store import Lookups, Store

log = logging.getLogger(__name__)


class BotBackend:
    """Implements `bot.core.backend.CommandBackend`; every answer is a core `Reply`."""

    def __init__(self, store: Store, monitor: Monitor) -> None:
        self.store = store
        self.monitor = monitor
        self.lookups = Lookups(store)

    # -- statements ------------------------------------------------------------------------
    def quote(self, words: str) -> Reply:
        found = [(s, self.lookups.variants(s.id)) for s in self.lookups.search_statements(words)]
        return quote_reply(words, found)

    def speaker(self, name: str) -> Reply:
        return speaker_reply(name, self.lookups.statements_by_speaker(name))

    def track(self, caller: Caller, text: str, speaker: str | None) -> Reply:
        text = text.strip()
        if len(text.split()) < 3:
            return Reply(title="A tracked statement needs at least three words.", ok=False)
        statement_id = self.store.add_tracked_statement(text, speaker)
        self.monitor.index.add(statement_id, speaker, text)
        who = f" by {speaker}" if speaker else ""
        return Reply(
            title=f"Tracking statement #{statement_id}{who}",
            lines=(f"“{text}”", "New coverage that repeats, alters or disputes it will alert."),
            data={"statement": statement_id},
        )

    def sources(self, statement_id: int) -> Reply:
        statement = self.store.statements_by_id([statement_id]).get(statement_id)
        return sources_reply(statement, self.lookups.variants(statement_id))

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        return self.lookups.speaker_names(prefix, limit)

    # -- suppression -----------------------------------------------------------------------
    def mute(self, caller: Caller, statement_id: int) -> Reply:
        if not self.store.statements_by_id([statement_id]):
            return Reply(title=f"There is no statement #{statement_id}.", ok=False)
        self.store.outbox.mute(caller.channel, statement_id)
        return Reply(title=f"Muted statement #{statement_id} in this channel.")

    def false_positive(self, caller: Caller, alert_id: int) -> Reply:
        alert = self.store.outbox.alert(alert_id)
        if alert is None or alert.event.statement_id is None:
            return Reply(title=f"There is no alert #{alert_id} to mark.", ok=False)
        self.store.outbox.mark_false_positive(
            alert.channel, alert.event.statement_id, alert.event.type
        )
        return Reply(
            title="Marked as a false positive.",
            lines=(
                f"No more {alert.event.type.value} alerts for statement "
                f"#{alert.event.statement_id} in this channel.",
            ),
        )
