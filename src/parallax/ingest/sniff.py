"""What a body is, read from its first bytes; names and Content-Type only break ties."""

from __future__ import annotations

import codecs
import json
import re
from enum import StrEnum

from charset_normalizer import from_bytes

SNIFF_BYTES = 64 * 1024


class Kind(StrEnum):
    """The source kinds Parallax reads, plus the reasons it cannot read one."""

    HTML = "html"
    TEXT = "text"
    JSONL = "jsonl"
    FEED = "feed"
    OPML = "opml"
    SITEMAP = "sitemap"
    WARC = "warc"
    EMPTY = "empty"
    BINARY = "binary"
    JSON = "json"
    XML = "xml"


_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_XML_ROOTS = {
    "rss": Kind.FEED,
    "rdf": Kind.FEED,
    "feed": Kind.FEED,
    "opml": Kind.OPML,
    "urlset": Kind.SITEMAP,
    "sitemapindex": Kind.SITEMAP,
    "html": Kind.HTML,
}
# Prolog items that may precede the root element.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S | re.I)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|article|br|title|meta|span|a\s)[\s>/]", re.I
)
_FULL_HTML = re.compile(r"^\s*<(?:!doctype\s+html|html)[\s>]", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type value declares (lower case), or None."""
    match = _CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


def suffix_of(name: str) -> str:
    """The lower-case extension of ``name`` that says its kind, ``.gz`` looked through."""
    lowered = name.lower().split("?", 1)[0].split("#", 1)[0].removesuffix(".gz")
    tail = lowered.rsplit("/", 1)[-1]
    return "." + tail.rsplit(".", 1)[1] if "." in tail else ""


def head_text(head: bytes) -> str | None:
    """The start of a body as text, or None when it is not text at all."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    if b"\x00" in head:
        return None
    try:
        # A multi-byte character may be cut at the end of the sniffed window.
        text = head.decode("utf-8") if len(head) < SNIFF_BYTES else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(head[:SNIFF_BYTES]).best()
        if best is None:
            return None
        text = str(best)
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return None
    return text


def xml_root(text: str) -> str | None:
    """The local name of the first element, past declarations, comments and DOCTYPE."""
    position = 0
    while match := _PROLOG.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    root = _ROOT.match(text, position)
    return root.group(2).lower() if root else None


def _first_json_line(text: str) -> object:
    line = text.lstrip().split("\n", 1)[0]
    try:
        return json.loads(line)
    except ValueError:
        return None


def sniff(head: bytes, name: str = "", content_type: str | None = None) -> Kind:
    """The kind of a body from its first bytes, its name (path or URL) and its Content-Type."""
    if not head.strip():
        return Kind.EMPTY
    if head.startswith(b"WARC/"):
        return Kind.WARC
    text = head_text(head)
    if text is None:
        return Kind.BINARY
    suffix = suffix_of(name)
    ctype = (content_type or "").lower()
    stripped = text.lstrip()
    if stripped.startswith("{") and (
        suffix in _JSONL_SUFFIXES or isinstance(_first_json_line(stripped), dict)
    ):
        return Kind.JSONL
    if suffix in _JSONL_SUFFIXES:
        return Kind.JSONL
    if stripped.startswith("[") and (suffix == ".json" or "json" in ctype):
        return Kind.JSON
    if stripped.startswith("<"):
        root = xml_root(stripped)
        if root in _XML_ROOTS:
            return _XML_ROOTS[root]
    if suffix in _TEXT_SUFFIXES:
        return Kind.HTML if _FULL_HTML.match(stripped) else Kind.TEXT
    if suffix in _HTML_SUFFIXES or "html" in ctype:
        return Kind.HTML
    if ctype.startswith("text/plain"):
        return Kind.TEXT
    if _HTML_TAG.search(text):
        return Kind.HTML
    if stripped.startswith("<?xml") or "xml" in ctype:
        return Kind.XML
    return Kind.TEXT
