"""账号密码保护 pages: the overview, one account's record, the two forms and the reveal.

No page shows a stored secret except the reveal's answer, which is rendered once in reply to
the POST that asked for it, never cached and never put in the session or a redirect.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govmedia.core import crypto
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate

from . import selectors, services
from .forms import CredentialForm, CustodyForm, RevealForm
from .models import CREDENTIAL_SECRETS, SECRET_LABELS

logger = logging.getLogger(__name__)

BASIS = "依据：通知第五部分（二）“切实做好账号密码保护”"


def _account(request, account_id, action="view"):
    return selectors.account_or_not_found(request.user, account_id, action)


def _crumbs(account=None, *extra):
    crumbs = [("账号密码保护", reverse("credentials:overview"))]
    if account is not None:
        crumbs.append((account.name, reverse("credentials:detail", args=[account.pk])))
    return [*crumbs, *extra]


def _secrets_set(credential, custody) -> list[str]:
    names = credential.fields_set() if credential else []
    return names + (["bound_phone"] if custody and custody.bound_phone_enc else [])


@login_required
def overview(request):
    if not selectors.may_act(request.user, "view"):
        raise Http404
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    stale_only = request.GET.get("stale") == "1"
    page = paginate(
        request, selectors.overview(request.user, query=query, stale_only=stale_only, today=today)
    )
    rows = []
    for account in page.object_list:
        credential = getattr(account, "credential", None)
        custody = getattr(account, "login_custody", None)
        rows.append(
            {
                "account": account,
                "labels": [SECRET_LABELS[name] for name in _secrets_set(credential, custody)],
                "app_id": credential.app_id if credential else "",
                "custody": custody,
                "age": selectors.password_age(custody, today),
                "stale": selectors.is_stale(custody, today),
            }
        )
    return render(
        request,
        "credentials/overview.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "stale_only": stale_only,
            "rotation_days": selectors.rotation_days(),
            "basis": BASIS,
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def detail(request, account_id: int):
    account = _account(request, account_id)
    credential = selectors.credential_of(account)
    custody = selectors.custody_of(account)
    today = timezone.localdate()
    set_names = credential.fields_set() if credential else []
    return render(
        request,
        "credentials/detail.html",
        {
            "account": account,
            "credential": credential,
            "custody": custody,
            "secrets": [(name, label, name in set_names) for name, label in CREDENTIAL_SECRETS],
            "age": selectors.password_age(custody, today),
            "stale": selectors.is_stale(custody, today),
            "rotation_days": selectors.rotation_days(),
            "history": paginate(request, selectors.reveal_history(account)),
            "can_change": selectors.may_act(request.user, "change"),
            "can_reveal": selectors.may_act(request.user, "reveal")
            and bool(_secrets_set(credential, custody)),
            "basis": BASIS,
            "breadcrumbs": _crumbs(account),
        },
    )


def _saved(request, account, row, version_before, what: str):
    if row.version == version_before:
        messages.info(request, "未作任何修改")
    else:
        messages.success(request, f"已保存“{account.name}”的{what}")
    return redirect("credentials:detail", account_id=account.pk)


@login_required
@require_http_methods(["GET", "POST"])
def credential_edit(request, account_id: int):
    account = _account(request, account_id, "change")
    credential = selectors.credential_of(account)
    version = credential.version if credential else 0
    form = CredentialForm(
        request.POST or None,
        fields_set=credential.fields_set() if credential else (),
        initial={"app_id": credential.app_id if credential else "", "version": version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.credential_set(
                actor=request.user,
                account_id=account.pk,
                version=data["version"] or 0,
                app_id=data["app_id"],
                app_secret=data["app_secret"],
                access_token=data["access_token"],
                refresh_token=data["refresh_token"],
                extra=data["extra"],
                clear=data.get("clear") or (),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return _saved(request, account, row, data["version"] or 0, "平台接口凭据")
    return render(
        request,
        "credentials/form.html",
        {
            "form": form,
            "account": account,
            "title": f"平台接口凭据：{account.name}",
            "explain": "密钥与令牌加密保存，保存后不再显示；如需查看，须在账号密码保护页说明理由，"
            "查看记入审计日志。",
            "basis": BASIS,
            "breadcrumbs": _crumbs(account, ("平台接口凭据", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def custody_edit(request, account_id: int):
    account = _account(request, account_id, "change")
    custody = selectors.custody_of(account)
    version = custody.version if custody else 0
    initial = {"version": version}
    if custody:
        initial |= {field: getattr(custody, field) for field in services.CUSTODY_PLAIN_FIELDS}
    form = CustodyForm(
        request.POST or None,
        masked_phone=custody.bound_phone_masked if custody else "",
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.custody_set(
                actor=request.user,
                account_id=account.pk,
                version=data["version"] or 0,
                administrator=data["administrator"],
                password_holder=data["password_holder"],
                password_changed_on=data["password_changed_on"],
                note=data["note"],
                bound_phone=data["bound_phone"],
                clear_bound_phone=data.get("clear_bound_phone", False),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return _saved(request, account, row, data["version"] or 0, "登录账号保管记录")
    return render(
        request,
        "credentials/form.html",
        {
            "form": form,
            "account": account,
            "title": f"登录账号保管记录：{account.name}",
            "explain": f"登录密码超过 {selectors.rotation_days()} 天未修改时，平台提醒本单位修改；"
            "修改密码后请更新“最近修改密码日期”。平台不保存登录密码本身。",
            "basis": BASIS,
            "breadcrumbs": _crumbs(account, ("登录账号保管记录", None)),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reveal(request, account_id: int):
    account = _account(request, account_id, "reveal")
    set_names = _secrets_set(selectors.credential_of(account), selectors.custody_of(account))
    if not set_names:
        messages.info(request, "该账号尚未保存任何密钥或令牌")
        return redirect("credentials:detail", account_id=account.pk)
    initial = {"field": request.GET.get("field")} if request.GET.get("field") in set_names else {}
    form = RevealForm(request.POST or None, fields_set=set_names, initial=initial)
    context = {
        "account": account,
        "basis": BASIS,
        "breadcrumbs": _crumbs(account, ("查看密钥", None)),
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        field = form.cleaned_data["field"]
        try:
            value = services.credential_reveal(
                actor=request.user,
                account_id=account.pk,
                field=field,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        except crypto.CredentialCryptoError as exc:
            # The keys are wrong, not the user: say so plainly and loudly, show nothing.
            logger.error("账号 %s 的%s无法解密：%s", account.pk, SECRET_LABELS[field], exc.message)
            context["crypto_error"] = exc.message
            status = 500
        else:
            context |= {"label": SECRET_LABELS[field], "value": value, "field": field}
            return render(request, "credentials/revealed.html", context)
    return render(request, "credentials/reveal.html", context | {"form": form}, status=status)
