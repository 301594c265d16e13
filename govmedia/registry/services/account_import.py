"""accounts_import: registering an existing inventory of accounts in one go (通知第二部分（一）:
已经开设政务新媒体的镇街、部门 are to be registered and then filed).

All or nothing: every row is checked against the same form rules as a filing, plus the
registry's own (the host unit is in the importer's scope and active; one live account per
platform and handle, within the file and against the registry). Any error rejects the whole
file; otherwise one transaction creates every account as registered but not yet filed (no
filing number: the number comes with the first approved filing, 一案一号).

Audit: one `account.import` event per account, because the audit log promises a trail per
object (an account's history starts with the import that created it), appended in one go by
audit_record_many (one event at a time would take 3 queries each: 14 s for 5,000 rows on
PostgreSQL); plus one `account.import_batch` event naming the file and the count, so the
import also reads as one act.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import Entry, audit_record, audit_record_many, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import may, org_subtree_q
from govmedia.core.spreadsheets import ImportRejected, RowError
from govmedia.orgs.models import Organization, OrgStatus

from .. import form_rules
from ..events import ACCOUNTS_CHANGED
from ..models import AccountStatus, Filing, FilingKind, FilingState, MediaAccount
from .filings import ACCOUNT_AUDITED

MAX_ROWS = 20_000
BATCH = 500
HOST_ORG_LABEL = "主办单位"
STATUS_LABEL = "状态"


@dataclass
class ImportRow:
    """One data row: `number` as the spreadsheet shows it, `values` keyed by form field (the
    platform a Platform, dates as date), the host org and the account status."""

    number: int
    values: dict
    host_org: Organization | None
    status: str | None = AccountStatus.RUNNING
    # Columns already found wrong while reading the cells (e.g. an unknown platform), so the
    # rule checks do not repeat them as "请填写…".
    unreadable: set[str] = field(default_factory=set)


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _org_errors(actor, rows: list[ImportRow]) -> list[RowError]:
    org_ids = {row.host_org.pk for row in rows if row.host_org is not None}
    allowed = set()
    for chunk in _chunks(sorted(org_ids)):
        allowed.update(
            Organization.objects.filter(
                org_subtree_q(actor, ""), pk__in=chunk, status=OrgStatus.ACTIVE
            ).values_list("pk", flat=True)
        )
    errors = []
    for row in rows:
        if HOST_ORG_LABEL in row.unreadable:
            continue
        if row.host_org is None:
            errors.append(RowError(row.number, HOST_ORG_LABEL, "请填写主办单位"))
        elif row.host_org.pk not in allowed:
            errors.append(
                RowError(
                    row.number,
                    HOST_ORG_LABEL,
                    f"“{row.host_org.name}”不在您的管理范围内，或已撤销、整合",
                )
            )
    return errors


def _form_errors(rows: list[ImportRow]) -> list[RowError]:
    today = timezone.localdate()
    errors = []
    for row in rows:
        values = form_rules.normalize_values(row.values)
        for name, message in form_rules.form_errors(values, today=today).items():
            label = form_rules.LABELS[name]
            if label not in row.unreadable:
                errors.append(RowError(row.number, label, message))
        if STATUS_LABEL not in row.unreadable and row.status not in AccountStatus.values:
            errors.append(RowError(row.number, STATUS_LABEL, "状态应为“运行中”“已关停”或“已注销”"))
    return errors


def _live(row: ImportRow) -> bool:
    return row.status != AccountStatus.CANCELLED


def _handle_key(row: ImportRow) -> tuple[int, str] | None:
    platform, handle = row.values.get("platform"), (row.values.get("handle") or "")
    handle = handle.strip() if isinstance(handle, str) else str(handle)
    if platform is None or not handle:
        return None
    return platform.pk, handle


def _duplicate_errors(rows: list[ImportRow]) -> list[RowError]:
    """One live account per (platform, handle): within the file, against the registry, and
    against an 开设 filing already under review."""
    label = form_rules.LABELS["handle"]
    errors, first_row = [], {}
    keyed = [(row, key) for row in rows if _live(row) and (key := _handle_key(row))]
    for row, key in keyed:
        if key in first_row:
            errors.append(
                RowError(
                    row.number,
                    label,
                    f"与第 {first_row[key]} 行重复：同一平台上的同一账号只能登记一次",
                )
            )
        else:
            first_row[key] = row.number
    handles = sorted({key[1] for _, key in keyed})
    registered, in_review = {}, set()
    for chunk in _chunks(handles):
        for platform_id, handle, name in (
            MediaAccount.objects.filter(handle__in=chunk)
            .exclude(status=AccountStatus.CANCELLED)
            .values_list("platform_id", "handle", "name")
        ):
            registered[(platform_id, handle)] = name
        in_review.update(
            Filing.objects.filter(
                handle__in=chunk,
                kind=FilingKind.OPEN,
                state__in=[FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED],
            ).values_list("platform_id", "handle")
        )
    for row, key in keyed:
        if key in registered:
            errors.append(
                RowError(
                    row.number,
                    label,
                    f"{row.values['platform']}上已登记账号“{key[1]}”，不能重复登记",
                )
            )
        elif key in in_review:
            errors.append(RowError(row.number, label, f"账号“{key[1]}”已有一份开设备案正在审核"))
    return errors


def accounts_import_errors(*, actor, rows: list[ImportRow]) -> list[RowError]:
    """Every rule every row breaks (empty when the rows may be imported). Reads only."""
    return sorted(_org_errors(actor, rows) + _form_errors(rows) + _duplicate_errors(rows))


def accounts_import(*, actor, rows: list[ImportRow], source: str = "") -> list[MediaAccount]:
    """Create one registered, not yet filed account per row, or raise ImportRejected."""
    if not may(actor, "registry.change"):
        raise Forbidden("您无权导入政务新媒体")
    if not rows:
        raise ServiceError("没有可导入的数据行", field="file")
    if len(rows) > MAX_ROWS:
        raise ServiceError(f"一次最多导入 {MAX_ROWS} 行，请分批导入", field="file")
    with transaction.atomic():
        # Checked again inside the transaction: the registry may have changed since the preview.
        if errors := accounts_import_errors(actor=actor, rows=rows):
            raise ImportRejected(errors)
        accounts = [
            MediaAccount(
                host_org=row.host_org, status=row.status, **form_rules.normalize_values(row.values)
            )
            for row in rows
        ]
        try:
            with transaction.atomic():
                created = MediaAccount.objects.bulk_create(accounts, batch_size=BATCH)
        except IntegrityError as exc:
            raise Conflict(
                "导入期间有账号已被他人登记，请重新导入以查看具体行", field="file"
            ) from exc
        audit_record_many(
            actor=actor,
            action="account.import",
            entries=[
                Entry(account, org=account.host_org, after=snapshot(account, ACCOUNT_AUDITED))
                for account in created
            ],
        )
        audit_record(
            actor=actor,
            action="account.import_batch",
            object_type="registry.import",
            object_id=str(created[0].pk),
            object_repr=f"导入 {len(created)} 个政务新媒体：{source}"[:200],
            org=actor.org,
            after={"count": len(created), "source": source},
        )
        ACCOUNTS_CHANGED.publish(account_ids=[account.pk for account in created], org_ids=[])
    return created
