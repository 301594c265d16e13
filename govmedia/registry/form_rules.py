"""The rules every 备案表 must satisfy, as plain checks over a dict of field values.

Used by the filing services, the forms and the Excel import alike, so a row of an import and a
web form get the same Chinese message for the same mistake.
"""

from datetime import date

from govmedia.core.phones import contact_phone_error, mobile_error, normalize, office_phone_error
from govmedia.core.text import strip_controls

from .models import (
    FORM_FIELDS,
    MOBILE_FIELDS,
    OFFICE_PHONE_FIELDS,
    AccountFormFields,
    OperatorKind,
)

LABELS = {
    "name": "政务新媒体名称",
    "handle": "账号",
    "platform": "运行平台",
    "registrant": "注册单位",
    "registered_on": "注册时间",
    "positioning": "功能定位",
    "verified": "官方认证",
    "operator_kind": "运维方式",
    "operator": "运维机构",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "notes": "其他需要说明事项",
    "principal_name": "单位主要负责人",
    "principal_office_phone": "主要负责人办公电话",
    "principal_mobile": "主要负责人手机号",
    "leader_in_charge_name": "分管负责人",
    "leader_in_charge_office_phone": "分管负责人办公电话",
    "leader_in_charge_mobile": "分管负责人手机号",
    "person_responsible_name": "具体负责人",
    "person_responsible_office_phone": "具体负责人办公电话",
    "person_responsible_mobile": "具体负责人手机号",
}
assert set(LABELS) == set(FORM_FIELDS)

REQUIRED = [
    f
    for f in FORM_FIELDS
    if f not in ("registered_on", "verified", "operator", "notes", "operator_kind")
]
# Every text field's limit is its column's: a draft, a submission and an import row are held to
# what the database stores (PostgreSQL refuses a longer value; SQLite would keep it).
MAX_LENGTHS = {
    field: limit
    for field in FORM_FIELDS
    if (limit := AccountFormFields._meta.get_field(field).max_length)
    and field not in ("operator_kind",)
}
MULTILINE_FIELDS = frozenset({"positioning", "notes"})


def length_errors(values: dict) -> dict[str, str]:
    """{field: "…不得超过 N 个字符"} for the text values longer than their column."""
    return {
        field: f"{LABELS[field]}不得超过 {limit} 个字符"
        for field, limit in MAX_LENGTHS.items()
        if isinstance(values.get(field), str) and len(values[field]) > limit
    }


def normalize_values(values: dict) -> dict:
    """Trim text, drop control characters (core.text) and unify phone dashes; leaves types other
    than str alone."""
    clean = {}
    for field in FORM_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            value = strip_controls(value, multiline=field in MULTILINE_FIELDS).strip()
            if field in MOBILE_FIELDS or field in OFFICE_PHONE_FIELDS or field == "contact_phone":
                value = normalize(value)
        clean[field] = value
    if not clean.get("operator_kind"):
        clean["operator_kind"] = (
            OperatorKind.OUTSOURCED if clean.get("operator") else OperatorKind.OWN
        )
    clean["verified"] = bool(clean.get("verified"))
    return clean


def form_errors(values: dict, *, today: date) -> dict[str, str]:
    """{field: 中文说明} for every rule the values break; empty when the form is complete."""
    errors: dict[str, str] = {}
    for field in REQUIRED:
        if values.get(field) in (None, ""):
            errors[field] = f"请填写{LABELS[field]}"
    errors.update(length_errors(values))
    for field in MOBILE_FIELDS:
        if values.get(field) and field not in errors and (message := mobile_error(values[field])):
            errors[field] = f"{LABELS[field]}：{message}"
    for field in OFFICE_PHONE_FIELDS:
        if (
            values.get(field)
            and field not in errors
            and (message := office_phone_error(values[field]))
        ):
            errors[field] = f"{LABELS[field]}：{message}"
    contact = values.get("contact_phone")
    if contact and "contact_phone" not in errors and (message := contact_phone_error(contact)):
        errors["contact_phone"] = message
    if values.get("operator_kind") == OperatorKind.OUTSOURCED and not values.get("operator"):
        errors["operator"] = "委托运维的，请填写运维机构名称"
    if values.get("operator_kind") not in OperatorKind.values:
        errors["operator_kind"] = "运维方式无效"
    registered_on = values.get("registered_on")
    if isinstance(registered_on, date) and registered_on > today:
        errors["registered_on"] = "注册时间不能晚于今天"
    return errors
