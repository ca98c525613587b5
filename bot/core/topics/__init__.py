"""Topics: a media-monitoring query language (words, phrases, boolean, NEAR, filters)."""

from bot.core.topics.document import Document
from bot.core.topics.parser import Query, QueryError, match_query, parse_query

__all__ = ["Document", "Query", "QueryError", "match_query", "parse_query"]
