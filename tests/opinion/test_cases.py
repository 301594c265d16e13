"""The case lifecycle: time limits in clock hours, the level rule, escalation once each, the
response through review, the closing report, assignment across the tree."""

from datetime import timedelta

import pytest
from django.utils.timezone import localtime

from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.opinion.lifecycle import CASE
from govmedia.opinion.models import CaseEvent, CaseState, EventKind, Level
from govmedia.opinion.services import cases as svc
from govmedia.opinion.tasks import sweep_opinion_deadlines
from govmedia.publishing.models import Article, ArticleState

from .conftest import NOW, reported


def fresh(case):
    case.refresh_from_db()
    return case


def test_limits_run_in_clock_hours_across_a_weekend(world, settings):
    settings.OPINION_RESPONSE_HOURS = {"ordinary": 48, "large": 24, "major": 5, "grave": 5}
    case = reported(world)  # Friday 18:00
    # 一般: 48 clock hours, so Sunday 18:00 — not Tuesday, as working hours would give.
    assert case.due_at == NOW + timedelta(hours=48)
    assert localtime(case.due_at).weekday() == 6
    svc.case_assess(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=case.version,
        level=Level.MAJOR,
        reason="涉及民生",
        now=NOW + timedelta(hours=1),
    )
    # 重大 at Friday 19:00: Saturday 00:00.
    assert fresh(case).due_at == NOW + timedelta(hours=6)
    assert localtime(fresh(case).due_at).weekday() == 5


def test_raising_the_level_shortens_the_time_left_by_the_rule(world, settings):
    settings.OPINION_RESPONSE_HOURS = {"ordinary": 48, "large": 24, "major": 5, "grave": 5}
    case = reported(world)
    svc.case_assess(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=case.version,
        level=Level.LARGE,
        reason="关注度上升",
        now=NOW,
    )
    assert fresh(case).due_at == NOW + timedelta(hours=24)
    # Raised 2 hours later to 重大: min(NOW+24h, NOW+2h+5h) = NOW+7h.
    svc.case_raise(
        actor=world.oversight,
        case_id=case.pk,
        version=fresh(case).version,
        level=Level.MAJOR,
        reason="媒体转载",
        now=NOW + timedelta(hours=2),
    )
    case = fresh(case)
    assert case.level == Level.MAJOR and case.due_at == NOW + timedelta(hours=7)
    # Raised 6 hours later to 特别重大 (5 h): min(NOW+7h, NOW+11h): it never lengthens.
    svc.case_raise(
        actor=world.alice,
        case_id=case.pk,
        version=case.version,
        level=Level.GRAVE,
        reason="人员伤亡",
        now=NOW + timedelta(hours=6),
    )
    assert fresh(case).due_at == NOW + timedelta(hours=7)
    # Only upwards.
    with pytest.raises(ServiceError, match="应高于当前等级"):
        svc.case_raise(
            actor=world.alice,
            case_id=case.pk,
            version=fresh(case).version,
            level=Level.LARGE,
            reason="x",
        )
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RAISE).count() == 2


def test_a_township_may_not_raise_another_townships_case(world):
    case = reported(world, world.chen)
    with pytest.raises(Exception) as caught:
        svc.case_raise(
            actor=world.tian_unit_admin,
            case_id=case.pk,
            version=case.version,
            level=Level.MAJOR,
            reason="x",
        )
    assert "不存在" in str(caught.value)


def test_overdue_cases_escalate_once_each_to_the_unit_the_district_office_and_oversight(
    world, settings
):
    settings.OPINION_ESCALATE_AFTER_HOURS = 2
    case = reported(world)
    due = case.due_at
    assert sweep_opinion_deadlines(now=due - timedelta(minutes=1)) == 0
    assert sweep_opinion_deadlines(now=due) == 1  # the unit
    assert sweep_opinion_deadlines(now=due + timedelta(hours=1)) == 0
    assert sweep_opinion_deadlines(now=due + timedelta(hours=2)) == 1  # the district office
    assert sweep_opinion_deadlines(now=due + timedelta(hours=4)) == 1  # 网信
    for _ in range(3):
        assert sweep_opinion_deadlines(now=due + timedelta(days=3)) == 0
    overdue = Notification.objects.filter(kind=NotificationKind.OPINION_OVERDUE)
    escalated = Notification.objects.filter(kind=NotificationKind.OPINION_ESCALATED)
    assert list(overdue.values_list("recipient_user", flat=True)) == [world.tian_unit_admin.pk]
    assert set(escalated.values_list("recipient_user", flat=True)) == {
        world.alice.pk,
        world.oversight.pk,
    }
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATE).count() == 3


def test_a_responded_case_is_not_escalated(world):
    case = _handling(world)
    svc.case_respond(
        actor=world.tian_editor,
        case_id=case.pk,
        version=case.version,
        url="https://weibo.example/r/1",
        note="区水务局官方微博发布",
    )
    assert sweep_opinion_deadlines(now=case.due_at + timedelta(days=1)) == 0


def _handling(world):
    case = reported(world)
    svc.case_assess(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=case.version,
        level=Level.ORDINARY,
        reason="一般诉求",
    )
    svc.case_assign(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=fresh(case).version,
        org_ids=[world.tian_office.pk],
        note="核实",
    )
    svc.case_act(
        actor=world.tian_editor,
        case_id=case.pk,
        version=fresh(case).version,
        note="已联系供水公司抢修",
    )
    return fresh(case)


