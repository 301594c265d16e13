"""The one accepted text format for dates in forms, query strings and commands."""

import datetime as dt
import re

# [0-9], not \d: \d also matches full-width digits such as "２０２６".
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str) -> dt.date:
    """Parse a YYYY-MM-DD string, nothing else.

    date.fromisoformat is deliberately avoided: since Python 3.11 it also accepts
    "20260203" and "2026-W05-2", which a form should reject rather than guess at.
    """
    match = _ISO_DATE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"日期格式应为 YYYY-MM-DD，收到「{text}」")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"日期格式应为 YYYY-MM-DD，且须是实际存在的日期，收到「{text}」") from None
