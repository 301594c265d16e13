"""Targets chosen by rule, previewed with their count, then frozen: a unit added after the task
was issued is not silently added; accounts of an abolished unit, cancelled or suspended
accounts and the source's own account are left out with the reason recorded."""

from datetime import timedelta

import pytest

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import RepostTask
from govmedia.coordination.selectors import preview_targets
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.orgs.models import OrgType
from tests.conftest import make_org
from tests.coordination.helpers import REPOST, issue, repost, source_post
from tests.monitoring.conftest import register
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db


def names(accounts):
    return sorted(a.name for a in accounts)


def test_the_preview_counts_the_accounts_the_rule_chooses_and_why_others_are_left_out(matrix):
    m = matrix
    source = source_post(m)
    preview = preview_targets(
        m.alice, {"platforms": ["wechat-mp"]}, source_account_id=source.account_id
    )
    assert names(preview.included) == ["天中发布", "陈集发布"] and preview.count == 2
    reasons = {row["name"]: row["reason"] for row in preview.excluded}
    assert reasons == {
        "定陶发布": "来源账号本身",
        "城关发布": "主办单位“原城关办事处”已撤销（2026-06-30）",
    }


def test_rules_combine_platform_org_type_units_and_named_accounts(matrix):
    m = matrix
    dept_weibo = register(m.dept, "weibo", "wsj_weibo", name="定陶卫健")
    rule = {"platforms": ["weibo"], "org_types": [OrgType.TOWNSHIP]}
    assert names(preview_targets(m.alice, rule).included) == ["天中微博"]
    rule = {"org_ids": [m.tian.pk]}
    assert names(preview_targets(m.alice, rule).included) == ["天中发布", "天中微博", "天中抖音"]
    rule = {"org_ids": [m.tian.pk], "platforms": ["douyin"], "account_ids": [dept_weibo.pk]}
    assert names(preview_targets(m.alice, rule).included) == ["天中抖音", "定陶卫健"]
    with pytest.raises(ServiceError, match="请至少选择一项目标条件"):
        preview_targets(m.alice, {})


def test_a_unit_added_after_the_task_was_issued_is_not_silently_added(matrix):
    m = matrix
    campaign = issue(m)
    assert campaign.target_count == 2
    newcomer = make_org("新设街道", OrgType.TOWNSHIP, m.district)
    new_wechat = register(newcomer, "wechat-mp", "xs_wechat", name="新设发布")
    # Its account matches the rule now, and reposts the source: still no task of the campaign.
    post = repost(new_wechat, at=NOW + timedelta(hours=1))
    detect_reposts([post.pk])
    assert sorted(
        RepostTask.objects.filter(campaign=campaign).values_list("account__name", flat=True)
    ) == ["天中发布", "陈集发布"]
    assert not RepostTask.objects.filter(account=new_wechat).exists()
    assert "新设发布" in names(preview_targets(m.alice, campaign.rule).included)  # a new task would


def test_an_abolished_units_account_is_excluded_with_the_reason(matrix):
    m = matrix
    campaign = issue(m)
    assert not RepostTask.objects.filter(account=m.abolished_wechat).exists()
    excluded = {row["account_id"]: row["reason"] for row in campaign.excluded}
    assert excluded[m.abolished_wechat.pk] == "主办单位“原城关办事处”已撤销（2026-06-30）"
    assert excluded[m.district_wechat.pk] == "来源账号本身"


def test_cancelled_and_suspended_accounts_are_excluded(matrix):
    m = matrix
    m.weibo.status = "suspended"
    m.weibo.save()
    m.douyin.status = "cancelled"
    m.douyin.save()
    preview = preview_targets(m.alice, {"org_ids": [m.tian.pk]})
    assert names(preview.included) == ["天中发布"]
    assert {r["name"]: r["reason"] for r in preview.excluded} == {
        "天中微博": "账号已关停",
        "天中抖音": "账号已注销",
    }


def test_what_was_previewed_is_what_is_issued(matrix):
    m = matrix
    source = source_post(m)
    register(m.chen, "wechat-mp", "cj_wechat2", name="陈集服务")  # after the preview showed 2
    with pytest.raises(Conflict, match="目标账号已变化"):
        issue(m, source=source, expected_count=2)
    assert issue(m, source=source, expected_count=3).target_count == 3


def test_a_unit_issues_to_its_own_subtree_only(matrix):
    m = matrix
    source = repost(m.wechat, REPOST, at=NOW - timedelta(hours=1))
    campaign = issue(
        m, actor=m.tian_unit_admin, source=source, rule={"platforms": ["weibo", "douyin"]}
    )
    assert names(t.account for t in campaign.tasks.all()) == ["天中微博", "天中抖音"]
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        issue(m, actor=m.tian_unit_admin, source=source, rule={"org_ids": [m.chen.pk]})
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        issue(m, actor=m.tian_unit_admin, source=source, rule={"account_ids": [m.chen_wechat.pk]})


def test_only_issuers_issue_and_only_visible_sources(matrix):
    from govmedia.core.errors import NotFound

    m = matrix
    source = source_post(m)
    for user in (m.oversight, m.tian_editor, m.tian_reviewer):
        with pytest.raises(Forbidden):
            issue(m, actor=user, source=source)
    chen_post = repost(m.chen_wechat, at=NOW - timedelta(hours=1))
    with pytest.raises(NotFound):
        issue(m, actor=m.tian_unit_admin, source=chen_post, rule={"platforms": ["weibo"]})


def test_deadline_in_working_days_and_hours(matrix):
    m = matrix
    friday = NOW + timedelta(days=3)  # Friday 27 November, 10:00
    campaign = issue(m, value=1, unit="days", now=friday)
    assert campaign.due_at == (friday + timedelta(days=3)).replace(hour=18)  # Monday 18:00
    assert campaign.remind_at == (friday + timedelta(days=3)).replace(hour=14)
    campaign = issue(m, value=2, unit="hours", now=friday.replace(hour=17))
    assert campaign.due_at == (friday + timedelta(days=3)).replace(hour=9, minute=30)
    # One working hour before the deadline: Friday's close of business.
    assert campaign.remind_at == friday.replace(hour=18)
    with pytest.raises(ServiceError, match="转载时限应在"):
        issue(m, value=0)
