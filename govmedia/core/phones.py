"""Chinese phone numbers as the 备案表 asks for them: 手机号 and 办公电话.

Pure functions (no Django) so the registry, the import and the screening engine agree.
"""

import re

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
# Area code 0 + 2–3 digits, 7–8 digit number, optional extension: 0530-2212021, 0530-2212021-801.
OFFICE_RE = re.compile(r"0\d{2,3}-\d{7,8}(?:-\d{1,6})?")
# The notice itself writes 0530—2212021: accept the dashes people actually type.
DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "‐": "-", " ": ""})


def normalize(value: str) -> str:
    return (value or "").strip().translate(DASHES)


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.fullmatch(normalize(value)))


def is_office_phone(value: str) -> bool:
    return bool(OFFICE_RE.fullmatch(normalize(value)))


def mobile_error(value: str) -> str | None:
    if is_mobile(value):
        return None
    return "手机号应为 11 位数字，以 13–19 开头，例如 13800000000"


def office_phone_error(value: str) -> str | None:
    if is_office_phone(value):
        return None
    return "办公电话应含区号，例如 0530-2212021，可带分机号 0530-2212021-801"


def contact_phone_error(value: str) -> str | None:
    """A contact number may be either kind."""
    if is_mobile(value) or is_office_phone(value):
        return None
    return "联系电话应为手机号（11 位）或带区号的办公电话（如 0530-2212021）"


def mask_mobile(value: str) -> str:
    digits = normalize(value)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[7:]}"
    return "****"
