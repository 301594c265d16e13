"""What the compliance rules read, loaded in a fixed number of queries (never one per account),
and the reads of the stored findings that the pages show.

A scope is a function from a field path ("host_org", "account__host_org", "org") to the Q that
selects the rows whose organization is in scope: a user's subtree, a set of orgs, or everything.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from govmedia.core.scope import may, org_subtree_q
from govmedia.orgs.models import Organization
from govmedia.registry.models import Filing, FilingState, MediaAccount
from govmedia.workdays.calendar import current_calendar

from . import rules
from .models import ComplianceFinding, RuleException

Scope = Callable[[str], Q]


# Counts that apps above compliance contribute to its rules (rule code → loader), registered
# from their AppConfig.ready(): compliance may not import them. A loader takes the scope and
# returns {account_id: rules.AccountCount} in a fixed number of queries.
CountLoader = Callable[[Scope], Mapping[int, rules.AccountCount]]
_count_loaders: dict[str, CountLoader] = {}


def register_counts(rule: str, loader: CountLoader) -> None:
    if rule not in rules.RULES:
        raise KeyError(f"unknown compliance rule {rule!r}")
    _count_loaders[rule] = loader


def everything(field: str) -> Q:
    return Q()


def user_scope(user) -> Scope:
    return lambda field: org_subtree_q(user, field)


def orgs_scope(org_ids: Iterable[int]) -> Scope:
    ids = sorted(set(org_ids))
    return lambda field: Q(**{f"{field}__in": ids})


def _local_date(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _filings_q(scope: Scope) -> Q:
    """Filings of the accounts in scope, and the account-less 开设 filings of the orgs in scope."""
    by_account = scope("account__host_org")
    if not by_account:  # everything: an empty Q would vanish from the OR below and hide rows
        return Q()
    return by_account | (Q(account__isnull=True) & scope("org"))


def load_snapshot(scope: Scope = everything, *, today: date | None = None) -> rules.Snapshot:
    """Five queries, whatever the number of accounts (plus one for the calendar's stamp and
    those of each registered count loader)."""
    today = today or timezone.localdate()
    accounts = [
        rules.AccountRow(
            id=row["id"],
            name=row["name"],
            platform_id=row["platform_id"],
            platform_name=row["platform__name"],
            host_org_id=row["host_org_id"],
            status=row["status"],
            filing_no=row["filing_no"],
            verified=row["verified"],
            registered_on=row["registered_on"],
            created_on=_local_date(row["created_at"]),
        )
        for row in MediaAccount.objects.filter(scope("host_org")).values(
            "id",
            "name",
            "platform_id",
            "platform__name",
            "host_org_id",
            "status",
            "filing_no",
            "verified",
            "registered_on",
            "created_at",
        )
    ]
    window_start = timezone.now() - timedelta(days=rules.LATE_WINDOW_DAYS + 1)
    filings = [
        rules.FilingRow(
            id=row["id"],
            account_id=row["account_id"],
            org_id=row["org_id"],
            kind=row["kind"],
            state=row["state"],
            name=row["name"],
            due_on=row["due_on"],
            submitted_on=_local_date(row["submitted_at"]),
            filed_on=_local_date(row["filed_at"]),
        )
        for row in Filing.objects.filter(_filings_q(scope))
        .filter(~Q(state=FilingState.FILED) | Q(filed_at__gte=window_start))
        .values(
            "id",
            "account_id",
            "org_id",
            "kind",
            "state",
            "name",
            "due_on",
            "submitted_at",
            "filed_at",
        )
    ]
    exceptions = frozenset(
        RuleException.objects.filter(
            scope("account__host_org"), revoked_at__isnull=True
        ).values_list("account_id", "rule")
    )
    org_ids = {a.host_org_id for a in accounts} | {f.org_id for f in filings}
    orgs = {
        org.pk: rules.OrgRow(
            id=org.pk,
            name=org.name,
            org_type=org.org_type,
            type_label=org.get_org_type_display(),
            status=org.status,
            status_label=org.get_status_display(),
            status_changed_on=org.status_changed_on,
        )
        for org in Organization.objects.filter(pk__in=org_ids).only(
            "id", "name", "org_type", "status", "status_changed_on"
        )
    }
    return rules.Snapshot(
        today=today,
        calendar=current_calendar(),
        accounts=accounts,
        orgs=orgs,
        filings=filings,
        exceptions=exceptions,
        counts={rule: loader(scope) for rule, loader in _count_loaders.items()},
    )


def live_findings(user, *, today: date | None = None) -> list[rules.Finding]:
    """The findings computed now for what the user may see (the stored ones are a cache of this)."""
    if not may(user, "registry.view"):
        return []
    return rules.evaluate(load_snapshot(user_scope(user), today=today))


# --- reads of stored findings ---------------------------------------------------------------


def open_findings(user, *, rule: str = "", org_id: int | None = None):
    """The open findings the user may see; `org_id` is that org alone, as on the overview."""
    findings = ComplianceFinding.objects.restrict(user).open()
    if rule:
        findings = findings.filter(rule=rule)
    if org_id:
        findings = findings.filter(org_id=org_id)
    return findings.select_related("org", "account", "account__platform", "filing")


def overview(user) -> tuple[list[dict], dict[str, int]]:
    """Per organization (only those in scope with an open finding), the count of each rule, in
    tree order; and the totals per rule. Two queries."""
    counts = (
        ComplianceFinding.objects.restrict(user)
        .open()
        .values_list("org_id", "rule")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_org: dict[int, dict[str, int]] = {}
    totals = dict.fromkeys(rules.RULES, 0)
    for org_id, rule, n in counts:
        per_org.setdefault(org_id, {})[rule] = n
        totals[rule] = totals.get(rule, 0) + n
    orgs = (
        Organization.objects.filter(pk__in=per_org)
        .only("id", "name", "path", "depth", "status")
        .order_by("path")
    )
    rows = [
        {
            "org": org,
            "cells": [(rule, per_org[org.pk].get(code, 0)) for code, rule in rules.RULES.items()],
            "total": sum(per_org[org.pk].values()),
        }
        for org in orgs
    ]
    return rows, totals
