"""Which channel gets which events: alert kinds, watched speakers, topics, mutes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.models import EventType, Severity
from bot.core.speaker_names import same_person

ALERTABLE = frozenset(
    {
        EventType.NEW_STATEMENT,
        EventType.ALTER,
        EventType.MISATTRIBUTION,
        EventType.DISPUTE,
        EventType.TOPIC,
        EventType.FEED_NOTICE,
    }
)


@dataclass(frozen=True, slots=True)
class ChannelRoute:
    """One channel's subscription, from the config file or set from chat."""

    channel: str  # "<platform>:<id>"
    alerts: frozenset[EventType] = ALERTABLE
    speakers: tuple[str, ...] = ()  # watched speakers; empty: every speaker
    new_statements: str = "watched"  # "watched" | "all" | "none"
    digest_at: str | None = "09:00"
    timezone: str = "UTC"
    feeds: tuple[str, ...] = field(default=())  # feed urls whose notices go here; empty: all
    # Alterations below this severity are recorded as events but not alerted here.
    min_severity: Severity = Severity.LOW
    digest_day: str | None = None  # a weekday ("monday"): the digest is weekly; None: daily
    # Who a high-severity alert here mentions: "@here", "@channel", or a Slack user group /
    # Discord role id; None: nobody (the default: alerts never ping unless asked to).
    mention: str | None = None

    def mention_for(self, severity: Severity | None) -> str | None:
        """The mention an alert of this severity carries here, if any."""
        return self.mention if severity is Severity.HIGH else None

    def watches(self, speaker: str | None) -> bool:
        if not self.speakers:
            return True
        return speaker is not None and any(same_person(speaker, s) for s in self.speakers)

    def wants(
        self, event_type: EventType, speaker: str | None, severity: Severity | None = None
    ) -> bool:
        """Whether this channel is alerted; ``severity``: an alteration's, by its worst change."""
        if event_type not in self.alerts:
            return False
        if severity is not None and severity.rank < self.min_severity.rank:
            return False
        if event_type is EventType.NEW_STATEMENT:
            if self.new_statements == "none" or speaker is None:
                # Words no one could be credited with are recorded, never alerted as news.
                return False
            if self.new_statements == "watched" and not self.speakers:
                return False  # nobody watched: a new statement is not news on its own
            return self.new_statements == "all" or self.watches(speaker)
        if event_type in (EventType.TOPIC, EventType.FEED_NOTICE):
            return True
        return self.watches(speaker)


def channels_for(
    routes: Iterable[ChannelRoute],
    event_type: EventType,
    speaker: str | None,
    severity: Severity | None = None,
) -> list[str]:
    """The channels that want an event of this type about this speaker (and this severity)."""
    return [r.channel for r in routes if r.wants(event_type, speaker, severity)]


