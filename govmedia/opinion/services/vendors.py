"""Signals from monitoring vendors (舆情监测服务商): an exported file (Excel or JSON) imported by the
district office, or items pushed to POST /api/v1/opinion/vendor/items with a vendor token.

All or nothing: every row is checked first (required fields, lengths, time, the unit named,
no vendor id twice in one batch) and any error rejects the batch with its row number; nothing
is stored. A vendor id already stored for the vendor is not stored again: the answer lists it
as a duplicate (the vendor may resend a batch after a timeout).
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, NotFound, ServiceError
from govmedia.core.scope import may
from govmedia.core.spreadsheets import (
    ImportFileError,
    ImportRejected,
    RowError,
    cell_text,
    data_rows,
    header_label,
    header_row,
    open_workbook,
    workbook_bytes,
)
from govmedia.core.text import clean_text
from govmedia.core.uploads import read_at_most
from govmedia.orgs.models import Organization

from ..models import OpinionItem, SignalKind, VendorToken
from .common import district_office
from .signals import store_signals

MAX_ROWS = 5000
MAX_JSON_BYTES = 10 * 1024 * 1024

# Columns (Excel) and keys (JSON): a vendor's export names them in Chinese or English.
FIELDS = {
    "vendor_item_id": ("编号", "信息编号", "id", "vendor_item_id"),
    "title": ("标题", "title"),
    "text": ("内容", "正文", "摘要", "text", "content"),
    "url": ("链接", "原文链接", "url", "link"),
    "occurred_at": ("发布时间", "时间", "published_at", "occurred_at", "time"),
    "unit": ("涉及单位", "单位", "unit"),
    "rule": ("命中规则", "监测方案", "rule", "keyword"),
}
LABELS = {
    "vendor_item_id": "编号",
    "title": "标题",
    "text": "内容",
    "url": "链接",
    "occurred_at": "发布时间",
    "unit": "涉及单位",
    "rule": "命中规则",
}
LIMITS = {"vendor_item_id": 100, "title": 500, "text": 20000, "url": 1000, "unit": 100, "rule": 500}


@dataclass(frozen=True)
class VendorRow:
    row: int
    vendor_item_id: str
    title: str
    text: str
    url: str
    occurred_at: datetime
    org: Organization
    rule: str


@dataclass(frozen=True)
class VendorResult:
    created: list[OpinionItem]
    duplicates: list[str]


def _parse_time(value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = cell_text(value).replace("/", "-")
        moment = parse_datetime(text) or parse_datetime(f"{text}T00:00:00")
        if moment is None:
            raise ValueError(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class _Units:
    def __init__(self) -> None:
        self.by_name: dict[str, list[Organization]] = {}
        for org in Organization.objects.filter(status="active").only("pk", "name", "path"):
            self.by_name.setdefault(org.name, []).append(org)
        self.default = district_office()

    def find(self, name: str) -> Organization:
        if not name:
            if self.default is None:
                raise ValueError("平台尚未建立单位，无法收录")
            return self.default
        found = self.by_name.get(name, [])
        if len(found) != 1:
            raise ValueError(f"找不到单位“{name}”" if not found else f"单位“{name}”重名，请写全称")
        return found[0]


def check_rows(rows: list[tuple[int, dict]]) -> list[VendorRow]:
    """Each (row number, {field: value}) checked; ImportRejected with every error at once."""
    if len(rows) > MAX_ROWS:
        raise ServiceError(f"一次最多收录 {MAX_ROWS} 条，请分批", field="items")
    if not rows:
        raise ServiceError("没有可收录的信息", field="items")
    units = _Units()
    errors: list[RowError] = []
    checked: list[VendorRow] = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        values = {}
        for field, limit in LIMITS.items():
            label = LABELS[field]
            try:
                values[field] = clean_text(
                    raw.get(field),
                    field=field,
                    label=label,
                    max_length=limit,
                    required=field in ("vendor_item_id", "text"),
                )
            except ServiceError as exc:
                errors.append(RowError(number, label, exc.message))
        try:
            occurred = _parse_time(raw.get("occurred_at"))
        except (ValueError, TypeError, OverflowError):
            errors.append(
                RowError(
                    number,
                    LABELS["occurred_at"],
                    "应为时间，如 2026-03-02 08:30 或 2026-03-02T08:30:00+08:00",
                )
            )
            occurred = None
        try:
            org = units.find(values.get("unit", ""))
        except ValueError as exc:
            errors.append(RowError(number, LABELS["unit"], str(exc)))
            org = None
        key = values.get("vendor_item_id")
        if key and key in seen:
            errors.append(RowError(number, LABELS["vendor_item_id"], f"与第 {seen[key]} 行重复"))
        elif key:
            seen[key] = number
        url = values.get("url", "")
        if url and not url.startswith(("https://", "http://")):
            errors.append(RowError(number, LABELS["url"], "应以 http:// 或 https:// 开头"))
        if occurred is not None and org is not None and len(values) == len(LIMITS):
            checked.append(
                VendorRow(
                    number, key, values["title"], values["text"], url, occurred, org, values["rule"]
                )
            )
    if errors:
        raise ImportRejected(errors, what="舆情信息")
    return checked


def vendor_items_store(
    *, vendor: str, rows: list[VendorRow], kind: str, actor=None
) -> VendorResult:
    """The checked rows stored (those whose vendor id is new) and clustered, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            OpinionItem.objects.filter(
                vendor=vendor, vendor_item_id__in=[r.vendor_item_id for r in rows]
            ).values_list("vendor_item_id", flat=True)
        )
        items = [
            OpinionItem(
                org=row.org,
                kind=kind,
                title=row.title,
                text=row.text,
                url=row.url,
                occurred_at=row.occurred_at,
                matched_rule=row.rule,
                vendor=vendor,
                vendor_item_id=row.vendor_item_id,
                created_by=actor if getattr(actor, "pk", None) else None,
                created_at=now,
            )
            for row in rows
            if row.vendor_item_id not in existing
        ]
        created = store_signals(items, now=now) if items else []
        audit_record(
            actor=actor or f"服务商：{vendor}",
            action="opinion.vendor_items",
            object_type="opinion.opinionitem",
            object_id="",
            object_repr=f"{vendor} 舆情信息 {len(created)} 条",
            org=district_office(),
            after={
                "vendor": vendor,
                "created": len(created),
                "duplicates": len(existing),
                "kind": kind,
            },
        )
    return VendorResult(created, sorted(existing))


