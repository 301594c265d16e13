"""运行平台: the managed list of platforms (platform administrators)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.forms import Form, add_service_error
from govmedia.core.scope import may

from ..models import Platform
from ..services import platforms as platform_services


class PlatformForm(Form):
    name = forms.CharField(label="平台名称", max_length=30)
    code = forms.CharField(
        label="代码",
        max_length=30,
        help_text="小写字母、数字或短横线；建立后不可修改，导入和采集按它识别平台",
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=9999, initial=100)
    is_active = forms.BooleanField(
        label="启用",
        required=False,
        initial=True,
        help_text="停用后不能再选用，已登记的账号不受影响",
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_list(request):
    can_change = may(request.user, "registry.platforms")
    form = PlatformForm(request.POST or None)
    del form.fields["is_active"]
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                platform = platform_services.platform_create(
                    actor=request.user, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已新增运行平台“{platform.name}”")
                return redirect("registry:platform_list")
    platforms = Platform.objects.annotate(accounts=Count("mediaaccount")).order_by(
        "sort_order", "name"
    )
    return render(
        request,
        "registry/platform_list.html",
        {
            "platforms": platforms,
            "form": form,
            "can_change": can_change,
            "breadcrumbs": [("政务新媒体", "/registry/"), ("运行平台", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request, platform_id: int):
    if not may(request.user, "registry.platforms"):
        raise Http404
    platform = Platform.objects.filter(pk=platform_id).first()
    if platform is None:
        raise Http404("平台不存在")
    form = PlatformForm(
        request.POST or None,
        initial={
            "name": platform.name,
            "code": platform.code,
            "sort_order": platform.sort_order,
            "is_active": platform.is_active,
        },
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            platform_services.platform_update(
                actor=request.user,
                platform_id=platform.pk,
                name=data["name"],
                sort_order=data["sort_order"],
                is_active=data["is_active"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存运行平台“{data['name']}”")
            return redirect("registry:platform_list")
    return render(
        request,
        "registry/platform_form.html",
        {
            "form": form,
            "platform": platform,
            "breadcrumbs": [
                ("政务新媒体", "/registry/"),
                ("运行平台", "/registry/platforms/"),
                (platform.name, None),
            ],
        },
    )
