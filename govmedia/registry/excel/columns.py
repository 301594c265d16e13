"""The columns of the registry workbook, shared by the template, the importer and the export,
so a file downloaded from one can be filled in and read by the other."""

from govmedia.registry.form_rules import LABELS
from govmedia.registry.models import FORM_FIELDS, AccountStatus, OperatorKind

SHEET_NAME = "政务新媒体"
GUIDE_SHEET_NAME = "填写说明"

SEQ = "序号"
HOST_ORG = "主办单位"
STATUS = "状态"
FILING_NO = "备案号"
# A row whose 序号 cell says 示例 is the template's worked example: the importer skips it.
EXAMPLE_MARK = "示例"

LABELS_BY_FIELD = dict(LABELS)
# 序号 is optional; every other column must be present (in any order).
REQUIRED_HEADERS = [HOST_ORG, *[LABELS[field] for field in FORM_FIELDS], STATUS]
IMPORT_HEADERS = [SEQ, *REQUIRED_HEADERS]

VERIFIED_LABELS = {True: "已认证", False: "未认证"}
VERIFIED_BY_TEXT = {"已认证": True, "是": True, "未认证": False, "否": False}
OPERATOR_KIND_BY_TEXT = {kind.label: kind.value for kind in OperatorKind} | {
    k: k for k in OperatorKind.values
}
STATUS_BY_TEXT = {status.label: status.value for status in AccountStatus} | {
    s: s for s in AccountStatus.values
}

DATE_FIELDS = frozenset({"registered_on"})
TEXT_WIDTHS = {"positioning": 36, "notes": 30, "registrant": 26, "name": 20}
