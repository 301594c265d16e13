"""Review flows as data: validation when saved, the flow in force for an article, the district's
mandatory step, and runs that keep the steps they started with."""

import pytest

from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.publishing import services
from govmedia.publishing.models import ReviewFlow, StepState
from govmedia.publishing.services.flows import resolve_flow
from tests.conftest import make_user
from tests.publishing.helpers import active_step, decide, fresh, step_spec, submit, write

pytestmark = pytest.mark.django_db


def flow(n, *, actor=None, org=None, steps=None, **extra):
    return services.review_flow_create(
        actor=actor or n.tian_unit_admin,
        org_id=(org or n.tian).pk,
        name=extra.pop("name", "流程"),
        steps=steps if steps is not None else [step_spec("first", [n.tian_reviewer])],
        **extra,
    )


def test_a_flow_without_an_eligible_reviewer_for_a_step_is_refused_naming_the_step(newsroom):
    newsroom.tian_leader.is_active = False
    newsroom.tian_leader.save()
    steps = [
        step_spec("first", [newsroom.tian_reviewer]),
        {**step_spec("final", [newsroom.tian_leader]), "name": "分管领导终审"},
    ]
    with pytest.raises(ServiceError) as error:
        flow(newsroom, steps=steps, content_class="major_policy")
    assert error.value.field == "steps"
    assert "审核环节“分管领导终审”（第 2 个）没有可用的审核人" in error.value.message


def test_a_role_without_review_permission_gives_no_reviewer(newsroom):
    steps = [step_spec("first", [newsroom.tian_editor])]  # an editor may not review
    with pytest.raises(ServiceError, match="没有可用的审核人"):
        flow(newsroom, steps=steps, content_class="major_policy")
    # A role in a unit with nobody holding it: no reviewer either.
    steps = [step_spec("first", org=newsroom.tian_office, role="reviewer")]
    with pytest.raises(ServiceError, match="没有可用的审核人"):
        flow(newsroom, steps=steps, content_class="major_policy")


def test_a_flow_needs_steps_in_a_unique_order(newsroom):
    with pytest.raises(ServiceError, match="至少需要一个审核环节"):
        flow(newsroom, steps=[], content_class="major_policy")
    steps = [
        {**step_spec("first", [newsroom.tian_reviewer]), "position": 1},
        {**step_spec("final", [newsroom.tian_leader]), "position": 1},
    ]
    with pytest.raises(ServiceError, match="顺序不能重复"):
        flow(newsroom, steps=steps, content_class="major_policy")


def test_limits_are_checked(newsroom):
    steps = [step_spec("first", [newsroom.tian_reviewer], limit=(0, "hours"))]
    with pytest.raises(ServiceError, match="时限应为 1 至 240"):
        flow(newsroom, steps=steps, content_class="major_policy")


def test_one_active_flow_per_scope(newsroom):
    with pytest.raises(Conflict, match="相同适用范围"):
        flow(newsroom)  # 天中 already has its unit flow


def test_a_unit_administrator_keeps_only_the_flows_of_the_unit(newsroom):
    with pytest.raises(Forbidden):
        flow(newsroom, org=newsroom.chen, steps=[step_spec("first", [newsroom.chen_reviewer])])
    with pytest.raises(ServiceError, match="只能指定本单位及下级单位的人员"):
        flow(newsroom, steps=[step_spec("first", [newsroom.chen_reviewer])], content_class="repost")


