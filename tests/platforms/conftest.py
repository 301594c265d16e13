"""Each platform client against its fake server over real HTTP on 127.0.0.1.

No database: the clients and fakes are pure Python. Time is an injected clock (WeChat's token
life, Weibo's rate-limit hour) and the retry back-off sleeps are recorded, not slept; only the
timeout tests wait for real, a fraction of a second.
"""

from datetime import datetime, timedelta

import httpx
import pytest

from govmedia.platforms.base import AccountRef, Credentials
from govmedia.platforms.fakes.server import FakeServer
from govmedia.platforms.times import CHINA

START = datetime(2026, 11, 24, 10, 3, 12, tzinfo=CHINA)
SHORT_TIMEOUT = httpx.Timeout(0.3, connect=2.0)  # the slow answers below take longer
SLOW = 1.0


class FakeClock:
    def __init__(self, start: datetime = START):
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> list[float]:
    """The back-off delays a client asked for (recorded instead of slept)."""
    return []


def serve(app_class, clock):
    return FakeServer(app_class(clock)).start()


def client_options(clock, sleeps) -> dict:
    return {"clock": clock, "sleep": sleeps.append, "rng": lambda: 0.5}


def account_ref(server: FakeServer, handle: str) -> AccountRef:
    return AccountRef(handle, Credentials(dict(server.state.accounts[handle].credentials)))


def seed_posts(server: FakeServer, handle: str, count: int, *, hours_apart: float = 7) -> list:
    """`count` posts going back from START, returned newest first as the platforms list them."""
    made = [
        server.state.add_post(
            handle,
            published_at=START - timedelta(hours=hours_apart * index),
            title=f"定陶区政务动态第{index}期",
            text=f"第{index}期：便民服务与政策解读。",
            reads=1000 + index,
            likes=10 + index,
            shares=5 + index,
            comments=2 + index,
        )
        for index in range(count)
    ]
    return made


def read_all(client, account: AccountRef) -> tuple[list, int]:
    """Every post, page by page, and the number of pages."""
    posts, cursor, pages = [], None, 0
    while True:
        page = client.list_posts(account, cursor)
        posts.extend(page.posts)
        pages += 1
        if page.next_cursor is None:
            return posts, pages
        assert pages < 100, "paging never ends"
        cursor = page.next_cursor
