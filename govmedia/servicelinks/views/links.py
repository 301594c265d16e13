"""办事入口: the list of service links with their latest check, the form, a check now, the
Excel export, and the 爱山东 coverage page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.idempotency import FORM_FIELD, add_form_key, create_once
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import xlsx_response
from govmedia.registry.models import MediaAccount

from .. import services
from ..checking import check_links_now
from ..filters import filter_links
from ..forms import LinkForm
from ..models import LinkKind, ServiceLink
from ..selectors import ishandong_coverage

BASIS = "依据：通知第三部分（三）“依托“爱山东”APP……实现掌上办、快速办”"


def _crumbs(*extra):
    return [("办事入口", reverse("servicelinks:links")), *extra]


def _links(request):
    return filter_links(
        ServiceLink.objects.restrict(request.user).select_related(
            "account", "account__platform", "account__host_org"
        ),
        request.GET,
    )


@login_required
def link_list(request):
    if not may(request.user, "servicelinks.view"):
        raise Http404
    return render(
        request,
        "servicelinks/links.html",
        {
            "page": paginate(request, _links(request).order_by("account__name", "kind", "name")),
            "kinds": LinkKind.choices,
            "params": request.GET,
            "querystring": request.GET.urlencode(),
            "can_write": may(request.user, "servicelinks.change"),
            "can_check": may(request.user, "servicelinks.check"),
            "basis": BASIS,
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def link_export(request):
    if not may(request.user, "servicelinks.view"):
        raise Http404
    rows = (
        (
            link.account.name,
            link.account.host_org.name,
            link.get_kind_display(),
            link.name,
            link.service_name,
            link.url,
            link.get_last_outcome_display() or "未检查",
            link.last_detail,
            link.last_checked_at.strftime("%Y-%m-%d %H:%M") if link.last_checked_at else "",
        )
        for link in _links(request).order_by("account__name", "kind", "name").iterator()
    )
    headers = [
        "政务新媒体",
        "主办单位",
        "入口类型",
        "入口名称",
        "爱山东服务事项",
        "链接地址",
        "检查结果",
        "说明",
        "最近检查",
    ]
    return xlsx_response("办事入口", "办事入口", headers, rows)


def _form_page(request, form, link=None, status=200):
    return render(
        request,
        "servicelinks/link_form.html",
        {
            "form": form,
            "link": link,
            "basis": BASIS,
            "breadcrumbs": _crumbs(("修改入口" if link else "登记入口", None)),
        },
        status=status,
    )


def _data(form) -> dict:
    return {
        name: form.cleaned_data.get(name)
        for name in ("kind", "name", "url", "service_name", "active")
    }


@login_required
@require_http_methods(["GET", "POST"])
def link_new(request):
    user = request.user
    if not may(user, "servicelinks.change"):
        raise Http404
    form = LinkForm(
        request.POST or None, user=user, initial={"account": request.GET.get("account")}
    )
    add_form_key(form)
    if request.method == "POST" and form.is_valid():
        try:
            create_once(
                actor=user,
                scope="servicelinks.create",
                key=form.cleaned_data.get(FORM_FIELD),
                create=lambda: services.link_create(
                    actor=user, account_id=form.cleaned_data["account"].pk, data=_data(form)
                ),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已登记办事入口，将在下次检查时核验能否打开")
            return redirect("servicelinks:links")
    return _form_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def link_edit(request, link_id: int):
    user = request.user
    if not may(user, "servicelinks.change"):
        raise Http404
    link = get_scoped(ServiceLink.objects.select_related("account"), user, link_id, "change")
    initial = {
        name: getattr(link, name) for name in ("kind", "name", "url", "service_name", "active")
    }
    form = LinkForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_update(
                actor=user, link_id=link.pk, version=request.POST.get("version"), data=_data(form)
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect(f"{reverse('servicelinks:links')}?account={link.account_id}")
    return _form_page(request, form, link, status=400 if form.errors else 200)


@login_required
@require_POST
def account_check(request, account_id: int):
    """Check an account's links now (after a unit fixed one, say), not waiting for the sweep."""
    user = request.user
    if not may(user, "servicelinks.check"):
        raise Http404
    account = get_scoped(MediaAccount.objects.all(), user, account_id)
    ids = list(
        ServiceLink.objects.restrict(user)
        .active()
        .filter(account=account)
        .values_list("pk", flat=True)
    )
    run = check_links_now(ids=ids)
    messages.success(
        request, f"已检查 {run.checked} 个入口，异常 {run.broken} 个，新开整改事项 {run.opened} 个"
    )
    return redirect(f"{reverse('servicelinks:links')}?account={account.pk}")


@login_required
def coverage(request):
    if not may(request.user, "servicelinks.view"):
        raise Http404
    return render(
        request,
        "servicelinks/coverage.html",
        {
            "coverage": ishandong_coverage(request.user),
            "basis": BASIS,
            "breadcrumbs": _crumbs(("爱山东服务事项", None)),
        },
    )