def _article(world, state):
    from govmedia.publishing.models import ContentClass

    article = Article.objects.create(
        org=world.tian,
        title="关于幸福小区停水的情况说明",
        content_class=ContentClass.EMERGENCY,
        author=world.tian_editor,
    )
    Article.objects.filter(pk=article.pk).update(state=state)
    return article


@pytest.mark.parametrize(
    "state",
    [ArticleState.DRAFT, ArticleState.IN_REVIEW, ArticleState.RETURNED, ArticleState.REJECTED],
)
def test_a_response_cannot_be_published_without_passing_review(world, state):
    case = _handling(world)
    article = _article(world, state)
    with pytest.raises(ServiceError, match="尚未通过审核"):
        svc.case_respond(
            actor=world.tian_editor, case_id=case.pk, version=case.version, article_id=article.pk
        )
    assert fresh(case).state == CaseState.HANDLING


def test_an_approved_response_answers_the_case(world):
    case = _handling(world)
    article = _article(world, ArticleState.APPROVED)
    svc.case_respond(
        actor=world.tian_editor, case_id=case.pk, version=case.version, article_id=article.pk
    )
    case = fresh(case)
    assert (
        case.state == CaseState.RESPONDED and case.response_article == article and case.responded_at
    )


def test_a_response_by_link_needs_the_link_and_who_published_it(world):
    case = _handling(world)
    with pytest.raises(ServiceError, match="回应稿件，或填写"):
        svc.case_respond(actor=world.tian_editor, case_id=case.pk, version=case.version)
    with pytest.raises(ServiceError, match="由谁、在哪里发布"):
        svc.case_respond(
            actor=world.tian_editor,
            case_id=case.pk,
            version=case.version,
            url="https://x.example/1",
        )


def test_closing_requires_the_report_and_reopening_a_reason(world):
    case = _handling(world)
    svc.case_respond(
        actor=world.tian_editor,
        case_id=case.pk,
        version=case.version,
        url="https://weibo.example/r/1",
        note="天中微博发布",
    )
    with pytest.raises(ServiceError, match="办结须填写办结报告"):
        svc.case_close(
            actor=world.tian_unit_admin, case_id=case.pk, version=fresh(case).version, report="  "
        )
    assert fresh(case).state == CaseState.RESPONDED
    svc.case_close(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=fresh(case).version,
        report="已恢复供水，居民满意",
    )
    assert fresh(case).state == CaseState.CLOSED
    with pytest.raises(ServiceError, match="理由"):
        svc.case_reopen(
            actor=world.tian_unit_admin, case_id=case.pk, version=fresh(case).version, reason=""
        )
    svc.case_reopen(
        actor=world.tian_unit_admin, case_id=case.pk, version=fresh(case).version, reason="再次停水"
    )
    assert fresh(case).state == CaseState.HANDLING


def test_the_table_refuses_skipping_a_stage_and_a_stale_version(world):
    case = reported(world)
    with pytest.raises(Conflict, match="不能办结"):
        svc.case_close(
            actor=world.tian_unit_admin, case_id=case.pk, version=case.version, report="x"
        )
    with pytest.raises(Conflict, match="已被他人修改"):
        svc.case_assess(
            actor=world.tian_unit_admin,
            case_id=case.pk,
            version=case.version + 1,
            level=Level.LARGE,
            reason="x",
        )
    assert CASE.offered(case, world.tian_unit_admin) == ["assess", "raise"]
    assert CASE.offered(case, world.oversight) == ["raise"]


def test_a_township_assigns_within_its_subtree_and_the_district_office_anywhere(world):
    case = reported(world)
    svc.case_assess(
        actor=world.tian_unit_admin,
        case_id=case.pk,
        version=case.version,
        level=Level.LARGE,
        reason="x",
    )
    with pytest.raises(Forbidden, match="只能转办给本单位及下属单位"):
        svc.case_assign(
            actor=world.tian_unit_admin,
            case_id=case.pk,
            version=fresh(case).version,
            org_ids=[world.dept.pk],
        )
    svc.case_assign(
        actor=world.alice,
        case_id=case.pk,
        version=fresh(case).version,
        org_ids=[world.dept.pk, world.chen.pk],
        note="请卫健局、陈集镇协同",
    )
    assert fresh(case).state == CaseState.ASSIGNED
    assert Notification.objects.filter(
        kind=NotificationKind.OPINION_ASSIGNED, recipient_user=world.chen_unit_admin
    ).exists()
    # The assigned township now handles it (处置), but does not close or assess it.
    svc.case_act(
        actor=world.chen_editor,
        case_id=case.pk,
        version=fresh(case).version,
        note="陈集镇已派员核实",
    )
    offered = CASE.offered(fresh(case), world.chen_unit_admin)
    assert "act" in offered and "respond" in offered
    assert "raise" not in offered and "assign" not in offered  # the owner's and the district's


def test_oversight_comments_and_the_unit_hears_it(world):
    case = _handling(world)
    svc.case_comment(actor=world.oversight, case_id=case.pk, text="请注意回应口径")
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.COMMENT, actor=world.oversight
    ).exists()
    with pytest.raises(Forbidden):
        svc.case_act(actor=world.oversight, case_id=case.pk, version=case.version, note="x")
