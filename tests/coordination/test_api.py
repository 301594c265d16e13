"""/api/v1/coordination: the same rules as the pages, in the project's JSON error format."""

from datetime import timedelta

import pytest

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import RepostCampaign
from tests.conftest import logged_in_client
from tests.coordination.helpers import fresh, issue, repost, source_post, task_of
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db
API = "/api/v1/coordination"


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_preview_then_issue(matrix):
    m = matrix
    source = source_post(m)
    client = logged_in_client(m.alice)
    rule = {"platforms": ["wechat-mp"]}
    preview = post(
        client,
        f"{API}/campaigns/preview",
        {"rule": rule, "source_kind": "post", "source_id": source.pk},
    )
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["count"] == 2
    assert {e["reason"] for e in body["excluded"]} == {
        "来源账号本身",
        "主办单位“原城关办事处”已撤销（2026-06-30）",
    }
    data = {
        "source_kind": "post",
        "source_id": source.pk,
        "rule": rule,
        "deadline_value": 2,
        "deadline_unit": "days",
        "priority": "urgent",
        "expected_count": 2,
    }
    response = post(client, f"{API}/campaigns", data)
    assert response.status_code == 201, response.content
    campaign = response.json()
    assert campaign["target_count"] == 2 and len(campaign["tasks"]) == 2
    assert campaign["counts"]["pending"] + campaign["counts"]["missing"] == 2
    response = post(client, f"{API}/campaigns", data | {"expected_count": 3})
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_errors_name_the_field_and_roles_are_kept(matrix):
    m = matrix
    source = source_post(m)
    data = {
        "source_kind": "post",
        "source_id": source.pk,
        "rule": {},
        "deadline_value": 2,
        "deadline_unit": "days",
    }
    client = logged_in_client(m.alice)
    response = post(client, f"{API}/campaigns", data)
    assert response.status_code == 400 and response.json()["field"] == "rule"
    response = post(
        client, f"{API}/campaigns", data | {"rule": {"platforms": ["weibo"]}, "deadline_value": 99}
    )
    assert response.json()["field"] == "deadline_value"
    for user in (m.oversight, m.tian_editor):
        response = post(
            logged_in_client(user), f"{API}/campaigns", data | {"rule": {"platforms": ["weibo"]}}
        )
        assert response.status_code in (403, 404) and response.json()["code"] in (
            "forbidden",
            "not_found",
        )
    response = post(
        logged_in_client(m.oversight),
        f"{API}/campaigns/preview",
        {"rule": {"platforms": ["weibo"]}},
    )
    assert response.status_code == 403
    assert not RepostCampaign.objects.exists()


def test_tasks_report_exempt_and_rates(matrix):
    m = matrix
    campaign = issue(m)
    detect_reposts([repost(m.wechat, at=NOW + timedelta(minutes=30)).pk])
    tian = logged_in_client(m.tian_unit_admin)
    rows = tian.get(f"{API}/tasks").json()
    assert rows["count"] == 1
    row = rows["items"][0]
    assert row["outcome"] == "on_time" and row["outcome_label"] == "按时转载"
    assert row["took_seconds"] == 1800 and row["score"] >= 70
    chen_task = task_of(campaign, m.chen_wechat)
    chen = logged_in_client(m.chen_editor)
    response = post(chen, f"{API}/tasks/{chen_task.pk}/report", {"version": 1, "url": "ftp://x"})
    assert response.status_code == 400 and response.json()["field"] == "url"
    response = post(
        chen,
        f"{API}/tasks/{chen_task.pk}/report",
        {"version": 1, "url": "https://mp.weixin.qq.com/s/cj"},
    )
    assert response.status_code == 200 and response.json()["state"] == "claimed"
    response = post(chen, f"{API}/tasks/{chen_task.pk}/exempt", {"version": 2, "reason": "x"})
    assert response.status_code == 404
    admin = logged_in_client(m.alice)
    response = post(
        admin, f"{API}/tasks/{chen_task.pk}/exempt", {"version": 2, "reason": "执法公示号"}
    )
    assert response.status_code == 200 and response.json()["outcome"] == "exempted"
    assert fresh(chen_task).exempt_reason == "执法公示号"
    rows = admin.get(f"{API}/tasks?org_id={m.chen.pk}").json()["items"]
    assert [r["account"]["name"] for r in rows] == ["陈集发布"]
    rates = admin.get(f"{API}/rates?start=2026-11-01&end=2026-11-30").json()
    assert {r["org_name"]: r["rate"] for r in rates} == {"天中街道": 1.0, "陈集镇": None}
    response = admin.get(f"{API}/rates?start=2026-11&end=2026-11-30")
    assert response.status_code == 400 and response.json()["field"] == "start"


def test_campaigns_list_and_detail_follow_scope(matrix):
    m = matrix
    campaign = issue(m)
    tian = logged_in_client(m.tian_editor)
    listed = tian.get(f"{API}/campaigns").json()
    assert listed["count"] == 1 and listed["items"][0]["counts"]["total"] == 1
    detail = tian.get(f"{API}/campaigns/{campaign.pk}").json()
    assert [t["account"]["name"] for t in detail["tasks"]] == ["天中发布"]
    # A unit's own campaign is not visible to the other unit.
    own = issue(
        m,
        actor=m.tian_unit_admin,
        source=repost(m.wechat, at=NOW - timedelta(hours=1)),
        rule={"platforms": ["weibo"]},
    )
    response = logged_in_client(m.chen_unit_admin).get(f"{API}/campaigns/{own.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_task_list_pages_in_the_full_lists_order(matrix):
    """The API takes a page's ids first (selectors.TaskPages): page after page, the same rows
    in the same order as the whole list sorted through its joins (newest campaign first, then
    by campaign, unit, account), filtered or not, for the district and for a unit."""
    from govmedia.coordination import selectors
    from govmedia.coordination.models import RepostTask

    m = matrix
    every = {"platforms": ["wechat-mp", "weibo", "douyin"]}
    for hours in (0, 2, 2, 1):  # two issued at the same time: by campaign id
        source = source_post(m, published_at=NOW - timedelta(hours=1))
        issue(m, source=source, rule=every, now=NOW + timedelta(hours=hours))
    detect_reposts([repost(m.weibo, at=NOW + timedelta(hours=3)).pk])
    assert RepostTask.objects.count() == 16
    for user, query in (
        (m.alice, ""),
        (m.alice, f"&org_id={m.tian.pk}"),
        (m.alice, "&outcome=on_time"),
        (m.alice, "&platform=wechat-mp"),
        (m.tian_unit_admin, ""),
    ):
        params = dict(p.split("=") for p in query.lstrip("&").split("&") if p)
        expected = list(selectors.tasks(user, params).values_list("pk", flat=True))
        client = logged_in_client(user)
        paged, offset = [], 0
        while True:
            body = client.get(f"{API}/tasks?limit=5&offset={offset}{query}").json()
            assert body["count"] == len(expected)
            if not body["items"]:
                break
            paged += [row["id"] for row in body["items"]]
            offset += 5
        assert paged == expected and expected, (user, query)
    issued = [
        RepostTask.objects.get(pk=pk).campaign.issued_at
        for pk in selectors.tasks(m.alice).values_list("pk", flat=True)
    ]
    assert issued == sorted(issued, reverse=True)
