"""GET /api/v1/workdays/deadline and `manage.py workdays deadline`: one answer, one set of errors.

The expected dates are worked out by hand from 国办发明电〔2025〕7号 (the 2026 schedule) and, for
2027, from weekends plus the statutory days of 《全国年节及纪念日放假办法》.
"""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from govmedia.workdays import services
from tests.conftest import logged_in_client

from .conftest import NOTICE

# start, N, expected deadline, provisional — and why.
DEADLINES = [
    # 春节 2026: 2-14 (Sat) 调休上班, 2-15..2-23 off → 2-14, 2-24, 2-25.
    ("2026-02-13", 3, "2026-02-25", False),
    # 开设备案 7 days from 2-12: 2-13, 2-14, 2-24..2-27, then 2-28 (Sat) 调休上班.
    ("2026-02-12", 7, "2026-02-28", False),
    # 劳动节 2026: 5-1..5-5 off, 5-9 (Sat) 调休上班 → 5-6, 5-7, 5-8, 5-9, 5-11.
    ("2026-04-30", 5, "2026-05-11", False),
    # 国庆 2026: 9-20 (Sun) 调休上班 → the 1st working day after Fri 9-18 is that Sunday.
    ("2026-09-18", 1, "2026-09-20", False),
    # 国庆 2026: 10-1..10-7 off, 10-10 (Sat) 调休上班 → 10-8, 10-9, 10-10, 10-12, 10-13.
    ("2026-09-30", 5, "2026-10-13", False),
    # Stays inside 2026: 12-25, 12-28, 12-29.
    ("2026-12-24", 3, "2026-12-29", False),
    # Into 2027: 12-29, 12-30, 12-31, 1-1 元旦 (statutory), weekend, 1-4..1-7.
    ("2026-12-28", 7, "2027-01-07", True),
    # 春节 2027 fallback: 除夕 2-5 (Fri) .. 2-8 (Mon) statutory, 2-6/2-7 weekend.
    ("2027-02-04", 1, "2027-02-09", True),
]


def api_deadline(client, start, days):
    return client.get("/api/v1/workdays/deadline", {"start": start, "days": days})


def command_deadline(start, days) -> str:
    out = io.StringIO()
    call_command("workdays", "deadline", start, str(days), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("start, days, expected, provisional", DEADLINES)
def test_deadlines_across_holidays_api_and_command_agree(world, start, days, expected, provisional):
    response = api_deadline(logged_in_client(world.tian_editor), start, days)
    assert response.status_code == 200
    assert response.json() == {"deadline": expected, "provisional": provisional}
    assert list(response.json()) == ["deadline", "provisional"]
    printed = command_deadline(start, days)
    assert printed.count("\n") == 1 and printed.endswith("\n")
    assert printed == json.dumps(response.json()) + "\n"


def test_override_changes_the_answer_and_publishing_makes_it_final(world):
    client = logged_in_client(world.tian_editor)
    assert api_deadline(client, "2026-12-28", 7).json() == {
        "deadline": "2027-01-07",
        "provisional": True,
    }
    services.calendar_day_set(
        actor=world.alice,
        day=date(2027, 1, 4),
        is_workday=False,
        name="元旦",
        source_notice=NOTICE,
    )
    expected = {"deadline": "2027-01-08", "provisional": True}
    assert api_deadline(client, "2026-12-28", 7).json() == expected
    assert json.loads(command_deadline("2026-12-28", 7)) == expected

    # A 调休 make-up Saturday counts as a working day.
    services.calendar_day_set(
        actor=world.alice,
        day=date(2027, 1, 2),
        is_workday=True,
        name="调休上班",
        source_notice=NOTICE,
    )
    assert api_deadline(client, "2026-12-28", 7).json()["deadline"] == "2027-01-07"

    services.year_publish(actor=world.alice, year=2027, source_notice=NOTICE)
    final = {"deadline": "2027-01-07", "provisional": False}
    assert api_deadline(client, "2026-12-28", 7).json() == final
    assert json.loads(command_deadline("2026-12-28", 7)) == final

    services.year_unpublish(actor=world.alice, year=2027)
    assert api_deadline(client, "2026-12-28", 7).json()["provisional"] is True


@pytest.mark.parametrize(
    "start, days, field, message",
    [
        ("2026-02-30", "3", "start", "实际存在的日期"),
        ("2026/01/01", "3", "start", "YYYY-MM-DD"),
        ("２０２６-01-01", "3", "start", "YYYY-MM-DD"),
        ("", "3", "start", "请提供起始日期"),
        ("1999-12-31", "3", "start", "超出支持范围"),
        ("2026-01-01", "0", "days", "1 至 366"),
        ("2026-01-01", "400", "days", "1 至 366"),
        ("2026-01-01", "-1", "days", "1 至 366"),
        ("2026-01-01", "abc", "days", "1 至 366"),
        ("2026-01-01", "", "days", "请提供工作日天数"),
        ("2099-12-20", "30", "days", "超出支持范围"),
    ],
)
def test_bad_input_gets_a_chinese_error_from_api_and_command(world, start, days, field, message):
    response = api_deadline(logged_in_client(world.tian_editor), start, days)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and message in body["message"], body
    assert body["code"] in {"invalid", "out_of_range"}
    with pytest.raises(CommandError) as exc:
        command_deadline(start, days)
    assert str(exc.value) == body["message"]


def test_missing_parameters_and_anonymous_callers(world):
    client = logged_in_client(world.tian_editor)
    body = client.get("/api/v1/workdays/deadline").json()
    assert body["code"] == "invalid" and body["field"] == "start"
    response = Client().get("/api/v1/workdays/deadline", {"start": "2026-02-13", "days": 3})
    assert response.status_code == 401 and "登录" in response.json()["message"]


def test_year_endpoint_lists_overrides_and_status(world):
    services.calendar_day_set(
        actor=world.alice,
        day=date(2027, 2, 9),
        is_workday=False,
        name="春节",
        source_notice=NOTICE,
    )
    client = logged_in_client(world.chen_editor)
    body = client.get("/api/v1/workdays/days", {"year": "2027"}).json()
    assert body["status"] == "provisional" and body["provisional"] is True
    assert body["days"] == [
        {
            "date": "2027-02-09",
            "is_workday": False,
            "name": "春节",
            "source_notice": NOTICE,
            "note": "",
        }
    ]
    official = client.get("/api/v1/workdays/days", {"year": "2026"}).json()
    assert official["status"] == "official" and official["provisional"] is False
    bad = client.get("/api/v1/workdays/days", {"year": "27"})
    assert (
        bad.status_code == 400
        and bad.json()["field"] == "year"
        and "四位数字" in bad.json()["message"]
    )
