"""Writes of the compliance domain: refreshing the stored findings, and rule exceptions.

compliance_refresh recomputes the rules for some organizations (or all) and opens and resolves
findings so the stored rows equal what the rules say now. It is idempotent: run twice, the second
run changes nothing. Refreshes are serialized on the ComplianceState row, so one computed from
older data never overwrites a newer one.

A change refreshes only the organizations it touched (refresh_after_commit: incremental, the
default). The daily full refresh goes through every organization in chunks of bounded size,
each its own transaction, and resumes from its stored cursor if it was cut short.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.orgs.models import Organization
from govmedia.registry.models import AccountStatus, MediaAccount

from . import rules, selectors
from .models import ComplianceFinding, ComplianceState, RuleException

BATCH = 500
# A full refresh goes through the organizations in id order, a chunk at a time: as many whole
# organizations as hold up to CHUNK_ACCOUNTS accounts (one organization at least, at most
# CHUNK_ORGS), each chunk its own transaction, so its time and memory stay bounded at any size.
CHUNK_ACCOUNTS = 2000
CHUNK_ORGS = 500
EXCEPTION_AUDITED = ["account", "rule", "reason", "approved_by", "revoked_at"]


@dataclass(frozen=True)
class RefreshResult:
    opened: int
    resolved: int
    updated: int
    chunks: int = 1
    complete: bool = True  # False: a full refresh stopped after max_chunks; the next resumes

    def __add__(self, other: "RefreshResult") -> "RefreshResult":
        return RefreshResult(
            self.opened + other.opened,
            self.resolved + other.resolved,
            self.updated + other.updated,
            self.chunks + other.chunks,
            other.complete,
        )


def _lock_state() -> ComplianceState:
    state = ComplianceState.objects.select_for_update().filter(pk=1).first()
    if state is None:  # the migration creates it; a flushed test database has none
        ComplianceState.objects.get_or_create(pk=1)
        state = ComplianceState.objects.select_for_update().get(pk=1)
    return state


def _existing(org_ids) -> QuerySet:
    """The open findings the rules of these orgs produce: those of the accounts they host, and
    the account-less ones (an 开设 filing before its account) of the orgs themselves. A finding
    belongs to exactly one org this way, so refreshing orgs in chunks sees each once."""
    return ComplianceFinding.objects.open().filter(
        Q(account__host_org_id__in=org_ids) | Q(account__isnull=True, org_id__in=org_ids)
    )


def _touched_orgs(account_ids, org_ids) -> list[int]:
    """These orgs, and the orgs of these accounts: where they are, and where their open
    findings were (a transferred account leaves a duplicate behind)."""
    scope_orgs = set(org_ids or ())
    if account_ids:
        ids = sorted({int(i) for i in account_ids})
        scope_orgs |= set(
            MediaAccount.objects.filter(pk__in=ids).values_list("host_org_id", flat=True)
        )
        scope_orgs |= set(
            ComplianceFinding.objects.open()
            .filter(account_id__in=ids)
            .values_list("org_id", flat=True)
        )
    return sorted(scope_orgs)


def _apply(org_ids: list[int] | None, *, today, actor, audit_scope) -> RefreshResult:
    """Make the stored open findings of these orgs (None: all) equal what the rules say now.
    Runs in the caller's transaction, holding the ComplianceState lock."""
    if org_ids is None:
        scope, existing = selectors.everything, ComplianceFinding.objects.open()
    else:
        scope, existing = selectors.orgs_scope(org_ids), _existing(org_ids)
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
        ComplianceFinding.objects.filter(pk__in=gone[start : start + BATCH]).update(resolved_at=now)

    changed = []
    for key, row in current.items():
        f = computed.get(key)
        if f and (row.message, row.org_id, row.since) != (f.message[:500], f.org_id, f.since):
            row.message, row.org_id, row.since = f.message[:500], f.org_id, f.since
            changed.append(row)
    ComplianceFinding.objects.bulk_update(changed, ["message", "org", "since"], batch_size=BATCH)

    if opened or gone:
        audit_record(
            actor=actor,
            action="compliance.refresh",
            object_type="compliance.compliancefinding",
            object_repr="合规检查",
            after={
                "scope": audit_scope,
                "opened": [row.key for row in opened[:200]],
                "resolved": len(gone),
            },
        )
    return RefreshResult(opened=len(opened), resolved=len(gone), updated=len(changed))


