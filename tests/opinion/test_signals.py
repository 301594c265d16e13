"""Signals in: subscriptions evaluated on pulled posts as they arrive (once per subscription and
content, within the subscription unit's subtree), clustered into case candidates."""

from datetime import timedelta

from govmedia.opinion.models import CaseState, OpinionCase, OpinionItem, Sentiment, SignalKind
from govmedia.opinion.services.signals import IncomingText, signals_from_texts

from .conftest import NOW, case_of, ingest, post, subscribe


def test_a_pulled_post_matching_a_subscription_becomes_a_signal_and_a_case(
    accounts, django_capture_on_commit_callbacks
):
    w = accounts
    sub = subscribe(w.tian, "(停水 OR 停电) NOT 演练", user=w.tian_unit_admin)
    hit = post(w.tian_weibo, "天中街道幸福小区停水两天了，没人管，太失望了")
    miss = post(w.tian_weibo, "明天上午停水演练，请大家知悉")
    with django_capture_on_commit_callbacks(execute=True):
        ingest([hit, miss])
    [item] = OpinionItem.objects.all()
    assert (
        item.post_id == hit.pk and item.subscription == sub and item.kind == SignalKind.POST_MATCH
    )
    assert item.matched_rule.endswith("(停水 OR 停电) NOT 演练") and item.url == hit.url
    assert item.sentiment == Sentiment.NEGATIVE and "没人管" in item.sentiment_words
    case = case_of(item)
    assert case.state == CaseState.WARNING and case.org == w.tian and case.signal_count == 1
    # The same post ingested again (edited on the platform) is not a second signal.
    with django_capture_on_commit_callbacks(execute=True):
        ingest([hit])
    assert OpinionItem.objects.count() == 1


def test_a_rolled_back_pull_stores_nothing(accounts, django_capture_on_commit_callbacks):
    from django.db import transaction

    from govmedia.monitoring.events import POSTS_INGESTED

    w = accounts
    subscribe(w.tian, "停水", user=w.tian_unit_admin)
    hit = post(w.tian_weibo, "停水了")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                POSTS_INGESTED.publish(post_ids=[hit.pk])
                raise RuntimeError("pull failed")
        except RuntimeError:
            pass
    assert not OpinionItem.objects.exists()


def test_a_subscription_reads_only_its_units_subtree(accounts, django_capture_on_commit_callbacks):
    w = accounts
    subscribe(w.tian, "停水", user=w.tian_unit_admin, name="天中")
    district = subscribe(w.district, "停水", user=w.alice, name="全区")
    chen_post = post(w.chen_weibo, "陈集镇停水")
    with django_capture_on_commit_callbacks(execute=True):
        ingest([chen_post])
    [item] = OpinionItem.objects.all()
    assert item.subscription == district and item.org == w.district


def test_a_subscription_reads_only_the_kinds_it_names(accounts):
    w = accounts
    subscribe(w.tian, "停水", user=w.tian_unit_admin, on_comments=False)
    texts = [
        IncomingText("comment", "comment:1", w.tian.pk, w.tian.path, "又停水了", NOW),
        IncomingText("message", "message:1", w.tian.pk, w.tian.path, "为什么停水", NOW),
    ]
    [item] = signals_from_texts(texts, now=NOW)
    assert item.kind == SignalKind.MESSAGE_MATCH and item.content_ref == "message:1"


