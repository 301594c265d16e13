"""未经审核发布 tests: 天中's newsroom (tests/publishing/conftest.py) with the cut-off of 先审后发
set before the fixed NOW, so posts of the test's days are in scope."""

from datetime import date

import pytest


@pytest.fixture(autouse=True)
def match_since(settings):
    settings.PUBLISHING_MATCH_SINCE = date(2026, 11, 1)
