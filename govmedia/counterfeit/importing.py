"""Excel import of counterfeit leads (e.g. a list the 网信办 or a platform sends): the template,
and an all-or-nothing import like the registry's (govmedia.registry.excel.importer).

Every row is checked first (platform, name, lengths, not a registered account, no repeat within
the file); any error rejects the whole file with its row and column. Otherwise one transaction
creates the cases, a row about an account already under a case being added to that case.
"""

import io
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import may

# The file checks (size, legacy .xls, zip bomb) and the cell reading are core's: one
# implementation of what a safe upload is, shared with the registry import.
from govmedia.core.spreadsheets import (
    ImportFileError,
    ImportRejected,
    RowError,
    cell_text,
    data_rows,
    header_label,
    header_row,
    open_sheet,
    set_text,
    workbook_bytes,
)
from govmedia.registry.models import Platform

from . import selectors, services
from .models import SuspectSource

SHEET_NAME = "假冒账号线索"
GUIDE_SHEET_NAME = "填写说明"
OPTIONS_SHEET_NAME = "选项"
EXAMPLE_MARK = "示例"
MAX_ROWS = 2000
LAST_ROW = MAX_ROWS + 2

SEQ, PLATFORM, NAME, HANDLE, VERIFIED, SUBJECT, NOTE = (
    "序号",
    "运行平台",
    "账号名称",
    "账号",
    "平台认证",
    "认证主体",
    "情况说明",
)
HEADERS = [SEQ, PLATFORM, NAME, HANDLE, VERIFIED, SUBJECT, NOTE]
REQUIRED_HEADERS = [PLATFORM, NAME, HANDLE]
VERIFIED_BY_TEXT = {
    "已认证": True,
    "是": True,
    "未认证": False,
    "否": False,
    "不清楚": None,
    "": None,
}
HELP = {
    SEQ: ("选填", "可留空；写“示例”的行不会导入"),
    PLATFORM: ("必填", "从下拉列表选择"),
    NAME: ("必填", "账号在平台上显示的名称，不超过 100 字"),
    HANDLE: ("选填", "微信号、微博 UID、抖音号等；同一平台同一账号已有线索的，并入该线索"),
    VERIFIED: ("选填", "已认证 / 未认证 / 不清楚，留空视为不清楚"),
    SUBJECT: ("选填", "平台显示的认证主体，如“某某文化传媒有限公司”"),
    NOTE: ("选填", "来源、冒用了谁的名义等，不超过 2000 字"),
}
EXAMPLE = ["示例", "抖音", "定淘发布", "dingtao_fb", "未认证", "", "网信办转来的线索"]


# ---------------------------------------------------------------- the template


