"""审核流程 pages: the unit's flows, a flow with ordered steps, service errors on the steps,
停用 once; the platform administrator's 区级必经环节."""

import pytest
from django.urls import reverse

from govmedia.publishing.models import ReviewFlow
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"publishing:{name}", args=args)


def step_row(i, stage, users=(), *, limit=4, unit="hours", mode="any", org=None, role=""):
    p = f"step{i}_"
    return {
        p + "stage": stage,
        p + "mode": mode,
        p + "limit_value": limit,
        p + "limit_unit": unit,
        p + "reviewer_org": org.pk if org else "",
        p + "reviewer_role": role,
        p + "reviewer_users": [u.pk for u in users],
    }


def test_flow_list_for_unit_admin_only(newsroom):
    n = newsroom
    page = logged_in_client(n.tian_unit_admin).get(url("flows")).content.decode()
    assert "天中街道稿件审核" in page and "陈集镇稿件审核" not in page
    assert "天中终审" in page  # the named reviewer of 终审
    assert logged_in_client(n.tian_editor).get(url("flows")).status_code == 404
    assert logged_in_client(n.tian_reviewer).get(url("flows")).status_code == 404


def test_platform_admin_sees_every_unit_and_the_district_flow(newsroom):
    page = logged_in_client(newsroom.alice).get(url("flows")).content.decode()
    assert "天中街道稿件审核" in page and "陈集镇稿件审核" in page and "区级必经环节" in page


def test_create_a_flow_for_an_account(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_unit_admin)
    assert client.get(url("flow_new")).status_code == 200
    data = {"name": "天中微博审核", "org": n.tian.pk, "account": n.weibo.pk, "content_class": ""}
    data |= step_row(0, "first", [n.tian_reviewer]) | step_row(1, "final", [n.tian_leader])
    answer = client.post(url("flow_new"), data)
    assert answer.status_code == 302
    flow = ReviewFlow.objects.get(name="天中微博审核")
    assert flow.account == n.weibo
    assert [s.stage for s in flow.steps.order_by("position")] == ["first", "final"]


def test_a_step_nobody_may_act_on_is_refused_on_the_steps(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_unit_admin)
    data = {"name": "无人审核", "org": n.tian.pk, "content_class": "daily"}
    data |= step_row(0, "first", org=n.tian_office, role="reviewer")
    answer = client.post(url("flow_new"), data)
    assert answer.status_code == 400
    assert "没有可用的审核人" in answer.content.decode()
    assert not ReviewFlow.objects.filter(name="无人审核").exists()


def test_a_flow_with_no_steps_is_refused(newsroom):
    n = newsroom
    answer = logged_in_client(n.tian_unit_admin).post(
        url("flow_new"), {"name": "空流程", "org": n.tian.pk, "content_class": "emergency"}
    )
    assert answer.status_code == 400 and "至少需要一个审核环节" in answer.content.decode()


def test_duplicate_scope_is_shown_on_the_field(newsroom):
    n = newsroom
    data = {"name": "第二个默认流程", "org": n.tian.pk, "content_class": ""}
    data |= step_row(0, "first", [n.tian_reviewer])
    answer = logged_in_client(n.tian_unit_admin).post(url("flow_new"), data)
    assert answer.status_code == 400
    assert answer.context["form"].errors["content_class"]


def test_edit_steps_and_stale_version_refused(newsroom):
    n = newsroom
    flow = n.flow
    client = logged_in_client(n.tian_unit_admin)
    page = client.get(url("flow_edit", flow.pk)).content.decode()
    assert "天中街道稿件审核" in page
    data = {"name": "天中街道稿件审核（三审）", "version": flow.version}
    data |= step_row(0, "first", [n.tian_reviewer]) | step_row(1, "second", [n.tian_unit_admin])
    data |= step_row(2, "final", [n.tian_leader], limit=1, unit="days")
    assert client.post(url("flow_edit", flow.pk), data).status_code == 302
    flow.refresh_from_db()
    assert flow.steps.count() == 3 and flow.version == 2
    stale = client.post(url("flow_edit", flow.pk), data)
    assert stale.status_code == 400 and flow.steps.count() == 3


def test_deactivate_once(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_unit_admin)
    data = {"version": n.flow.version}
    client.post(url("flow_deactivate", n.flow.pk), data)
    assert not ReviewFlow.objects.get(pk=n.flow.pk).is_active
    answer = client.post(url("flow_deactivate", n.flow.pk), data, follow=True)
    assert "刷新" in answer.content.decode() or "已停用" in answer.content.decode()


def test_another_township_gets_404(newsroom):
    n = newsroom
    client = logged_in_client(n.chen_unit_admin)
    assert client.get(url("flow_edit", n.flow.pk)).status_code == 404
    assert client.post(url("flow_deactivate", n.flow.pk), {"version": 1}).status_code == 404
    assert ReviewFlow.objects.get(pk=n.flow.pk).is_active


def test_district_mandatory_step_by_platform_admin(newsroom):
    n = newsroom
    from tests.conftest import make_user

    cac = make_user("cac_reviewer", n.district, "reviewer", name="区委网信办审核")
    client = logged_in_client(n.alice)
    assert "新建区级必经环节" in client.get(url("flows")).content.decode()
    data = {
        "name": "重大政策区级审核",
        "org": n.district.pk,
        "purpose": "mandatory",
        "content_class": "major_policy",
    }
    data |= step_row(0, "final", [cac], limit=1, unit="days")
    assert client.post(url("flow_new"), data).status_code == 302
    assert ReviewFlow.objects.get(purpose="mandatory").content_class == "major_policy"
    # A unit administrator has no such choice.
    page = logged_in_client(n.tian_unit_admin).get(url("flow_new")).content.decode()
    assert "区级必经环节" not in page


def test_a_flow_of_ten_steps_keeps_them_all_through_the_page(newsroom):
    """The service allows ten steps; the form offers as many rows, so editing never drops one."""
    from govmedia.publishing.services.flows import MAX_STEPS

    n = newsroom
    client = logged_in_client(n.tian_unit_admin)
    data = {"name": "十级审核", "org": n.tian.pk, "content_class": "emergency"}
    stages = ["first"] * 4 + ["second"] * 4 + ["final"] * 2
    for i, stage in enumerate(stages):
        data |= step_row(i, stage, [n.tian_reviewer if i % 2 else n.tian_leader])
    assert len(stages) == MAX_STEPS
    assert client.post(url("flow_new"), data).status_code == 302
    flow = ReviewFlow.objects.get(name="十级审核")
    form = client.get(url("flow_edit", flow.pk)).content.decode()
    assert 'name="step9_stage"' in form and 'name="step10_stage"' not in form
