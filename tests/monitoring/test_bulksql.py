"""core.bulksql on both databases: the rows as one JSON parameter, typed like their fields."""

from datetime import timedelta

import pytest
from django.utils import timezone

from govmedia.core import bulksql
from govmedia.monitoring.models import Post, PullState

from .conftest import register

pytestmark = pytest.mark.django_db


def test_upsert_inserts_then_updates_only_the_named_fields(world):
    account = register(world.tian, "weibo", "bulk_upsert")
    now = timezone.now().replace(microsecond=123456)
    names = ["account", "platform_post_id", "title", "text", "is_html", "url", "published_at"]
    names += ["metrics", "content_hash", "first_seen_at", "last_seen_at", "deleted_at"]
    names += ["screened_hash"]

    def row(post_id, title, metrics, seen):
        return (account.pk, post_id, title, "正文‘引号’", False, "", now, metrics, "h", now, seen)

    first = [row("1", "标题一", {"reads": 3}, now) + (None, ""), row("2", "二", {}, now)]
    first[1] += (now, "")
    bulksql.upsert(Post, names, first, unique=["account", "platform_post_id"], update=["title"])
    later = now + timedelta(hours=1)
    again = [row("1", "改过的标题", {"reads": 9}, later) + (None, "")]
    bulksql.upsert(Post, names, again, unique=["account", "platform_post_id"], update=["title"])
    one, two = Post.objects.filter(account=account).order_by("platform_post_id")
    assert (one.title, one.metrics, one.last_seen_at, one.deleted_at) == (
        "改过的标题",
        {"reads": 3},  # not among the fields to update
        now,
        None,
    )
    assert (two.published_at, two.deleted_at, two.text, two.is_html) == (
        now,
        now,
        "正文‘引号’",
        False,
    )


def test_update_from_rows_takes_nulls_and_the_extra_condition(world):
    a = register(world.tian, "weibo", "bulk_a")
    b = register(world.tian, "weibo", "bulk_b")
    now = timezone.now()
    for account, holder in ((a, "w1"), (b, "w2")):
        PullState.objects.create(
            account=account, next_due_at=now, claimed_by=holder, last_post_at=now
        )
    later = now + timedelta(hours=2)
    updated = bulksql.update_from_rows(
        PullState,
        {"acc": "account", "due": "next_due_at", "post": "last_post_at", "n": "posts_90"},
        [(a.pk, later, None, 7), (b.pk, later, None, 8)],
        key="account",
        assignments={"next_due_at": "v.due", "last_post_at": "v.post", "posts_90": "v.n + 1"},
        where="claimed_by = %s",
        where_params=["w1"],
    )
    assert updated == 1
    state_a, state_b = PullState.objects.get(account=a), PullState.objects.get(account=b)
    assert (state_a.next_due_at, state_a.last_post_at, state_a.posts_90) == (later, None, 8)
    assert (state_b.next_due_at, state_b.last_post_at) == (now, now)
