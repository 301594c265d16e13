"""Read the seed lexicons shipped in govmedia/screening/seed/ (pure: the Django app imports
them into the database; tests and the benchmark use them directly)."""

import csv
from pathlib import Path

from .lexicon import LexiconEntry

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
WHITELIST_FILE = "whitelist.csv"


def load_seed_entries(directory: Path = SEED_DIR) -> list[LexiconEntry]:
    """Every entry of every *.csv in ``directory``, in file then row order.

    Lexicon files have the columns term,category,severity,suggestion,basis,note,context;
    whitelist.csv has term,category,basis,note (an empty category covers all categories).
    """
    entries = []
    for path in sorted(directory.glob("*.csv")):
        whitelist = path.name == WHITELIST_FILE
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                entries.append(_entry(row, whitelist))
    return entries


def _entry(row: dict[str, str], whitelist: bool) -> LexiconEntry:
    value = {name: (text or "").strip() for name, text in row.items() if name}
    return LexiconEntry(
        term=value.get("term", ""),
        category=value.get("category", ""),
        severity=value.get("severity") or ("" if whitelist else "warn"),
        suggestion=value.get("suggestion", ""),
        basis=value.get("basis", ""),
        note=value.get("note", ""),
        whitelist=whitelist,
        context=value.get("context", ""),
    )
