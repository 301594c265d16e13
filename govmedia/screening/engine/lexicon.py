"""A lexicon entry as plain data: what the administrator maintains and the seed files hold."""

from dataclasses import dataclass

from .categories import CONTEXTS, Category, Severity


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One term to look for, or (``whitelist=True``) a legitimate phrase that silences terms.

    A whitelist entry suppresses every finding of its ``category`` whose span it covers; a
    whitelist entry with an empty category covers all categories. Its severity is ignored.
    ``context="commercial"`` makes a term fire only near a commerce cue (see ``commerce``).
    """

    term: str
    category: str
    severity: str = Severity.WARN
    suggestion: str = ""
    basis: str = ""
    note: str = ""
    whitelist: bool = False
    context: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.term, str) or not self.term.strip():
            raise ValueError(f"词条不能为空：{self.term!r}")
        if self.whitelist:  # an empty category covers all; severity does not apply
            category = _checked(Category, self.category) if self.category else ""
            severity = ""
        else:
            category = _checked(Category, self.category)
            severity = _checked(Severity, self.severity)
        if self.context not in CONTEXTS:
            raise ValueError(f"未知的语境要求：{self.context!r}")
        # Frozen dataclass: store the normalised enum members.
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "severity", severity)


def _checked(enum, value):
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{enum.__name__} 不支持的取值：{value!r}") from None
