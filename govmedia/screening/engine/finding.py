"""What the engine reports: one span of the original text and why it matters."""

from dataclasses import asdict, dataclass
from operator import attrgetter

from .categories import Severity

# The report order: by start, then category, then rule (then the rest, for a total order).
REPORT_ORDER = attrgetter("start", "category", "rule", "end", "severity", "suggestion")


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


def _fast_constructor():
    """A function building a Finding from its nine fields, positionally, in half the time of
    ``Finding(...)``: a frozen dataclass's __init__ goes through object.__setattr__ for every
    field (~2 µs a finding), which on a long text with thousands of hits shows in the screening
    time. This sets the same slots through their descriptors; the object is the same."""
    new = object.__new__
    category, rule, severity, start, end, matched, suggestion, basis, note = (
        getattr(Finding, name).__set__
        for name in (
            "category",
            "rule",
            "severity",
            "start",
            "end",
            "matched",
            "suggestion",
            "basis",
            "note",
        )
    )

    def make(c, r, sv, st, en, m, su, b, n):
        finding = new(Finding)
        category(finding, c)
        rule(finding, r)
        severity(finding, sv)
        start(finding, st)
        end(finding, en)
        matched(finding, m)
        suggestion(finding, su)
        basis(finding, b)
        note(finding, n)
        return finding

    return make


make_finding = _fast_constructor()
