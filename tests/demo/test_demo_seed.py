"""The demo data: the notice's survey of 35 accounts, every filing state, real breaches, and
idempotent: running the seed twice changes nothing."""

from collections import Counter
from datetime import date

from django.core.management import call_command
from django.db.models import Count

from govmedia.audit.models import AuditEvent
from govmedia.compliance.models import ComplianceFinding
from govmedia.orgs.models import Organization
from govmedia.registry.models import Filing, FilingKind, MediaAccount
from govmedia.registry.platforms import ensure_default_platforms
from govmedia.users.models import User


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organization, User, MediaAccount, Filing, AuditEvent, ComplianceFinding)
    }


def test_demo_seed_is_complete_and_idempotent(db, capsys):
    from govmedia.registry.models import Platform

    ensure_default_platforms(Platform)
    call_command("demo_seed")
    first = counts()
    output = capsys.readouterr().out
    assert "Dingtao#2026" in output
    assert "在册 35 个（通知调查摸底的 35 个账号），另有 5 个新开设账号的开设备案办理中" in output
    call_command("demo_seed")
    assert counts() == first

    # The 35 accounts of the survey are all in the register, by platform as the notice counts.
    platforms = Counter(MediaAccount.objects.values_list("platform__name", flat=True))
    assert platforms == {"微博": 6, "微信公众号": 26, "抖音": 2, "快手": 1}
    # Apart from them, new accounts' 开设 filings in progress, 事项日期 = 注册时间 (opening day).
    new = Filing.objects.filter(kind=FilingKind.OPEN, account__isnull=True)
    assert new.count() == 5 and not new.filter(state="filed").exists()
    assert all(f.event_date == f.registered_on for f in new)
    # Each survey account's 开设 filing is dated on its opening day, before the notice (2019).
    survey = Filing.objects.filter(kind=FilingKind.OPEN, account__isnull=False)
    assert survey.exists()
    for filing in survey.select_related("account"):
        assert filing.event_date == filing.account.registered_on < date(2019, 2, 1)
    states = dict(Filing.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == {"draft", "submitted", "supervisor_approved", "filed", "returned"}
    rules = set(
        ComplianceFinding.objects.filter(resolved_at__isnull=True).values_list("rule", flat=True)
    )
    assert {
        "duplicate_platform",
        "abolished_host",
        "sub_unit_host",
        "never_filed",
        "filing_overdue",
        "unverified",
    } <= rules
    assert MediaAccount.objects.filter(is_demo=False).count() == 0
    call_command("audit-verify")
