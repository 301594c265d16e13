"""舆情简报: a daily and a weekly brief as DOCX and PDF in the government document layout, with
counts by level, source and unit, trend charts, the open cases with their stage and time left
and the closed ones with their response; made on demand (district-wide roles only) and by the
schedule once per period; kept, downloadable, audited. Times are fixed (conftest.NOW, a Friday)."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from docx import Document

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.opinion import briefs
from govmedia.opinion.models import BriefKind, Level, OpinionBrief
from govmedia.opinion.services import cases as svc
from govmedia.opinion.services.briefs import brief_generate, scheduled_briefs
from tests.conftest import logged_in_client

from .conftest import BEIJING, NOW, reported

FRIDAY = NOW.date()  # 27 November 2026
SATURDAY_MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=BEIJING)


def fresh(case):
    case.refresh_from_db()
    return case


@pytest.fixture
def day_of_cases(world):
    """Friday: a 较大 case of 天中街道 being assessed, a case of 陈集镇 answered and closed;
    Wednesday 16:00: a case of 天中街道 still in 预警, due 48 hours later (overdue by Friday's end)."""
    wednesday = reported(
        world, text="建设路夜间施工噪音扰民，居民投诉无人处理", now=NOW - timedelta(hours=50)
    )
    large = reported(
        world, text="幸福小区停水三天无人处理，居民很不满意", now=NOW - timedelta(hours=4)
    )
    svc.case_assess(
        actor=world.tian_unit_admin,
        case_id=large.pk,
        version=large.version,
        level=Level.LARGE,
        reason="涉及千余户居民",
        now=NOW - timedelta(hours=3),
    )
    closed = reported(
        world, world.chen, text="陈集镇集市销售假冒化肥，农户要求查处", now=NOW - timedelta(hours=8)
    )
    actor = world.chen_unit_admin
    steps = (
        ("case_assess", {"level": Level.ORDINARY, "reason": "一般诉求"}),
        ("case_assign", {"org_ids": [world.chen_office.pk], "note": "核查"}),
        ("case_act", {"note": "市场监管所现场查处"}),
        ("case_respond", {"url": "https://weibo.example/chen/1", "note": "陈集发布情况通报"}),
        ("case_close", {"report": "已查扣假冒化肥，农户获赔"}),
    )
    for hours, (name, kwargs) in zip(range(7, 2, -1), steps, strict=True):
        getattr(svc, name)(
            actor=actor,
            case_id=closed.pk,
            version=fresh(closed).version,
            now=NOW - timedelta(hours=hours),
            **kwargs,
        )
    return fresh(wednesday), fresh(large), fresh(closed)


def texts(docx: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(BytesIO(docx))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return body, tables


def test_the_daily_brief_counts_lists_and_charts_the_day(world, day_of_cases):
    wednesday, large, closed = day_of_cases
    brief = brief_generate(actor=world.alice, kind="daily", day=FRIDAY, now=SATURDAY_MORNING)
    assert brief.doc_no == "日报〔2026〕第1期" and brief.title.endswith(
        "舆情日报（2026年11月27日）"
    )
    body, tables = texts(bytes(brief.docx))
    assert "菏泽市定陶区人民政府办公室" in body and "日报〔2026〕第1期" in body
    # Friday: two new cases (the 较大 one and 陈集's), one closed; open at its end: two.
    assert "新增舆情事件2个，其中特别重大0个、重大0个、较大1个、一般1个；办结1个" in body
    assert "在办舆情事件2个，其中超过回应时限1个" in body
    by_level, by_source, by_unit, open_cases = tables
    assert by_level[0] == ["等级", "新增", "在办", "办结"]
    assert ["较大", "1", "1", "0"] in by_level and ["一般", "1", "1", "1"] in by_level
    assert ["人工报送", "2", "2"] in by_source  # the two of Friday, both negative
    assert ["天中街道", "1", "2", "1"] in by_unit and ["陈集镇", "1", "0", "0"] in by_unit
    # Time left as at the period's end (Saturday 00:00): the 较大 case is due 24 hours after
    # its assessment (Friday 15:00); Wednesday's 一般 case was due Friday 16:00.
    rows = {row[0]: row[1:] for row in open_cases[1:]}
    assert rows[large.title] == ["天中街道", "较大", "研判", "剩余 15.0 小时"]
    assert rows[wednesday.title] == ["天中街道", "一般", "预警", "已超时 8.0 小时"]
    assert closed.title not in rows
    assert (
        f"{closed.title}（陈集镇，一般）。回应：回应链接 https://weibo.example/chen/1；陈集发布情况通报"
        in body
    )
    assert "办结报告：已查扣假冒化肥，农户获赔" in body
    # Two charts (trend and levels) as pictures, and the PDF is a PDF.
    assert len(Document(BytesIO(bytes(brief.docx))).inline_shapes) == 2
    assert bytes(brief.pdf).startswith(b"%PDF-") and b"/Type /Page" in bytes(brief.pdf)
    assert brief.summary == {
        "signals": 2, "negative": 2, "new": 2, "open": 2, "overdue": 1, "closed": 1
    }  # fmt: skip
    event = AuditEvent.objects.get(action="opinion.brief_generate")
    assert event.actor == world.alice and event.after["doc_no"] == brief.doc_no


def test_the_trend_counts_each_day_and_the_weekly_period_is_monday_to_sunday(world, day_of_cases):
    period = briefs.period_of(BriefKind.DAILY, FRIDAY)
    labels, signals, cases = briefs.trend(period)
    assert labels == ("11/21", "11/22", "11/23", "11/24", "11/25", "11/26", "11/27")
    assert signals[-3:] == (1.0, 0.0, 2.0) and cases[-3:] == (1.0, 0.0, 2.0)
    week = briefs.period_of(BriefKind.WEEKLY, FRIDAY, now=SATURDAY_MORNING)
    assert (week.first_day, week.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week.end == SATURDAY_MORNING  # not over yet: as at now
    brief = brief_generate(actor=world.oversight, kind="weekly", day=FRIDAY, now=SATURDAY_MORNING)
    body, _ = texts(bytes(brief.docx))
    assert "周报〔2026〕第1期" in body and "新增舆情事件3个" in body
    again = brief_generate(actor=world.alice, kind="weekly", day=FRIDAY, now=SATURDAY_MORNING)
    assert again.serial == 2  # kept: a second brief of the week is the next issue


def test_only_district_wide_roles_make_briefs_and_a_future_period_is_refused(world):
    with pytest.raises(Forbidden):
        brief_generate(actor=world.tian_unit_admin, kind="daily", day=FRIDAY, now=NOW)
    with pytest.raises(ServiceError, match="尚未开始"):
        brief_generate(actor=world.alice, kind="daily", day=FRIDAY + timedelta(days=1), now=NOW)
    with pytest.raises(ServiceError, match="类型"):
        brief_generate(actor=world.alice, kind="monthly", day=FRIDAY, now=NOW)
    assert not OpinionBrief.objects.exists()


def test_the_schedule_makes_each_period_once(world, day_of_cases):
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=BEIJING)
    made = scheduled_briefs(monday)
    assert sorted((b.kind, b.period_start.date()) for b in made) == [
        ("daily", date(2026, 11, 29)),
        ("weekly", date(2026, 11, 23)),
    ]
    assert all(b.generated_by is None for b in made)
    assert scheduled_briefs(monday + timedelta(minutes=5)) == []
    tuesday = scheduled_briefs(monday + timedelta(days=1))
    assert [(b.kind, b.period_start.date()) for b in tuesday] == [("daily", date(2026, 11, 30))]


def test_the_briefs_page_makes_lists_and_downloads_with_audit(world, day_of_cases):
    client = logged_in_client(world.oversight)
    page = client.get("/opinion/briefs/")
    assert page.status_code == 200 and "暂无舆情简报" in page.content.decode()
    form_key = page.context["once"]
    response = client.post(
        "/opinion/briefs/", {"kind": "daily", "day": "2026-11-27", "once": form_key}
    )
    assert response.status_code == 302
    brief = OpinionBrief.objects.get()
    listed = client.get("/opinion/briefs/").content.decode()
    assert brief.title in listed and "日报〔2026〕第1期" in listed
    docx = client.get(f"/opinion/briefs/{brief.pk}.docx")
    pdf = client.get(f"/opinion/briefs/{brief.pk}.pdf")
    assert docx.content == bytes(brief.docx) and pdf.content.startswith(b"%PDF-")
    assert "attachment" in docx["Content-Disposition"]
    formats = AuditEvent.objects.filter(action="opinion.brief_download").values_list(
        "after__format", flat=True
    )
    assert sorted(formats) == ["docx", "pdf"]
    # A bad date is refused with the field named; nothing stored.
    bad = client.post("/opinion/briefs/", {"kind": "daily", "day": "昨天", "once": "x2"})
    assert bad.status_code == 400 and "请填写日期" in bad.content.decode()
    assert OpinionBrief.objects.count() == 1
    # A township sees no brief: neither the page nor the files.
    township = logged_in_client(world.tian_unit_admin)
    assert township.get("/opinion/briefs/").status_code == 404
    assert township.get(f"/opinion/briefs/{brief.pk}.pdf").status_code == 404


def test_the_migration_schedules_the_briefs_daily_at_eight(world, day_of_cases):
    from django.utils import timezone
    from django_q.models import Schedule

    from govmedia.opinion.tasks import make_scheduled_briefs

    schedule = Schedule.objects.get(name="舆情简报")
    assert schedule.func == "govmedia.opinion.tasks.make_scheduled_briefs"
    assert schedule.schedule_type == "D"
    assert timezone.localtime(schedule.next_run).hour == 8
    # What the schedule runs: Saturday morning makes Friday's daily brief, once.
    assert make_scheduled_briefs(SATURDAY_MORNING) == 1
    assert make_scheduled_briefs(SATURDAY_MORNING) == 0
