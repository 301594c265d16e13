"""The order of the org tree as the notice lists units: under each parent the 镇、街道 first,
then the 部门, then 内设机构, 下属单位, 直属单位 and 企事业单位; within a type by the unit's
sort order (排序), then by name."""

from .models import Organization, OrgType

TYPE_ORDER = {
    OrgType.DISTRICT: 0,
    OrgType.TOWNSHIP: 1,
    OrgType.DEPARTMENT: 2,
    OrgType.INTERNAL: 3,
    OrgType.SUBORDINATE: 4,
    OrgType.DIRECT: 5,
    OrgType.ENTERPRISE: 6,
}


def sibling_key(org: Organization) -> tuple:
    return (TYPE_ORDER.get(org.org_type, len(TYPE_ORDER)), org.sort_order, org.name)


def in_tree_order(orgs: list[Organization]) -> list[Organization]:
    """The orgs depth first, siblings by sibling_key; an org whose parent is not among them
    starts a tree of its own (a township user's unit)."""
    present = {org.pk for org in orgs}
    children: dict[int | None, list[Organization]] = {}
    for org in orgs:
        parent = org.parent_id if org.parent_id in present else None
        children.setdefault(parent, []).append(org)
    ordered: list[Organization] = []
    stack = sorted(children.get(None, []), key=sibling_key, reverse=True)
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(sorted(children.get(org.pk, []), key=sibling_key, reverse=True))
    return ordered
