"""Fake WeChat, Weibo, Douyin and Kuaishou servers (pure Python, no Django) for tests, the
benchmark and the demo: real HTTP on 127.0.0.1 in the platforms' documented shapes, seeded
through `server.state` or a seed file, and told to misbehave through `server.misbehave(...)`.
See docs/platforms/fakes.md.
"""

from .platforms import DEMO_SEED, FakePlatforms
from .server import FAULT_KINDS, FakeServer
from .state import FAKE_KUAISHOU_APP_ID, FakeAccount, FakePost, FakeState, default_credentials

__all__ = [
    "DEMO_SEED",
    "FAKE_KUAISHOU_APP_ID",
    "FAULT_KINDS",
    "FakeAccount",
    "FakePlatforms",
    "FakePost",
    "FakeServer",
    "FakeState",
    "default_credentials",
]
