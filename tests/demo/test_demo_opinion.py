"""The demo's 舆情处置: subscriptions, a burst of comments as one case, every stage, one overdue,
a spike of negative comments on the fake Weibo; seeding twice adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from govmedia.opinion.lifecycle import PRE_RESPONSE
from govmedia.opinion.models import (
    CaseState,
    OpinionBrief,
    OpinionCase,
    OpinionItem,
    SignalKind,
    Subscription,
)


@pytest.mark.django_db
def test_demo_opinion_has_every_stage_and_one_overdue_and_is_idempotent():
    call_command("demo_seed")
    cases = OpinionCase.objects.filter(merged_into__isnull=True)
    counts = {c.pk: c.state for c in cases}
    call_command("demo_seed")
    assert {c.pk: c.state for c in OpinionCase.objects.filter(merged_into__isnull=True)} == counts
    assert set(counts.values()) == set(CaseState.values)
    assert cases.filter(state__in=PRE_RESPONSE, due_at__lt=timezone.now()).count() >= 1
    assert cases.filter(signal_count=30).count() == 1
    assert Subscription.objects.filter(is_demo=True).count() == 3
    # The spike under 天中街道发布's post on 优化营商环境: one signal, in a case of 天中街道.
    [spike] = OpinionItem.objects.filter(kind=SignalKind.SPIKE)
    assert spike.org.name == "天中街道" and spike.case_id is not None
    assert "优化营商环境" in spike.title and "12 条" in spike.matched_rule
    [brief] = OpinionBrief.objects.filter(is_demo=True)
    assert brief.kind == "daily" and bytes(brief.pdf).startswith(b"%PDF-")
