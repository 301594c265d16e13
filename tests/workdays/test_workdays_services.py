from datetime import date, datetime

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.workdays import services
from govmedia.workdays.calendar import deadline
from govmedia.workdays.models import CalendarDay, CalendarVersion, PublishedYear

from .conftest import NOTICE


def calendar_rows():
    return (
        list(CalendarDay.objects.order_by("pk").values()),
        list(PublishedYear.objects.order_by("pk").values()),
        CalendarVersion.objects.filter(pk=1).values_list("version", "stamp").first(),
    )


def set_day(actor, day=date(2027, 1, 4), is_workday=False, **extra):
    fields = {"name": "元旦", "source_notice": NOTICE} | extra
    return services.calendar_day_set(actor=actor, day=day, is_workday=is_workday, **fields)


def current_version() -> int:
    # The migration creates the row; a transactional test's flush may have removed it.
    return CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def test_create_update_delete_are_audited_and_bump_the_version(world):
    version = current_version()
    row = set_day(world.alice, note="  2027 年通知  ")
    assert (row.name, row.note, row.created_by) == ("元旦", "2027 年通知", world.alice)
    created = AuditEvent.objects.get(action="calendar.day_create")
    assert created.actor == world.alice and created.after["date"] == "2027-01-04"
    assert created.after["is_workday"] is False and created.after["source_notice"] == NOTICE

    updated = set_day(world.alice, name="元旦调休")
    assert updated.pk == row.pk and CalendarDay.objects.count() == 1
    event = AuditEvent.objects.get(action="calendar.day_update")
    assert event.before["name"] == "元旦" and event.after["name"] == "元旦调休"

    services.calendar_day_delete(actor=world.alice, day_id=row.pk)
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.get(action="calendar.day_delete").before["name"] == "元旦调休"
    assert current_version() == version + 3


def test_saving_an_unchanged_override_writes_nothing(world):
    set_day(world.alice)
    before, events = calendar_rows(), AuditEvent.objects.count()
    set_day(world.alice)
    assert calendar_rows() == before and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "day, is_workday, message",
    [
        (
            date(2027, 1, 9),
            False,
            "2027-01-09（星期六）按周末及《全国年节及纪念日放假办法》规定的节日已是休息日",
        ),
        (date(2027, 10, 1), False, "已是休息日（国庆节）"),
        (date(2027, 1, 5), True, "已是工作日"),
        (date(2026, 2, 14), True, "按国务院办公厅已发布的放假安排已是工作日"),
        (date(2026, 2, 16), False, "已是休息日（春节）"),
    ],
)
def test_an_override_that_changes_nothing_is_refused_with_the_reason(
    world, day, is_workday, message
):
    before = calendar_rows()
    with pytest.raises(ServiceError) as exc:
        set_day(world.alice, day=day, is_workday=is_workday)
    assert message in exc.value.message and "无需录入" in exc.value.message
    assert exc.value.field == "is_workday"
    assert calendar_rows() == before


def test_turning_an_override_into_the_default_suggests_deleting_it(world):
    set_day(world.alice)
    with pytest.raises(ServiceError) as exc:
        set_day(world.alice, is_workday=True)
    assert "删除这条调整" in exc.value.message


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"day": date(2003, 12, 31)}, "day", "超出支持范围"),
        ({"day": date(2100, 1, 4)}, "day", "超出支持范围"),
        ({"day": datetime(2027, 1, 4, 9, 0)}, "day", "datetime.date"),
        ({"day": "2027-01-04"}, "day", "datetime.date"),
        ({"name": "  "}, "name", "请填写名称"),
        ({"name": "节" * 51}, "name", "不得超过 50"),
        ({"source_notice": ""}, "source_notice", "请填写依据文件"),
        ({"is_workday": "0"}, "is_workday", "放假或调休上班"),
    ],
)
def test_invalid_overrides_name_the_field(world, changes, field, message):
    before = calendar_rows()
    with pytest.raises(ServiceError) as exc:
        set_day(world.alice, **changes)
    assert exc.value.field == field and message in exc.value.message
    assert calendar_rows() == before


@pytest.mark.parametrize(
    "user",
    ["tian_unit_admin", "tian_editor", "chen_reviewer", "oversight", "tian_supervisor_reviewer"],
)
def test_only_platform_admins_change_the_calendar(world, user):
    actor = getattr(world, user)
    existing = set_day(world.alice)
    before, events = calendar_rows(), AuditEvent.objects.count()
    attempts = [
        lambda: set_day(actor, day=date(2027, 1, 5)),
        lambda: services.calendar_day_delete(actor=actor, day_id=existing.pk),
        lambda: services.year_publish(actor=actor, year=2027, source_notice=NOTICE),
        lambda: services.year_unpublish(actor=actor, year=2027),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    assert calendar_rows() == before and AuditEvent.objects.count() == events
    assert deadline(date(2026, 12, 28), 7).date == date(2027, 1, 8)


def test_publish_and_unpublish_a_year(world):
    assert deadline(date(2026, 12, 28), 7).provisional is True
    with pytest.raises(ServiceError) as exc:
        services.year_publish(actor=world.alice, year=2027, source_notice=" ")
    assert exc.value.field == "source_notice" and "2027 年部分节假日安排" in exc.value.message
    row = services.year_publish(actor=world.alice, year=2027, source_notice=NOTICE)
    assert (row.year, row.declared_by) == (2027, world.alice)
    assert deadline(date(2026, 12, 28), 7).provisional is False
    assert AuditEvent.objects.get(action="calendar.year_publish").after == {
        "year": 2027,
        "source_notice": NOTICE,
    }
    with pytest.raises(Conflict) as exc:
        services.year_publish(actor=world.alice, year=2027, source_notice="另一文号")
    assert NOTICE in exc.value.message

    services.year_unpublish(actor=world.alice, year=2027)
    assert not PublishedYear.objects.exists()
    assert AuditEvent.objects.get(action="calendar.year_unpublish").before["year"] == 2027
    assert deadline(date(2026, 12, 28), 7).provisional is True
    with pytest.raises(NotFound):
        services.year_unpublish(actor=world.alice, year=2027)


@pytest.mark.parametrize(
    "year, message",
    [(2026, "已内置"), (2003, "超出支持范围"), (2100, "超出支持范围"), ("2027", "整数")],
)
def test_publishing_an_invalid_or_built_in_year_is_refused(world, year, message):
    with pytest.raises(ServiceError) as exc:
        services.year_publish(actor=world.alice, year=year, source_notice=NOTICE)
    assert exc.value.field == "year" and message in exc.value.message
    assert not PublishedYear.objects.exists()


def test_deleting_a_missing_override(world):
    with pytest.raises(NotFound):
        services.calendar_day_delete(actor=world.alice, day_id=987654)
