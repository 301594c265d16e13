"""The 协同转载 pages: issuing with a preview, a task's page with report and exemption forms,
the completion matrix (filters, pagination, constant queries) and its Excel export (every
cell text), the per-unit rates; each shows only what the user's scope holds."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import Priority, RepostCampaign, TaskState
from tests.conftest import logged_in_client
from tests.coordination.helpers import UNRELATED, fresh, issue, repost, source_post, task_of
from tests.monitoring.conftest import register
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db


def issue_form(m, source, **extra):
    """The form's fields; the source is offered among the last 30 days' posts, so the tests
    give it the present as its publication time."""
    return {
        "source": f"post:{source.pk}",
        "platforms": ["wechat-mp"],
        "deadline_value": "4",
        "deadline_unit": "hours",
        "priority": "high",
        "title": "",
        "note": "请在标题前注明【转载】",
    } | extra


def test_the_district_office_previews_then_issues(matrix):
    m = matrix
    source = source_post(m, published_at=timezone.now())
    client = logged_in_client(m.alice)
    page = client.get("/coordination/new/").content.decode()
    assert "定陶区冬季清洁取暖补贴政策发布" in page  # the source is offered
    response = client.post("/coordination/new/", issue_form(m, source, preview="1"))
    page = response.content.decode()
    assert "将下达 2 个账号" in page and "天中发布" in page and "陈集发布" in page
    assert "主办单位“原城关办事处”已撤销（2026-06-30）" in page and "来源账号本身" in page
    assert not RepostCampaign.objects.exists()
    data = issue_form(m, source, issue="1", expected_count="2")
    response = client.post("/coordination/new/", data)
    campaign = RepostCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/coordination/{campaign.pk}/"
    assert campaign.target_count == 2 and campaign.note == "请在标题前注明【转载】"


def test_issuing_with_a_stale_count_asks_to_preview_again(matrix):
    m = matrix
    source = source_post(m, published_at=timezone.now())
    client = logged_in_client(m.alice)
    response = client.post(
        "/coordination/new/", issue_form(m, source, issue="1", expected_count="5")
    )
    assert "目标账号已变化" in response.content.decode()
    assert not RepostCampaign.objects.exists()


def test_a_rule_error_is_shown_on_the_form(matrix):
    m = matrix
    source = source_post(m, published_at=timezone.now())
    client = logged_in_client(m.alice)
    response = client.post("/coordination/new/", issue_form(m, source, platforms=[], preview="1"))
    assert "请至少选择一项目标条件" in response.content.decode()


def test_who_may_open_the_issue_form(matrix):
    m = matrix
    for user in (m.tian_editor, m.oversight, m.tian_reviewer):
        assert logged_in_client(user).get("/coordination/new/").status_code == 404
    assert logged_in_client(m.tian_unit_admin).get("/coordination/new/").status_code == 200


def test_the_unit_reports_and_the_issuer_exempts_on_the_task_page(matrix):
    m = matrix
    campaign = issue(m)
    tian, chen = task_of(campaign, m.wechat), task_of(campaign, m.chen_wechat)
    client = logged_in_client(m.tian_editor)
    page = client.get(f"/coordination/{campaign.pk}/").content.decode()
    assert "天中发布" in page and "陈集发布" not in page  # only its own unit's rows
    assert "转载后的链接" in page and "豁免理由" not in page
    response = client.post(
        f"/coordination/tasks/{tian.pk}/report/",
        {"version": tian.version, "url": "https://mp.weixin.qq.com/s/abc"},
    )
    assert response.status_code == 302 and fresh(tian).state == TaskState.CLAIMED
    admin = logged_in_client(m.alice)
    page = admin.get(f"/coordination/{campaign.pk}/").content.decode()
    assert "陈集发布" in page and "豁免理由" in page and "已报送待核实" in page
    admin.post(
        f"/coordination/tasks/{chen.pk}/exempt/", {"version": chen.version, "reason": "执法公示号"}
    )
    assert fresh(chen).state == TaskState.EXEMPTED
    # 天中 cannot exempt the district's task; 陈集 cannot report 天中's.
    response = client.post(f"/coordination/tasks/{tian.pk}/exempt/", {"version": 2, "reason": "x"})
    assert response.status_code == 404
    chen_client = logged_in_client(m.chen_editor)
    response = chen_client.post(
        f"/coordination/tasks/{tian.pk}/report/", {"version": 2, "url": "https://x.cn/1"}
    )
    assert response.status_code == 404


def test_the_matrix_shows_how_fast_late_missing_and_exempted(matrix):
    m = matrix
    campaign = issue(m, rule={"org_ids": [m.tian.pk, m.chen.pk]})
    detect_reposts([repost(m.wechat, at=NOW + timedelta(hours=2, minutes=15)).pk])
    detect_reposts([repost(m.weibo, at=NOW + timedelta(days=2)).pk])  # late
    douyin = task_of(campaign, m.douyin)
    services.repost_task_exempt(
        actor=m.alice, task_id=douyin.pk, version=douyin.version, reason="抖音以短视频为主"
    )
    client = logged_in_client(m.alice)
    page = client.get("/coordination/matrix/").content.decode()
    assert "按时转载" in page and "用时 2小时15分" in page
    assert "逾期转载" in page and "逾期未转载" in page and "已豁免" in page  # 陈集 missing
    page = client.get(f"/coordination/matrix/?org_id={m.chen.pk}").content.decode()
    assert "陈集发布" in page and "天中发布" not in page
    page = client.get("/coordination/matrix/?platform=weibo").content.decode()
    assert "天中微博" in page and "天中发布" not in page
    page = client.get("/coordination/matrix/?outcome=missing").content.decode()
    assert "陈集发布" in page and "天中微博" not in page
    # 天中's staff see their unit only.
    page = logged_in_client(m.tian_unit_admin).get("/coordination/matrix/").content.decode()
    assert "天中发布" in page and "陈集" not in page


def export_rows(client, query=""):
    response = client.get(f"/coordination/matrix/export.xlsx{query}")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_priority_chosen_is_kept_and_shown_on_the_task_the_list_and_the_export(matrix):
    m = matrix
    source = source_post(m, published_at=timezone.now())
    client = logged_in_client(m.alice)
    for title, priority in (("紧急转载任务", "urgent"), ("一般转载任务", "normal")):
        data = issue_form(m, source, issue="1", expected_count="2", title=title)
        client.post("/coordination/new/", data | {"priority": priority})
    urgent = RepostCampaign.objects.get(title="紧急转载任务")
    normal = RepostCampaign.objects.get(title="一般转载任务")
    assert (urgent.priority, normal.priority) == (Priority.URGENT, Priority.NORMAL)
    page = client.get(f"/coordination/{urgent.pk}/").content.decode()
    assert '紧急转载任务 <span class="tag red">紧急</span></h1>' in page
    page = client.get(f"/coordination/{normal.pk}/").content.decode()
    assert '一般转载任务 <span class="tag">一般</span></h1>' in page
    page = client.get("/coordination/").content.decode()
    assert '<td><span class="tag red">紧急</span></td>' in page and "<td>一般</td>" in page
    assert '<span class="tag amber">' not in page  # no 重要 task was issued
    # The units see it in their list too, and the export names it on each task.
    page = logged_in_client(m.chen_unit_admin).get("/coordination/").content.decode()
    assert '<td><span class="tag red">紧急</span></td>' in page
    priorities = {(row[0], row[6]): row[2] for row in export_rows(client)[1:]}
    assert priorities == {
        ("紧急转载任务", "天中发布"): "紧急",
        ("紧急转载任务", "陈集发布"): "紧急",
        ("一般转载任务", "天中发布"): "一般",
        ("一般转载任务", "陈集发布"): "一般",
    }


def test_a_detected_repost_shows_its_match_score_on_the_matrix_the_task_and_the_export(matrix):
    m = matrix
    campaign = issue(m)
    detect_reposts([repost(m.wechat, at=NOW + timedelta(hours=2)).pk])
    task = task_of(campaign, m.wechat)
    assert task.completed_via == "auto" and task.score is not None
    client = logged_in_client(m.alice)
    page = client.get("/coordination/matrix/").content.decode()
    assert f"匹配度 {task.score}</small>" in page
    assert page.count("匹配度 ") == 1  # 陈集's task, not reposted, has no score
    page = client.get(f"/coordination/{campaign.pk}/").content.decode()
    assert f"<td>{task.score}</td>" in page
    scores = {row[6]: row[11] for row in export_rows(client)[1:]}
    assert scores == {"天中发布": str(task.score), "陈集发布": None}


def test_an_exempted_task_shows_its_reason_on_the_matrix_the_task_and_the_export(matrix):
    m = matrix
    campaign = issue(m)
    chen = task_of(campaign, m.chen_wechat)
    reason = "该账号以执法公示为主，不适合转载取暖补贴政策"
    services.repost_task_exempt(actor=m.alice, task_id=chen.pk, version=chen.version, reason=reason)
    client = logged_in_client(m.alice)
    page = client.get("/coordination/matrix/").content.decode()
    # The cell shows the reason's start; the whole of it is the cell's title.
    assert f'<small class="muted" title="{reason}">{reason[:8]}' in page
    page = client.get(f"/coordination/{campaign.pk}/").content.decode()
    assert f"：{reason}</small>" in page
    rows = {row[6]: row for row in export_rows(client)[1:]}
    assert (rows["陈集发布"][8], rows["陈集发布"][14]) == ("已豁免", reason)
    assert rows["天中发布"][14] is None
    # The unit exempted sees why, on the matrix and in its export.
    chen_client = logged_in_client(m.chen_unit_admin)
    assert f'title="{reason}"' in chen_client.get("/coordination/matrix/").content.decode()
    assert [row[14] for row in export_rows(chen_client)[1:]] == [reason]


def test_the_matrix_page_costs_the_same_queries_with_more_tasks(matrix):
    m = matrix
    client = logged_in_client(m.alice)
    issue(m, rule={"org_ids": [m.tian.pk, m.chen.pk]})
    client.get("/coordination/matrix/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/coordination/matrix/").status_code == 200
    for i in range(4):
        register(m.chen, "weibo", f"cj_more{i}", name=f"陈集微博{i}")
    for _ in range(3):
        issue(m, rule={"org_ids": [m.tian.pk, m.chen.pk]})
    with CaptureQueriesContext(connection) as many:
        assert client.get("/coordination/matrix/").status_code == 200
    assert len(many) == len(few)


def test_the_export_holds_the_filtered_rows_as_text(matrix):
    m = matrix
    campaign = issue(m, title='=HYPERLINK("http://evil")')
    detect_reposts([repost(m.wechat).pk])
    detect_reposts([repost(m.chen_wechat, UNRELATED).pk])
    client = logged_in_client(m.alice)
    response = client.get("/coordination/matrix/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "转载任务" and len(rows) == 3
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value
    )
    by_account = {row[6]: row for row in rows[1:]}
    # The fixed test times lie in the past: 陈集's task, still open, is past its deadline.
    assert by_account["天中发布"][8] == "按时转载" and by_account["陈集发布"][8] == "逾期未转载"
    assert by_account["天中发布"][0] == campaign.title  # a formula stays text
    response = client.get(f"/coordination/matrix/export.xlsx?org_id={m.chen.pk}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[6] for row in rows[1:]] == ["陈集发布"]
    rows = list(
        load_workbook(
            io.BytesIO(
                logged_in_client(m.chen_unit_admin).get("/coordination/matrix/export.xlsx").content
            )
        ).active.iter_rows(values_only=True)
    )
    assert [row[6] for row in rows[1:]] == ["陈集发布"]


def test_the_list_and_the_rates(matrix):
    m = matrix
    campaign = issue(m)
    detect_reposts([repost(m.wechat).pk])
    client = logged_in_client(m.tian_unit_admin)
    page = client.get("/coordination/").content.decode()
    assert campaign.title in page and "按时 1" in page and "共 1" in page  # its own task only
    page = client.get("/coordination/rates/?start=2026-11-01&end=2026-11-30").content.decode()
    assert "天中街道" in page and "100%" in page and "陈集" not in page
    page = client.get("/coordination/rates/?start=2026-11-30&end=2026-11-01").content.decode()
    assert "结束日期不能早于开始日期" in page


def test_the_navigation_leads_to_the_page(matrix):
    page = logged_in_client(matrix.tian_editor).get("/").content.decode()
    assert 'href="/coordination/"' in page
