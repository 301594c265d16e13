"""Shared fixtures for the pure screening engine (no Django)."""

import pytest

from govmedia.screening.engine import Screener, load_seed_entries


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener(load_seed_entries(), version=1)


@pytest.fixture(scope="session")
def check(screener):
    """check(text, **kwargs) -> list of findings, with the seed lexicon."""
    return screener.check


@pytest.fixture(scope="session")
def rules(screener):
    """rules(text, category=None) -> the rules that fired, in report order."""

    def rules(text, category=None, **kwargs):
        return [
            f.rule
            for f in screener.check(text, **kwargs)
            if category is None or f.category == category
        ]

    return rules
