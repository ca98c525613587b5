"""The seed answer key: every gold quote, matched in publication order, gets its gold relation."""

from __future__ import annotations

import json

from bot.core.matching import KnownStatement, StatementIndex, classify_quote
from bot.core.models import QuoteKind, Relation
from tests.conftest import GOLD, need_shared

ORDER = ["003", "000", "001", "002", "004"]  # by publication date


def test_gold_quotes_get_their_gold_relation() -> None:
    need_shared()
    gold = json.loads(GOLD.read_text())
    quotes = sorted(gold["quotes"], key=lambda q: ORDER.index(q["article"][:3]))
    index = StatementIndex()
    known: dict[int, KnownStatement] = {}
    gold_of: dict[int, str | None] = {}
    wrong = []
    for q in quotes:
        ids = index.candidates(q["text"])
        cls = classify_quote(q["text"], q["speaker"], [known[i] for i in ids], QuoteKind(q["kind"]))
        if cls.relation is Relation.NEW:
            sid = len(known) + 1
            known[sid] = KnownStatement(sid, q["speaker"], q["text"])
            index.add(sid, q["speaker"], q["text"])
            gold_of[sid] = q.get("statement")
            got = ("first", q.get("statement"))
        else:
            assert cls.statement_id is not None
            got = (cls.relation.value, gold_of[cls.statement_id])
        want = (q.get("relation") or "first", q.get("statement"))
        if got != want:
            wrong.append((q["article"], q["text"][:50], want, got))
    assert wrong == []


def test_gold_alters_carry_a_diff_and_medium_severity() -> None:
    need_shared()
    gold = json.loads(GOLD.read_text())
    s2 = next(q for q in gold["quotes"] if q.get("statement") == "S2" and q["relation"] == "first")
    alter = next(
        q
        for q in gold["quotes"]
        if q.get("statement") == "S2"
        and q["relation"] == "alter"
        and q["article"].startswith("001")
    )
    cls = classify_quote(
        alter["text"], alter["speaker"], [KnownStatement(1, s2["speaker"], s2["text"])]
    )
    assert cls.relation is Relation.ALTER
    assert any(op.op == "replace" and op.before == "have" and op.after == "need" for op in cls.diff)
    assert {c.kind.value for c in cls.changes} >= {"truncated", "wording"}
