"""The automatic rules at a check time, read from stored data only (reproducible later)."""

from datetime import date, timedelta

import pytest

from govmedia.assessment import rules
from govmedia.assessment.models import Outcome
from govmedia.compliance.models import ComplianceFinding
from govmedia.monitoring.models import Rectification
from govmedia.publishing.models import MatchState, PostMatch
from tests.monitoring.conftest import register

from .conftest import CHECK_AT, PERIOD_START, add_post, add_pull

pytestmark = pytest.mark.django_db


def run(code, *accounts):
    ctx = rules.Context(check_at=CHECK_AT, period_start=PERIOD_START, accounts=list(accounts))
    return rules.evaluate(code, ctx)


@pytest.fixture
def quiet(world):
    """Three accounts whose posts are older than the fixture's: last post 15 and 13 days old,
    and one whose pulls have failed since a post 15 days old."""
    w = world
    w.fifteen = register(w.tian, "wechat-mp", "d15", name="十五天")
    w.thirteen = register(w.tian, "weibo", "d13", name="十三天")
    w.failing = register(w.chen, "wechat-mp", "dfail", name="采集失败")
    for account in (w.fifteen, w.failing):
        add_post(account, days_before=15, seen_days_before=14)
    add_post(w.thirteen, days_before=13, seen_days_before=12)
    for account in (w.fifteen, w.thirteen, w.failing):
        add_pull(account, days_before=1)
    add_pull(w.failing, days_before=0.5, ok=False)
    return w


def test_last_post_15_days_old_fails_13_passes_and_a_failing_pull_is_undetermined(quiet):
    found = run(rules.NO_UPDATE, quiet.fifteen, quiet.thirteen, quiet.failing)
    assert found[quiet.fifteen.pk].outcome == Outcome.HIT
    assert "距监测时间点 15 天" in found[quiet.fifteen.pk].evidence[0]["label"]
    assert found[quiet.thirteen.pk].outcome == Outcome.PASS
    assert found[quiet.failing.pk].outcome == Outcome.UNDETERMINED


def test_an_account_never_pulled_is_undetermined_not_dormant(world):
    never = register(world.tian, "wechat-mp", "never", name="从未采集")
    assert run(rules.NO_UPDATE, never)[never.pk].outcome == Outcome.UNDETERMINED


def test_what_was_stored_after_the_check_time_does_not_count(quiet):
    # A post published 5 days before the check time, but first seen only after it.
    add_post(quiet.fifteen, days_before=5, seen_days_before=-2)
    # A pull that failed after the check time does not make it undetermined either.
    add_pull(quiet.thirteen, days_before=-1, ok=False)
    found = run(rules.NO_UPDATE, quiet.fifteen, quiet.thirteen)
    assert found[quiet.fifteen.pk].outcome == Outcome.HIT
    assert found[quiet.thirteen.pk].outcome == Outcome.PASS


def test_a_successful_pull_after_a_failure_decides_again(quiet):
    add_pull(quiet.failing, days_before=0.3, ok=True)
    assert run(rules.NO_UPDATE, quiet.failing)[quiet.failing.pk].outcome == Outcome.HIT


def test_serious_findings_on_posts_of_the_period_with_the_post_as_evidence(accounts):
    w = accounts
    inside = add_post(w.tian_wechat, days_before=20, title="严重错误的稿件")
    before_period = add_post(w.tian_wechat, days_before=200, title="期前")
    for post, severity in ((inside, "block"), (before_period, "block")):
        Rectification.objects.create(
            org=w.tian,
            account=w.tian_wechat,
            post=post,
            severity=severity,
            matched="北朝鲜",
            lexicon_version=1,
            due_on=date(2026, 12, 1),
        )
    warn = add_post(w.chen_wechat, days_before=20)
    Rectification.objects.create(
        org=w.chen,
        account=w.chen_wechat,
        post=warn,
        severity="warn",
        matched="亲自",
        lexicon_version=1,
        due_on=date(2026, 12, 1),
    )
    # Found by the screening before the check time (created_at is set on insert).
    Rectification.objects.update(created_at=CHECK_AT - timedelta(days=1))
    found = run(rules.SERIOUS_FINDINGS, w.tian_wechat, w.chen_wechat)
    hit = found[w.tian_wechat.pk]
    assert (hit.outcome, hit.occurrences) == (Outcome.HIT, 1)
    assert hit.evidence[0]["label"] == "严重错误的稿件"
    assert hit.evidence[0]["url"] == inside.url and hit.evidence[0]["matched"] == "北朝鲜"
    assert found[w.chen_wechat.pk].outcome == Outcome.PASS


