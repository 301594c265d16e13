"""Comments and messages of 留言互动 as signals: pulled comments (real HTTP against the fake
Weibo) and hand-entered messages run through the subscriptions as they are stored
(interaction's MESSAGES_STORED), once each; and spikes of negative comments under one post
against the account's baseline, with fixed times (NOW: Tuesday 24 November 2026, 10:00)."""

from datetime import timedelta

import pytest

from govmedia.interaction.models import Message
from govmedia.interaction.services import message_create
from govmedia.opinion.models import CommentTone, OpinionItem, SignalKind
from govmedia.opinion.services.signals import _active
from tests.interaction.conftest import desk  # noqa: F401 - the fixture
from tests.interaction.helpers import NOW, comment, pull
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures

from .conftest import subscribe

ANGRY = (
    "停水三天了没人管，太差了",
    "物业太差劲，投诉多次没人处理，非常不满意",
    "办事效率太低，态度恶劣",
    "垃圾，乱收费，强烈不满",
    "停水还不通知，太差了",
    "投诉没人管，非常失望",
    "态度恶劣，强烈不满",
)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    _active.key = None


@pytest.fixture
def spike_settings(settings):
    settings.OPINION_SPIKE_WINDOW_HOURS = 6
    settings.OPINION_SPIKE_FACTOR = 3
    settings.OPINION_SPIKE_MIN_COMMENTS = 5
    settings.OPINION_SPIKE_BASELINE_DAYS = 30
    return settings


def pulled(at, capture):
    with capture(execute=True):
        pull(at)


