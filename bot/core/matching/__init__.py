"""Statement matching: the candidate index and the repeat / alter / misattribution verdict."""

from bot.core.matching.classify import KnownStatement, classify_quote
from bot.core.matching.index import StatementIndex
from bot.core.matching.tokens import normalised, tokenize

__all__ = ["KnownStatement", "StatementIndex", "classify_quote", "normalised", "tokenize"]
