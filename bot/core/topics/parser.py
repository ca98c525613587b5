"""Parse a topic query into a frozen tree; a bad query raises QueryError with a caret line.

Grammar: or := and (OR and)* ; and := near (AND? near)* ; near := unary (NEAR/n unary)* ;
unary := NOT unary | '(' or ')' | "phrase" | word[*|~] | field:value.

Parentheses and NOTs nest at most `MAX_DEPTH` deep: the parser counts them and refuses past
the limit (with the caret under the one too many), so neither parsing nor matching a saved
query can exhaust Python's stack, whatever a user types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.topics.document import Document, fold, words_of
from bot.core.topics.nodes import And, Filter, Near, Node, Not, Or, Phrase, Term

FIELDS = ("speaker", "outlet", "kind")
KINDS = ("quote", "article")
MAX_DEPTH = 32  # parentheses and NOTs inside one another
_TOKEN = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|"(?P<phrase>[^"]*)"(?P<pmod>~)?|(?P<unclosed>")'
    r'|(?P<near>NEAR/(?P<n>\d+))\b|(?P<field>\w+):(?:"(?P<fq>[^"]*)"|(?P<fv>[^\s()"]+))'
    r'|(?P<word>[^\s()"]+))'
)


class QueryError(ValueError):
    """A query that does not parse; the message shows where."""

    def __init__(self, message: str, text: str, position: int) -> None:
        self.position = position
        self.reason = message
        shown, at = _window(text, position)
        super().__init__(f"{message} at position {position}\n  {shown}\n  {' ' * at}^")


def _window(text: str, position: int, width: int = 36) -> tuple[str, int]:
    """The part of a long query around ``position``, and the caret's column in it."""
    start = max(0, position - width)
    end = position + width
    shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return shown, position - start + (1 if start else 0)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # lp rp phrase near filter word and or not end
    value: str
    pos: int
    n: int = 0
    fuzzy: bool = False


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:  # pragma: no cover - the word branch always matches
            raise QueryError("unexpected character", text, i)
        pos = m.end() - len(m.group(0).lstrip())
        if m.group("unclosed"):
            raise QueryError("unclosed quote", text, pos)
        if m.group("lp"):
            out.append(_Tok("lp", "(", pos))
        elif m.group("rp"):
            out.append(_Tok("rp", ")", pos))
        elif m.group("phrase") is not None:
            out.append(_Tok("phrase", m.group("phrase"), pos, fuzzy=bool(m.group("pmod"))))
        elif m.group("near"):
            out.append(_Tok("near", "NEAR", pos, n=int(m.group("n")[:6])))
        elif m.group("field"):
            value = m.group("fq") if m.group("fq") is not None else m.group("fv")
            out.append(_Tok("filter", f"{m.group('field')}:{value}", pos))
        else:
            word = m.group("word")
            kind = word.lower() if word in ("AND", "OR", "NOT") else "word"
            out.append(_Tok(kind, word, pos))
        i = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, message: str, tok: _Tok) -> QueryError:
        return QueryError(message, self.text, tok.pos)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.fail("empty query", self.peek())
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise self.fail(f"unexpected {tok.value!r}", tok)
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.peek().kind == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Node:
        parts = [self.near()]
        while self.peek().kind in ("and", "not", "lp", "phrase", "word", "filter"):
            if self.peek().kind == "and":
                self.take()
            parts.append(self.near())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def near(self) -> Node:
        left = self.unary()
        while self.peek().kind == "near":
            tok = self.take()
            right = self.unary()
            if not isinstance(left, Term | Phrase) or not isinstance(right, Term | Phrase):
                raise self.fail("NEAR joins two words or phrases", tok)
            left = Near(left, right, tok.n)
        return left

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind in ("not", "lp"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"parentheses and NOT nested more than {MAX_DEPTH} deep", tok)
            node = self.inner(tok)
            self.depth -= 1
            return node
        if tok.kind == "phrase":
            return self.phrase(tok)
        if tok.kind == "filter":
            return self.filter(tok)
        if tok.kind == "word":
            return self.term(tok)
        if tok.kind == "end":
            raise self.fail("query ends too early", tok)
        raise self.fail(f"unexpected {tok.value!r}", tok)

    def inner(self, tok: _Tok) -> Node:
        """What a NOT or an opening parenthesis holds."""
        if tok.kind == "not":
            return Not(self.unary())
        node = self.or_()
        close = self.take()
        if close.kind != "rp":
            raise self.fail("missing ')'", close)
        return node

    def term(self, tok: _Tok) -> Term:
        raw = tok.value
        prefix, fuzzy = raw.endswith("*"), raw.endswith("~")
        words = words_of(raw.rstrip("*~"))
        if len(words) != 1:
            raise self.fail(f"{raw!r} is not one word", tok)
        if prefix and len(words[0]) < 2:
            raise self.fail("a wildcard needs at least two letters before '*'", tok)
        return Term(words[0], prefix=prefix, fuzzy=fuzzy)

    def phrase(self, tok: _Tok) -> Term | Phrase:
        words = words_of(tok.value)
        if not words:
            raise self.fail("empty phrase", tok)
        terms = tuple(Term(w, fuzzy=tok.fuzzy) for w in words)
        return terms[0] if len(terms) == 1 else Phrase(terms)

    def filter(self, tok: _Tok) -> Filter:
        name, _, value = tok.value.partition(":")
        name = name.lower()
        value = value.rstrip("*").strip()
        if name not in FIELDS:
            raise self.fail(f"unknown filter {name!r} (use {', '.join(FIELDS)})", tok)
        if not value:
            raise self.fail(f"{name}: needs a value", tok)
        if name == "kind" and fold(value) not in KINDS:
            raise self.fail("kind: is 'quote' or 'article'", tok)
        return Filter(name, fold(value) if name == "kind" else value)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed, ready-to-match topic query."""

    text: str
    root: Node

    def matches(self, doc: Document) -> bool:
        return self.root.matches(doc)


def parse_query(text: str) -> Query:
    """Parse ``text``; raises QueryError (never anything else) when it does not parse."""
    return Query(text, _Parser(text).parse())


def match_query(query: Query, doc: Document) -> bool:
    return query.matches(doc)
