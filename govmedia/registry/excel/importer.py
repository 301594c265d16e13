"""Reading an inventory workbook (.xlsx) into import rows, refusing bad files with a clear reason.

`import_workbook` is what the page calls: read the file, turn every cell into a form value,
collect every error of every row (the cells' own and the registry's rules), and only when there
is none hand the rows to the `accounts_import` service. Nothing is half-imported.
"""

from dataclasses import dataclass

from govmedia.core.scope import org_subtree_q
from govmedia.core.spreadsheets import (
    ImportFileError,
    ImportRejected,
    RowError,
    cell_date,
    cell_text,
    data_rows,
    header_label,
    header_row,
    open_sheet,
    workbook_bytes,
)
from govmedia.orgs.models import Organization, OrgStatus
from govmedia.registry.models import FORM_FIELDS, Platform
from govmedia.registry.services.account_import import (
    MAX_ROWS,
    ImportRow,
    accounts_import,
    accounts_import_errors,
)

from . import columns


@dataclass
class SheetRow:
    number: int
    cells: dict[str, object]  # header label -> raw cell value


# ---------------------------------------------------------------- the file


def _read_header(first_row) -> dict[int, str]:
    labels = [header_label(value) for value in (first_row or ())]
    positions = {}
    for index, label in enumerate(labels):
        if not label:
            continue
        if label in positions.values():
            raise ImportFileError(f"表头“{label}”出现了两次：请使用导入模板，不要增删或复制列")
        positions[index] = label
    missing = [label for label in columns.REQUIRED_HEADERS if label not in positions.values()]
    if missing:
        raise ImportFileError(
            f"第 1 行表头缺少列：{'、'.join(missing)}。请使用最新的导入模板，表头须在第 1 行"
        )
    return positions


def read_sheet(upload) -> list[SheetRow]:
    """The data rows of the 政务新媒体 sheet, or ImportFileError saying why the file is unusable
    (RowLimitExceeded past MAX_ROWS rows: the sheet is streamed and never read further)."""
    with open_sheet(workbook_bytes(upload), columns.SHEET_NAME) as sheet:
        positions = _read_header(header_row(sheet))
        seq = next((i for i, label in positions.items() if label == columns.SEQ), None)

        def is_example(values) -> bool:
            return (
                seq is not None
                and seq < len(values)
                and (cell_text(values[seq]) == columns.EXAMPLE_MARK)
            )

        result = [
            SheetRow(
                number,
                {
                    label: values[index] if index < len(values) else None
                    for index, label in positions.items()
                },
            )
            for number, values in data_rows(
                sheet, width=max(positions) + 1, max_rows=MAX_ROWS, skip=is_example
            )
        ]
    if not result:
        raise ImportFileError("工作表中没有数据行：请在表头下方逐行填写（示例行不会导入）")
    return result


class _Lookups:
    """Platforms and the orgs of the importer's scope, loaded once for the whole file."""

    def __init__(self, actor):
        self.platforms = {}
        for platform in Platform.objects.all():
            self.platforms[platform.name] = platform
            self.platforms.setdefault(platform.code, platform)
        orgs = list(
            Organization.objects.filter(org_subtree_q(actor, "")).only(
                "id", "name", "parent_id", "status", "path"
            )
        )
        self.orgs_by_id = {org.pk: org for org in orgs}
        self.orgs_by_name: dict[str, list[Organization]] = {}
        for org in orgs:
            self.orgs_by_name.setdefault(org.name, []).append(org)
        active = [org for org in orgs if org.status == OrgStatus.ACTIVE]
        self.orgs_by_label = {
            label: self.orgs_by_id[pk] for pk, label in columns.host_org_labels(active).items()
        }

    def org(self, text: str) -> Organization:
        """As the template lists it (columns.host_org_labels), or by name as in the tree, with
        "上级单位/单位" where two units share a name."""
        text = text.strip().replace("／", columns.ORG_SEPARATOR)
        if found := self.orgs_by_label.get(text):
            return found
        *parents, name = [part.strip() for part in text.split(columns.ORG_SEPARATOR)]
        candidates = self.orgs_by_name.get(name, [])
        if parents:
            candidates = [
                o
                for o in candidates
                if (p := self.orgs_by_id.get(o.parent_id)) and p.name == parents[-1]
            ]
        active = [o for o in candidates if o.status == OrgStatus.ACTIVE]
        if not candidates:
            raise ValueError(
                f"未找到单位“{text}”，或该单位不在您的管理范围内（请按单位管理中的名称填写）"
            )
        if not active:
            raise ValueError(f"“{text}”已撤销或整合，不能作为主办单位")
        if len(active) > 1:
            written = "”或“".join(
                label for label, org in self.orgs_by_label.items() if org in active
            )
            raise ValueError(
                f"有 {len(active)} 个名为“{name}”的单位，请按导入模板的写法填写，如“{written}”"
            )
        return active[0]