def test_most_specific_flow_wins(newsroom):
    n = newsroom
    district = flow(
        n, actor=n.alice, org=n.district, name="全区默认", steps=[step_spec("first", [n.alice])]
    )
    office_article = write(n, org_id=n.tian_office.pk, targets=[])
    assert resolve_flow(office_article)[0] == n.flow  # nearest unit above
    article = write(n)
    assert resolve_flow(article)[0] == n.flow  # the unit's own
    by_class = flow(n, name="天中日常信息", content_class="daily")
    assert resolve_flow(article)[0] == by_class
    by_account = flow(n, name="天中发布专用", account_id=n.wechat.pk)
    assert resolve_flow(article)[0] == by_account
    both = flow(n, name="天中发布日常", account_id=n.wechat.pk, content_class="daily")
    assert resolve_flow(article)[0] == both
    chen_article = write(n, actor=n.chen_editor, org_id=n.chen.pk, targets=[])
    assert resolve_flow(chen_article)[0] == n.chen_flow
    services.review_flow_deactivate(
        actor=n.chen_unit_admin, flow_id=n.chen_flow.pk, version=n.chen_flow.version
    )
    assert resolve_flow(chen_article)[0] == district  # the district default


def test_targets_needing_different_account_flows_are_refused(newsroom):
    n = newsroom
    flow(n, name="天中发布专用", account_id=n.wechat.pk)
    article = write(n, targets=[n.wechat, n.weibo])
    with pytest.raises(ServiceError) as error:
        submit(n, article)
    assert error.value.field == "targets" and "按账号分别建立稿件" in error.value.message


def test_the_district_mandatory_step_is_appended_for_major_policy(newsroom):
    n = newsroom
    cac = make_user("wangxin", n.dept, "reviewer", name="区委网信办审核")
    services.review_flow_create(
        actor=n.alice,
        org_id=n.district.pk,
        name="重大政策区级审核",
        purpose="mandatory",
        content_class="major_policy",
        steps=[{**step_spec("final", [cac]), "name": "区委网信办审核"}],
    )
    policy = write(n, content_class="major_policy")
    run = submit(n, policy)
    assert [(s.label, s.source) for s in run.steps.order_by("position")] == [
        ("初审", "unit"),
        ("终审", "unit"),
        ("区委网信办审核", "district"),
    ]
    daily = write(n, title="天中街道周末便民集市")
    assert submit(n, daily).steps.count() == 2
    # The district reviewer sees the township's article only because they review it.
    from govmedia.publishing.models import Article

    assert set(Article.objects.restrict(cac)) == {policy}
    decide(n.tian_reviewer, active_step(policy))
    decide(n.tian_leader, active_step(policy))
    assert fresh(policy).state == "in_review"
    decide(cac, active_step(policy))
    assert fresh(policy).state == "approved"


def test_only_the_district_office_sets_mandatory_steps(newsroom):
    with pytest.raises(Forbidden):
        flow(newsroom, purpose="mandatory", content_class="emergency")


def test_changing_a_flow_does_not_change_a_started_run(newsroom):
    n = newsroom
    article = write(n)
    run = submit(n, article)
    other = make_user("tian_deputy", n.tian, "reviewer")
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [other])],
    )
    assert fresh(n.flow).version == 2 and fresh(n.flow).steps.count() == 1
    steps = list(run.steps.order_by("position"))
    assert [s.stage for s in steps] == ["first", "final"]
    assert list(steps[0].reviewers.all()) == [n.tian_reviewer]
    with pytest.raises(Forbidden):
        decide(other, active_step(article))
    decide(n.tian_reviewer, active_step(article))
    decide(n.tian_leader, active_step(article))
    assert fresh(article).state == "approved"
    assert run.flow_version == 1
    # The next submission uses the flow as it is now.
    article2 = write(n, title="天中街道周末便民集市")
    assert [list(s.reviewers.all()) for s in submit(n, article2).steps.all()] == [[other]]


def test_a_deactivated_flow_stays_for_history(newsroom):
    n = newsroom
    services.review_flow_deactivate(actor=n.tian_unit_admin, flow_id=n.flow.pk, version=1)
    assert ReviewFlow.objects.filter(pk=n.flow.pk, is_active=False).exists()
    with pytest.raises(ServiceError, match="尚未设置审核流程"):
        submit(n, write(n))


def test_run_steps_snapshot_states(newsroom):
    run = submit(newsroom, write(newsroom))
    assert [s.state for s in run.steps.order_by("position")] == [
        StepState.ACTIVE,
        StepState.PENDING,
    ]
