"""The one way services clean a free-text input: trimmed, required or not, bounded in length,
with the same Chinese messages everywhere ("请填写整改说明", "整改说明不得超过 2000 个字符")."""

from .errors import ServiceError


def clean_text(
    value,
    *,
    field: str,
    label: str,
    required: bool = False,
    max_length: int | None = None,
    required_message: str | None = None,
) -> str:
    """`value` stripped (None is empty), or a ServiceError on `field`: "请填写{label}" when it is
    required and empty (or `required_message`, to say more, e.g. what to write), and
    "{label}不得超过 N 个字符" when it is longer than `max_length` characters."""
    text = (value or "").strip()
    if required and not text:
        raise ServiceError(required_message or f"请填写{label}", field=field)
    if max_length is not None and len(text) > max_length:
        raise ServiceError(f"{label}不得超过 {max_length} 个字符", field=field)
    return text
