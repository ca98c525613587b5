"""Rule-based quote extraction and speaker attribution for English news articles."""

from bot.core.extract.quotes import extract_quotes

__all__ = ["extract_quotes"]
