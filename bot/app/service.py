"""The running bot's answers to chat commands and buttons: `CommandBackend` over the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.app.channel_digests import digest_event, digest_for, last_day
from bot.app.sources import subscribe
from bot.core.backend import Caller
from bot.core.commands import MAX_ID
from bot.core.digest import render_digest_text
from bot.core.errors import FeedError, FetchError, OpmlError, TopicError
from bot.core.models import Alert, Event, EventType, Feed, Reply
from bot.core.monitor import Monitor
from bot.core.ports import (
    AlertBook,
    ChartDrawer,
    FeedChecker,
    HistoryReader,
    OpmlReader,
    RouteOptionsBook,
    StatementLookups,
    Statements,
    Subscriptions,
    TopicBook,
)
from bot.core.presentation import plural
from bot.core.replies import quote_reply, sources_reply, speaker_reply
from bot.core.routing import (
    ChannelRoute,
    RouteError,
    change_route,
    describe_digest,
    describe_route,
)
from bot.core.story import story_reply
from bot.core.topics import QueryError

log = logging.getLogger(__name__)


def _no_fetching(url: str) -> str:
    raise FetchError("network", url, "fetching is not available here; paste the OPML instead")


class BotBackend:
    """Implements `bot.core.backend.CommandBackend`; every answer is a core `Reply`."""

    def __init__(
        self,
        store: Statements,
        monitor: Monitor,
        on_routes_changed: Callable[[Sequence[ChannelRoute]], None] | None = None,
        *,
        outbox: AlertBook,
        lookups: StatementLookups,
        history: HistoryReader,
        feeds: Subscriptions,
        topics: TopicBook,
        route_options: RouteOptionsBook,
        read_opml: OpmlReader,
        draw_chart: ChartDrawer,
        fetch_text: Callable[[str], str] | None = None,
        poll_interval: int = 900,
        check_feed: FeedChecker | None = None,
        chart_folder: Path | None = None,
    ) -> None:
        """Every store and adapter comes from `bot.bootstrap.App.backend`, which builds each
        once; the backend itself builds none."""
        self.store = store
        self.monitor = monitor
        self.on_routes_changed = on_routes_changed
        self.outbox = outbox
        self.lookups = lookups
        self.history = history
        self.feeds = feeds
        self.topics = topics
        self.route_options = route_options
        self.read_opml = read_opml
        self.draw_chart = draw_chart
        self.fetch_text = fetch_text or _no_fetching
        self.poll_interval = poll_interval
        # Fetches a feed once as it is added, after checking its address (`feeds add`).
        self.check_feed = check_feed
        self.chart_folder = chart_folder  # where `digest now` draws its chart (None: text only)

    # -- statements ------------------------------------------------------------------------
    def quote(self, words: str) -> Reply:
        found = [(s, self.lookups.variants(s.id)) for s in self.lookups.search_statements(words)]
        return quote_reply(words, found)

    def speaker(self, name: str) -> Reply:
        return speaker_reply(name, self.lookups.statements_by_speaker(name))

    def story(self, query: str) -> Reply:
        """One statement's history, the same answer as `verbatim story`."""
        return story_reply(self.history.story(query), query)

    def track(self, caller: Caller, text: str, speaker: str | None) -> Reply:
        text = text.strip()
        if len(text.split()) < 3:
            return Reply(title="A tracked statement needs at least three words.", ok=False)
        statement_id, before = self.store.add_tracked_statement(text, speaker)
        if before is None:
            self.monitor.index.add(statement_id, speaker, text)
        named = before.speaker if before is not None else speaker
        title = f"statement #{statement_id}" + (f" by {named}" if named else "")
        lines = [f"“{before.canonical if before else text}”"]
        if before is not None and before.tracked:
            title = f"Already tracking {title}"
        else:
            if before is not None:  # these words were stored: that statement is pinned
                title += ", already stored"
                lines.append(f"First quoted by {before.first.outlet or 'an unknown outlet'}.")
            title = f"Tracking {title}"
            lines.append("New coverage that repeats, alters or disputes it will alert.")
        return Reply(title=title, lines=tuple(lines), data={"statement": statement_id})

    def sources(self, statement_id: int) -> Reply:
        if not 0 < statement_id <= MAX_ID:
            return Reply(title=f"There is no statement #{str(statement_id)[:12]}.", ok=False)
        statement = self.store.statements_by_id([statement_id]).get(statement_id)
        return sources_reply(statement, self.lookups.variants(statement_id))

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        return self.lookups.speaker_names(prefix, limit)

    # -- suppression -----------------------------------------------------------------------
    def mute(self, caller: Caller, statement_id: int) -> Reply:
        if not 0 < statement_id <= MAX_ID or not self.store.statements_by_id([statement_id]):
            return Reply(title=f"There is no statement #{statement_id}.", ok=False)
        self.outbox.mute(caller.channel, statement_id)
        return Reply(title=f"Muted statement #{statement_id} in this channel.")

    def false_positive(self, caller: Caller, alert_id: int) -> Reply:
        """Mark an alert's finding as wrong in the alert's channel, if the caller is there."""
        alert = self.outbox.alert(alert_id) if 0 < alert_id <= MAX_ID else None
        if alert is None or alert.event.statement_id is None:
            return Reply(title=f"There is no alert #{str(alert_id)[:12]} to mark.", ok=False)
        if not self._may_act_in(caller, alert):
            log.warning(
                "%s in %s tried to mark alert %s of %s as a false positive; refused",
                caller.user, caller.channel, alert.id, alert.channel,
            )  # fmt: skip
            return Reply(
                title="That alert was posted in another channel: mark it from there.", ok=False
            )
        self.outbox.mark_false_positive(alert.channel, alert.event.statement_id, alert.event.type)
        return Reply(
            title="Marked as a false positive.",
            lines=(
                f"No more {alert.event.type.value} alerts for statement "
                f"#{alert.event.statement_id} in this channel.",
            ),
        )

    def _may_act_in(self, caller: Caller, alert: Alert) -> bool:
        """The caller is in the alert's channel, or in its thread (a Discord thread is a
        channel of its own, whose id is the thread's)."""
        if caller.channel == alert.channel:
            return True
        if alert.thread_key is None:
            return False
        thread = self.outbox.thread_ref(alert.channel, alert.thread_key)
        platform = alert.channel.split(":", 1)[0]
        return thread is not None and caller.channel == f"{platform}:{thread}"

    # -- topics ----------------------------------------------------------------------------
    def topic_add(self, caller: Caller, name: str, query: str) -> Reply:
        try:
            topic = self.topics.add(caller.channel, name, query)
        except QueryError as exc:
            return Reply(title="That query does not parse.", lines=(str(exc),), ok=False)
        except TopicError as exc:
            return Reply(title=str(exc).capitalize() + ".", ok=False)
        return Reply(
            title=f"Saved topic “{topic.name}” for this channel.",
            lines=(f"Query: {topic.query}", "New articles and quotes that match will alert here."),
            data={"topic": topic.id},
        )

    def topic_list(self, caller: Caller) -> Reply:
        topics = self.topics.list(caller.channel)
        if not topics:
            return Reply(title="No topics in this channel yet. Add one with /verbatim topic add.")
        return Reply(
            title=f"{plural(len(topics), 'topic')} in this channel",
            lines=tuple(f"{t.name}: {t.query}" for t in topics),
        )

    def topic_remove(self, caller: Caller, name: str) -> Reply:
        removed = self.topics.remove(caller.channel, name)
        if not removed:
            return Reply(title=f"There is no topic “{name}” in this channel.", ok=False)
        return Reply(title=f"Removed topic “{name}”.")

    def topic_names(self, caller: Caller, prefix: str, limit: int = 25) -> list[str]:
        names = [t.name for t in self.topics.list(caller.channel)]
        wanted = prefix.casefold()
        return [n for n in names if n.casefold().startswith(wanted)][:limit]

    # -- digest ----------------------------------------------------------------------------
    def digest(self, caller: Caller, now: bool) -> Reply:
        route = next((r for r in self.monitor.routes if r.channel == caller.channel), None)
        if not now:
            when = (
                describe_digest(route)
                if route is not None and route.digest_at
                else "not scheduled for this channel (an admin sets one with /verbatim route"
                " digest [weekday] HH:MM [time zone])"
            )
            return Reply(
                title=f"This channel's digest: {when}.",
                lines=("/verbatim digest now posts the last 24 hours right away.",),
            )
        start, end = last_day(datetime.now(UTC))
        digest = digest_for(self.history, caller.channel, start, end, self.monitor.routes)
        if not digest.empty and self.chart_folder is not None:
            # Sent like the scheduled digest, with its chart; the next delivery round posts it.
            stamp = f"{end:%Y%m%dT%H%M%S}"
            name = f"digest-now-{caller.channel}-{stamp}"
            event = digest_event(digest, self.chart_folder, name, self.draw_chart)
            self.outbox.enqueue_alert(
                f"digest-now:{caller.channel}:{stamp}", caller.channel, event, None
            )
            return Reply(title="The last 24 hours' digest is on its way here, with its chart.")
        text = render_digest_text(digest).splitlines()
        return Reply(title=text[0], lines=tuple(line for line in text[1:] if line.strip()))

    # -- routing ---------------------------------------------------------------------------
    def route(self, caller: Caller, setting: str, value: str) -> Reply:
        """Show or change this channel's routing; a change is stored and applies at once."""
        routes = self.monitor.routes
        current = next((r for r in routes if r.channel == caller.channel), None)
        if setting == "show":
            if current is None:
                return Reply(title=self._unrouted(caller.channel), lines=(START_ALERTS,))
            return Reply(title="This channel's routing", lines=describe_route(current))
        base = current or ChannelRoute(caller.channel, new_statements="watched", digest_at=None)
        try:
            changed = change_route(base, setting, value)
        except RouteError as exc:
            return Reply(title=str(exc), ok=False)
        self.store.save_route(changed, caller.user)
        self.route_options.save(changed, caller.user)
        now = self.monitor.set_route(changed)
        if self.on_routes_changed is not None:
            self.on_routes_changed(now)
        return Reply(title="Routing updated for this channel.", lines=describe_route(changed))

    def _unrouted(self, channel: str) -> str:
        """What a channel without routing of its own gets: its own feeds' findings, or nothing."""
        feeds = self.feeds.list(channel)
        if not feeds:
            return "This channel gets no alerts yet."
        noun = "the feed" if len(feeds) == 1 else f"the {len(feeds)} feeds"
        return (
            f"This channel gets the alterations, misattributions and disputes found in {noun}"
            f" added here ({', '.join(f.url for f in feeds[:3])}{', …' if len(feeds) > 3 else ''}),"
            " and notices when a feed goes down or comes back."
        )

    # -- permissions -----------------------------------------------------------------------
    def permission_notice(self, channel: str, lacking: Sequence[str], fix: str) -> bool:
        """Tell ``channel`` once ever that the bot lacks ``lacking`` (platform scopes or
        permissions) and how to fix it; False when it was told already."""
        what = ", ".join(lacking)
        event = Event(
            EventType.FEED_NOTICE,
            "",
            "Verbatim",
            title=f"Verbatim lacks {what}",
            detail=f"What it posts here may fail or come without its chart. An admin: {fix}.",
            channel=channel,
        )
        return self.outbox.enqueue_alert(f"permission:{channel}:{what}", channel, event, None)

    # -- first use -------------------------------------------------------------------------
    def welcome(self, channel: str) -> bool:
        """Queue one short message the first time the bot is used in a channel: what it will
        post there and how to change that. The outbox key is the channel's, so it is queued
        once, ever; False when it was already."""
        route = next((r for r in self.monitor.routes if r.channel == channel), None)
        if route is not None:
            what = "It posts what this channel's routing says: " + "; ".join(describe_route(route))
        elif self.feeds.list(channel):
            what = self._unrouted(channel).replace("This channel gets", "It posts")
        else:
            what = (
                "Nothing is posted yet: add a feed here with /verbatim feeds add <url>"
                " (its alterations, misattributions and disputes then come here), save a topic"
                " with /verbatim topic add, or route every feed's alerts here with"
                " /verbatim route alerts all."
            )
        event = Event(
            EventType.FEED_NOTICE,
            "",
            "Verbatim",
            title=WELCOME,
            detail=f"{what}\n{CHANGE_ROUTING}",
            channel=channel,
        )
        return self.outbox.enqueue_alert(f"welcome:{channel}", channel, event, None)

    # -- feeds -----------------------------------------------------------------------------
    def feeds_add(self, caller: Caller, url: str) -> Reply:
        """Watch a feed; when a checker is given, it is fetched once first and refused, with
        the reason, when it is no feed, so a mistyped address is said at once."""
        try:
            feed, found = subscribe(
                self.feeds, url, caller.channel, self.poll_interval, self.check_feed
            )
        except FeedError as exc:
            return Reply(title=_sentence(str(exc)), ok=False)
        routed = any(r.channel == caller.channel for r in self.monitor.routes)
        return Reply(
            title=f"Watching {feed.url}",
            lines=(
                *((found.describe(),) if found else ()),
                f"Polled every {feed.interval_seconds // 60} minutes; its backlog is read"
                " silently, new entries alert as usual.",
                "This channel's routing decides its alerts; notices about this feed (down,"
                " back up) come here."
                if routed
                else "Alterations, misattributions and disputes found in it, and notices about"
                " it (down, back up), come to this channel.",
            ),
            data={"feed": feed.id},
        )

    def feeds_list(self, caller: Caller) -> Reply:
        feeds = self.feeds.list()
        if not feeds:
            return Reply(title="No feeds yet. An admin can add one with /verbatim feeds add.")
        return Reply(
            title=f"{plural(len(feeds), 'feed')} watched",
            lines=tuple(_feed_line(f) for f in feeds),
        )

    def feeds_remove(self, caller: Caller, url: str) -> Reply:
        if not self.feeds.remove(url):
            return Reply(title=f"Not watching {url.strip()}.", ok=False)
        return Reply(title=f"Stopped watching {url.strip()}.")

    def feeds_import(self, caller: Caller, opml: str) -> Reply:
        """Subscribe to every feed of an OPML export, pasted or given as a link."""
        text = opml.strip()
        try:
            if text.lower().startswith(("http://", "https://")) and " " not in text:
                text = self.fetch_text(text)
            refused: list[str] = []
            outlines = self.read_opml(text, refused)
        except (OpmlError, FetchError) as exc:
            return Reply(title="That OPML could not be read.", lines=(str(exc),), ok=False)
        added, skipped = [], refused
        for url, title in outlines:
            try:
                self.feeds.add(url, caller.channel, self.poll_interval, title)
                added.append(url)
            except FeedError as exc:
                skipped.append(f"{url}: {exc}")
        lines = tuple(added) + tuple(f"skipped {s}" for s in skipped)
        noun = "feed" if len(added) == 1 else "feeds"
        return Reply(title=f"Imported {len(added)} {noun}.", lines=lines, ok=bool(added))


WELCOME = "Verbatim is set up in this channel"
START_ALERTS = "An admin can start alerts from every feed with /verbatim route alerts all."
CHANGE_ROUTING = (
    "Change it with /verbatim route alerts <kinds> · speakers <names> · severity <level> ·"
    " digest [<weekday>] <HH:MM> | off · mention @here | off; /verbatim route show says what"
    " is set, /verbatim help lists every command."
)


def _feed_line(feed: Feed) -> str:
    state = "paused" if feed.paused else "disabled after errors" if feed.disabled else "active"
    where = f", notices to {feed.channel}" if feed.channel else ""
    name = f"{feed.title} — " if feed.title else ""
    return f"{name}{feed.url} ({state}, every {feed.interval_seconds // 60} min{where})"


def _sentence(message: str) -> str:
    """An error message as a reply's title: a capital and a full stop, except that a message
    starting with an address keeps it as given ("Http://…" was no address)."""
    if not message.startswith(("http://", "https://")):
        message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."
