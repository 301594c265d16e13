"""检查考核 tests: the district of tests/conftest.py with a WeChat and a Weibo account for 天中
and 陈集 and one for 区卫生健康局, two platform administrators (alice checks, bob reviews), and
stored posts and pull runs. The check time is fixed: CHECK_AT, Tuesday 24 November 2026 10:00."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govmedia.monitoring.models import Post, PullOutcome, PullRun
from tests.conftest import make_user
from tests.monitoring.conftest import register

CHINA = ZoneInfo("Asia/Shanghai")
CHECK_AT = datetime(2026, 11, 24, 10, 0, tzinfo=CHINA)
PERIOD_START = date(2026, 9, 1)


def add_post(account, *, days_before: float, seen_days_before: float | None = None, title="通知"):
    published = CHECK_AT - timedelta(days=days_before)
    seen = CHECK_AT - timedelta(days=seen_days_before if seen_days_before is not None else 0.5)
    return Post.objects.create(
        account=account,
        platform_post_id=f"p{Post.objects.count() + 1}",
        title=title,
        text=title,
        url=f"https://mp.example.com/{account.handle}/{Post.objects.count() + 1}",
        published_at=published,
        first_seen_at=min(seen, CHECK_AT + timedelta(days=30)),
        last_seen_at=min(seen, CHECK_AT + timedelta(days=30)),
        content_hash="x",
    )


def add_pull(account, *, days_before: float, ok: bool = True):
    at = CHECK_AT - timedelta(days=days_before)
    return PullRun.objects.create(
        account=account,
        started_at=at - timedelta(minutes=1),
        finished_at=at,
        outcome=PullOutcome.OK if ok else PullOutcome.FAILED,
        error_kind="" if ok else "unavailable",
    )


@pytest.fixture
def accounts(world):
    w = world
    w.bob = make_user("bob", w.district, "platform_admin")
    w.tian_wechat = register(w.tian, "wechat-mp", "tz_wx", name="天中发布")
    w.tian_weibo = register(w.tian, "weibo", "tz_wb", name="天中微博")
    w.chen_wechat = register(w.chen, "wechat-mp", "cj_wx", name="陈集发布")
    w.chen_weibo = register(w.chen, "weibo", "cj_wb", name="陈集微博")
    w.dept_wechat = register(w.dept, "wechat-mp", "wj_wx", name="定陶卫健")
    for account in (w.tian_wechat, w.tian_weibo, w.chen_wechat, w.chen_weibo, w.dept_wechat):
        add_pull(account, days_before=0.2)
        add_post(account, days_before=3)
    return w
