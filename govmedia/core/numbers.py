"""The one way ids and integers are read from a request: pages, filters and the API.

`str.isdigit()` is true for "²" and "①", which int() then refuses, and Python's int has no
bound where the database's has (a bigint holds up to 2^63 − 1, PostgreSQL's integer 2^31 − 1):
so an integer is ASCII digits (with a sign where negatives are allowed), within a range, or a
ServiceError in Chinese naming the field (400).
"""

import re
from typing import Annotated

from pydantic import Field

from .errors import ServiceError

# The range of a bigint (an id): what every database of the project stores.
MAX_BIGINT = 2**63 - 1
# PostgreSQL's integer (a version, a count, a number of days).
MAX_INT = 2**31 - 1

_INTEGER = re.compile(r"[+-]?[0-9]+")


def parse_int(
    value,
    *,
    field: str,
    label: str,
    minimum: int | None = 0,
    maximum: int = MAX_BIGINT,
) -> int:
    """An integer written with ASCII digits within [minimum, maximum] (minimum None: any
    negative down to the bigint's), or ServiceError "{label}应为整数" / "…不得小于/大于 N"."""
    if isinstance(value, bool):
        raise ServiceError(f"{label}应为整数", field=field, code="invalid_number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not _INTEGER.fullmatch(text) or len(text) > 40:
            raise ServiceError(f"{label}应为整数", field=field, code="invalid_number")
        number = int(text)
    low = -MAX_BIGINT - 1 if minimum is None else minimum
    if number < low:
        raise ServiceError(f"{label}不得小于 {low}", field=field, code="invalid_number")
    if number > maximum:
        raise ServiceError(f"{label}不得大于 {maximum}", field=field, code="invalid_number")
    return number


def parse_id(value, *, field: str = "id", label: str = "编号") -> int:
    """An object id: a positive bigint."""
    return parse_int(value, field=field, label=label, minimum=1)


def optional_id(value) -> int | None:
    """An id from a filter or a link (?org=12), or None when it is blank or no valid id: an old
    bookmark still opens its list, unfiltered."""
    try:
        return parse_id(value)
    except ServiceError:
        return None


def int_or_none(value, *, minimum: int | None = 0, maximum: int = MAX_BIGINT) -> int | None:
    """Like optional_id for any integer (a version read back from a form)."""
    try:
        return parse_int(value, field="", label="", minimum=minimum, maximum=maximum)
    except ServiceError:
        return None


# An object id as the API declares it (path, query or body): an integer of 1 to 2^63 − 1, so a
# larger one is refused as input (400 naming the parameter) before the database sees it.
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