def compliance_refresh(
    *,
    actor=None,
    account_ids: Iterable[int] | None = None,
    org_ids: Iterable[int] | None = None,
    today: date | None = None,
    chunk: int | None = CHUNK_ACCOUNTS,
    max_chunks: int | None = None,
    budget_seconds: float | None = None,
) -> RefreshResult:
    """Recompute for the orgs of these accounts and these orgs (one transaction: the incremental
    refresh after a change), or for everything if neither: the full refresh, in chunks of about
    `chunk` accounts (None: one transaction for all), resumable (see _full_refresh); it stops
    after `max_chunks` chunks or once `budget_seconds` have passed (complete=False)."""
    if account_ids is None and org_ids is None:
        if chunk is None:
            with transaction.atomic():
                _lock_state()
                result = _apply(None, today=today, actor=actor, audit_scope="all")
                _finish_full(_lock_state())
            return result
        return _full_refresh(
            actor=actor, today=today, chunk=chunk, max_chunks=max_chunks, budget=budget_seconds
        )
    account_ids = list(account_ids) if account_ids is not None else None
    org_ids = list(org_ids) if org_ids is not None else None
    with transaction.atomic():
        _lock_state()
        return _apply(
            _touched_orgs(account_ids, org_ids),
            today=today,
            actor=actor,
            audit_scope={"accounts": (account_ids or [])[:100], "orgs": (org_ids or [])[:100]},
        )


def _finish_full(state: ComplianceState) -> None:
    state.last_full_refresh_at = timezone.now()
    state.full_cursor = state.full_started_at = state.full_day = None
    state.save(update_fields=["last_full_refresh_at", "full_cursor", "full_started_at", "full_day"])


def _next_chunk(after: int, chunk: int) -> list[int]:
    """The orgs after `after` (by id) whose accounts add up to about `chunk`: whole orgs only."""
    org_ids = list(
        Organization.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:CHUNK_ORGS]
    )
    sizes = dict(
        MediaAccount.objects.filter(host_org_id__in=org_ids)
        .values("host_org_id")
        .annotate(n=Count("id"))
        .values_list("host_org_id", "n")
    )
    taken, total = [], 0
    for org_id in org_ids:
        size = sizes.get(org_id, 0)
        if taken and total + size > chunk:
            break
        taken.append(org_id)
        total += size
    return taken


def _full_refresh(
    *, actor, today, chunk: int, max_chunks: int | None, budget: float | None
) -> RefreshResult:
    """Every organization, a chunk per transaction. The stored cursor (ComplianceState) says
    which orgs are done: a refresh that stops (max_chunks, a crash, the task timeout) leaves
    the cursor at its last committed chunk and the next full refresh of the same day resumes
    there; one of another day starts over, since the findings depend on the date. Two running
    at once share the cursor: each chunk is taken under the state's lock, so none twice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        state = _lock_state()
        if state.full_cursor is None or state.full_day != today:
            state.full_cursor, state.full_started_at, state.full_day = 0, timezone.now(), today
            state.save(update_fields=["full_cursor", "full_started_at", "full_day"])
    result, started = RefreshResult(0, 0, 0, chunks=0), time.monotonic()
    while (max_chunks is None or result.chunks < max_chunks) and (
        budget is None or time.monotonic() - started < budget
    ):
        with transaction.atomic():
            state = _lock_state()
            if state.full_cursor is None or state.full_day != today:
                break  # another refresh finished it (or started another day's)
            org_ids = _next_chunk(state.full_cursor, chunk)
            if not org_ids:
                _finish_full(state)
                break
            result += _apply(
                org_ids,
                today=today,
                actor=actor,
                audit_scope={"all": True, "orgs": [org_ids[0], org_ids[-1]]},
            )
            state.full_cursor = org_ids[-1]
            state.save(update_fields=["full_cursor"])
    else:
        return replace(result, complete=False)
    return result


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
