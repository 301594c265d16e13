"""Writes of the compliance domain: refreshing the stored findings, and rule exceptions.

compliance_refresh recomputes the rules for some organizations (or all) and opens and resolves
findings so the stored rows equal what the rules say now. It is idempotent: run twice, the second
run changes nothing. Refreshes are serialized on the ComplianceState row, so one computed from
older data never overwrites a newer one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.registry.models import AccountStatus, MediaAccount

from . import rules, selectors
from .models import ComplianceFinding, ComplianceState, RuleException

BATCH = 500
EXCEPTION_AUDITED = ["account", "rule", "reason", "approved_by", "revoked_at"]


@dataclass(frozen=True)
class RefreshResult:
    opened: int
    resolved: int
    updated: int


def _lock_state() -> ComplianceState:
    state = ComplianceState.objects.select_for_update().filter(pk=1).first()
    if state is None:  # the migration creates it; a flushed test database has none
        ComplianceState.objects.get_or_create(pk=1)
        state = ComplianceState.objects.select_for_update().get(pk=1)
    return state


def _refresh_scope(account_ids, org_ids):
    """The orgs to recompute and the stored open findings those orgs' rules can produce."""
    if account_ids is None and org_ids is None:
        return selectors.everything, ComplianceFinding.objects.open()
    scope_orgs = set(org_ids or ())
    if account_ids:
        ids = sorted({int(i) for i in account_ids})
        scope_orgs |= set(
            MediaAccount.objects.filter(pk__in=ids).values_list("host_org_id", flat=True)
        )
        # Where an account's findings were: a transferred account leaves a duplicate behind.
        scope_orgs |= set(
            ComplianceFinding.objects.open()
            .filter(account_id__in=ids)
            .values_list("org_id", flat=True)
        )
    scope_orgs = sorted(scope_orgs)
    existing = ComplianceFinding.objects.open().filter(
        Q(account__host_org_id__in=scope_orgs) | Q(account__isnull=True, org_id__in=scope_orgs)
    )
    return selectors.orgs_scope(scope_orgs), existing


