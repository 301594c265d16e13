"""Counterfeit's lines of the 工作台 to-do list (core.todo): open 假冒账号 cases. The district
office handles them (the next step of each); a unit administrator follows the cases that imitate
the unit's own accounts."""

from datetime import date

from django.urls import reverse

from govmedia.core.scope import may
from govmedia.core.todo import TodoItem, TodoKind

from .models import SuspectAccount, SuspectState

LIMIT = 50

NEXT_STEP = {
    SuspectState.FOUND: "核实假冒账号线索",
    SuspectState.VERIFIED: "要求平台关停",
    SuspectState.TAKEDOWN_REQUESTED: "通报网信",
    SuspectState.REPORTED: "确认已关停",
}


def items(user, *, today: date) -> list[TodoItem]:
    handles = may(user, "counterfeit.change")
    if not (handles or may(user, "registry.change")):
        return []
    cases = (
        SuspectAccount.objects.restrict(user)
        .open()
        .select_related("platform", "matched_account__host_org")
        .order_by("pk")[:LIMIT]
    )
    return [
        TodoItem(
            kind=TodoKind.ACT if handles else TodoKind.WATCH,
            label=NEXT_STEP[case.state]
            if handles
            else f"假冒本单位账号（{case.get_state_display()}）",
            title=str(case),
            link=reverse("counterfeit:detail", args=[case.pk]),
            org_name=case.matched_account.host_org.name if case.matched_account_id else "",
            note="依据：通知第五部分（二）",
            ref=f"counterfeit.suspectaccount:{case.pk}",
        )
        for case in cases
    ]


def waiting_count(user) -> int:
    """Open cases for the district office, beside 假冒账号 in the navigation."""
    if not (user.is_authenticated and may(user, "counterfeit.change")):
        return 0
    return SuspectAccount.objects.restrict(user).open().count()
