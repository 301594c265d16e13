"""整改事项: the list, one item with its evidence and history, and its transitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.numbers import int_or_none, optional_id
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import Organization

from .. import services
from ..forms import ReopenForm, ResolveForm, ScreenshotForm
from ..lifecycle import TRANSITIONS
from ..models import ACTIVE_RECTIFICATION_STATES, Rectification, RectificationState

DONE = {
    "resolve": "已提交整改，等待区政府办公室确认",
    "confirm": "已确认整改，事项办结",
    "reopen": "已退回重新整改，并通知整改单位",
}
STEP_LABELS = {
    "open": "发现问题",
    "resolve": "提交整改",
    "confirm": "确认整改",
    "reopen": "重新整改",
    "screenshot": "补充截图",
}


def _crumbs(*extra):
    return [("整改事项", reverse("monitoring:rectifications")), *extra]


def item_or_404(user, item_id) -> Rectification:
    if not may(user, "rectification.view"):
        raise Http404
    return get_scoped(
        Rectification.objects.select_related(
            "org", "account", "account__platform", "post", "resolved_by", "confirmed_by"
        ),
        user,
        item_id,
    )


@login_required
def item_list(request):
    if not may(request.user, "rectification.view"):
        raise Http404
    state = request.GET.get("state", "active")
    org = request.GET.get("org", "")
    items = Rectification.objects.restrict(request.user).select_related(
        "org", "account", "account__platform", "post"
    )
    if state == "active":
        items = items.active()
    elif state in RectificationState.values:
        items = items.filter(state=state)
    else:
        state = ""
    org_id = optional_id(org)
    if org_id:
        items = items.filter(org_id=org_id)
    visible_orgs = Rectification.objects.restrict(request.user).values("org_id")
    return render(
        request,
        "monitoring/rectifications.html",
        {
            "page": paginate(request, items.order_by("due_on", "-id")),
            "state": state,
            "states": RectificationState.choices,
            "org": org_id,
            "orgs": Organization.objects.filter(pk__in=visible_orgs).order_by("path"),
            "today": timezone.localdate(),
            "active_states": ACTIVE_RECTIFICATION_STATES,
            "tab": "rectifications",
            "breadcrumbs": _crumbs(),
        },
    )


def _detail(request, item, *, resolve_form=None, reopen_form=None, shot_form=None, status=200):
    actions = TRANSITIONS.offered(item, request.user)
    return render(
        request,
        "monitoring/rectification_detail.html",
        {
            "item": item,
            "actions": actions,
            "resolve_form": resolve_form or ResolveForm(),
            "reopen_form": reopen_form or ReopenForm(),
            "shot_form": shot_form
            or ScreenshotForm(initial={"screenshot_url": item.screenshot_url}),
            "can_screenshot": bool(actions)
            or (item.is_active and may(request.user, "rectification.confirm")),
            "steps": [
                (step, STEP_LABELS.get(step.action, step.action))
                for step in item.steps.select_related("actor")
            ],
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((f"整改 #{item.pk}", None)),
        },
        status=status,
    )


@login_required
def item_detail(request, item_id: int):
    return _detail(request, item_or_404(request.user, item_id))


def _version(request) -> int:
    version = int_or_none(request.POST.get("version", ""))
    return -1 if version is None else version


@login_required
@require_POST
def item_act(request, item_id: int):
    item = item_or_404(request.user, item_id)
    action, version = request.POST.get("action", ""), _version(request)
    forms = {}
    try:
        if action == "resolve":
            form = forms["resolve_form"] = ResolveForm(request.POST)
            if not form.is_valid():
                raise _FormInvalid
            services.rectification_resolve(
                actor=request.user,
                item_id=item.pk,
                version=version,
                note=form.cleaned_data["note"],
                proof_url=form.cleaned_data["proof_url"],
            )
        elif action == "reopen":
            form = forms["reopen_form"] = ReopenForm(request.POST)
            if not form.is_valid():
                raise _FormInvalid
            services.rectification_reopen(
                actor=request.user,
                item_id=item.pk,
                version=version,
                reason=form.cleaned_data["reason"],
            )
        elif action == "confirm":
            services.rectification_confirm(actor=request.user, item_id=item.pk, version=version)
        else:
            messages.error(request, "操作无效")
            return redirect("monitoring:rectification", item_id=item.pk)
    except _FormInvalid:
        messages.error(request, "请检查填写的内容")
        return _detail(request, item, status=400, **forms)
    except ServiceError as exc:
        if forms:  # keep what was typed, with the error on its field
            add_service_error(next(iter(forms.values())), exc)
            messages.error(request, exc.message)
            return _detail(request, item_or_404(request.user, item_id), status=exc.status, **forms)
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
    return redirect("monitoring:rectification", item_id=item.pk)


@login_required
@require_POST
def item_screenshot(request, item_id: int):
    item = item_or_404(request.user, item_id)
    form = ScreenshotForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_set_screenshot(
                actor=request.user,
                item_id=item.pk,
                version=_version(request),
                screenshot_url=form.cleaned_data["screenshot_url"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存截图链接")
            return redirect("monitoring:rectification", item_id=item.pk)
    messages.error(request, "截图链接未保存，请检查")
    return _detail(request, item, shot_form=form, status=400)


class _FormInvalid(Exception):
    pass