# ---------------------------------------------------------------- files


def _row_dict(header: list[str], values) -> dict:
    return {field: values[i] for i, field in enumerate(header) if field and i < len(values)}


def _fields_of(labels) -> list[str]:
    by_alias = {alias.lower(): field for field, aliases in FIELDS.items() for alias in aliases}
    return [by_alias.get(header_label(label).lower(), "") for label in labels]


def parse_xlsx(upload) -> list[tuple[int, dict]]:
    data = workbook_bytes(upload)
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        header = _fields_of(header_row(sheet))
        missing = [LABELS[f] for f in ("vendor_item_id", "text", "occurred_at") if f not in header]
        if missing:
            raise ImportFileError(f"第 1 行缺少列：{'、'.join(missing)}（列名见页面说明）")
        return [
            (number, _row_dict(header, values))
            for number, values in data_rows(sheet, width=len(header), max_rows=MAX_ROWS)
        ]
    finally:
        workbook.close()


def parse_json(upload) -> list[tuple[int, dict]]:
    """A JSON array of objects, or {"items": [...]}; row numbers count items from 1."""
    data = read_at_most(upload, MAX_JSON_BYTES)
    if data is None:
        raise ImportFileError(f"文件超过 {MAX_JSON_BYTES // 1024 // 1024} MB，请分批导入")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFileError(f"不是有效的 JSON 文件：{exc}"[:200]) from None
    return json_rows(document)


def json_rows(document) -> list[tuple[int, dict]]:
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ImportFileError("JSON 应为信息数组，或含 items 数组的对象")
    rows = []
    by_alias = {alias.lower(): field for field, aliases in FIELDS.items() for alias in aliases}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ImportRejected([RowError(number, "整行", "应为对象（{…}）")], what="舆情信息")
        rows.append((number, {by_alias.get(str(k).lower(), ""): v for k, v in item.items()}))
    return rows


def vendor_import(*, actor, vendor: str, upload, filename: str) -> VendorResult:
    if not may(actor, "opinion.import"):
        raise Forbidden("只有区政府办公室可以导入服务商的舆情信息")
    vendor = clean_text(vendor, field="vendor", label="服务商名称", required=True, max_length=100)
    name = (filename or "").lower()
    if name.endswith(".json"):
        rows = parse_json(upload)
    elif name.endswith(".xlsx"):
        rows = parse_xlsx(upload)
    else:
        raise ImportFileError("请上传服务商导出的 Excel（.xlsx）或 JSON（.json）文件")
    return vendor_items_store(
        vendor=vendor, rows=check_rows(rows), kind=SignalKind.VENDOR_IMPORT, actor=actor
    )


# ---------------------------------------------------------------- tokens


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def vendor_token_create(*, actor, vendor: str) -> tuple[VendorToken, str]:
    """A new token for a vendor, shown once."""
    if not may(actor, "opinion.import"):
        raise Forbidden("只有区政府办公室可以为服务商签发令牌")
    vendor = clean_text(vendor, field="vendor", label="服务商名称", required=True, max_length=100)
    key = VendorToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = VendorToken.objects.create(
            vendor=vendor, key_hash=_hash(key), hint=key[:10], created_by=actor
        )
        audit_record(actor=actor, action="opinion.vendor_token_create", obj=token, org=actor.org)
    return token, key


def vendor_token_revoke(*, actor, token_id: int) -> VendorToken:
    if not may(actor, "opinion.import"):
        raise Forbidden("只有区政府办公室可以吊销服务商令牌")
    with transaction.atomic():
        token = VendorToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None:
            raise NotFound("令牌不存在")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="opinion.vendor_token_revoke", obj=token, org=actor.org
            )
    return token


def vendor_authenticate(key: str) -> VendorToken | None:
    if not key or not key.startswith(VendorToken.PREFIX):
        return None
    token = VendorToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is not None:
        VendorToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
