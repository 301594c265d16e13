"""The filing pages over real HTTP: the form, the transitions, stale and repeated posts, 我的待办."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.registry import deadlines, services
from govmedia.registry.models import Filing, FilingKind, FilingNumberCounter, FilingState
from tests.conftest import logged_in_client

from .filing_steps import file_account, post_data, submitted_filing

NEW_OPEN = "/registry/filings/new/?kind=open"


def detail(filing) -> str:
    return f"/registry/filings/{filing.pk}/"


def act(client, filing, action, version, **extra):
    # 准予备案 without a scan needs a reason (the scan tests give none, or a scan).
    given = {"no_scan_reason": "纸质备案表另行报送"} if action == "approve" else {}
    return client.post(
        f"{detail(filing)}act/", {"action": action, "version": version} | given | extra, follow=True
    )


# ---- the form -------------------------------------------------------------------------------


def test_a_draft_may_be_saved_incomplete(world, platforms):
    client = logged_in_client(world.tian_unit_admin)
    page = client.get(NEW_OPEN).content.decode()
    for legend in ("备案事项", "基本信息", "运维与联系", "管理队伍", "其他"):
        assert f"<legend>{legend}</legend>" in page
    response = client.post(
        NEW_OPEN,
        {
            "org": world.tian.pk,
            "event_date": "2026-11-20",
            "name": "天中发布",
            "platform": platforms["抖音"].pk,
            "intent": "save",
        },
    )
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(filing)
    assert filing.state == FilingState.DRAFT and filing.name == "天中发布"
    assert filing.handle == "" and filing.principal_mobile == "" and filing.registered_on is None
    assert filing.due_on == date(2026, 12, 1)  # 7 working days after Fri 20 Nov


def test_a_draft_needs_a_platform_and_loses_nothing(world, platforms):
    client = logged_in_client(world.tian_unit_admin)
    response = client.post(
        NEW_OPEN,
        {
            "org": world.tian.pk,
            "event_date": "2026-11-20",
            "name": "天中发布",
            "positioning": "发布政务信息",
            "intent": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "请选择运行平台" in html
    assert 'value="天中发布"' in html and "发布政务信息" in html
    assert not Filing.objects.exists()


def test_submitting_checks_every_rule_and_keeps_the_input(world, form_data):
    client = logged_in_client(world.tian_unit_admin)
    data = post_data(
        form_data,
        org=world.tian.pk,
        event_date="2026-11-20",
        intent="submit",
        principal_mobile="1380530",
        leader_in_charge_name="",
    )
    response = client.post(NEW_OPEN, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Filing.objects.exists()
    assert "主要负责人手机号：手机号应为 11 位数字" in html
    assert "请填写分管负责人" in html
    assert 'value="1380530"' in html and 'value="tianzhongfabu"' in html


def test_save_and_submit_in_one_step(world, form_data):
    client = logged_in_client(world.tian_unit_admin)
    data = post_data(form_data, org=world.tian.pk, event_date="2026-11-20", intent="submit")
    response = client.post(NEW_OPEN, data, follow=True)
    filing = Filing.objects.get()
    assert filing.state == FilingState.SUBMITTED
    assert "已提交，等待审核" in response.content.decode()
    # Submitted filings are immutable: the edit page sends the user back.
    edit = client.get(f"{detail(filing)}edit/", follow=True)
    assert "提交后不可修改" in edit.content.decode()


def test_the_event_date_cannot_be_in_the_future(world, form_data):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = logged_in_client(world.tian_unit_admin).post(
        NEW_OPEN, post_data(form_data, org=world.tian.pk, event_date=tomorrow, intent="save")
    )
    assert "不能晚于今天" in response.content.decode()
    assert not Filing.objects.exists()


def test_a_unit_may_choose_only_orgs_in_its_scope(world, form_data):
    response = logged_in_client(world.tian_unit_admin).post(
        NEW_OPEN, post_data(form_data, org=world.chen.pk, event_date="2026-11-20", intent="save")
    )
    assert response.status_code == 200 and not Filing.objects.exists()
    assert "陈集镇" not in response.content.decode()


def test_deadline_preview(world):
    client = logged_in_client(world.tian_unit_admin)
    html = client.get(
        "/registry/filings/deadline/?kind=change&event_date=2026-09-30"
    ).content.decode()
    due = deadlines.filing_deadline(FilingKind.CHANGE, date(2026, 9, 30)).date
    assert f"{due.year}年{due.month}月{due.day}日" in html and due > date(2026, 10, 8)  # 国庆
    assert (
        "不能晚于今天"
        in client.get(
            "/registry/filings/deadline/?kind=open&event_date=2099-01-01"
        ).content.decode()
    )


def test_editing_a_draft_with_a_stale_version_is_refused(world, form_data):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 11, 20),
        data=form_data,
    )
    client = logged_in_client(world.tian_unit_admin)
    stale = filing.version
    services.filing_update(
        actor=world.tian_unit_admin,
        filing_id=filing.pk,
        version=stale,
        data=form_data | {"name": "别人改的"},
    )
    response = client.post(
        f"{detail(filing)}edit/",
        post_data(form_data, name="我改的", event_date="2026-11-20", version=stale, intent="save"),
    )
    html = response.content.decode()
    assert "已被他人修改" in html and 'value="我改的"' in html
    filing.refresh_from_db()
    assert filing.name == "别人改的"


# ---- transitions ----------------------------------------------------------------------------


def test_stale_version_post_is_refused_and_changes_nothing(world, form_data):
    filing = submitted_filing(world, form_data)
    events = AuditEvent.objects.count()
    response = act(logged_in_client(world.alice), filing, "approve", filing.version - 1)
    assert "当前页面已过时，请刷新后再操作" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and AuditEvent.objects.count() == events


def test_double_post_of_approve_applies_once(world, form_data):
    filing = submitted_filing(world, form_data)
    client = logged_in_client(world.alice)
    first = act(client, filing, "approve", filing.version)
    second = act(client, filing, "approve", filing.version)
    assert "已准予备案，登记信息已更新" in first.content.decode()
    assert "当前页面已过时" in second.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.FILED and filing.filing_no == "定陶新媒备〔2026〕第001号"
    assert FilingNumberCounter.objects.get(year=2026).last == 1
    assert AuditEvent.objects.filter(action="filing.approve", object_id=str(filing.pk)).count() == 1


def test_return_needs_a_reason_then_the_unit_resubmits(world, form_data):
    filing = submitted_filing(world, form_data)
    admin = logged_in_client(world.alice)
    refused = admin.post(
        f"{detail(filing)}act/", {"action": "return", "version": filing.version, "reason": "  "}
    )
    assert refused.status_code == 400 and "请填写退回理由" in refused.content.decode()
    act(admin, filing, "return", filing.version, reason="功能定位过于笼统")
    filing.refresh_from_db()
    assert filing.state == FilingState.RETURNED

    unit = logged_in_client(world.tian_unit_admin)
    page = unit.get(detail(filing)).content.decode()
    assert "功能定位过于笼统" in page and "编辑备案表" in page
    response = unit.post(
        f"{detail(filing)}edit/",
        post_data(
            form_data,
            positioning="发布街道政务信息、便民服务与政策解读",
            event_date="2026-03-02",
            version=filing.version,
            intent="submit",
        ),
        follow=True,
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and filing.returned_reason == ""
    history = response.content.decode()
    for step in ("新建草稿", "提交", "退回", "退回理由：功能定位过于笼统", "修改"):
        assert step in history


def test_buttons_follow_role_and_state(world, form_data):
    filing = submitted_filing(world, form_data)
    assert (
        "提交备案"
        not in logged_in_client(world.tian_unit_admin).get(detail(filing)).content.decode()
    )
    admin_page = logged_in_client(world.alice).get(detail(filing)).content.decode()
    assert 'name="action" value="approve"' in admin_page
    assert 'name="action" value="return"' in admin_page
    oversight_page = logged_in_client(world.oversight).get(detail(filing)).content.decode()
    assert 'name="action"' not in oversight_page
    refused = act(logged_in_client(world.oversight), filing, "approve", filing.version)
    assert "只有区政府办公室" in refused.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED


def test_supervised_unit_and_todo_lists(world, form_data):
    world.tian_office.supervisor = world.tian
    world.tian_office.save()
    filing = submitted_filing(world, form_data, org=world.tian_office)
    draft = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 11, 20),
        data=form_data | {"handle": "other", "name": "天中草稿"},
    )

    def todo(user):
        response = logged_in_client(user).get("/registry/filings/?todo=1")
        return {row[0].pk for row in response.context["rows"]}

    assert todo(world.tian_supervisor_reviewer) == {filing.pk}
    assert todo(world.tian_unit_admin) == {draft.pk}  # submitted it, so cannot co-sign it
    assert todo(world.alice) == set()  # waits for its supervisor first
    assert todo(world.chen_supervisor_reviewer) == set()
    reviewer = logged_in_client(world.tian_supervisor_reviewer)
    page = reviewer.get(detail(filing)).content.decode()
    assert 'value="supervisor_approve"' in page
    act(reviewer, filing, "supervisor_approve", filing.version)
    assert todo(world.alice) == {filing.pk}
    assert todo(world.tian_supervisor_reviewer) == set()
    row_html = logged_in_client(world.alice).get("/registry/filings/").content.decode()
    assert "待我办理" in row_html


def test_list_filters_and_overdue_marks(world, form_data):
    old = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    fresh = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian_office,
        event_date=timezone.localdate(),
        data=form_data | {"handle": "fresh", "name": "新账号"},
    )
    Filing.objects.filter(pk=fresh.pk).update(due_provisional=True, due_on=timezone.localdate())
    client = logged_in_client(world.tian_unit_admin)

    def listed(query):
        return {row[0].pk for row in client.get(f"/registry/filings/{query}").context["rows"]}

    assert listed("") == {old.pk, fresh.pk}
    assert listed("?deadline=overdue") == {old.pk}
    assert listed("?deadline=due_soon") == {fresh.pk}
    assert listed("?org=党政办") == {fresh.pk}
    assert listed("?state=submitted") == set()
    assert listed("?kind=open&q=新账号") == {fresh.pk}
    html = client.get("/registry/filings/").content.decode()
    assert "已逾期" in html and "deadline overdue" in html and "临时推算" in html


def test_change_filing_shows_the_diff_before_and_after_filing(world, form_data):
    account = file_account(world, form_data)
    client = logged_in_client(world.tian_unit_admin)
    url = f"/registry/accounts/{account.pk}/file/?kind=change"
    form = client.get(url).content.decode()
    assert 'value="天中发布"' in form  # prefilled from the registry
    nothing = client.post(
        url, post_data(form_data, org=world.tian.pk, event_date="2026-11-20", intent="submit")
    )
    assert "没有任何变化" in nothing.content.decode()
    filing = Filing.objects.get(kind=FilingKind.CHANGE)
    assert filing.state == FilingState.DRAFT  # saved, not submitted
    client.post(
        f"{detail(filing)}edit/",
        post_data(
            form_data,
            name="天中街道发布",
            event_date="2026-11-20",
            version=filing.version,
            change_summary="账号更名",
            intent="submit",
        ),
    )
    filing.refresh_from_db()
    page = client.get(detail(filing)).content.decode()
    assert filing.state == FilingState.SUBMITTED
    assert '<td class="old">天中发布</td>' in page and '<td class="new">天中街道发布</td>' in page
    act(logged_in_client(world.alice), filing, "approve", filing.version)
    after = client.get(detail(filing)).content.decode()
    assert "登记信息（备案前）" in after and '<td class="new">天中街道发布</td>' in after
    account.refresh_from_db()
    assert account.name == "天中街道发布" and account.filing_no == "定陶新媒备〔2026〕第001号"


def test_other_township_gets_404_on_every_filing_page(world, form_data):
    filing = services.filing_create(
        actor=world.chen_unit_admin,
        kind=FilingKind.OPEN,
        org=world.chen,
        event_date=date(2026, 11, 20),
        data=form_data,
    )
    client = logged_in_client(world.tian_unit_admin)
    events = AuditEvent.objects.count()
    for url in ("", "edit/", "form.pdf", "form.docx", "scan/"):
        response = client.get(detail(filing) + url)
        assert response.status_code == 404, url
    for url in ("act/", "scan/upload/", "edit/"):
        response = client.post(
            detail(filing) + url, {"action": "submit", "version": filing.version}
        )
        assert response.status_code == 404, url
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT and AuditEvent.objects.count() == events
    assert filing.pk not in {row[0].pk for row in client.get("/registry/filings/").context["rows"]}


@pytest.mark.parametrize("user", ["tian_editor", "tian_reviewer", "oversight"])
def test_users_without_filings_change_cannot_start_one(world, user):
    response = logged_in_client(getattr(world, user)).get(NEW_OPEN)
    assert response.status_code == 404


def test_the_filing_list_reads_the_calendar_once_whatever_the_rows(world, form_data):
    """Deadline information for the whole page in one calendar read (issue 19 item 4)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client(world.alice)
    submitted_filing(world, form_data, name="甲号")
    client.get("/registry/filings/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one_row:
        assert client.get("/registry/filings/").status_code == 200
    for n in range(5):
        submitted_filing(world, form_data, name=f"乙号{n}", handle=f"yi_{n}")
    with CaptureQueriesContext(connection) as six_rows:
        page = client.get("/registry/filings/")
    assert page.content.decode().count("剩余") + page.content.decode().count("逾期") >= 6
    assert len(six_rows) == len(one_row)
