"""The one way services clean a free-text input: trimmed, required or not, bounded in length,
with the same Chinese messages everywhere ("请填写整改说明", "整改说明不得超过 2000 个字符").

Text is also made safe to keep: ASCII control characters (a pasted form feed, a NUL) are
removed, since the database (PostgreSQL refuses NUL), Excel (openpyxl refuses them in a cell)
and the printed documents cannot hold them; a multi-line field keeps its line breaks and tabs.
A lone surrogate (half of a UTF-16 pair, which only a crafted request can send) is refused:
no database can store it.
"""

import re

from .errors import ServiceError

# C0 controls and DEL; a multi-line field keeps \t and \n (a \r\n or lone \r becomes \n).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")

UNREADABLE_CHARACTERS = "含有无效字符（不成对的代理字符或空字符），请删除后重试"


def has_unstorable(text: str) -> bool:
    """Whether the text holds what no database stores: a NUL or a lone surrogate."""
    return "\x00" in text or bool(_SURROGATES.search(text))


def strip_controls(text: str, *, multiline: bool = True) -> str:
    """`text` without ASCII control characters; `multiline` keeps line breaks and tabs."""
    if multiline:
        return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))


def clean_text(
    value,
    *,
    field: str,
    label: str,
    required: bool = False,
    max_length: int | None = None,
    required_message: str | None = None,
    multiline: bool = True,
) -> str:
    """`value` stripped (None is empty) and without control characters, or a ServiceError on
    `field`: "请填写{label}" when it is required and empty (or `required_message`, to say more,
    e.g. what to write), "{label}不得超过 N 个字符" when it is longer than `max_length`
    characters, and "{label}含有无效字符…" for a lone surrogate. A single-line field
    (`multiline=False`, a name) turns line breaks and tabs into spaces."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if _SURROGATES.search(text):
        raise ServiceError(f"{label}{UNREADABLE_CHARACTERS}", field=field, code="invalid_text")
    text = strip_controls(text, multiline=multiline).strip()
    if required and not text:
        raise ServiceError(required_message or f"请填写{label}", field=field)
    if max_length is not None and len(text) > max_length:
        raise ServiceError(f"{label}不得超过 {max_length} 个字符", field=field)
    return text
