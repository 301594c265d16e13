"""Doubled level characters (区区委书记, 县县委, 市市政府): a frequent slip when a place name
ending in 区/县/市 is followed by the name of its committee or government. 省省委 is reported
by the titles detector. 市市长 and 区区长 are correct (菏泽市 + 市长) and do not match."""

import re
from itertools import islice

from ..categories import Category, Severity
from ..document import Document
from ..finding import Finding
from ..limits import MAX_HITS_PER_RULE
from .anchored import finditer_at

_DOUBLED = re.compile(r"([市县区镇乡])\1(党?委|政府)")
# Every match of _DOUBLED, so a match begins where one of them does.
ANCHORS = tuple(level * 2 + organ for level in "市县区镇乡" for organ in ("委", "党委", "政府"))
_BASIS = "常见差错（文字关）"


def detect(document: Document, starts: list[int] | None = None) -> list[Finding]:
    """``starts``: where the anchors begin in the folded view (None: anywhere)."""
    findings = []
    for match in islice(finditer_at(_DOUBLED, document.folded, starts), MAX_HITS_PER_RULE):
        span = document.locate(match.start(), match.end())
        if span is None:
            continue
        start, end = span
        findings.append(
            Finding(
                Category.TYPO,
                "doubled_level",
                Severity.WARN,
                start,
                end,
                document.original[start:end],
                suggestion=match.group(1) + match.group(2),
                basis=_BASIS,
            )
        )
    return findings
