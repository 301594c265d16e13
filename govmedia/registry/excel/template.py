"""The import template: the 政务新媒体 sheet (header, one worked example, drop-downs) and a
填写说明 sheet. Its columns are the 备案表's fields (通知附件), so a unit copies its form into it."""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from govmedia.core.scope import org_subtree_q
from govmedia.core.spreadsheets import set_text
from govmedia.orgs.models import Organization, OrgStatus
from govmedia.registry.form_rules import LABELS, REQUIRED
from govmedia.registry.models import (
    FORM_FIELDS,
    MOBILE_FIELDS,
    OFFICE_PHONE_FIELDS,
    AccountStatus,
    OperatorKind,
    Platform,
)
from govmedia.registry.services.account_import import MAX_ROWS

from . import columns

OPTIONS_SHEET_NAME = "选项"
HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
REQUIRED_FILL = PatternFill("solid", fgColor="FDE8E8")
EXAMPLE_FILL = PatternFill("solid", fgColor="F3F4F6")
LAST_ROW = MAX_ROWS + 2  # header, example, then the data rows

TEXT_COLUMNS = frozenset([*MOBILE_FIELDS, *OFFICE_PHONE_FIELDS, "contact_phone", "handle"])

HELP = {
    columns.SEQ: "可留空；写“示例”的行不会导入",
    columns.HOST_ORG: "按“单位管理”中的名称填写，须在您的管理范围内且状态正常；重名时写作“上级单位/单位名称”",
    "name": "政务新媒体在平台上显示的名称",
    "handle": "平台上的账号、微信号或 ID",
    "platform": "从下拉列表选择",
    "registrant": "在平台上登记的注册主体",
    "registered_on": "日期，如 2019-04-16",
    "positioning": "不超过 1000 字",
    "verified": "已认证 / 未认证，留空视为未认证",
    "operator_kind": "本单位运维 / 委托运维机构；留空时按是否填写运维机构判断",
    "operator": "委托运维时填写机构名称",
    "contact_phone": "手机号或带区号的办公电话，如 0530-2212021",
    columns.STATUS: "运行中 / 已关停 / 已注销，留空视为运行中",
}
for _prefix in ("principal", "leader_in_charge", "person_responsible"):
    HELP[f"{_prefix}_office_phone"] = "带区号，如 0530-2212021，可带分机号"
    HELP[f"{_prefix}_mobile"] = "11 位手机号"

EXAMPLE = {
    "name": "天中发布",
    "handle": "tianzhongfabu",
    "platform": "微信公众号",
    "registrant": "菏泽市定陶区天中街道办事处",
    "registered_on": "2019-04-16",
    "positioning": "发布本街道政务信息，解读政策，回应群众关切",
    "verified": "已认证",
    "operator_kind": OperatorKind.OWN.label,
    "operator": "",
    "contact_name": "张三",
    "contact_phone": "0530-2212021",
    "notes": "",
    "principal_name": "李主任",
    "principal_office_phone": "0530-2210001",
    "principal_mobile": "13805300001",
    "leader_in_charge_name": "王副主任",
    "leader_in_charge_office_phone": "0530-2210002",
    "leader_in_charge_mobile": "13805300002",
    "person_responsible_name": "赵科员",
    "person_responsible_office_phone": "0530-2210003",
    "person_responsible_mobile": "13805300003",
}

GUIDE = [
    "政务新媒体批量导入说明（依据：通知第二部分（一）“已经开设政务新媒体的镇街、部门，要向区政府办公室进行备案”）",
    "1. 在“政务新媒体”工作表中，从第 3 行起每行填写一个政务新媒体；第 2 行是示例，导入时自动跳过，可保留。",
    "2. 请勿修改第 1 行表头；列的顺序可以调整，但不能删除列。红色表头为必填项。",
    "3. 导入时逐行检查全部数据：只要有一处错误，整个文件都不会导入，页面会按行号和列名列出所有问题，改正后重新上传即可。",
    "4. 同一运行平台上的同一账号只能登记一次（文件内不能重复，也不能与已登记的账号重复）。",
    "5. 导入的账号为“已登记、未备案”，没有备案号；请随后为每个账号办理开设备案，批准后取得备案号（一案一号）。",
    f"6. 一次最多导入 {MAX_ROWS} 行；文件须为 .xlsx 格式（旧版 .xls 请先另存为 .xlsx）。",
    "7. 手机号、办公电话请按文本填写，以免 Excel 去掉开头的 0。",
]


