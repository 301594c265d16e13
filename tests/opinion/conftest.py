"""舆情处置 tests: 天中街道 and 陈集镇 each with a Weibo account (tests.monitoring.register).
Time is injected: NOW is Friday 27 November 2026, 18:00 Beijing time, so deadlines run across
a weekend."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from govmedia.monitoring.events import POSTS_INGESTED
from govmedia.monitoring.ingest import content_hash
from govmedia.monitoring.models import Post
from govmedia.opinion.models import OpinionCase, Subscription
from govmedia.opinion.services.signals import _active
from tests.monitoring.conftest import register

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=BEIJING)  # a Friday
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    _active.key = None  # the cached automaton is per process; each test builds its own


@pytest.fixture
def accounts(world):
    world.tian_weibo = register(world.tian, "weibo", "tz_weibo", name="天中微博")
    world.chen_weibo = register(world.chen, "weibo", "cj_weibo", name="陈集微博")
    return world


def post(account, text, *, at=None, title="", url=""):
    at = at or NOW
    return Post.objects.create(
        account=account,
        platform_post_id=f"p{next(_serial)}",
        title=title,
        text=text,
        url=url or f"https://weibo.example/{next(_serial)}",
        published_at=at,
        content_hash=content_hash(title, text),
        first_seen_at=at,
        last_seen_at=at,
    )


def ingest(posts) -> None:
    """As a pull does: POSTS_INGESTED inside its transaction; subscribers act after commit."""
    with transaction.atomic():
        POSTS_INGESTED.publish(post_ids=[p.pk for p in posts])


def subscribe(org, expression, *, user, name="监测", **flags) -> Subscription:
    return Subscription.objects.create(
        org=org, name=name, expression=expression, created_by=user, **flags
    )


def case_of(item) -> OpinionCase:
    item.refresh_from_db()
    return OpinionCase.objects.get(pk=item.case_id)


def reported(
    world, org=None, *, text="幸福小区停水三天无人处理，居民很不满意", now=NOW, actor=None
):
    """A case opened by a manual report (人工报送) of the unit."""
    from govmedia.opinion.services.cases import report_create

    org = org or world.tian
    item = report_create(
        actor=actor or world.alice,
        org_id=org.pk,
        title=text[:20],
        text=text,
        reporter="12345 转办",
        now=now,
    )
    return case_of(item)
