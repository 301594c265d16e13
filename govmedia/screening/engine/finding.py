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
