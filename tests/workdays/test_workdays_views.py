from datetime import date

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.workdays import services
from govmedia.workdays.models import CalendarDay, PublishedYear
from tests.conftest import logged_in_client

from .conftest import NOTICE

YEAR_URL = "/calendar/"


def page(client, **params):
    response = client.get(YEAR_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_provisional_year_page_for_a_reader(world):
    services.calendar_day_set(
        actor=world.alice, day=date(2027, 2, 9), is_workday=False, name="春节", source_notice=NOTICE
    )
    html = page(logged_in_client(world.tian_editor), year="2027")
    assert "2027 年工作日历" in html
    assert "临时推算（依据《全国年节及纪念日放假办法》）" in html
    assert "临时推算所依据的法定节假日" in html and "2027-02-05" in html and "国庆节" in html
    assert NOTICE in html and "2027-02-09" in html  # the override and its source
    assert html.count('class="wd-month"') == 12
    assert 'title="2027-02-09 星期二 · 节假日 · 春节 · 管理员调整' in html
    # Read-only: no links to the edit pages, no publish form.
    assert "/calendar/days/new/" not in html and "/publish/" not in html


def test_official_year_page_colours_holidays_and_make_up_days(world):
    html = page(logged_in_client(world.chen_reviewer), year="2026")
    assert "官方已发布" in html and "临时推算所依据" not in html
    assert 'class="d-holiday" title="2026-02-16 星期一 · 节假日 · 春节"' in html
    assert 'class="d-makeup" title="2026-02-14 星期六 · 调休上班 · 春节调休上班"' in html
    assert 'class="d-rest" title="2026-03-07 星期六 · 休息日"' in html
    assert "2026 年暂无调整" in html  # the empty state


def test_admin_sees_edit_links_and_publish_action(world):
    html = page(logged_in_client(world.alice), year="2027")
    assert 'href="/calendar/days/2027-01-04/"' in html
    assert "/calendar/2027/publish/" in html


def test_bad_year_parameter_falls_back_with_a_message(world):
    html = page(logged_in_client(world.tian_editor), year="abc")
    assert "年份应为四位数字" in html
    html = page(logged_in_client(world.tian_editor), year="2150")
    assert "超出支持范围" in html and "2099 年工作日历" in html


def test_deadline_calculator(world):
    client = logged_in_client(world.tian_editor)
    html = page(client, year="2026", start="2026-12-28", days="7")
    assert "<strong>2027-01-07</strong>（星期四）" in html and "临时</span>" in html
    html = page(client, start="2026-02-13", days="3")
    assert "<strong>2026-02-25</strong>（星期三）" in html and "确定</span>" in html
    html = page(client, start="2026-02-30", days="0")
    assert "实际存在的日期" in html


def test_admin_adds_edits_and_deletes_an_override_through_the_pages(world):
    client = logged_in_client(world.alice)
    response = client.get("/calendar/days/new/", {"date": "2027-01-02"})
    assert response["Location"] == "/calendar/days/2027-01-02/"
    form = client.get("/calendar/days/2027-01-02/").content.decode()
    assert 'value="2027-01-02"' in form and 'value="调休上班"' in form
    assert client.get("/calendar/days/2027-02-30/").status_code == 404
    response = client.post(
        "/calendar/days/new/",
        {"day": "2027-01-04", "is_workday": "0", "name": "元旦", "source_notice": NOTICE},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2027"
    row = CalendarDay.objects.get(date=date(2027, 1, 4))
    assert row.is_workday is False and row.created_by == world.alice

    # The date's page now edits that override.
    assert "修改日历调整：2027-01-04" in client.get("/calendar/days/2027-01-04/").content.decode()
    response = client.post(
        "/calendar/days/2027-01-04/",
        {"day": "2030-01-01", "is_workday": "0", "name": "元旦假期", "source_notice": NOTICE},
    )
    row.refresh_from_db()
    assert response.status_code == 302 and row.name == "元旦假期"
    assert row.date == date(2027, 1, 4)  # the date field is not editable

    response = client.post("/calendar/days/2027-01-04/delete/")
    assert response.status_code == 302 and not CalendarDay.objects.exists()


def test_service_errors_show_on_the_form(world):
    client = logged_in_client(world.alice)
    html = client.post(
        "/calendar/days/new/",
        {"day": "2027-01-09", "is_workday": "0", "name": "周末", "source_notice": NOTICE},
    ).content.decode()
    assert "已是休息日" in html and not CalendarDay.objects.exists()
    html = client.post(
        "/calendar/days/new/",
        {"day": "2027-02-30", "is_workday": "0", "name": "x", "source_notice": NOTICE},
    ).content.decode()
    assert "有效的日期" in html


def test_admin_publishes_and_unpublishes_a_year(world):
    client = logged_in_client(world.alice)
    html = client.get("/calendar/2027/publish/").content.decode()
    assert "尚未录入任何调整" in html
    html = client.post("/calendar/2027/publish/", {"source_notice": ""}).content.decode()
    assert not PublishedYear.objects.exists() and "field has-error" in html
    response = client.post("/calendar/2027/publish/", {"source_notice": NOTICE})
    assert response.status_code == 302 and PublishedYear.objects.filter(year=2027).exists()
    html = page(client, year="2027")
    assert "官方已发布" in html and "临时推算所依据" not in html and "撤销发布声明" in html
    response = client.post("/calendar/2027/unpublish/")
    assert response.status_code == 302 and not PublishedYear.objects.exists()


@pytest.mark.parametrize("user", ["tian_unit_admin", "tian_editor", "oversight"])
def test_others_cannot_reach_the_edit_pages(world, user):
    services.calendar_day_set(
        actor=world.alice, day=date(2027, 1, 4), is_workday=False, name="元旦", source_notice=NOTICE
    )
    client = logged_in_client(getattr(world, user))
    events = AuditEvent.objects.count()
    attempts = [
        ("get", "/calendar/days/new/", {}),
        (
            "post",
            "/calendar/days/new/",
            {"day": "2027-01-05", "is_workday": "0", "name": "x", "source_notice": NOTICE},
        ),
        (
            "post",
            "/calendar/days/2027-01-04/",
            {"day": "2027-01-04", "is_workday": "0", "name": "改", "source_notice": NOTICE},
        ),
        ("get", "/calendar/days/2027-01-04/", {}),
        ("post", "/calendar/days/2027-01-04/delete/", {}),
        ("post", "/calendar/2027/publish/", {"source_notice": NOTICE}),
        ("post", "/calendar/2027/unpublish/", {}),
    ]
    for method, url, data in attempts:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert list(CalendarDay.objects.values_list("date", "name")) == [(date(2027, 1, 4), "元旦")]
    assert not PublishedYear.objects.exists() and AuditEvent.objects.count() == events


def test_navigation_leads_to_the_calendar(world):
    html = logged_in_client(world.tian_editor).get("/").content.decode()
    assert 'href="/calendar/"' in html


def test_anonymous_users_are_sent_to_login(db):
    from django.test import Client

    response = Client().get(YEAR_URL)
    assert response.status_code == 302 and "login" in response["Location"]
