"""审核流程 pages (单位管理员, 平台管理员): the flows of the units in scope, a flow's form with its
ordered steps, 停用; the district's mandatory steps (区级必经环节) for the platform administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may

from .. import services
from ..forms import FlowForm, flow_initial
from ..models import FlowPurpose, ReviewFlow
from .shared import crumbs, show_error, tabs, version_of


def _may_flows(user):
    if not may(user, "publishing.flows"):
        raise Http404


def _flow_or_404(user, flow_id) -> ReviewFlow:
    return get_scoped(
        ReviewFlow.objects.select_related("org", "account", "created_by"), user, flow_id, "flows"
    )


@login_required
def flow_list(request):
    user = request.user
    _may_flows(user)
    flows = ReviewFlow.objects.restrict(user, "flows").select_related("org", "account")
    if request.GET.get("inactive") != "1":
        flows = flows.filter(is_active=True)
    page = paginate(request, flows.prefetch_related("steps__reviewer_users", "steps__reviewer_org"))
    return render(
        request,
        "publishing/flow_list.html",
        {
            "page": page,
            "show_inactive": request.GET.get("inactive") == "1",
            "district": user.sees_whole_district,
            "breadcrumbs": crumbs(("审核流程", None)),
            **tabs(user, "flows"),
        },
    )


def _step_errors_to_field(form, exc: ServiceError):
    """Step errors (field "steps") are shown above the steps table."""
    if exc.field == "steps":
        form.step_error = exc.message
    else:
        show_error(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def flow_new(request):
    user = request.user
    _may_flows(user)
    purpose = request.GET.get("purpose") or FlowPurpose.UNIT
    initial = {"org": user.org_id, "purpose": purpose}
    for i in range(3):
        initial |= {
            f"step{i}_mode": "any",
            f"step{i}_limit_unit": "hours",
            f"step{i}_limit_value": 4,
        }
    initial["step0_stage"] = "first"
    form = FlowForm(request.POST or None, user=user, initial=initial)
    form.step_error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flow = services.review_flow_create(
                actor=user,
                org_id=data["org"].pk,
                name=data["name"],
                steps=form.steps(),
                account_id=data["account"].pk if data.get("account") else None,
                content_class=data.get("content_class") or "",
                purpose=data.get("purpose") or FlowPurpose.UNIT,
            )
        except ServiceError as exc:
            _step_errors_to_field(form, exc)
        else:
            messages.success(request, f"审核流程“{flow.name}”已保存，此后提交的稿件按此流程审核。")
            return redirect("publishing:flows")
    return _form_page(request, form, flow=None)


@login_required
@require_http_methods(["GET", "POST"])
def flow_edit(request, flow_id: int):
    user = request.user
    _may_flows(user)
    flow = _flow_or_404(user, flow_id)
    if not flow.is_active:
        messages.error(request, "该审核流程已停用，不能修改")
        return redirect("publishing:flows")
    form = FlowForm(request.POST or None, user=user, flow=flow, initial=flow_initial(flow))
    form.step_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.review_flow_update(
                actor=user,
                flow_id=flow.pk,
                version=form.cleaned_data.get("version") or 0,
                name=form.cleaned_data["name"],
                steps=form.steps(),
            )
        except ServiceError as exc:
            _step_errors_to_field(form, exc)
        else:
            messages.success(request, "已保存。已开始的审核不受影响，此后提交的稿件按新流程审核。")
            return redirect("publishing:flows")
    return _form_page(request, form, flow=flow)


def _form_page(request, form, *, flow):
    status = 400 if (form.is_bound and (form.errors or form.step_error)) else 200
    title = f"修改审核流程：{flow.name}" if flow else "新建审核流程"
    return render(
        request,
        "publishing/flow_form.html",
        {
            "form": form,
            "flow": flow,
            "title": title,
            "breadcrumbs": crumbs(("审核流程", reverse("publishing:flows")), (title, None)),
            **tabs(request.user, "flows"),
        },
        status=status,
    )


@login_required
@require_POST
def flow_deactivate(request, flow_id: int):
    user = request.user
    _may_flows(user)
    flow = _flow_or_404(user, flow_id)
    try:
        services.review_flow_deactivate(actor=user, flow_id=flow.pk, version=version_of(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"审核流程“{flow.name}”已停用。")
    return redirect("publishing:flows")
