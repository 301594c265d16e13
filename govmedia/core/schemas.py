"""API schemas every app shares. One class per shape: the OpenAPI document names components by
class name, so two apps each defining a `VersionIn` would describe one of them wrongly."""

import re
from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator


class VersionIn(Schema):
    version: int = Field(description="读取时的版本号，用于发现并发修改和重复提交")


# Strict inputs. Pydantic's lax mode reads a number as a date or time (seconds since 1970) and
# 0/1 as a boolean: a client sending the wrong type must hear so, not get a guess.
NOT_A_DATE = "应为 YYYY-MM-DD 格式的日期，不接受数字"
NOT_A_TIME = "应为 ISO 8601 格式的时间（如 2026-12-01T09:00:00+08:00），不接受数字"
NOT_A_FLAG = "应为 true 或 false（查询参数也可写 1 或 0）"
_NUMBER = re.compile(r"\s*[+-]?\d+(\.\d*)?\s*")


def _text_not_number(message: str):
    def check(value):
        if isinstance(value, bool | int | float) or (
            isinstance(value, str) and _NUMBER.fullmatch(value)
        ):
            raise ValueError(message)
        return value

    return check


def _flag(value):
    """A JSON boolean; in a query string also "1"/"0", as the pages' filters write them."""
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(NOT_A_FLAG)


IsoDate = Annotated[date, BeforeValidator(_text_not_number(NOT_A_DATE))]
IsoDateTime = Annotated[datetime, BeforeValidator(_text_not_number(NOT_A_TIME))]
Flag = Annotated[bool, BeforeValidator(_flag)]
