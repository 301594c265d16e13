"""Issue 14 item 8: every export prints times in Beijing time, as the pages do, because the
shared cell writer (core.spreadsheets.text_value) converts them, whatever zone is active."""

from datetime import UTC, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from govmedia.core.spreadsheets import text_value, time_text
from tests.conftest import logged_in_client


def test_cell_writer_prints_beijing_time_whatever_zone_is_active():
    late_evening_utc = datetime(2026, 11, 30, 20, 5, tzinfo=UTC)
    with timezone.override("UTC"):
        assert text_value(late_evening_utc) == "2026-12-01 04:05"
        assert time_text(late_evening_utc) == "2026-12-01 04:05"
    assert time_text(None) == ""


def test_user_list_export_shows_last_login_in_beijing_time(world):
    world.tian_editor.last_login = datetime(2026, 11, 30, 20, 5, tzinfo=UTC)
    world.tian_editor.save(update_fields=["last_login"])
    response = logged_in_client(world.alice).get("/users/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("最近登录")
    row = next(r for r in rows if r[0] == "tian_editor")
    assert row[column] == "2026-12-01 04:05"
