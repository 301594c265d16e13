import os

import pytest
from playwright.sync_api import expect

SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-results")


# How long a step may wait for the page before the test counts it as hung. Waits end as soon as
# their condition holds, so this costs nothing when all is well; it is long because a loaded
# 2-core machine rendered the filing PDF in 7.6 s (1 s when idle) and the old 15 s limit failed.
WAIT_MS = 90_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    os.makedirs(SHOTS, exist_ok=True)
    context.close()