def test_200_similar_angry_comments_make_one_case_and_another_event_stays_apart(accounts):
    w = accounts
    subscribe(w.tian, "停水 OR 噪音", user=w.tian_unit_admin)
    base = "幸福小区又停水了，{n}天了都没人管，物业电话打不通，街道也不回复，太气人了"
    texts = [
        IncomingText(
            "comment",
            f"comment:{n}",
            w.tian.pk,
            w.tian.path,
            base.format(n=n % 5 + 2) + "！" * (n % 3),
            NOW + timedelta(minutes=n),
        )
        for n in range(200)
    ]
    texts.append(
        IncomingText(
            "comment",
            "comment:other",
            w.tian.pk,
            w.tian.path,
            "建设路工地夜里两点还在施工，噪音吵得孩子睡不着",
            NOW + timedelta(hours=3),
        )
    )
    items = signals_from_texts(texts, now=NOW)
    assert len(items) == 201
    cases = OpinionCase.objects.order_by("pk")
    assert cases.count() == 2
    water, noise = cases
    assert water.signal_count == 200 and water.negative_count == 200
    assert noise.signal_count == 1
    # A later batch about the same 停水 joins the open case instead of alerting again.
    [late] = signals_from_texts(
        [
            IncomingText(
                "comment",
                "comment:late",
                w.tian.pk,
                w.tian.path,
                base.format(n=9),
                NOW + timedelta(hours=5),
            )
        ],
        now=NOW + timedelta(hours=5),
    )
    assert late.case_id == water.pk
    assert OpinionCase.objects.count() == 2
    # One alert per case, not per signal.
    from govmedia.notifications.models import Notification, NotificationKind

    assert Notification.objects.filter(kind=NotificationKind.OPINION_ALERT).count() == 2


def test_the_same_words_outside_the_window_are_a_new_event(accounts, settings):
    w = accounts
    settings.OPINION_CLUSTER_WINDOW_HOURS = 72
    subscribe(w.tian, "停水", user=w.tian_unit_admin)
    text = "幸福小区又停水了，三天了都没人管"
    [first] = signals_from_texts(
        [IncomingText("post", "post:a", w.tian.pk, w.tian.path, text, NOW)], now=NOW
    )
    later = NOW + timedelta(days=10)
    [second] = signals_from_texts(
        [IncomingText("post", "post:b", w.tian.pk, w.tian.path, text, later)], now=later
    )
    assert first.case_id != second.case_id


def test_a_signal_bridging_two_warning_candidates_merges_them(accounts):
    from govmedia.opinion.models import CaseEvent, EventKind

    w = accounts
    subscribe(w.tian, "物业", user=w.tian_unit_admin)

    def text(ref, body, minutes):
        return IncomingText(
            "comment", ref, w.tian.pk, w.tian.path, body, NOW + timedelta(minutes=minutes)
        )

    [a] = signals_from_texts([text("c:a", "幸福小区停水三天了没人管物业电话", 0)], now=NOW)
    [b] = signals_from_texts([text("c:b", "没人管物业电话打不通街道不回复", 1)], now=NOW)
    assert a.case_id != b.case_id
    [bridge] = signals_from_texts(
        [text("c:m", "幸福小区停水三天了没人管物业电话打不通街道不回复", 2)], now=NOW
    )
    first, second = OpinionCase.objects.get(pk=a.case_id), OpinionCase.objects.get(pk=b.case_id)
    assert bridge.case_id == first.pk and second.merged_into_id == first.pk
    assert first.signal_count == 3 and set(first.items.values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
        bridge.pk,
    }
    assert CaseEvent.objects.filter(case=first, kind=EventKind.MERGE).exists()


def test_a_candidate_already_being_handled_is_not_merged(accounts):
    from govmedia.opinion.models import Level
    from govmedia.opinion.services.cases import case_assess

    w = accounts
    subscribe(w.tian, "物业", user=w.tian_unit_admin)

    def text(ref, body, minutes):
        return IncomingText(
            "comment", ref, w.tian.pk, w.tian.path, body, NOW + timedelta(minutes=minutes)
        )

    [a] = signals_from_texts([text("c:a", "幸福小区停水三天了没人管物业电话", 0)], now=NOW)
    [b] = signals_from_texts([text("c:b", "没人管物业电话打不通街道不回复", 1)], now=NOW)
    handled = OpinionCase.objects.get(pk=b.case_id)
    case_assess(
        actor=w.tian_unit_admin,
        case_id=handled.pk,
        version=handled.version,
        level=Level.LARGE,
        reason="x",
    )
    signals_from_texts(
        [text("c:m", "幸福小区停水三天了没人管物业电话打不通街道不回复", 2)], now=NOW
    )
    handled.refresh_from_db()
    assert handled.merged_into_id is None and handled.state == CaseState.ASSESSED
