"""Pure content-screening engine (no Django): lexicon terms and detectors over a text.

screener = Screener(load_seed_entries(), version=1)
findings = screener.check(text)            # or screener.check(html, html=True)
"""

from .categories import COMMERCIAL_CONTEXT, Category, Severity
from .detectors import DETECTOR_RULES
from .finding import Finding
from .folding import fold_term
from .lexicon import LexiconEntry
from .screener import Screener
from .seed import load_seed_entries

__all__ = [
    "COMMERCIAL_CONTEXT",
    "DETECTOR_RULES",
    "Category",
    "Finding",
    "LexiconEntry",
    "Screener",
    "Severity",
    "fold_term",
    "load_seed_entries",
]
