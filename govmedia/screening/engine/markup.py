"""The visible text of an HTML fragment, with a map back into the HTML.

Tags, comments and the bodies of <script>/<style> are not content; attribute values live
inside tags, so they are skipped too. Entities are decoded. Block-level tags become a line
break so that a term cannot be matched across two paragraphs; inline tags (<b>, <span> …)
vanish, so 台<b>湾</b> still reads 台湾.

A hand-written scanner rather than html.parser: the parser does not report where decoded
text came from, and the offsets are the point. Every pattern is linear (no nested
quantifiers; unterminated constructs are found with str.find and run to the end of input).
"""

import re
from html.entities import html5

from .offsets import OffsetMap, OffsetMapBuilder

_MARKUP_START = re.compile(r"[<&]")
_TAG = re.compile(r"""</?([A-Za-z][A-Za-z0-9:-]*)(?:[^<>"']++|"[^"]*+"|'[^']*+')*+>""")
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}))(;?)")
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}\b[^>]*+>", re.IGNORECASE) for name in ("script", "style")
}
# fmt: off
_INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
})
# fmt: on


def html_to_text(html: str) -> tuple[str, OffsetMap]:
    """Return the content of ``html`` and a map from content indices to ``html`` indices."""
    pieces: list[str] = []
    offsets = OffsetMapBuilder()
    text_start = position = 0
    while (found := _MARKUP_START.search(html, position)) is not None:
        at = found.start()
        read = _read_entity(html, at) if html[at] == "&" else _read_markup(html, at)
        if read is None:  # a bare "&" or a "<" that opens nothing (a < b) is text
            position = at + 1
            continue
        end, replacement = read
        pieces.append(html[text_start:at])
        offsets.copied(text_start, at - text_start)
        pieces.append(replacement)
        offsets.replaced(at, end, len(replacement))
        text_start = position = end
    pieces.append(html[text_start:])
    offsets.copied(text_start, len(html) - text_start)
    return "".join(pieces), offsets.build()


def _read_entity(html: str, at: int) -> tuple[int, str] | None:
    """(end, decoded text) of the entity at ``at``, or None if there is none."""
    match = _ENTITY.match(html, at)
    decoded = _decode_entity(match) if match else None
    return None if decoded is None else (match.end(), decoded)


def _decode_entity(match: re.Match) -> str | None:
    decimal, hexadecimal, name, semicolon = match.groups()
    if name is not None:
        # html5 lists "amp;" and, for legacy entities only, "amp" without the semicolon.
        return html5.get(name + semicolon)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def _read_markup(html: str, at: int) -> tuple[int, str] | None:
    """(end, replacement) of the comment or tag at ``at``, or None if "<" opens nothing.
    The replacement is a line break for block-level tags, nothing otherwise."""
    if html.startswith("<!--", at):
        return _end_of(html, "-->", at + 4), ""
    if html.startswith(("<!", "<?"), at):  # doctype, CDATA, processing instruction
        return _end_of(html, ">", at + 2), ""
    tag = _TAG.match(html, at)
    if tag is None:
        return None
    name = tag.group(1).lower()
    end = tag.end()
    if name in _RAW_TEXT_END and not html.startswith("</", at):
        closing = _RAW_TEXT_END[name].search(html, end)
        end = closing.end() if closing else len(html)
    return end, "" if name in _INLINE_TAGS else "\n"


def _end_of(html: str, terminator: str, start: int) -> int:
    found = html.find(terminator, start)
    return len(html) if found < 0 else found + len(terminator)
