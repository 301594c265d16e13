"""What the engine reports: one span of the original text and why it matters."""

from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass
from itertools import pairwise
from operator import attrgetter

from .categories import Severity

# The report order: by start, then category, then rule (then the rest, for a total order).
REPORT_ORDER = attrgetter("start", "category", "rule", "end", "severity", "suggestion")
_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    rule: str  # the lexicon term, or the name of the detector that fired
    severity: str
    start: int  # offsets into the ORIGINAL text (str indices), end exclusive
    end: int
    matched: str  # the original characters; personal data comes masked
    suggestion: str = ""
    basis: str = ""
    note: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK

    def to_dict(self) -> dict:
        """Plain JSON-ready values (the enum members become plain strings)."""
        return {
            key: str(value) if isinstance(value, str) else value
            for key, value in asdict(self).items()
        }


def in_report_order(findings: list[Finding]) -> list[Finding]:
    """``sorted(findings, key=REPORT_ORDER)``, sorted by start alone and then each run of one
    start by the whole key: int keys cost a fraction of a six-field key for every finding, and
    few findings share a start. Both sorts are stable, so ties keep their order as in one."""
    findings = sorted(findings, key=_START)
    starts = list(map(_START, findings))
    for start in {start for previous, start in pairwise(starts) if start == previous}:
        first, end = bisect_left(starts, start), bisect_right(starts, start)
        findings[first:end] = sorted(findings[first:end], key=REPORT_ORDER)
    return findings


class _Unfrozen:
    """A Finding's slots without the frozen __setattr__: filled in by plain slot stores, then
    made a Finding (an object's class may change to one of the very same slots)."""

    __slots__ = Finding.__slots__

    def __init__(self, category, rule, severity, start, end, matched, suggestion, basis, note):
        self.category = category
        self.rule = rule
        self.severity = severity
        self.start = start
        self.end = end
        self.matched = matched
        self.suggestion = suggestion
        self.basis = basis
        self.note = note


def make_finding(category, rule, severity, start, end, matched, suggestion, basis, note):
    """``Finding(...)`` with all nine fields, positionally, in a third of the time: a frozen
    dataclass's __init__ goes through object.__setattr__ for every field (~1.5 µs a finding),
    which on a long text with thousands of hits shows in the screening time."""
    finding = _Unfrozen(category, rule, severity, start, end, matched, suggestion, basis, note)
    finding.__class__ = Finding
    return finding
