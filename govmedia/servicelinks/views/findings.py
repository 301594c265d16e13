"""功能无法使用: the findings the checker opened, one with its history, and its 整改 transitions
(monitoring's table: the unit corrects, the district office confirms or reopens)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.monitoring.lifecycle import TRANSITIONS
from govmedia.monitoring.models import RectificationState

from .. import services
from ..models import LinkFinding

STEP_LABELS = {
    "open": "检查发现",
    "resolve": "提交整改",
    "confirm": "确认整改",
    "reopen": "重新整改",
}
DONE = {
    "resolve": "已提交整改，等待区政府办公室确认",
    "confirm": "已确认整改，事项办结",
    "reopen": "已退回重新整改，并通知整改单位",
}


def _crumbs(*extra):
    return [("功能无法使用", reverse("servicelinks:findings")), *extra]


def finding_or_404(user, finding_id) -> LinkFinding:
    if not may(user, "rectification.view"):
        raise Http404
    return get_scoped(
        LinkFinding.objects.select_related("org", "account", "account__platform", "link"),
        user,
        finding_id,
    )


@login_required
def finding_list(request):
    if not may(request.user, "rectification.view"):
        raise Http404
    state = request.GET.get("state", "active")
    findings = LinkFinding.objects.restrict(request.user).select_related(
        "org", "account", "account__platform", "link"
    )
    if state == "active":
        findings = findings.active()
    elif state in RectificationState.values:
        findings = findings.filter(state=state)
    else:
        state = ""
    return render(
        request,
        "servicelinks/findings.html",
        {
            "page": paginate(request, findings.order_by("due_on", "-id")),
            "state": state,
            "states": RectificationState.choices,
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(),
        },
    )


def _detail(request, finding, status=200):
    return render(
        request,
        "servicelinks/finding_detail.html",
        {
            "finding": finding,
            "actions": TRANSITIONS.offered(finding, request.user),
            "steps": [
                (step, STEP_LABELS.get(step.action, step.action))
                for step in finding.steps.select_related("actor")
            ],
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((f"#{finding.pk}", None)),
        },
        status=status,
    )


@login_required
def finding_detail(request, link_finding_id: int):
    return _detail(request, finding_or_404(request.user, link_finding_id))


@login_required
@require_POST
def finding_act(request, link_finding_id: int):
    user = request.user
    finding = finding_or_404(user, link_finding_id)
    action = request.POST.get("action", "")
    version = request.POST.get("version")
    note = request.POST.get("note", "")
    try:
        if action == "resolve":
            services.finding_resolve(actor=user, finding_id=finding.pk, version=version, note=note)
        elif action == "confirm":
            services.finding_confirm(actor=user, finding_id=finding.pk, version=version)
        elif action == "reopen":
            services.finding_reopen(actor=user, finding_id=finding.pk, version=version, reason=note)
        else:
            raise Http404
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return _detail(request, finding_or_404(user, link_finding_id), status=exc.status)
    messages.success(request, DONE[action])
    return redirect("servicelinks:finding", link_finding_id=finding.pk)
