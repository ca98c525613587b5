"""The domain language of Verbatim: articles, quotes, statements, relations, alerts.

Everything here is a frozen dataclass or a string enum so that it can cross every layer
(core, storage, chat adapters) unchanged; adapters translate these at their edge. What an
alert says in words is `bot.core.presentation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class QuoteKind(StrEnum):
    DIRECT = "direct"  # a whole quoted sentence or clause
    FRAGMENT = "fragment"  # a few quoted words inside a sentence, scare quotes
    INDIRECT = "indirect"  # reported speech: "X said that ..."


class Relation(StrEnum):
    """How a new quote stands to what is already known (PRODUCT.md)."""

    NEW = "new"  # matches no known statement: a new statement
    REPEAT = "repeat"
    ALTER = "alter"
    MISATTRIBUTION = "misattribution"  # an alter whose change is the speaker
    DISPUTE = "dispute"
    MENTION = "mention"


class ChangeKind(StrEnum):
    COSMETIC = "cosmetic"
    WORDING = "wording"
    TRUNCATED = "truncated"
    EXTENDED = "extended"
    NEGATION = "negation"
    NUMBER = "number"
    ENTITY = "entity"
    SPEAKER = "speaker"


class Severity(StrEnum):
    LOW = "low"  # cosmetic
    MEDIUM = "medium"  # wording, truncated, extended
    HIGH = "high"  # negation, number, entity, speaker

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]


class EventType(StrEnum):
    NEW_STATEMENT = "new_statement"
    REPEAT = "repeat"
    ALTER = "alter"
    MISATTRIBUTION = "misattribution"
    DISPUTE = "dispute"
    TOPIC = "topic"
    FEED_NOTICE = "feed_notice"
    DIGEST = "digest"

    @property
    def is_notice(self) -> bool:
        """A message about the bot's own work (a feed's health, a digest), not about a quote."""
        return self in (EventType.FEED_NOTICE, EventType.DIGEST)

    @property
    def is_coverage(self) -> bool:
        """An outlet printing a statement (as new, repeated, altered or misattributed): what a
        statement's spread counts. Each comes from one classified quote (`Relation`)."""
        return self in _COVERAGE

    @property
    def is_variant(self) -> bool:
        """An outlet printing a statement in other words or of another speaker."""
        return self in (EventType.ALTER, EventType.MISATTRIBUTION)


_COVERAGE = frozenset(
    {EventType.NEW_STATEMENT, EventType.REPEAT, EventType.ALTER, EventType.MISATTRIBUTION}
)


class Stance(StrEnum):
    SUPPORT = "support"
    DISPUTE = "dispute"
    DISCUSS = "discuss"
    UNRELATED = "unrelated"


@dataclass(frozen=True, slots=True)
class Article:
    """One piece of coverage."""

    url: str
    outlet: str
    title: str
    text: str
    published: datetime | None = None
    language: str = "en"
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """One occurrence of quoted or reported speech in one article.

    ``text == article_text[start:end]``: the quoted words without enclosing marks.
    """

    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None = None  # resolved: "Emmanuel Macron"
    speaker_mention: str | None = None  # as written: "he", "Mr. Macron"
    cue: str | None = None  # "said", "added", "according to"
    # Reported speech only: the quoted words inside it (`said the plan was “a disaster”`), each
    # a fragment matched against the statements but not an occurrence of speech of its own.
    quoted: tuple[Quote, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff from the canonical wording to a variant."""

    op: str  # "equal" | "delete" | "insert" | "replace"
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    severity: Severity
    before: str
    after: str


class HasChanges:
    """A verdict or an event with changes: its severity is the highest of theirs, or None."""

    __slots__ = ()
    changes: tuple[Change, ...]

    @property
    def severity(self) -> Severity | None:
        return max((c.severity for c in self.changes), key=lambda s: s.rank, default=None)


@dataclass(frozen=True, slots=True)
class Appearance:
    """Where and when a statement (or one of its variants) appeared."""

    outlet: str
    url: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Statement:
    """What one speaker said once, however many outlets quote it."""

    id: int
    speaker: str | None
    canonical: str
    first: Appearance
    quote_count: int = 1
    outlets: tuple[str, ...] = ()
    tracked: bool = False


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a statement as one outlet printed it."""

    text: str
    appearance: Appearance
    relation: Relation
    speaker: str | None = None
    changes: tuple[Change, ...] = ()
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class Classification(HasChanges):
    """The matcher's verdict on one quote."""

    relation: Relation
    statement_id: int | None = None
    score: float = 0.0
    changes: tuple[Change, ...] = ()
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class DisputeFinding:
    """Evidence in an article that someone contests a statement."""

    statement_id: int
    by: str | None  # the disputer's name; None when the outlet disputes in its own voice
    evidence: str  # the sentence that shows it
    cue: str = ""
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Event(HasChanges):
    """Something the monitor noticed in one article; alerts are made from events.

    One record for every kind, as it is stored and written as JSON; what each kind carries:

    - every kind: ``article_url``, ``outlet``, ``title`` (the article's; a notice's subject, a
      digest's own title); any may carry ``channel`` (only for it), ``also_in`` and, as it is
      sent, ``mention``;
    - new_statement, repeat, alter, misattribution (`EventType.is_coverage`): ``statement_id``,
      ``speaker``, ``quote``, ``canonical``, ``changes``, ``diff``, ``first``; a misattribution
      also ``credited_to``;
    - dispute: ``statement_id``, ``speaker``, ``canonical``, ``first``, ``disputed_by`` (None:
      the outlet in its own voice), ``evidence``;
    - topic: ``topic``, ``channel``, and the matching quote's ``statement_id``, ``speaker`` and
      ``quote`` when a quote matched;
    - feed_notice: ``detail``; digest: ``detail`` and ``attachment``.

    How each kind reads is `bot.core.presentation.KINDS`.
    """

    type: EventType
    article_url: str
    outlet: str
    statement_id: int | None = None
    speaker: str | None = None
    quote: str | None = None
    canonical: str | None = None
    changes: tuple[Change, ...] = ()
    diff: tuple[DiffOp, ...] = ()
    first: Appearance | None = None
    disputed_by: str | None = None
    evidence: str | None = None
    topic: str | None = None
    title: str = ""
    credited_to: str | None = None  # misattribution: who the outlet credits
    detail: str | None = None  # free text for notices
    channel: str | None = None  # only for this channel (a topic belongs to one channel)
    also_in: tuple[str, ...] = ()  # other outlets that carried the same finding before it was sent
    attachment: str | None = None  # a file to post with the alert (a digest's coverage chart)
    # Who a high-severity alert pings, added as it is sent (never stored): "@here", "@channel",
    # a Slack user group id or a Discord role id (bot.core.routing.mention_target).
    mention: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """One message the bot owes one channel: stored before it is sent, sent once."""

    id: int
    key: str  # unique: a second delivery of the same key is impossible
    channel: str  # "<platform>:<channel id>", e.g. "console:default", "slack:C123"
    event: Event
    created: datetime
    thread_key: str | None = None  # alerts of one statement share a thread
    attempts: int = 0  # failed deliveries so far: a notifier may check it did not go out after all


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    channel: str
    name: str
    query: str


MIN_POLL_SECONDS = 60  # a feed is polled at most once a minute (the store and the settings)


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str = ""
    channel: str | None = None
    interval_seconds: int = 900
    paused: bool = False
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """A command's answer in the core's own terms; adapters render it."""

    title: str
    lines: tuple[str, ...] = ()
    ok: bool = True
    fields: tuple[tuple[str, str], ...] = ()
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
