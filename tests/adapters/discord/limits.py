"""Discord's published message limits, checked as Discord checks them.

`refusal(body)` returns Discord's 400 answer (code 50035 Invalid Form Body, with the ``errors``
tree naming the field) for a message body over its limits, or None. The stand-in answers with
it, so a payload the real API refuses fails the test. Limits: TESTING.md.
"""

from __future__ import annotations

from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBEDS_TOTAL_MAX = 6000
ROWS_MAX = 5
ROW_COMPONENTS_MAX = 5
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
NONCE_MAX = 25
THREAD_NAME_MAX = 100


def _length_error(limit: int) -> dict[str, Any]:
    return {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                         "message": f"Must be {limit} or fewer in length."}]}  # fmt: skip


def _nest(path: list[str], leaf: dict[str, Any]) -> dict[str, Any]:
    for key in reversed(path):
        leaf = {key: leaf}
    return leaf


def invalid(path: list[str], limit: int) -> dict[str, Any]:
    """Discord's Invalid Form Body answer for one field over its limit."""
    errors = _nest(path, _length_error(limit))
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def _too_long(value: Any, limit: int, minimum: int = 0) -> bool:
    return value is not None and not minimum <= len(str(value)) <= limit


def embed_text(embed: dict[str, Any]) -> int:
    """What Discord counts against the 6,000 characters of a message's embeds."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total + sum(len(f.get("name", "")) + len(f.get("value", ""))
                       for f in embed.get("fields") or [])  # fmt: skip


def _embed_refusal(n: int, embed: dict[str, Any]) -> dict[str, Any] | None:
    at = ["embeds", str(n)]
    for key, limit in (("title", TITLE_MAX), ("description", DESCRIPTION_MAX)):
        if _too_long(embed.get(key), limit):
            return invalid([*at, key], limit)
    if _too_long((embed.get("footer") or {}).get("text"), FOOTER_MAX):
        return invalid([*at, "footer", "text"], FOOTER_MAX)
    if _too_long((embed.get("author") or {}).get("name"), AUTHOR_MAX):
        return invalid([*at, "author", "name"], AUTHOR_MAX)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        return invalid([*at, "fields"], FIELDS_MAX)
    for i, field in enumerate(fields):
        if _too_long(field.get("name", ""), FIELD_NAME_MAX, 1):
            return invalid([*at, "fields", str(i), "name"], FIELD_NAME_MAX)
        if _too_long(field.get("value", ""), FIELD_VALUE_MAX, 1):
            return invalid([*at, "fields", str(i), "value"], FIELD_VALUE_MAX)
    return None


def _components_refusal(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    if len(rows) > ROWS_MAX:
        return invalid(["components"], ROWS_MAX)
    seen: set[str] = set()
    for r, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(items) <= ROW_COMPONENTS_MAX:
            return invalid(["components", str(r), "components"], ROW_COMPONENTS_MAX)
        for c, item in enumerate(items):
            at = ["components", str(r), "components", str(c)]
            custom_id = item.get("custom_id")
            if item.get("style") != 5 and (_too_long(custom_id, CUSTOM_ID_MAX, 1)
                                           or custom_id in seen):  # fmt: skip
                return invalid([*at, "custom_id"], CUSTOM_ID_MAX)
            seen.add(str(custom_id))
            if _too_long(item.get("label"), LABEL_MAX):
                return invalid([*at, "label"], LABEL_MAX)
    return None


def refusal(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """Discord's 400 answer to a message body it would refuse, or None."""
    if not body:
        return None
    if _too_long(body.get("content"), CONTENT_MAX):
        return invalid(["content"], CONTENT_MAX)
    if _too_long(body.get("nonce"), NONCE_MAX):
        return invalid(["nonce"], NONCE_MAX)
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        return invalid(["embeds"], EMBEDS_MAX)
    for n, embed in enumerate(embeds):
        found = _embed_refusal(n, embed)
        if found is not None:
            return found
    if sum(embed_text(e) for e in embeds) > EMBEDS_TOTAL_MAX:
        return invalid(["embeds"], EMBEDS_TOTAL_MAX)
    return _components_refusal(body.get("components") or [])


def pings(body: dict[str, Any] | None) -> bool:
    """Whether Discord would let this message mention anyone: only ``parse: []`` (and no
    ``users``/``roles`` lists, no ``replied_user``) guarantees that nobody is pinged."""
    if not body or not (body.get("content") or body.get("embeds")):
        return False
    allowed = body.get("allowed_mentions")
    if not isinstance(allowed, dict):
        return True  # without allowed_mentions, Discord parses every mention in content
    return bool(allowed.get("parse") or allowed.get("users") or allowed.get("roles")
                or allowed.get("replied_user"))  # fmt: skip