def _org_options(actor) -> list[str]:
    """Active orgs in the actor's scope as the importer reads them (columns.host_org_labels)."""
    orgs = list(
        Organization.objects.filter(org_subtree_q(actor, ""), status=OrgStatus.ACTIVE)
        .only("name", "path")
        .order_by("path")
    )
    labels = columns.host_org_labels(orgs)
    return [labels[org.pk] for org in orgs]


def _options_sheet(workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding each drop-down's choices (a list in the rule itself is limited to
    255 characters); returns the range formula of each list."""
    sheet = workbook.create_sheet(OPTIONS_SHEET_NAME)
    sheet.sheet_state = "hidden"
    formulas = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        set_text(sheet.cell(row=1, column=col), name)
        for row, value in enumerate(values, start=2):
            set_text(sheet.cell(row=row, column=col), value)
        last = max(len(values) + 1, 2)
        formulas[name] = f"{quote_sheetname(OPTIONS_SHEET_NAME)}!${letter}$2:${letter}${last}"
    return formulas


def _validation(sheet, formula: str, column: int, label: str, allow_blank: bool = True) -> None:
    rule = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=allow_blank,
        showErrorMessage=True,
        errorTitle=label,
        error=f"请从下拉列表中选择{label}",
    )
    letter = get_column_letter(column)
    rule.add(f"{letter}3:{letter}{LAST_ROW}")
    sheet.add_data_validation(rule)


def build_template(actor) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = columns.SHEET_NAME
    fields_by_label = {LABELS[f]: f for f in FORM_FIELDS}
    org_options = _org_options(actor)

    for col, label in enumerate(columns.IMPORT_HEADERS, start=1):
        field = fields_by_label.get(label)
        cell = sheet.cell(row=1, column=col, value=label)
        required = label == columns.HOST_ORG or field in REQUIRED
        cell.font = Font(bold=True, color="9B1C1C" if required else "1F2937")
        cell.fill = REQUIRED_FILL if required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if help_text := HELP.get(field or label):
            cell.comment = Comment(help_text, "政务新媒体管理平台")
        dimension = sheet.column_dimensions[get_column_letter(col)]
        dimension.width = columns.TEXT_WIDTHS.get(field, max(10, len(label) * 2 + 4))
        if field in TEXT_COLUMNS:
            dimension.number_format = "@"
        elif field == "registered_on":
            dimension.number_format = "yyyy-mm-dd"

    example = {
        columns.SEQ: columns.EXAMPLE_MARK,
        columns.HOST_ORG: org_options[0] if org_options else "",
        columns.STATUS: AccountStatus.RUNNING.label,
    } | {LABELS[f]: v for f, v in EXAMPLE.items()}
    for col, label in enumerate(columns.IMPORT_HEADERS, start=1):
        cell = sheet.cell(row=2, column=col)
        set_text(cell, example.get(label, ""))
        cell.fill, cell.font = EXAMPLE_FILL, Font(italic=True, color="6B7280")
    sheet.freeze_panes = "C2"

    formulas = _options_sheet(
        workbook,
        {
            "运行平台": list(
                Platform.objects.filter(is_active=True).values_list("name", flat=True)
            ),
            "官方认证": list(columns.VERIFIED_LABELS.values()),
            "运维方式": [kind.label for kind in OperatorKind],
            "状态": [status.label for status in AccountStatus],
            "主办单位": org_options,
        },
    )
    position = {label: col for col, label in enumerate(columns.IMPORT_HEADERS, start=1)}
    for name, label in (
        ("运行平台", LABELS["platform"]),
        ("官方认证", LABELS["verified"]),
        ("运维方式", LABELS["operator_kind"]),
        ("状态", columns.STATUS),
        ("主办单位", columns.HOST_ORG),
    ):
        _validation(sheet, formulas[name], position[label], label)

    guide = workbook.create_sheet(columns.GUIDE_SHEET_NAME, 1)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    for row, line in enumerate(GUIDE, start=1):
        guide.cell(row=row, column=1, value=line).font = Font(bold=row == 1)
    start = len(GUIDE) + 2
    for col, title in enumerate(("列名", "是否必填", "填写要求"), start=1):
        guide.cell(row=start, column=col, value=title).font = Font(bold=True)
    for row, label in enumerate(columns.IMPORT_HEADERS, start=start + 1):
        field = fields_by_label.get(label)
        required = label == columns.HOST_ORG or field in REQUIRED
        guide.cell(row=row, column=1, value=label)
        guide.cell(row=row, column=2, value="必填" if required else "选填")
        guide.cell(row=row, column=3, value=HELP.get(field or label, ""))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
