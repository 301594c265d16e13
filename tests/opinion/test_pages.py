"""The pages: the board, a case's acts, 监测方案 with its test box, the report form, the import."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.opinion.models import Attachment, CaseState, OpinionItem, Subscription
from tests.conftest import logged_in_client

from .conftest import post, reported


def test_the_board_shows_stage_level_and_time_left_and_exports(world):
    case = reported(world)
    client = logged_in_client(world.tian_unit_admin)
    page = client.get("/opinion/?state=warning")
    content = page.content.decode()
    assert page.status_code == 200 and case.title in content and "预警" in content
    assert client.get("/opinion/?state=closed").content.decode().count(case.title) == 0
    export = client.get("/opinion/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_the_case_page_offers_and_takes_the_acts(world):
    case = reported(world)
    client = logged_in_client(world.tian_unit_admin)
    page = client.get(f"/opinion/cases/{case.pk}/").content.decode()
    assert "研判" in page and "12345 转办" in page
    answer = client.post(
        f"/opinion/cases/{case.pk}/act/",
        {"action": "assess", "version": case.version, "level": "major", "reason": "涉及供水安全"},
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED and case.level == "major"
    # Stale page: refused with the reason, nothing changed.
    again = client.post(
        f"/opinion/cases/{case.pk}/act/", {"action": "close", "version": 1, "report": "x"}
    )
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    # Evidence with the action.
    client.post(
        f"/opinion/cases/{case.pk}/act/",
        {"action": "assign", "version": case.version, "org_ids": [world.tian_office.pk]},
    )
    case.refresh_from_db()
    evidence = SimpleUploadedFile("现场照片.png", b"\x89PNG fake", content_type="image/png")
    answer = client.post(
        f"/opinion/cases/{case.pk}/act/",
        {"action": "act", "version": case.version, "note": "已抢修", "files": [evidence]},
    )
    assert answer.status_code == 302
    attachment = Attachment.objects.get(event__case=case)
    assert client.get(f"/opinion/attachments/{attachment.pk}/").status_code == 200
    assert (
        logged_in_client(world.chen_unit_admin)
        .get(f"/opinion/attachments/{attachment.pk}/")
        .status_code
        == 404
    )


def test_a_malformed_expression_is_refused_naming_the_position(world):
    client = logged_in_client(world.tian_unit_admin)
    answer = client.post(
        "/opinion/subscriptions/new/",
        {"org_id": world.tian.pk, "name": "停水", "expression": "(停水 OR", "on_posts": "on"},
    )
    assert answer.status_code == 400
    assert "监测表达式有误：第" in answer.content.decode()
    assert not Subscription.objects.exists()
    ok = client.post(
        "/opinion/subscriptions/new/",
        {
            "org_id": world.tian.pk,
            "name": "停水",
            "expression": "停水 NOT 演练",
            "on_posts": "on",
            "active": "on",
        },
    )
    assert ok.status_code == 302 and Subscription.objects.get().expression == "停水 NOT 演练"


def test_the_test_box_shows_which_of_the_last_7_days_would_match(accounts):
    w = accounts
    from django.utils import timezone

    now = timezone.now()
    post(w.tian_weibo, "幸福小区停水通知", at=now - timedelta_days(2))
    post(w.tian_weibo, "十天前的停水", at=now - timedelta_days(10))
    post(w.chen_weibo, "陈集镇停水", at=now - timedelta_days(1))
    client = logged_in_client(w.tian_unit_admin)
    content = client.get("/opinion/subscriptions/", {"expr": "停水"}).content.decode()
    assert "命中 1 条" in content and "幸福小区停水通知" in content and "陈集" not in content
    bad = client.get("/opinion/subscriptions/", {"expr": "停水 AND"}).content.decode()
    assert "监测表达式有误：第" in bad


def timedelta_days(n):
    from datetime import timedelta

    return timedelta(days=n)


def test_a_manual_report_with_attachments_opens_a_case(world):
    client = logged_in_client(world.tian_editor)
    note = SimpleUploadedFile("领导批示.pdf", b"%PDF-1.4 fake", content_type="application/pdf")
    answer = client.post(
        "/opinion/report/",
        {
            "org_id": world.tian.pk,
            "title": "领导批示：幸福小区停水",
            "text": "请天中街道立即核实处置",
            "reporter": "领导批示",
            "files": [note],
            "once": "k1",
        },
    )
    assert answer.status_code == 302
    item = OpinionItem.objects.get()
    assert item.kind == "manual" and item.attachments.get().name == "领导批示.pdf"
    # The same form sent twice (double click): one report.
    client.post(
        "/opinion/report/",
        {
            "org_id": world.tian.pk,
            "title": "领导批示：幸福小区停水",
            "text": "请天中街道立即核实处置",
            "once": "k1",
        },
    )
    assert OpinionItem.objects.count() == 1
    bad = client.post(
        "/opinion/report/",
        {
            "org_id": world.tian.pk,
            "title": "x",
            "text": "y",
            "files": [SimpleUploadedFile("a.exe", b"MZ")],
        },
    )
    assert bad.status_code == 400 and "类型不允许" in bad.content.decode()


def test_the_vendor_import_page(world):
    client = logged_in_client(world.alice)
    document = json.dumps(
        {
            "items": [
                {
                    "id": "X1",
                    "text": "网传停水",
                    "published_at": "2026-11-27T08:00:00+08:00",
                    "unit": "天中街道",
                }
            ]
        }
    )
    upload = SimpleUploadedFile("export.json", document.encode(), content_type="application/json")
    answer = client.post("/opinion/import/", {"vendor": "丙公司", "file": upload})
    assert answer.status_code == 302 and OpinionItem.objects.get().vendor == "丙公司"
    assert logged_in_client(world.tian_unit_admin).get("/opinion/import/").status_code == 404
    bad = SimpleUploadedFile("export.json", b'[{"id": "X2", "text": "", "published_at": "x"}]')
    page = client.post("/opinion/import/", {"vendor": "丙公司", "file": bad})
    assert page.status_code == 400 and "第 1 行" in page.content.decode()


def test_the_navigation_leads_to_the_board(world):
    content = logged_in_client(world.tian_editor).get("/opinion/").content.decode()
    assert 'href="/opinion/"' in content


def test_the_board_orders_and_counts_from_its_indexes_as_by_hand(world):
    """The board's page comes in the order of its index (open before closed, deadline, newest
    first on a tie) and its figures from one grouped query: they are what counting by hand
    gives, with a filter, a merged case left out and a stage filter that drops the
    open-before-closed key."""
    from datetime import timedelta

    from django.utils import timezone

    from govmedia.opinion.models import OpinionCase

    now = timezone.now()
    made = []
    for i, (org, state, hours) in enumerate(
        [
            (world.tian, "warning", -5),  # overdue
            (world.tian, "handling", 3),
            (world.tian, "responded", -9),  # answered: not overdue
            (world.tian, "closed", -40),
            (world.tian, "closed", 10),
            (world.tian_office, "assessed", -1),  # overdue, in tian's subtree
            (world.tian_office, "assessed", -1),  # the same deadline: newest first
            (world.chen, "warning", -7),  # another township's
        ]
    ):
        made.append(
            OpinionCase.objects.create(
                org=org,
                title=f"看板事件{i}",
                state=state,
                opened_at=now - timedelta(hours=48),
                due_at=now + timedelta(hours=hours),
            )
        )
    OpinionCase.objects.create(
        org=world.tian,
        title="已并入",
        state="warning",
        opened_at=now,
        due_at=now - timedelta(hours=1),
        merged_into=made[0],
    )
    client = logged_in_client(world.tian_unit_admin)
    page = client.get("/opinion/")
    listed = [c.title for c in page.context["page"].object_list]
    assert listed == [f"看板事件{i}" for i in (2, 0, 6, 5, 1, 3, 4)]
    counts = {value: n for value, _, n in page.context["counts"]}
    assert counts == {
        "warning": 1,
        "assessed": 2,
        "assigned": 0,
        "handling": 1,
        "responded": 1,
        "closed": 2,
    }
    assert page.context["overdue"] == 3 and page.context["page"].paginator.count == 7
    overdue = client.get("/opinion/?state=open&time_left=overdue")
    assert [c.title for c in overdue.context["page"].object_list] == [
        f"看板事件{i}" for i in (0, 6, 5)
    ]
    assert overdue.context["page"].paginator.count == 3 and overdue.context["overdue"] == 3
    closed = client.get("/opinion/?state=closed")
    assert [c.title for c in closed.context["page"].object_list] == ["看板事件3", "看板事件4"]
    assert closed.context["page"].paginator.count == 2
    unknown = client.get("/opinion/?org_id=999999")
    assert unknown.context["page"].paginator.count == 0 and unknown.context["overdue"] == 3
    district = logged_in_client(world.alice).get("/opinion/?q=看板事件")
    assert district.context["page"].paginator.count == 8 and district.context["overdue"] == 4