def build_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for index, label in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE8E8" if HELP[label][0] == "必填" else "F0F2F5")
        sheet.column_dimensions[get_column_letter(index)].width = 28 if label == NOTE else 16
        sheet.cell(row=2, column=index).font = Font(color="6B7280")
    options = workbook.create_sheet(OPTIONS_SHEET_NAME)
    platforms = list(Platform.objects.filter(is_active=True).values_list("name", flat=True))
    for row, name in enumerate(platforms, start=1):
        set_text(options.cell(row=row, column=1), name)
    for row, text in enumerate(("已认证", "未认证", "不清楚"), start=1):
        options.cell(row=row, column=2, value=text)
    options.sheet_state = "hidden"
    quoted = quote_sheetname(OPTIONS_SHEET_NAME)
    for column, formula in (
        (2, f"{quoted}!$A$1:$A${max(1, len(platforms))}"),
        (5, f"{quoted}!$B$1:$B$3"),
    ):
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = f"请从下拉列表选择{HEADERS[column - 1]}"
        letter = get_column_letter(column)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)
    guide = workbook.create_sheet(GUIDE_SHEET_NAME, 1)
    guide.append(["假冒账号线索导入说明（依据：通知第五部分（二））"])
    guide.append(
        [
            "每行一个疑似假冒政务新媒体的账号；第 2 行示例不会导入；只要有一处错误，整个文件都不会导入。"
        ]
    )
    guide.append([])
    guide.append(["列名", "是否必填", "填写要求"])
    for label in HEADERS:
        guide.append([label, *HELP[label]])
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["C"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading


@dataclass
class LeadRow:
    number: int
    platform: Platform | None
    display_name: str
    handle: str
    verified: bool | None
    verified_reason: str
    description: str


def _positions(header) -> dict[str, int]:
    labels = [header_label(value) for value in header]
    positions = {label: index for index, label in enumerate(labels) if label}
    missing = [label for label in REQUIRED_HEADERS if label not in positions]
    if missing:
        raise ImportFileError(f"第 1 行表头缺少列：{'、'.join(missing)}。请使用最新的导入模板")
    return positions


def read_leads(upload) -> tuple[list[LeadRow], list[RowError]]:
    """The leads of the sheet and the errors of their cells, streamed: the sheet is read only
    up to MAX_ROWS data rows (RowLimitExceeded at the next) or its first long run of empty rows."""
    platforms = {}
    for platform in Platform.objects.filter(is_active=True):
        platforms[platform.name] = platform
        platforms.setdefault(platform.code, platform)
    leads, errors = [], []
    with open_sheet(workbook_bytes(upload), SHEET_NAME) as sheet:
        header = header_row(sheet)
        if not header:
            raise ImportFileError("工作表是空的：请使用导入模板")
        positions = _positions(header)

        def cell(label, values):
            index = positions.get(label)
            return cell_text(values[index]) if index is not None and index < len(values) else ""

        def skip(values) -> bool:
            return all(not cell(label, values) for label in HEADERS) or (
                cell(SEQ, values) == EXAMPLE_MARK
            )

        rows = data_rows(sheet, width=max(positions.values()) + 1, max_rows=MAX_ROWS, skip=skip)
        for number, values in rows:
            lead, row_errors = _parse(number, partial(cell, values=values), platforms)
            leads.append(lead)
            errors += row_errors
    if not leads:
        raise ImportFileError("工作表中没有数据行：请在表头下方逐行填写（示例行不会导入）")
    return leads, errors


def _parse(number: int, cell, platforms) -> tuple[LeadRow, list[RowError]]:
    errors = []
    platform_text = cell(PLATFORM)
    platform = platforms.get(platform_text)
    if not platform_text:
        errors.append(RowError(number, PLATFORM, "请填写运行平台"))
    elif platform is None:
        errors.append(RowError(number, PLATFORM, f"运行平台“{platform_text}”不在平台列表中"))
    verified_text = cell(VERIFIED)
    if verified_text not in VERIFIED_BY_TEXT:
        errors.append(RowError(number, VERIFIED, "平台认证应填“已认证”“未认证”或“不清楚”"))
    lead = LeadRow(
        number=number,
        platform=platform,
        display_name=cell(NAME),
        handle=cell(HANDLE),
        verified=VERIFIED_BY_TEXT.get(verified_text),
        verified_reason=cell(SUBJECT),
        description=cell(NOTE),
    )
    if not lead.display_name:
        errors.append(RowError(number, NAME, "请填写账号名称"))
    for label, value, limit in (
        (NAME, lead.display_name, 100),
        (HANDLE, lead.handle, 100),
        (SUBJECT, lead.verified_reason, 200),
        (NOTE, lead.description, 2000),
    ):
        if len(value) > limit:
            errors.append(RowError(number, label, f"不得超过 {limit} 个字符"))
    return lead, errors


def lead_errors(leads: list[LeadRow], context: selectors.ScoringContext) -> list[RowError]:
    """Rules across rows and against the registry: no repeats in the file, no genuine account."""
    errors, first = [], {}
    for lead in leads:
        if lead.platform is None:
            continue
        key = (lead.platform.pk, lead.handle or f"名称:{lead.display_name}")
        if key in first:
            errors.append(
                RowError(lead.number, HANDLE, f"与第 {first[key]} 行是同一平台上的同一账号")
            )
            continue
        first[key] = lead.number
        if lead.handle:
            assessment = selectors.assess(
                platform_code=lead.platform.code,
                handle=lead.handle,
                display_name=lead.display_name,
                context=context,
            )
            if assessment.genuine:
                errors.append(
                    RowError(
                        lead.number,
                        HANDLE,
                        f"即已登记的政务新媒体“{assessment.matched.name}”，不是假冒账号",
                    )
                )
    return errors


# ---------------------------------------------------------------- importing


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int


def suspects_import(*, actor, upload) -> ImportResult:
    """All rows or none: ImportFileError for an unusable file, ImportRejected listing every error."""
    if not may(actor, "counterfeit.change"):
        raise Forbidden("只有平台管理员可以导入假冒账号线索")
    leads, errors = read_leads(upload)
    context = selectors.scoring_context()
    errors += lead_errors(leads, context)
    if errors:
        raise ImportRejected(errors)
    created = merged = 0
    with transaction.atomic():
        for lead in leads:
            try:
                result = services.suspect_create(
                    actor=actor,
                    platform=lead.platform,
                    display_name=lead.display_name,
                    handle=lead.handle,
                    verified=lead.verified,
                    verified_reason=lead.verified_reason,
                    description=lead.description,
                    source=SuspectSource.IMPORT,
                    context=context,
                )
            except ServiceError as exc:  # the registry changed since the check: refuse all
                raise ImportRejected([RowError(lead.number, HANDLE, exc.message)]) from None
            created += int(result.created)
            merged += int(not result.created)
        audit_record(
            actor=actor,
            action="suspect.import_batch",
            object_type="counterfeit.import",
            object_id=str(len(leads)),
            object_repr=f"导入假冒账号线索 {len(leads)} 行：{getattr(upload, 'name', '')}"[:200],
            after={"rows": len(leads), "created": created, "merged": merged},
        )
    return ImportResult(created=created, merged=merged)