def _parse_row(row: SheetRow, lookups: _Lookups) -> tuple[ImportRow, list[RowError]]:
    errors, unreadable, values = [], set(), {}

    def refuse(label: str, message: str) -> None:
        errors.append(RowError(row.number, label, message))
        unreadable.add(label)

    for field in FORM_FIELDS:
        label = columns.LABELS_BY_FIELD[field]
        raw = row.cells.get(label)
        if field in columns.DATE_FIELDS:
            try:
                values[field] = cell_date(raw)
            except ValueError:
                refuse(label, "日期格式应为 2026-03-02（或设置为日期格式的单元格）")
        elif field == "platform":
            text = cell_text(raw)
            platform = lookups.platforms.get(text) if text else None
            if text and platform is None:
                refuse(label, f"运行平台“{text}”不在平台列表中，请从下拉列表选择")
            elif platform is not None and not platform.is_active:
                refuse(label, f"运行平台“{text}”已停用")
            values[field] = platform
        elif field == "verified":
            text = cell_text(raw)
            if text and text not in columns.VERIFIED_BY_TEXT:
                refuse(label, "官方认证应填“已认证”或“未认证”")
            values[field] = columns.VERIFIED_BY_TEXT.get(text, False)
        elif field == "operator_kind":
            text = cell_text(raw)
            if text and text not in columns.OPERATOR_KIND_BY_TEXT:
                refuse(label, "运维方式应填“本单位运维”或“委托运维机构”")
            values[field] = columns.OPERATOR_KIND_BY_TEXT.get(text, "")
        else:
            values[field] = cell_text(raw)

    host_org, org_text = None, cell_text(row.cells.get(columns.HOST_ORG))
    if org_text:
        try:
            host_org = lookups.org(org_text)
        except ValueError as exc:
            refuse(columns.HOST_ORG, str(exc))
    status_text = cell_text(row.cells.get(columns.STATUS))
    status = columns.STATUS_BY_TEXT.get(status_text or "运行中")
    if status is None:
        refuse(columns.STATUS, "状态应为“运行中”“已关停”或“已注销”")
    return ImportRow(row.number, values, host_org, status, unreadable), errors


def parse_rows(actor, sheet_rows: list[SheetRow]) -> tuple[list[ImportRow], list[RowError]]:
    lookups = _Lookups(actor)
    rows, errors = [], []
    for sheet_row in sheet_rows:
        row, row_errors = _parse_row(sheet_row, lookups)
        rows.append(row)
        errors.extend(row_errors)
    return rows, errors


@dataclass
class ImportResult:
    created: int


def import_workbook(*, actor, upload) -> ImportResult:
    """Read, check every row, and import all of it or none: ImportFileError for an unusable
    file, ImportRejected (with every row error) for a file that breaks the rules."""
    rows, errors = parse_rows(actor, read_sheet(upload))
    errors += accounts_import_errors(actor=actor, rows=rows)
    if errors:
        raise ImportRejected(errors)
    created = accounts_import(actor=actor, rows=rows, source=getattr(upload, "name", "") or "")
    return ImportResult(created=len(created))
