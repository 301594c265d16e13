"""年度考核 weights, set by the district office, and the Excel export of the year."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import may
from govmedia.core.versions import check_version

from .. import annual
from ..models import AnnualWeights

FIELDS = [*annual.COMPONENTS, "bulletin_penalty"]


@transaction.atomic
def weights_set(*, actor, year: int, version, **values) -> AnnualWeights:
    if not may(actor, "assessment.manage"):
        raise Forbidden("只有区政府办公室可以设置年度考核权重")
    row = AnnualWeights.objects.select_for_update().filter(year=year).first()
    if row is None:
        row = AnnualWeights(year=year)
        if version not in (None, "", 0, "0"):
            check_version(row, version, noun="年度考核权重")
    else:
        check_version(row, version, noun="年度考核权重")
    before = snapshot(row, FIELDS) if row.pk else None
    for name in FIELDS:
        label = annual.LABELS.get(name, "每个被通报不合格账号扣分")
        try:
            value = Decimal(str(values.get(name)))
        except (InvalidOperation, ValueError):
            raise ServiceError(f"{label}应为数字", field=name) from None
        if not value.is_finite() or not 0 <= value <= 100:
            raise ServiceError(f"{label}应在0到100之间", field=name)
        setattr(row, name, value.quantize(Decimal("0.01")))
    if sum(getattr(row, name) for name in annual.COMPONENTS) != 100:
        raise ServiceError("四项权重之和应为100", field="checks")
    row.updated_by = actor
    if row.pk:
        row.version += 1
    row.save()
    audit_record(
        actor=actor,
        action="assessment.weights_set",
        obj=row,
        object_repr=f"{year}年度考核权重",
        before=before,
        after=snapshot(row, FIELDS),
    )
    return row


def annual_rows(units) -> tuple[list[str], list[list]]:
    headers = ["单位", "抽查账号次数", "合格", "被通报不合格", "整改项", "已整改", "转载完成率"]
    headers += [annual.LABELS[name] for name in annual.COMPONENTS] + ["综合得分"]
    rows = []
    for unit in units:
        rate = f"{unit.repost_rate * 100:.1f}%" if unit.repost_rate is not None else "—"
        rows.append(
            [
                unit.org_name,
                unit.sheets,
                unit.passed,
                unit.named_failed,
                unit.rectifications,
                unit.rectified,
                rate,
                *[
                    "—" if unit.components[name] is None else float(unit.components[name])
                    for name in annual.COMPONENTS
                ],
                "—" if unit.total is None else float(unit.total),
            ]
        )
    return headers, rows