def test_a_serious_finding_found_after_the_check_time_does_not_count(accounts):
    w = accounts
    post = add_post(w.tian_wechat, days_before=20)
    Rectification.objects.create(
        org=w.tian,
        account=w.tian_wechat,
        post=post,
        severity="block",
        matched="x",
        lexicon_version=1,
        due_on=date(2026, 12, 1),
    )
    Rectification.objects.update(created_at=CHECK_AT + timedelta(hours=1))
    assert run(rules.SERIOUS_FINDINGS, w.tian_wechat)[w.tian_wechat.pk].outcome == Outcome.PASS


def test_unapproved_posts_judged_by_the_check_time(accounts):
    w = accounts
    for days, judged_after in ((10, False), (11, False), (12, True)):
        post = add_post(w.tian_weibo, days_before=days, title=f"未审{days}")
        PostMatch.objects.create(
            post=post,
            account=w.tian_weibo,
            published_at=post.published_at,
            content_hash="x",
            state=MatchState.UNAPPROVED,
            matched_at=CHECK_AT + timedelta(days=1 if judged_after else -1),
        )
    found = run(rules.UNAPPROVED_POSTS, w.tian_weibo, w.chen_weibo)
    assert found[w.tian_weibo.pk].occurrences == 2
    assert found[w.chen_weibo.pk].outcome == Outcome.PASS


def test_filing_findings_open_at_the_check_time(accounts):
    w = accounts
    open_then = ComplianceFinding.objects.create(
        rule="never_filed", key="a", account=w.tian_wechat, org=w.tian, message="未备案"
    )
    resolved_before = ComplianceFinding.objects.create(
        rule="filing_overdue",
        key="b",
        account=w.chen_wechat,
        org=w.chen,
        message="逾期",
        resolved_at=CHECK_AT - timedelta(days=1),
    )
    ComplianceFinding.objects.filter(pk__in=[open_then.pk, resolved_before.pk]).update(
        first_seen_at=CHECK_AT - timedelta(days=10)
    )
    found = run(rules.UNFILED, w.tian_wechat, w.chen_wechat)
    assert found[w.tian_wechat.pk].outcome == Outcome.HIT
    assert "未备案" in found[w.tian_wechat.pk].evidence[0]["label"]
    assert found[w.chen_wechat.pk].outcome == Outcome.PASS


def test_registered_subject_differing_from_the_host_unit(accounts):
    w = accounts
    w.chen_weibo.registrant = "某某文化传媒有限公司"
    w.chen_weibo.save()
    w.chen_wechat.registrant = "陈集镇人民政府"  # the unit's full name: the same subject
    w.chen_wechat.save()
    found = run(rules.SUBJECT_MISMATCH, w.chen_weibo, w.chen_wechat)
    assert found[w.chen_weibo.pk].outcome == Outcome.HIT
    assert found[w.chen_wechat.pk].outcome == Outcome.PASS


def test_messages_received_and_none_answered_is_poor_interaction_and_overdue(world):
    from govmedia.interaction import services as interaction

    w = world
    quiet = register(w.tian, "weibo", "msgs", name="留言未答")
    silent = register(w.tian, "weibo", "none", name="无人留言")
    for days in (20, 10):  # due 3 working days later: both past it at the check time
        interaction.message_create(
            actor=w.alice,
            source="letter",
            org_id=w.tian.pk,
            account_id=quiet.pk,
            text="请问供暖什么时候开始？",
            received_at=CHECK_AT - timedelta(days=days),
        )
    poor = run(rules.INTERACTION_POOR, quiet, silent)
    assert poor[quiet.pk].outcome == Outcome.HIT
    assert "收到留言 2 条" in poor[quiet.pk].evidence[0]["label"]
    assert poor[silent.pk].outcome == Outcome.PASS  # nothing received: not judged poor
    overdue = run(rules.REPLY_OVERDUE, quiet, silent)
    assert (overdue[quiet.pk].outcome, overdue[quiet.pk].occurrences) == (Outcome.HIT, 2)
    assert overdue[silent.pk].outcome == Outcome.PASS


def test_a_service_link_found_broken_by_the_check_time_is_a_deduction(world):
    from govmedia.servicelinks.models import ServiceLink

    w = world
    account = register(w.tian, "wechat-mp", "links", name="办事入口")

    def link(name, outcome, checked_days_before):
        return ServiceLink.objects.create(
            account=account,
            kind="menu",
            name=name,
            url=f"https://service.example.test/{name}",
            last_outcome=outcome,
            last_checked_at=CHECK_AT - timedelta(days=checked_days_before),
        )

    link("社保查询", "not_found", 2)
    link("公积金", "ok", 2)
    link("不动产", "timeout", -1)  # found broken only after the check time
    found = run(rules.SERVICE_LINKS_BROKEN, account)[account.pk]
    assert (found.outcome, found.occurrences) == (Outcome.HIT, 1)
    assert "社保查询" in found.evidence[0]["label"]
