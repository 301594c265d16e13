"""User management (administrators) and the user's own settings page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.audit.selectors import history as audit_history
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.middleware import client_ip
from govmedia.core.pagination import paginate
from govmedia.core.roles import ROLE_HELP, Role
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import xlsx_response

from .. import services
from ..forms import TokenForm, UserForm
from ..models import ApiToken, User


def _user_or_404(actor, user_id, action="view") -> User:
    return get_scoped(User.objects.select_related("org"), actor, user_id, action)


def _crumbs(*extra):
    return [("用户管理", reverse("users:list")), *extra]


def filtered_users(request):
    users = User.objects.restrict(request.user).select_related("org")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(name__icontains=query) | Q(org__name__icontains=query)
        )
    if (role := request.GET.get("role")) in Role.values:
        users = users.filter(role=role)
    if request.GET.get("status") == "locked":
        users = users.filter(locked_until__gt=timezone.now())
    elif request.GET.get("status") == "inactive":
        users = users.filter(is_active=False)
    return users.order_by("org__path", "username")


@login_required
def user_list(request):
    if not may(request.user, "users.view"):
        raise Http404
    return render(
        request,
        "users/list.html",
        {
            "page": paginate(request, filtered_users(request)),
            "roles": Role.choices,
            "query": request.GET.get("q", ""),
            "role": request.GET.get("role", ""),
            "status": request.GET.get("status", ""),
            "can_change": may(request.user, "users.change"),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def user_export(request):
    if not may(request.user, "users.view"):
        raise Http404
    rows = (
        (
            u.username,
            u.name,
            u.org.name,
            u.get_role_display(),
            u.phone,
            u.email,
            "启用" if u.is_active else "停用",
            "是" if u.totp_enabled else "否",
            u.last_login,  # Beijing time, by the shared cell writer
        )
        for u in filtered_users(request).iterator(chunk_size=1000)
    )
    headers = [
        "用户名",
        "姓名",
        "所属单位",
        "角色",
        "手机号",
        "电子邮箱",
        "状态",
        "双因素认证",
        "最近登录",
    ]
    return xlsx_response("用户名单", "用户", headers, rows)


@login_required
def user_detail(request, user_id: int):
    target = _user_or_404(request.user, user_id)
    history = audit_history(target, limit=30)
    return render(
        request,
        "users/detail.html",
        {
            "target": target,
            "history": history,
            "tokens": target.api_tokens.order_by("-created_at"),
            "now": timezone.now(),
            "can_change": User.objects.restrict(request.user, "change")
            .filter(pk=target.pk)
            .exists(),
            "role_help": ROLE_HELP.get(target.role, ""),
            "breadcrumbs": _crumbs((target.name, None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    if not may(request.user, "users.change"):
        raise Http404
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                actor=request.user,
                username=data["username"],
                name=data["name"],
                org=data["org"],
                role=data["role"],
                phone=data["phone"],
                email=data["email"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return render(
                request,
                "users/password_shown.html",
                {
                    "target": user,
                    "password": password,
                    "created": True,
                    "breadcrumbs": _crumbs((user.name, None)),
                },
            )
    return render(
        request,
        "users/form.html",
        {
            "form": form,
            "title": "新建用户",
            "role_help": ROLE_HELP,
            "breadcrumbs": _crumbs(("新建用户", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id: int):
    target = _user_or_404(request.user, user_id, "change")
    initial = {
        f: getattr(target, f)
        for f in ("username", "name", "org", "role", "phone", "email", "is_active")
    }
    initial["version"] = target.version
    form = UserForm(request.POST or None, actor=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user_id=target.pk,
                version=data["version"] or 0,
                name=data["name"],
                org=data["org"],
                role=data["role"],
                phone=data["phone"],
                email=data["email"],
                is_active=data["is_active"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存用户“{data['name']}”")
            return redirect("users:detail", user_id=target.pk)
    return render(
        request,
        "users/form.html",
        {
            "form": form,
            "title": f"编辑用户：{target.name}",
            "target": target,
            "role_help": ROLE_HELP,
            "breadcrumbs": _crumbs(
                (target.name, reverse("users:detail", args=[target.pk])), ("编辑", None)
            ),
        },
    )


@login_required
@require_POST
def user_reset_password(request, user_id: int):
    target = _user_or_404(request.user, user_id, "change")
    password = services.user_reset_password(actor=request.user, user_id=target.pk)
    return render(
        request,
        "users/password_shown.html",
        {
            "target": target,
            "password": password,
            "created": False,
            "breadcrumbs": _crumbs(
                (target.name, reverse("users:detail", args=[target.pk])), ("重置密码", None)
            ),
        },
    )


@login_required
@require_POST
def user_unlock(request, user_id: int):
    target = _user_or_404(request.user, user_id, "change")
    services.user_unlock(actor=request.user, user_id=target.pk)
    messages.success(request, f"已解锁“{target.name}”")
    return redirect("users:detail", user_id=target.pk)


@login_required
@require_POST
def user_reset_totp(request, user_id: int):
    target = _user_or_404(request.user, user_id, "change")
    services.user_reset_totp(actor=request.user, user_id=target.pk)
    messages.success(request, f"已重置“{target.name}”的双因素认证，其下次登录时须重新绑定")
    return redirect("users:detail", user_id=target.pk)


@login_required
@require_POST
def user_token_revoke(request, user_id: int, token_id: int):
    target = _user_or_404(request.user, user_id, "change")
    token = services.user_token_revoke(actor=request.user, user_id=target.pk, token_id=token_id)
    messages.success(request, f"已吊销“{target.name}”的令牌“{token.name}”")
    return redirect("users:detail", user_id=target.pk)


@login_required
@require_POST
def user_tokens_revoke_all(request, user_id: int):
    target = _user_or_404(request.user, user_id, "change")
    count = services.user_tokens_revoke_all(actor=request.user, user_id=target.pk)
    messages.success(request, f"已吊销“{target.name}”的 {count} 个令牌")
    return redirect("users:detail", user_id=target.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = TokenForm(request.POST or None, user=request.user)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.token_create(
                actor=request.user, address=client_ip(request), **form.cleaned_data
            )
        except ServiceError as exc:
            if exc.code == "locked":
                logout(request)
                messages.error(request, exc.message)
                return redirect(settings.LOGIN_URL)
            add_service_error(form, exc)
        else:
            form = TokenForm(user=request.user)
    return render(
        request,
        "users/profile.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "now": timezone.now(),
            "breadcrumbs": [("个人设置", None)],
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    try:
        services.token_revoke(actor=request.user, token_id=token_id)
    except ServiceError:
        raise Http404("令牌不存在") from None
    messages.success(request, "令牌已吊销")
    return redirect("users:profile")
