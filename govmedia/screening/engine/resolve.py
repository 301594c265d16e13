"""Turn raw hits into the reported findings: whitelist first, then overlaps."""

from bisect import bisect_right
from collections import defaultdict

from .categories import Severity
from .finding import Finding

ALL_CATEGORIES = ""  # the category of a whitelist entry that covers every category


def drop_whitelisted(findings: list[Finding], covers: list[tuple[int, int, str]]) -> list[Finding]:
    """Drop each finding lying inside a whitelist phrase's span (start, end, category)."""
    if not covers:
        return findings
    scopes = _Covers.by_category(covers)
    everywhere = scopes.get(ALL_CATEGORIES)
    return [
        finding
        for finding in findings
        if not any(
            scope is not None and scope.covers(finding.start, finding.end)
            for scope in (scopes.get(finding.category), everywhere)
        )
    ]


class _Covers:
    """Spans sorted by start with a running maximum of their ends: one bisect per query."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        self._starts = [start for start, _ in spans]
        self._max_ends = []
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self._max_ends.append(furthest)

    @classmethod
    def by_category(cls, covers):
        spans = defaultdict(list)
        for start, end, category in covers:
            spans[category].append((start, end))
        return {category: cls(group) for category, group in spans.items()}

    def covers(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and self._max_ends[index] >= end


def keep_longest(findings: list[Finding]) -> list[Finding]:
    """Within one category, of overlapping findings keep only the longest; ``findings`` come
    sorted by start (the report order) and the kept ones stay in that order.

    中华民国总统 and 中华民国 are one error, reported once with the fuller suggestion. Ties go
    to the earlier start, then to block over warn, then to the rule's name, so the outcome
    does not depend on the order hits arrived in. Different categories never hide each other.
    Working on the report order (rather than sorting by category first) saves the engine a
    second sort of every finding.
    """
    dropped: set[int] = set()
    for cluster in _overlapping_clusters(findings):
        kept = set(map(id, _longest_first(cluster)))
        dropped.update(id(finding) for finding in cluster if id(finding) not in kept)
    if not dropped:
        return findings
    return [finding for finding in findings if id(finding) not in dropped]


def _overlapping_clusters(findings: list[Finding]) -> list[list[Finding]]:
    """The runs of one category's findings that overlap one another, in findings sorted by
    start; a choice inside one run never affects another. Most runs are a single finding, left
    out: a run's list is made only when a second finding joins it."""
    ends: dict[str, int] = {}  # category -> the furthest end of its open run
    firsts: dict[str, Finding] = {}  # category -> the first finding of its open run
    runs: dict[str, list[Finding]] = {}  # category -> its open run, once it has two
    clusters = []
    for finding in findings:
        category = finding.category
        if finding.start < ends.get(category, -1):
            if (run := runs.get(category)) is None:
                run = runs[category] = [firsts[category]]
                clusters.append(run)
            run.append(finding)
            ends[category] = max(ends[category], finding.end)
        else:
            ends[category], firsts[category] = finding.end, finding
            runs.pop(category, None)
    return clusters


def _longest_first(cluster: list[Finding]) -> list[Finding]:
    ranked = sorted(
        cluster,
        key=lambda f: (
            f.start - f.end,
            f.start,
            f.severity != Severity.BLOCK,
            f.rule,
            f.suggestion,
        ),
    )
    kept: list[Finding] = []
    for finding in ranked:
        if all(finding.end <= other.start or other.end <= finding.start for other in kept):
            kept.append(finding)
    return kept
