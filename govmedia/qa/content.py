"""Cleaning what an editor, the API or an exchange file gives for an entry: one set of rules
and Chinese messages (naming the field) for all of them."""

from datetime import date

from govmedia.core.dates import parse_date
from govmedia.core.errors import ServiceError
from govmedia.core.text import clean_text

MAX_VARIANTS = 20
LABELS = {
    "question": "标准问题",
    "variants": "相似问法",
    "answer": "答复内容",
    "basis": "政策依据",
    "valid_from": "生效日期",
    "valid_to": "失效日期",
}


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_date(value if isinstance(value, str) else "")
    except ValueError as exc:
        raise ServiceError(f"{LABELS[field]}：{exc}", field=field) from None


def _variants(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # one per line, as the form's textarea gives them
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        raise ServiceError("相似问法应为文本列表", field="variants")
    variants = []
    for item in value:
        if not isinstance(item, str):
            raise ServiceError("相似问法的每一项应为文本", field="variants")
        text = clean_text(item, field="variants", label="相似问法", max_length=200, multiline=False)
        if text and text not in variants:
            variants.append(text)
    if len(variants) > MAX_VARIANTS:
        raise ServiceError(f"相似问法最多 {MAX_VARIANTS} 个", field="variants")
    return variants


def clean_content(data: dict) -> dict:
    """The six content fields, cleaned, or a ServiceError naming the first field at fault."""
    content = {
        "question": clean_text(
            data.get("question"),
            field="question",
            label="标准问题",
            required=True,
            max_length=200,
            multiline=False,
        ),
        "variants": _variants(data.get("variants")),
        "answer": clean_text(
            data.get("answer"), field="answer", label="答复内容", required=True, max_length=5000
        ),
        "basis": clean_text(
            data.get("basis"), field="basis", label="政策依据", max_length=500, multiline=False
        ),
        "valid_from": _date(data.get("valid_from"), "valid_from"),
        "valid_to": _date(data.get("valid_to"), "valid_to"),
    }
    content["variants"] = [v for v in content["variants"] if v != content["question"]]
    if (
        content["valid_from"]
        and content["valid_to"]
        and content["valid_to"] < content["valid_from"]
    ):
        raise ServiceError("失效日期不能早于生效日期", field="valid_to")
    return content
