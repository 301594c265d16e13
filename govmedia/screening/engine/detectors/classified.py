"""涉密标识: 密级★保密期限 as GB/T 9704-2012 (7.2.2) and the secrecy rules print it.

秘密★1年, 机密★5年, 绝密★长期, 绝密★启用前, 机密★会议开始前, 机密★2025年12月31日, or a bare
机密★ (the default period). ☆ is accepted as a variant of ★; an asterisk only with a period
(机密*5年), because a bare 机密* is too often emphasis. The words 涉密/保密/机密 without the
star are ordinary prose and do not fire.
"""

import re
from itertools import islice

from ..categories import Category, Severity
from ..document import Document
from ..finding import Finding
from ..limits import MAX_HITS_PER_RULE
from .anchored import finditer_at

_GAP = r"[\s\u200b-\u200d\u2060\ufeff]{0,3}"  # spaces or zero-width chars slipped in
_LEVEL = rf"(?:绝{_GAP}密|机{_GAP}密|秘{_GAP}密)"
_PERIOD = (
    rf"(?:[0-9]{{1,3}}{_GAP}(?:年|个月)"  # 保密期限
    r"|长期"
    r"|[0-9]{4}年[0-9]{1,2}月(?:[0-9]{1,2}日)?"  # 解密时间
    r"|[\u4e00-\u9fff]{1,8}?前)"  # 解密条件: 启用前, 会议开始前
)
_MARKER = re.compile(rf"{_LEVEL}{_GAP}(?:[★☆](?:{_GAP}{_PERIOD})?|[*＊]{_GAP}{_PERIOD})")

# The level in the folded view, where the star and any spaces are gone: every gap char is
# noise, so a marker begins where one of these does.
ANCHORS = ("绝密", "机密", "秘密")

_BASIS = "GB/T 9704-2012 第7.2.2条（密级和保密期限）；通知第四部分（一）"


def detect(document: Document, starts: list[int] | None = None) -> list[Finding]:
    """Markers in the light view; ``starts``: where the anchors begin in the folded view."""
    where = None if starts is None else map(document.folded_to_content.start, starts)
    findings = []
    for marker in islice(finditer_at(_MARKER, document.light, where), MAX_HITS_PER_RULE):
        start, end = document.original_span(marker.start(), marker.end())
        findings.append(
            Finding(
                Category.CLASSIFIED,
                "classified_marker",
                Severity.BLOCK,
                start,
                end,
                document.original[start:end],
                basis=_BASIS,
                note="涉密信息不上网、上网信息不涉密",
            )
        )
    return findings
