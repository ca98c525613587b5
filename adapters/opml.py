"""OPML import and export of feed subscriptions, parsed safely: an OPML file comes from
anyone, so DTDs and entity declarations (billion laughs, external entities) are refused."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from bot.core.errors import FeedError
from bot.core.errors import OpmlError as OpmlError  # raised here; the app catches it
from bot.core.models import Feed
from bot.core.urls import feed_address

log = logging.getLogger(__name__)

MAX_OPML_BYTES = 5_000_000
MAX_OUTLINES = 10_000


def _refuse(what: str) -> Any:
    def handler(*_: object) -> None:
        raise OpmlError(f"OPML refused: it declares {what}, which is never needed and unsafe")

    return handler


def parse_opml(text: str | bytes, skipped: list[str] | None = None) -> list[tuple[str, str]]:
    """The (feed URL, title) of every outline with an http(s) ``xmlUrl``, in document order,
    each URL once; why each other ``xmlUrl`` is left out goes to ``skipped`` (``file:``,
    ``ftp:``, no URL, a URL that does not parse). Raises OpmlError for anything that is not a
    safe, well-formed OPML file."""
    if len(text) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML refused: {len(text)} bytes is over the {MAX_OPML_BYTES} limit")
    found: dict[str, str] = {}
    elements: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        elements.append(name)
        if name != "outline":
            return
        lowered = {k.lower(): v for k, v in attrs.items()}
        url = lowered.get("xmlurl", "").strip()
        if not url:
            return
        try:
            url = feed_address(url)
        except FeedError as exc:
            log.info("OPML outline skipped: %s", exc)
            if skipped is not None:
                skipped.append(str(exc))
            return
        if len(found) >= MAX_OUTLINES:
            raise OpmlError(f"OPML refused: more than {MAX_OUTLINES} feeds")
        title = (lowered.get("title") or lowered.get("text") or "").strip()
        found.setdefault(url, title)

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse("a DTD")
    parser.EntityDeclHandler = _refuse("an entity")
    parser.ExternalEntityRefHandler = _refuse("an external entity")
    parser.StartElementHandler = start
    try:
        parser.Parse(text, True)
    except expat.ExpatError as e:
        raise OpmlError(
            f"not a readable OPML file ({expat.ErrorString(e.code)}, line {e.lineno})"
        ) from e
    if not elements or elements[0].lower() != "opml":
        raise OpmlError("not an OPML file: the document does not start with <opml>")
    return list(found.items())


def to_opml(feeds: Iterable[Feed], title: str = "Verbatim feeds") -> str:
    """An OPML 2.0 document listing ``feeds``; a feed's channel goes in its ``category``."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.channel:
            attrs["category"] = feed.channel
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
