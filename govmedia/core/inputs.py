"""What a request's data may hold before any service sees it (the API's JSON body and query).

JSON can carry what no database stores: a lone surrogate ("\\ud800", half of a UTF-16 pair),
a NUL character (PostgreSQL refuses it in text), an integer beyond a bigint. Such a value is
refused with a 400 naming the field, instead of a 500 from the database at the first write.
"""

from .errors import ServiceError
from .numbers import MAX_BIGINT
from .text import UNREADABLE_CHARACTERS, has_unstorable


def check_data(value, *, field: str = "") -> None:
    """ServiceError (400, code invalid_input) at the first unstorable value in decoded JSON or
    query values: a string (or key) with a NUL or a lone surrogate, an integer out of range."""
    if isinstance(value, str):
        if has_unstorable(value):
            raise ServiceError(
                f"“{field or '请求内容'}”{UNREADABLE_CHARACTERS}",
                field=field or None,
                code="invalid_input",
            )
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        if not -MAX_BIGINT - 1 <= value <= MAX_BIGINT:
            raise ServiceError(
                f"“{field or '请求内容'}”数值超出范围（不得超过 {MAX_BIGINT}）",
                field=field or None,
                code="invalid_input",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_data(key, field=field)
            check_data(item, field=str(key) if not has_unstorable(str(key)) else field)
    elif isinstance(value, list | tuple):
        for item in value:
            check_data(item, field=field)
