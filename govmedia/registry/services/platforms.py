"""运行平台 as a managed list: platform administrators add, rename, reorder and retire them."""

import re

from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import may
from govmedia.core.text import clean_text

from ..models import Platform

PLATFORM_AUDITED = ["name", "code", "sort_order", "is_active"]


def _clean_platform(name: str, code: str, sort_order: int, exclude_pk=None) -> tuple[str, str]:
    name = clean_text(name, field="name", label="平台名称", multiline=False)
    code = (code or "").strip().lower()
    if not name or len(name) > 30:
        raise ServiceError("平台名称应为 1–30 个字符", field="name")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,29}", code):
        raise ServiceError("代码应为小写字母、数字或短横线（如 wechat-mp）", field="code")
    if not 0 <= sort_order <= 9999:
        raise ServiceError("排序应为 0–9999", field="sort_order")
    others = Platform.objects.exclude(pk=exclude_pk)
    if others.filter(name=name).exists():
        raise ServiceError(f"已有名为“{name}”的平台", field="name")
    if others.filter(code=code).exists():
        raise ServiceError(f"代码“{code}”已被使用", field="code")
    return name, code


def platform_create(*, actor, name: str, code: str, sort_order: int = 100) -> Platform:
    if not may(actor, "registry.platforms"):
        raise Forbidden("只有平台管理员可以维护运行平台")
    with transaction.atomic():
        name, code = _clean_platform(name, code, sort_order)
        platform = Platform.objects.create(name=name, code=code, sort_order=sort_order)
        audit_record(
            actor=actor,
            action="platform.create",
            obj=platform,
            after=snapshot(platform, PLATFORM_AUDITED),
        )
    return platform


def platform_update(
    *, actor, platform_id: int, name: str, sort_order: int, is_active: bool
) -> Platform:
    """Rename, reorder or retire a platform. Its code is fixed: clients and imports key on it."""
    if not may(actor, "registry.platforms"):
        raise Forbidden("只有平台管理员可以维护运行平台")
    with transaction.atomic():
        platform = Platform.objects.select_for_update().filter(pk=platform_id).first()
        if platform is None:
            raise ServiceError("平台不存在", code="not_found")
        before = snapshot(platform, PLATFORM_AUDITED)
        platform.name, _ = _clean_platform(name, platform.code, sort_order, exclude_pk=platform.pk)
        platform.sort_order, platform.is_active = sort_order, is_active
        platform.save()
        audit_record(
            actor=actor,
            action="platform.update",
            obj=platform,
            before=before,
            after=snapshot(platform, PLATFORM_AUDITED),
        )
    return platform