# -- routing set from chat ------------------------------------------------------------------
ROUTE_SETTINGS = ("show", "alerts", "speakers", "new", "digest", "severity", "mention")
ROUTE_USAGE = (
    "route alerts <kinds, comma-separated | all> · route speakers <names, comma-separated |"
    " everyone> · route new <watched|all|none> · route digest [<weekday>] <HH:MM> [time zone]"
    " | off · route severity <high|medium|low> · route mention <@here | @channel | role or"
    " group id | off>"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MENTION_WORDS = ("@here", "@channel")


class RouteError(ValueError):
    """A routing change that cannot be made; the message says what is accepted."""


def _clock(value: str) -> str:
    hour, sep, minute = value.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise RouteError(f"{value!r} is not a time: give HH:MM, e.g. 09:00")
    if not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
        raise RouteError(f"{value!r} is not a time of day")
    return f"{int(hour):02d}:{minute}"


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RouteError(
            f"{name!r} is not a time zone: use an IANA name like Europe/Paris"
        ) from exc
    return name


def _weekday(word: str) -> str | None:
    """A weekday's full name from its name or first three letters ("mon"), else None."""
    word = word.strip().lower()
    if len(word) < 3:
        return None
    return next((d for d in WEEKDAYS if d.startswith(word) and word in (d, d[:3])), None)


def mention_target(value: str) -> str | None:
    """What a channel's high-severity alerts mention: "@here", "@channel", a Slack user group
    or Discord role id (as typed, or as the platform writes it: ``<!subteam^S0123>``,
    ``<@&123>``); None for off. Raises `RouteError` for anything else."""
    text = value.strip()
    if text.lower() in ("off", "none", ""):
        return None
    if text.lower() in MENTION_WORDS:
        return text.lower()
    bare = text.removeprefix("<!subteam^").removeprefix("<@&").rstrip(">").split("|")[0]
    if 5 <= len(bare) <= 30 and bare.isascii() and bare.isalnum() and any(map(str.isdigit, bare)):
        return bare.upper() if not bare.isdigit() else bare
    raise RouteError(
        "route mention takes @here, @channel, a Slack user group id (S0123…) or a Discord role"
        " id, or off"
    )


def change_route(route: ChannelRoute, setting: str, value: str) -> ChannelRoute:
    """``route`` with one setting changed from chat; raises `RouteError` with the accepted forms."""
    setting, value = setting.strip().lower(), " ".join(value.split())
    if setting == "alerts":
        if value.lower() == "all":
            return replace(route, alerts=ALERTABLE)
        names = [v.strip().lower() for v in value.split(",") if v.strip()]
        known = {t.value: t for t in ALERTABLE}
        wrong = [n for n in names if n not in known]
        if not names or wrong:
            raise RouteError(
                f"Unknown alert kind {', '.join(wrong) or '(none given)'}; choose from "
                f"{', '.join(sorted(known))} or all"
            )
        return replace(route, alerts=frozenset(known[n] for n in names))
    if setting == "speakers":
        if value.lower() in ("everyone", "all", ""):
            return replace(route, speakers=())
        return replace(route, speakers=tuple(s.strip() for s in value.split(",") if s.strip()))
    if setting == "new":
        if value.lower() not in ("watched", "all", "none"):
            raise RouteError("route new takes watched, all or none")
        return replace(route, new_statements=value.lower())
    if setting == "digest":
        if value.lower() in ("off", "none"):
            return replace(route, digest_at=None, digest_day=None)
        weekly = value.lower().startswith("weekly ")
        day, _, rest = value.removeprefix(value[:7] if weekly else "").partition(" ")
        weekday = _weekday(day)
        if weekday is None:
            if weekly:
                raise RouteError("route digest weekly needs a weekday, e.g. monday 09:00")
            rest = value  # no weekday: daily
        at, _, zone = rest.partition(" ")
        return replace(
            route,
            digest_at=_clock(at or "09:00"),
            digest_day=weekday,
            timezone=_zone(zone) if zone else route.timezone,
        )
    if setting == "mention":
        return replace(route, mention=mention_target(value))
    if setting == "severity":
        try:
            return replace(route, min_severity=Severity(value.lower()))
        except ValueError:
            raise RouteError("route severity takes high, medium or low") from None
    raise RouteError(f"Unknown setting {setting!r}: {ROUTE_USAGE}")


def describe_route(route: ChannelRoute) -> tuple[str, ...]:
    """The channel's routing in a few lines, as `route show` prints it."""
    kinds = sorted(t.value for t in route.alerts)
    every = route.alerts == ALERTABLE
    return (
        f"Alerts: {'all kinds' if every else ', '.join(kinds) or 'none'}",
        f"Speakers: {', '.join(route.speakers) if route.speakers else 'everyone'}",
        f"New statements: {route.new_statements}",
        f"Digest: {describe_digest(route)}",
        f"Alterations from severity: {route.min_severity.value}",
        f"High-severity alerts mention: {route.mention or 'nobody'}",
    )


def describe_digest(route: ChannelRoute) -> str:
    """When the channel's digest comes: "every Monday at 09:00 (UTC)", or "off"."""
    if not route.digest_at:
        return "off"
    every = f"{route.digest_day.capitalize()}" if route.digest_day else "day"
    return f"every {every} at {route.digest_at} ({route.timezone})"


def merge_routes(
    configured: Iterable[ChannelRoute], saved: Iterable[ChannelRoute]
) -> list[ChannelRoute]:
    """The config file's routes with the ones set from chat in their place (chat wins)."""
    out = {r.channel: r for r in configured}
    for route in saved:
        out[route.channel] = route
    return list(out.values())
