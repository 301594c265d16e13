from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.audit.selectors import history as audit_history
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import xlsx_response

from . import selectors, services
from .forms import MergeForm, OrganizationForm, RestructureForm
from .models import Organization, OrgStatus, OrgType
from .ordering import sibling_key
from .sections import detail_sections
from .tree_html import tree_rows_html


def _org_or_404(user, org_id, action="view") -> Organization:
    return get_scoped(
        Organization.objects.select_related("parent", "supervisor", "merged_into"),
        user,
        org_id,
        action,
    )


def _crumbs(*extra):
    return [("单位管理", reverse("orgs:tree")), *extra]


@login_required
def tree(request):
    query = request.GET.get("q", "")
    include_inactive = request.GET.get("inactive") == "1"
    rows, matches = selectors.tree_rows(
        request.user, query=query, include_inactive=include_inactive
    )
    return render(
        request,
        "orgs/tree.html",
        {
            "rows_html": tree_rows_html(rows, matches),
            "count": len(rows),
            "matches": matches,
            "query": query,
            "include_inactive": include_inactive,
            "can_change": may(request.user, "orgs.change"),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def detail(request, org_id: int):
    org = _org_or_404(request.user, org_id)
    history = audit_history(org, limit=50)
    users = (
        get_user_model().objects.restrict(request.user).filter(org=org)
        if may(request.user, "users.view")
        else None
    )
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "children": sorted(org.children.all(), key=lambda c: (not c.is_active, sibling_key(c))),
            "sections": detail_sections(request, org),
            "users": users,
            "history": history,
            "can_change": Organization.objects.restrict(request.user, "change")
            .filter(pk=org.pk)
            .exists(),
            "can_restructure": may(request.user, "orgs.restructure")
            and org.parent_id is not None
            and org.is_active,
            **_industry(request.user, org),
            "breadcrumbs": _crumbs((org.name, None)),
        },
    )


def _industry(user, org) -> dict:
    """行业指导 on a department's page (the enterprises it guides) and an enterprise's (its
    行业主管部门); the district office sets them."""
    supervised = Organization.objects.restrict(user).filter(industry_supervisors__supervisor=org)
    supervisors = Organization.objects.restrict(user).filter(supervised_industry__supervised=org)
    can_set = may(user, "orgs.oversight") and org.org_type == OrgType.DEPARTMENT
    return {
        "industry_supervised": supervised.order_by("path"),
        "industry_supervisors": supervisors.order_by("path"),
        "can_set_industry": can_set,
        "enterprises": Organization.objects.filter(
            org_type=OrgType.ENTERPRISE, status=OrgStatus.ACTIVE
        ).order_by("path")
        if can_set
        else [],
    }


@login_required
@require_POST
def industry(request, org_id: int):
    """The district office sets the 企事业单位 a department guides (行业指导)."""
    if not may(request.user, "orgs.oversight"):
        raise Http404
    org = _org_or_404(request.user, org_id)
    try:
        chosen = services.industry_supervision_set(
            actor=request.user,
            supervisor_id=org.pk,
            supervised_ids=request.POST.getlist("supervised"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已设置{org.name}指导的企事业单位（{len(chosen)} 个）")
    return redirect("orgs:detail", org_id=org.pk)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not may(request.user, "orgs.change"):
        raise Http404
    initial = {}
    if parent_id := request.GET.get("parent"):
        initial["parent"] = _org_or_404(request.user, parent_id, "change")
    form = OrganizationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.org_create(
                actor=request.user,
                name=data["name"],
                org_type=data["org_type"],
                parent=data["parent"],
                supervisor=data["supervisor"],
                credit_code=data["credit_code"],
                address=data["address"],
                phone=data["phone"],
                note=data["note"],
                sort_order=data["sort_order"] or 0,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新建单位“{org.name}”")
            return redirect("orgs:detail", org_id=org.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "title": "新建单位",
            "breadcrumbs": _crumbs(("新建单位", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, org_id: int):
    org = _org_or_404(request.user, org_id, "change")
    initial = {f: getattr(org, f) for f in services.EDITABLE_FIELDS} | {"version": org.version}
    form = OrganizationForm(request.POST or None, user=request.user, initial=initial)
    if org.parent_id and not form.fields["parent"].queryset.filter(pk=org.parent_id).exists():
        # A unit administrator edits their own unit but cannot move it out from under its parent.
        form.fields["parent"].disabled = True
        form.fields["parent"].queryset = Organization.objects.filter(pk=org.parent_id)
    if org.parent_id is None:
        form.fields["parent"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in services.EDITABLE_FIELDS}
        changes["sort_order"] = changes["sort_order"] or 0
        try:
            services.org_update(
                actor=request.user, org_id=org.pk, version=data["version"] or 0, **changes
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存“{changes['name']}”")
            return redirect("orgs:detail", org_id=org.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "title": f"编辑：{org.name}",
            "org": org,
            "breadcrumbs": _crumbs(
                (org.name, reverse("orgs:detail", args=[org.pk])), ("编辑", None)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def abolish(request, org_id: int):
    org = _org_or_404(request.user, org_id, "restructure")
    form = RestructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_abolish(
                actor=request.user,
                org_id=org.pk,
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已撤销“{org.name}”，其历史记录保留")
            return redirect("orgs:detail", org_id=org.pk)
    return render(
        request,
        "orgs/restructure.html",
        {
            "form": form,
            "org": org,
            "title": f"撤销单位：{org.name}",
            "explain": "撤销后单位保留在历史中；其政务新媒体须办理注销备案，或以变更备案转移至其他单位（通知第二部分（一））。",
            "breadcrumbs": _crumbs(
                (org.name, reverse("orgs:detail", args=[org.pk])), ("撤销", None)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, org_id: int):
    org = _org_or_404(request.user, org_id, "restructure")
    form = MergeForm(request.POST or None)
    form.fields["target"].queryset = form.fields["target"].queryset.exclude(pk=org.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.org_merge(
                actor=request.user,
                source_id=org.pk,
                target_id=data["target"].pk,
                reason=data["reason"],
                effective_on=data["effective_on"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"已将“{org.name}”整合至“{data['target'].name}”，下级单位与用户已转移"
            )
            return redirect("orgs:detail", org_id=data["target"].pk)
    return render(
        request,
        "orgs/restructure.html",
        {
            "form": form,
            "org": org,
            "title": f"整合单位：{org.name}",
            "explain": "整合后，本单位的下级单位、用户及其主管关系转至目标单位；本单位标记为“已整合”，历史记录保留。",
            "breadcrumbs": _crumbs(
                (org.name, reverse("orgs:detail", args=[org.pk])), ("整合", None)
            ),
        },
    )


@login_required
def export(request):
    orgs = (
        Organization.objects.restrict(request.user)
        .select_related("parent", "supervisor", "merged_into")
        .order_by("path")
    )
    rows = (
        (
            o.pk,
            o.name,
            o.get_org_type_display(),
            o.parent.name if o.parent else "",
            o.supervisor.name if o.supervisor else "",
            o.get_status_display(),
            o.merged_into.name if o.merged_into else "",
            o.credit_code,
            o.address,
            o.phone,
            "是" if o.is_demo else "",
        )
        for o in orgs.iterator(chunk_size=1000)
    )
    headers = [
        "编号",
        "单位名称",
        "单位类型",
        "上级单位",
        "主管单位",
        "状态",
        "整合至",
        "统一社会信用代码",
        "地址",
        "联系电话",
        "示例数据",
    ]
    return xlsx_response("单位名录", "单位", headers, rows)
