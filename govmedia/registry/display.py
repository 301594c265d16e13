"""Form values as pages and the printed form show them: labels for choices, masked mobiles."""

from datetime import date

from govmedia.orgs.models import Organization

from .masking import shown_phone
from .models import FORM_FIELDS, OperatorKind, Platform


def display_value(field: str, value, *, full_phones: bool) -> str:
    if value is None or value == "":
        return ""
    if field == "verified":
        return "已认证" if value else "未认证"
    if field == "operator_kind":
        return OperatorKind(value).label if value in OperatorKind.values else str(value)
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Platform | Organization):
        return value.name
    return str(shown_phone(field, value, full=full_phones))


def form_display(obj, *, full_phones: bool) -> dict[str, str]:
    """{field: text} for every field of the form, read from an account or a filing."""
    values = {f: display_value(f, getattr(obj, f), full_phones=full_phones) for f in FORM_FIELDS}
    values["verified_bool"] = bool(obj.verified)
    values["operator_shown"] = values["operator"] or (
        "本单位运维" if obj.operator_kind == OperatorKind.OWN else ""
    )
    return values
