"""Slack's published Block Kit and Web API limits, checked as Slack checks them.

`refusal(params)` returns the error code Slack answers a message with (``invalid_blocks``,
``msg_blocks_too_long``, ...) or None; the stand-in refuses with it, so a payload the real API
would refuse fails the test. Limits: TESTING.md ("Limits the stand-ins must enforce").
"""

from __future__ import annotations

import json
from typing import Any

BLOCKS_MAX = 50
BLOCKS_TEXT_MAX = 13_000  # about where Slack answers msg_blocks_too_long
TEXT_MAX = 40_000  # `text` past this is truncated by Slack
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
HEADER_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
BLOCK_ID_MAX = 255


class Invalid(Exception):
    """One broken rule; the message says which, as Slack's ``response_metadata`` would."""


def _text_object(obj: Any, where: str, limit: int, kinds: tuple[str, ...]) -> str:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        raise Invalid(f"{where}: must be a text object of type {kinds}")
    text = obj.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= limit:
        raise Invalid(f"{where}: text must be 1 to {limit} characters, not {len(str(text))}")
    if "verbatim" in obj and obj["type"] != "mrkdwn":
        raise Invalid(f"{where}: verbatim is for mrkdwn only")
    return text


def _text_size(value: Any, key: str = "") -> int:
    """Slack's count: the characters of every string under a "text" key, however deep. Written
    apart from `adapters.slack.render.text_size`, the count it checks."""
    if isinstance(value, str):
        return len(value) if key == "text" else 0
    if isinstance(value, dict):
        return sum(_text_size(inner, name) for name, inner in value.items())
    return sum(_text_size(inner) for inner in value) if isinstance(value, list) else 0


def check_blocks(blocks: Any) -> None:
    """Raise `Invalid` where Slack would answer ``invalid_blocks``."""
    if not isinstance(blocks, list) or len(blocks) > BLOCKS_MAX:
        raise Invalid(f"at most {BLOCKS_MAX} blocks, not {len(blocks)}")
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for n, block in enumerate(blocks):
        where = f"blocks[{n}]"
        kind = block.get("type")
        block_id = block.get("block_id")
        if block_id is not None:
            if not 1 <= len(block_id) <= BLOCK_ID_MAX or block_id in block_ids:
                raise Invalid(f"{where}: block_id must be unique and at most {BLOCK_ID_MAX}")
            block_ids.add(block_id)
        if kind == "header":
            _text_object(block.get("text"), where, HEADER_MAX, ("plain_text",))
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                raise Invalid(f"{where}: a section needs text or fields")
            if "text" in block:
                _text_object(block["text"], where, SECTION_TEXT_MAX, ("mrkdwn", "plain_text"))
            fields = block.get("fields", [])
            if len(fields) > SECTION_FIELDS_MAX:
                raise Invalid(f"{where}: at most {SECTION_FIELDS_MAX} fields")
            for f in fields:
                _text_object(f, f"{where}.fields", FIELD_TEXT_MAX, ("mrkdwn", "plain_text"))
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= CONTEXT_ELEMENTS_MAX:
                raise Invalid(f"{where}: a context holds 1 to {CONTEXT_ELEMENTS_MAX} elements")
            for e in elements:
                _text_object(e, f"{where}.elements", SECTION_TEXT_MAX, ("mrkdwn", "plain_text"))
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= ACTIONS_ELEMENTS_MAX:
                raise Invalid(f"{where}: actions hold 1 to {ACTIONS_ELEMENTS_MAX} elements")
            for e in elements:
                _text_object(e.get("text"), f"{where}.button", BUTTON_TEXT_MAX, ("plain_text",))
                action_id = str(e.get("action_id", ""))
                if not 1 <= len(action_id) <= ACTION_ID_MAX or action_id in action_ids:
                    raise Invalid(f"{where}: action_id {action_id!r} not unique or too long")
                action_ids.add(action_id)
                if len(str(e.get("value", ""))) > BUTTON_VALUE_MAX:
                    raise Invalid(f"{where}: a button value is at most {BUTTON_VALUE_MAX}")
        elif kind != "divider":
            raise Invalid(f"{where}: unknown block type {kind!r}")


def refusal(params: dict[str, Any]) -> tuple[str, str] | None:
    """(error code, why) for a message Slack would refuse; None when it is fine."""
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    text = params.get("text")
    if blocks is None:
        return None if text else ("no_text", "a message needs text or blocks")
    if not text:  # our own rule (TESTING.md): the notification fallback always goes along
        return ("no_text", "blocks without the text fallback")
    try:
        check_blocks(blocks)
    except Invalid as exc:
        return ("invalid_blocks", str(exc))
    size = _text_size(blocks)
    if size > BLOCKS_TEXT_MAX:
        return ("msg_blocks_too_long", f"{size} characters of block text")
    return None
