"""A task reported by link (confirmed by the next pull), exempted by its issuer with a reason,
and the per-unit completion rate over a period."""

from datetime import date, timedelta

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import Outcome, TaskState
from govmedia.coordination.selectors import completion_rates
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.notifications.models import Notification
from tests.coordination.helpers import UNRELATED, fresh, issue, repost, task_of
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db
LINK = "https://mp.weixin.qq.com/s/tianzhong-repost-1"


def report(task, actor, url=LINK):
    task = fresh(task)
    return services.repost_task_report(actor=actor, task_id=task.pk, version=task.version, url=url)


def test_a_reported_link_is_confirmed_by_the_next_pull(matrix):
    m = matrix
    task = task_of(issue(m), m.wechat)
    task = report(task, m.tian_editor)
    assert task.state == TaskState.CLAIMED and task.reported_by == m.tian_editor
    # The pull brings the post at that link (http, trailing slash: the same link).
    post = repost(m.wechat, url="http://mp.weixin.qq.com/s/tianzhong-repost-1/")
    detect_reposts([post.pk])
    task = fresh(task)
    assert task.state == TaskState.COMPLETED and task.post == post
    assert task.completed_via == "reported" and task.score >= 70


def test_a_reported_link_already_pulled_completes_at_once(matrix):
    m = matrix
    task = task_of(issue(m), m.wechat)
    post = repost(m.wechat, url=LINK)
    task = report(task, m.tian_unit_admin)
    assert task.state == TaskState.COMPLETED and task.post == post


def test_a_reported_link_to_something_else_stays_unconfirmed_with_why(matrix):
    m = matrix
    task = task_of(issue(m), m.wechat)
    report(task, m.tian_editor)
    post = repost(m.wechat, UNRELATED, url=LINK)
    detect_reposts([post.pk])
    task = fresh(task)
    assert task.state == TaskState.CLAIMED
    assert task.match_reason.startswith("报送链接的内容与原文不一致")


def test_reporting_refuses_a_bad_link_another_unit_and_oversight(matrix):
    m = matrix
    task = task_of(issue(m), m.wechat)
    with pytest.raises(ServiceError, match="转载链接应为") as error:
        report(task, m.tian_editor, url="javascript:alert(1)")
    assert error.value.field == "url"
    for user in (m.chen_editor, m.chen_unit_admin):
        with pytest.raises(NotFound):
            report(task, user)
    with pytest.raises(NotFound):  # 监督 reads, but 报送 is no act of theirs
        report(task, m.oversight)
    with pytest.raises(NotFound):
        report(task, m.tian_reviewer)
    assert fresh(task).state == TaskState.OPEN


def test_the_issuer_exempts_with_a_reason(matrix):
    m = matrix
    campaign = issue(m)
    task = task_of(campaign, m.chen_wechat)
    with pytest.raises(ServiceError, match="请填写豁免理由"):
        services.repost_task_exempt(
            actor=m.alice, task_id=task.pk, version=task.version, reason=" "
        )
    for user in (m.chen_unit_admin, m.tian_unit_admin, m.oversight):
        with pytest.raises((NotFound, Forbidden)):
            services.repost_task_exempt(
                actor=user, task_id=task.pk, version=task.version, reason="无需转载"
            )
    task = services.repost_task_exempt(
        actor=m.alice,
        task_id=task.pk,
        version=task.version,
        reason="该账号定位为执法公示，不转载政策类信息",
    )
    assert task.state == TaskState.EXEMPTED and task.outcome == Outcome.EXEMPTED
    assert (
        Notification.objects.filter(
            kind="repost_exempted", recipient_user=m.chen_unit_admin
        ).count()
        == 1
    )
    with pytest.raises(Conflict):
        services.repost_task_exempt(
            actor=m.alice, task_id=task.pk, version=task.version, reason="再次"
        )
    # An exempted task is not completed by a later repost.
    detect_reposts([repost(m.chen_wechat).pk])
    assert fresh(task).state == TaskState.EXEMPTED
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(task.pk), object_type="coordination.reposttask"
        ).values_list("action", flat=True)
    )
    assert actions == ["repost_task.exempt"]


def test_a_stale_version_is_refused(matrix):
    m = matrix
    task = task_of(issue(m), m.wechat)
    report(task, m.tian_editor)
    with pytest.raises(Conflict, match="已被他人修改"):
        services.repost_task_report(
            actor=m.tian_editor, task_id=task.pk, version=task.version, url=LINK
        )


def test_completion_rate_per_unit_over_a_period(matrix):
    m = matrix
    on_time = issue(m, rule={"org_ids": [m.tian.pk, m.chen.pk], "platforms": ["wechat-mp"]})
    detect_reposts([repost(m.wechat).pk])  # 天中: on time; 陈集: missing
    second = issue(m, source=None, value=1)
    late = repost(m.chen_wechat, at=NOW + timedelta(days=2))
    detect_reposts([late.pk])  # 陈集: late (the first task was taken by… no: one post, one task)
    services.repost_task_exempt(
        actor=m.alice, task_id=task_of(second, m.wechat).pk, version=1, reason="天中已转载同题内容"
    )
    rates = {
        r.org_name: r
        for r in completion_rates(
            m.alice, start=date(2026, 11, 1), end=date(2026, 11, 30), now=NOW + timedelta(days=3)
        )
    }
    tian, chen = rates["天中街道"], rates["陈集镇"]
    assert (tian.total, tian.on_time, tian.exempted, tian.rate) == (2, 1, 1, 1.0)
    assert chen.total == 2 and chen.late == 1 and chen.missing == 1 and chen.rate == 0.5
    assert on_time.pk != second.pk
    # A unit administrator sees its own unit's figure only.
    own = completion_rates(m.tian_unit_admin, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [r.org_name for r in own] == ["天中街道"]
    with pytest.raises(ServiceError):
        completion_rates(m.alice, start=date(2026, 11, 30), end=date(2026, 11, 1))
