"""Optimistic versions: a page or client that read an object at one version may act on it only
while it is still that version, so a double click or a stale page changes nothing.

Every lifecycle service takes the `version` its caller read, required, and checks it on the row
it has locked; the object's `version` column grows by one with each change.
"""

from .errors import Conflict, ServiceError


def check_version(obj, version, *, noun: str) -> None:
    if version is None or isinstance(version, bool):
        raise ServiceError("缺少版本号（version），请刷新页面后重试", field="version")
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ServiceError("版本号（version）应为整数", field="version") from None
    if obj.version != version:
        raise Conflict(f"该{noun}已被他人修改，当前页面已过时，请刷新后再操作")
