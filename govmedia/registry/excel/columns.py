"""The columns of the registry workbook, shared by the template, the importer and the export,
so a file downloaded from one can be filled in and read by the other."""

from govmedia.orgs.models import Organization
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

# 主办单位 as the template lists it and the importer reads it: a unit's name, or, where active
# units share a name, the name with as many of its superior units as tell them apart
# ("天中街道/综合科/办公室"). Written by one function for both, so they always agree.
ORG_SEPARATOR = "/"


def host_org_labels(orgs) -> dict[int, str]:
    """{org id: label} for the given active orgs (Organization rows with name and path)."""
    by_name: dict[str, list] = {}
    for org in orgs:
        by_name.setdefault(org.name, []).append(org)
    ancestor_ids = {i for org in orgs for i in org.ancestor_ids()}
    names = dict(Organization.objects.filter(pk__in=ancestor_ids).values_list("pk", "name"))
    labels = {}
    for name, group in by_name.items():
        if len(group) == 1:
            labels[group[0].pk] = name
            continue
        chains = {org.pk: [names.get(i, "") for i in org.ancestor_ids()] for org in group}
        depth = 1
        while True:
            candidate = {
                pk: ORG_SEPARATOR.join([*chain[-depth:], name]) for pk, chain in chains.items()
            }
            longest = max(len(chain) for chain in chains.values())
            if len(set(candidate.values())) == len(candidate) or depth >= longest:
                labels.update(candidate)
                break
            depth += 1
    return labels
