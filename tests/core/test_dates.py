"""The one date format of forms, query strings and commands."""

import datetime as dt

import pytest

from govmedia.core.dates import parse_date

D = dt.date


def test_parse_date_accepts_iso_dates():
    assert parse_date("2026-02-28") == D(2026, 2, 28)
    assert parse_date("2024-02-29") == D(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2025-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-2-3",
        "20260203",
        "2026-W05-2",
        "2026/02/03",
        " 2026-02-03",
        "2026-02-03\n",
        "2026-02-03T00:00",
        "２０２６-０２-０３",
        "",
        None,
        20260203,
    ],
)
def test_parse_date_rejects_anything_else(text):
    with pytest.raises(ValueError, match="日期格式应为 YYYY-MM-DD"):
        parse_date(text)