def compliance_refresh(
    *,
    actor=None,
    account_ids: Iterable[int] | None = None,
    org_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> RefreshResult:
    """Recompute for the orgs of these accounts and these orgs, or for everything if neither."""
    if account_ids is not None:
        account_ids = list(account_ids)
    if org_ids is not None:
        org_ids = list(org_ids)
    full = account_ids is None and org_ids is None
    with transaction.atomic():
        state = _lock_state()
        scope, existing = _refresh_scope(account_ids, org_ids)
        computed = {f.key: f for f in rules.evaluate(selectors.load_snapshot(scope, today=today))}
        current = {row.key: row for row in existing}
        now = timezone.now()

        opened = [
            ComplianceFinding(
                rule=f.rule,
                key=key,
                account_id=f.account_id,
                filing_id=f.filing_id,
                org_id=f.org_id,
                message=f.message[:500],
                since=f.since,
            )
            for key, f in computed.items()
            if key not in current
        ]
        ComplianceFinding.objects.bulk_create(opened, batch_size=BATCH)

        gone = [row.pk for key, row in current.items() if key not in computed]
        for start in range(0, len(gone), BATCH):
            ComplianceFinding.objects.filter(pk__in=gone[start : start + BATCH]).update(
                resolved_at=now
            )

        changed = []
        for key, row in current.items():
            f = computed.get(key)
            if f and (row.message, row.org_id, row.since) != (f.message[:500], f.org_id, f.since):
                row.message, row.org_id, row.since = f.message[:500], f.org_id, f.since
                changed.append(row)
        ComplianceFinding.objects.bulk_update(
            changed, ["message", "org", "since"], batch_size=BATCH
        )

        if full:
            state.last_full_refresh_at = now
            state.save(update_fields=["last_full_refresh_at"])
        if opened or gone:
            audit_record(
                actor=actor,
                action="compliance.refresh",
                object_type="compliance.compliancefinding",
                object_repr="合规检查",
                after={
                    "scope": "all"
                    if full
                    else {"accounts": (account_ids or [])[:100], "orgs": (org_ids or [])[:100]},
                    "opened": [row.key for row in opened[:200]],
                    "resolved": len(gone),
                },
            )
    return RefreshResult(opened=len(opened), resolved=len(gone), updated=len(changed))


# ---- after a change elsewhere ------------------------------------------------------------------

REFRESH_TASK = "govmedia.compliance.tasks.refresh"


def refresh_after_commit(
    account_ids: Iterable[int] | None = None, org_ids: Iterable[int] | None = None
) -> None:
    """Recompute the findings of these accounts' and units' organizations (both None:
    everything) once the caller's transaction commits — never for a rolled-back change — as a
    django-q task so the user's request does not wait, or inline when Q_CLUSTER["sync"] is set
    (tests, a single process)."""
    scope = {}
    if account_ids is not None:
        scope["account_ids"] = sorted({int(i) for i in account_ids})
    if org_ids is not None:
        scope["org_ids"] = sorted({int(i) for i in org_ids})
    if scope and not any(scope.values()):
        return
    transaction.on_commit(lambda: _run_refresh(**scope))


def _run_refresh(**scope) -> None:
    if settings.Q_CLUSTER.get("sync"):
        compliance_refresh(**scope)
        return
    from django_q.tasks import async_task

    async_task(
        REFRESH_TASK, q_options={"task_name": "合规检查（变更后）", "group": "compliance"}, **scope
    )


def on_orgs_changed(*, org_ids) -> None:
    refresh_after_commit(org_ids=org_ids)


def on_accounts_changed(*, account_ids, org_ids) -> None:
    refresh_after_commit(account_ids=account_ids, org_ids=org_ids)


def _check_may_except(actor) -> None:
    if not may(actor, "registry.exception"):
        raise Forbidden("只有平台管理员（区政府办公室）可以批准或撤销规则例外")


def rule_exception_grant(*, actor, account_id: int, rule: str, reason: str) -> RuleException:
    """An approved exception (e.g. 特殊工作需要, 通知第二部分（一）) suppresses the rule for the account."""
    _check_may_except(actor)
    definition = rules.RULES.get(rule)
    if definition is None or not definition.exceptable:
        allowed = "、".join(r.title for r in rules.RULES.values() if r.exceptable)
        raise ServiceError(f"该规则不能批准例外；可批准例外的规则：{allowed}", field="rule")
    reason = clean_text(
        reason,
        field="reason",
        label="例外理由",
        required=True,
        max_length=1000,
        required_message="请填写例外理由，说明特殊工作需要的具体情况",
    )
    with transaction.atomic():
        account = get_scoped(
            MediaAccount.objects.select_for_update(), actor, account_id, "exception"
        )
        if account.status == AccountStatus.CANCELLED:
            raise ServiceError(f"“{account.name}”已注销，无需批准例外", field="account")
        if RuleException.objects.filter(
            account=account, rule=rule, revoked_at__isnull=True
        ).exists():
            raise Conflict(
                f"“{account.name}”已有“{definition.title}”的有效例外（可能已由他人批准），请刷新"
            )
        try:
            with transaction.atomic():
                exception = RuleException.objects.create(
                    account=account, rule=rule, reason=reason, approved_by=actor
                )
        except IntegrityError as exc:
            raise Conflict("该例外已由他人同时批准，请刷新") from exc
        audit_record(
            actor=actor,
            action="rule_exception.grant",
            obj=exception,
            org=account.host_org,
            object_repr=f"{definition.title}：{account.name}",
            after=snapshot(exception, EXCEPTION_AUDITED),
        )
        refresh_after_commit([account.pk])
    return exception


def rule_exception_revoke(*, actor, exception_id: int) -> RuleException:
    _check_may_except(actor)
    with transaction.atomic():
        exception = get_scoped(
            RuleException.objects.select_for_update(), actor, exception_id, "exception"
        )
        if exception.revoked_at is not None:
            raise Conflict("该例外已被撤销（可能已由他人处理），请刷新")
        before = snapshot(exception, EXCEPTION_AUDITED)
        exception.revoked_at = timezone.now()
        exception.save(update_fields=["revoked_at"])
        account = MediaAccount.objects.select_related("host_org").get(pk=exception.account_id)
        definition = rules.RULES.get(exception.rule)
        audit_record(
            actor=actor,
            action="rule_exception.revoke",
            obj=exception,
            org=account.host_org,
            object_repr=f"{definition.title if definition else exception.rule}：{account.name}",
            before=before,
            after=snapshot(exception, EXCEPTION_AUDITED),
        )
        refresh_after_commit([account.pk])
    return exception
