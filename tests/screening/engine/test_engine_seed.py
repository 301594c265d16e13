"""The shipped seed lexicons load, cite their sources and are internally consistent."""

import csv
from collections import Counter

from govmedia.screening.engine import Category, Screener, load_seed_entries
from govmedia.screening.engine.seed import SEED_DIR


def test_seed_loads_a_few_hundred_entries_each_citing_a_basis():
    entries = load_seed_entries()
    assert 250 <= len(entries) <= 1000
    assert all(entry.basis for entry in entries)
    lexicon_categories = {entry.category for entry in entries if not entry.whitelist}
    assert lexicon_categories == set(Category) - {Category.CLASSIFIED, Category.PERSONAL_DATA}


def test_seed_files_have_the_documented_header():
    for path in SEED_DIR.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        expected = (
            ["term", "category", "basis", "note"]
            if path.name == "whitelist.csv"
            else ["term", "category", "severity", "suggestion", "basis", "note", "context"]
        )
        assert header == expected, path.name


def test_seed_has_no_duplicate_or_unmatchable_terms():
    entries = load_seed_entries()
    keys = Counter((entry.term, entry.category, entry.whitelist) for entry in entries)
    assert [key for key, count in keys.items() if count > 1] == []
    assert Screener(entries).rejected == ()


def test_every_whitelist_phrase_covers_some_seed_term_or_says_why_not():
    entries = load_seed_entries()
    terms = [(e.term, e.category) for e in entries if not e.whitelist]
    for phrase in (e for e in entries if e.whitelist):
        covers = any(
            term in phrase.term and category == phrase.category for term, category in terms
        )
        assert covers or phrase.note.startswith("预置"), phrase.term


def test_suggestions_do_not_fire_themselves(check):
    entries = load_seed_entries()
    for entry in entries:
        if entry.suggestion and not entry.suggestion.startswith("“"):
            same = [
                f
                for f in check(entry.suggestion)
                if f.category == entry.category and f.rule == entry.term
            ]
            assert same == [], entry.term
