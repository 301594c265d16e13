"""Line breaking for Chinese text in fixed-width table cells.

CJK text may break between any two characters, Latin words and numbers may not
(a phone number or URL split in two is misread), and a line must not start with
closing punctuation nor end with opening punctuation (避头尾, the basic rule of
Chinese typesetting).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A Latin word, number, phone number, e-mail or URL: kept on one line if it fits.
_TOKEN = re.compile(r"[A-Za-z0-9@._:/\-+#%&=?~]+|\s|.", re.S)

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")

Measure = Callable[[str], float]


def wrap_text(text: str, width: float, measure: Measure) -> list[str]:
    """Break text into lines no wider than width (one line per '\\n' at least)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure))
    return lines


def _wrap_paragraph(paragraph: str, width: float, measure: Measure) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in _tokens(paragraph, width, measure):
        token_width = measure(token)
        if used + token_width > width and lines[-1]:
            if token.isspace():
                continue  # a break swallows the space it happens at
            lines.append(_carry_over(lines[-1], token))
            used = sum(measure(t) for t in lines[-1])
        lines[-1].append(token)
        used += token_width
    return ["".join(line).rstrip() for line in lines]


def _tokens(paragraph: str, width: float, measure: Measure) -> list[str]:
    """Split into unbreakable pieces; a word wider than the cell is split by character."""
    tokens: list[str] = []
    for token in _TOKEN.findall(paragraph):
        if len(token) > 1 and measure(token) > width:
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


def _carry_over(line: list[str], next_token: str) -> list[str]:
    """Move the last token down when the break would violate 避头尾; returns the new line."""
    if len(line) < 2:
        return []
    if next_token[0] in NO_LINE_START or line[-1][-1] in NO_LINE_END:
        return [line.pop()]
    return []