def test_a_pulled_comment_matching_a_subscription_is_a_signal_once(
    desk,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    sub = subscribe(desk.tian, "暖气 AND (不热 OR 冰凉)", user=desk.tian_unit_admin)
    subscribe(desk.tian, "暖气", user=desk.tian_unit_admin, name="只读留言", on_comments=False)
    hit = comment(desk, "小区暖气冰凉，打电话没人接", minutes=1)
    comment(desk, "请问供暖热线几点有人接？", minutes=2)
    pulled(NOW + timedelta(hours=1), django_capture_on_commit_callbacks)
    [item] = OpinionItem.objects.all()
    message = Message.objects.get(platform_comment_id=hit.comment_id)
    assert item.kind == SignalKind.COMMENT_MATCH and item.subscription == sub
    assert item.content_ref == f"message:{message.pk}" and item.org == desk.tian
    assert item.text == message.text and item.occurred_at == message.received_at
    assert item.case_id is not None
    # Pulled again (the comment is on the page again) and scanned again: still one signal.
    pulled(NOW + timedelta(hours=2), django_capture_on_commit_callbacks)
    from govmedia.opinion.intake import scan_messages

    assert scan_messages([message.pk]) == 0
    assert OpinionItem.objects.count() == 1


def test_a_hand_entered_message_is_read_by_subscriptions_on_messages(
    desk,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    subscribe(desk.tian, "暖气", user=desk.tian_unit_admin, name="评论", on_messages=False)
    on_messages = subscribe(desk.tian, '"暖气" NEAR/10 不热', user=desk.tian_unit_admin)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_create(
            actor=desk.tian_unit_admin,
            source="hotline",
            org_id=desk.tian.pk,
            text="12345转办：幸福小区暖气一直不热，请尽快处理",
            received_at=NOW,
            reference="GD20261124001",
        )
    [item] = OpinionItem.objects.all()
    assert item.kind == SignalKind.MESSAGE_MATCH and item.subscription == on_messages
    assert item.content_ref == f"message:{message.pk}"
    assert not CommentTone.objects.exists()  # a hotline message is under no post


def test_a_rolled_back_message_makes_no_signal(desk, django_capture_on_commit_callbacks):  # noqa: F811
    from django.db import transaction

    subscribe(desk.tian, "暖气", user=desk.tian_unit_admin)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                message_create(
                    actor=desk.tian_unit_admin,
                    source="private",
                    org_id=desk.tian.pk,
                    text="暖气不热",
                    received_at=NOW,
                )
                raise RuntimeError("the page failed after storing")
        except RuntimeError:
            pass
    assert not OpinionItem.objects.exists()


def history(d, *, posts=4, negative_each=1, days_ago=10):
    """Earlier posts of the account, each with a few comments, `negative_each` of them angry."""
    state = d.fakes.weibo.state
    for n in range(posts):
        at = NOW - timedelta(days=days_ago, hours=n * 5)
        earlier = state.add_post(d.weibo.handle, published_at=at, text=f"往期通知{n}")
        for k in range(negative_each):
            state.add_comment(
                earlier.post_id, ANGRY[k % len(ANGRY)], created_at=at + timedelta(minutes=k + 1)
            )
        state.add_comment(earlier.post_id, "请问几点开门", created_at=at + timedelta(minutes=30))


def burst(d, count, *, start_minutes=10, texts=ANGRY):
    for n in range(count):
        comment(d, texts[n % len(texts)] + "！" * (n // len(texts)), minutes=start_minutes + n)


def test_negative_comments_above_the_baseline_make_one_spike_per_window(
    desk,  # noqa: F811
    spike_settings,
    django_capture_on_commit_callbacks,
):
    history(desk, posts=4, negative_each=1)  # baseline: 1 negative comment per post
    pulled(NOW - timedelta(days=9), django_capture_on_commit_callbacks)
    assert CommentTone.objects.filter(negative=True).count() == 4
    assert not OpinionItem.objects.exists()
    burst(desk, 4)  # 4 > 3 × 1 but under the minimum of 5
    comment(desk, "请问供暖热线几点有人接？", minutes=20)  # neutral: not counted
    pulled(NOW + timedelta(hours=1), django_capture_on_commit_callbacks)
    assert not OpinionItem.objects.filter(kind=SignalKind.SPIKE).exists()
    burst(desk, 2, start_minutes=30)  # 6 negative within the window
    pulled(NOW + timedelta(hours=2), django_capture_on_commit_callbacks)
    [spike] = OpinionItem.objects.filter(kind=SignalKind.SPIKE)
    assert spike.occurred_at == NOW + timedelta(minutes=31)  # the comment that crossed it
    assert spike.org == desk.tian and spike.case_id is not None
    assert "6 条" in spike.matched_rule and "基线 1.0" in spike.matched_rule
    assert spike.title.startswith("负面评论突增") and "网友评论：" in spike.text
    # More within the same window: still one spike.
    burst(desk, 3, start_minutes=60)
    pulled(NOW + timedelta(hours=3), django_capture_on_commit_callbacks)
    assert OpinionItem.objects.filter(kind=SignalKind.SPIKE).count() == 1
    # A new burst once the window has passed is a new spike.
    burst(desk, 12, start_minutes=60 * 8)
    pulled(NOW + timedelta(hours=10), django_capture_on_commit_callbacks)
    assert OpinionItem.objects.filter(kind=SignalKind.SPIKE).count() == 2


def test_an_account_used_to_negative_comments_needs_more(
    desk,  # noqa: F811
    spike_settings,
    django_capture_on_commit_callbacks,
):
    history(desk, posts=3, negative_each=3)  # baseline 3: a window needs more than 9
    pulled(NOW - timedelta(days=9), django_capture_on_commit_callbacks)
    burst(desk, 9)
    pulled(NOW + timedelta(hours=1), django_capture_on_commit_callbacks)
    assert not OpinionItem.objects.filter(kind=SignalKind.SPIKE).exists()
    burst(desk, 1, start_minutes=40)
    pulled(NOW + timedelta(hours=2), django_capture_on_commit_callbacks)
    assert OpinionItem.objects.filter(kind=SignalKind.SPIKE).count() == 1


def test_the_spike_is_computed_from_stored_tones_the_same_every_time(
    desk,  # noqa: F811
    spike_settings,
    django_capture_on_commit_callbacks,
):
    from govmedia.opinion import spikes

    history(desk, posts=2, negative_each=2)
    pulled(NOW - timedelta(days=9), django_capture_on_commit_callbacks)
    burst(desk, 7)
    pulled(NOW + timedelta(hours=1), django_capture_on_commit_callbacks)
    [spike] = OpinionItem.objects.filter(kind=SignalKind.SPIKE)
    start = spike.occurred_at - spikes.window()
    assert spikes.baseline(desk.weibo.pk, before=start) == 2.0
    assert spikes.threshold(2.0) == 6.0
    # Scanning the same comments again (opinion_scan) adds neither tones nor a spike.
    from govmedia.opinion.intake import scan_messages

    tones = CommentTone.objects.count()
    assert scan_messages(Message.objects.values_list("pk", flat=True)) == 0
    assert CommentTone.objects.count() == tones
    assert OpinionItem.objects.filter(kind=SignalKind.SPIKE).count() == 1


def test_a_burst_of_200_pulled_angry_comments_is_one_case_and_one_spike(
    desk,  # noqa: F811
    spike_settings,
    django_capture_on_commit_callbacks,
):
    from govmedia.opinion.models import OpinionCase

    from .test_clustering import angry_comments

    subscribe(desk.tian, "停水", user=desk.tian_unit_admin)
    for n, text in enumerate(angry_comments(200, seed=17)):
        comment(desk, text, minutes=n // 2)
    pulled(NOW + timedelta(hours=2), django_capture_on_commit_callbacks)
    assert Message.objects.count() == 200
    matches = OpinionItem.objects.filter(kind=SignalKind.COMMENT_MATCH)
    assert matches.count() == 200
    [case_id] = set(matches.values_list("case_id", flat=True))
    assert OpinionCase.objects.get(pk=case_id).signal_count >= 200
    # Negative comments under the one post: one spike, however many pages the pull took.
    assert OpinionItem.objects.filter(kind=SignalKind.SPIKE).count() == 1


def test_the_test_box_reads_the_last_7_days_messages_of_the_scope_too(desk):  # noqa: F811
    from django.utils import timezone

    from tests.conftest import logged_in_client

    now = timezone.now()
    for org, text, days in (
        (desk.tian, "12345转办：幸福小区停水两天", 2),
        (desk.tian, "来信：十天前停水的事", 10),
        (desk.chen, "陈集镇来信：停水", 1),
    ):
        message_create(
            actor=desk.alice,
            source="letter",
            org_id=org.pk,
            text=text,
            received_at=now - timedelta(days=days),
        )
    client = logged_in_client(desk.tian_unit_admin)
    content = client.get("/opinion/subscriptions/", {"expr": "停水"}).content.decode()
    assert "命中 1 条" in content and "幸福小区停水两天" in content and "留言" in content
    assert "陈集" not in content and "十天前" not in content
