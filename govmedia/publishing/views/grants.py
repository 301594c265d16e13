"""授权发布人 pages: the accounts in scope with their grants, one account's grants with the grant
form (user, validity) and 撤销. Only a valid grant lets a user publish to the account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.roles import ACTIONS
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.registry.models import AccountStatus, MediaAccount
from govmedia.users.models import User

from .. import services
from ..forms import GrantForm, RevokeForm
from ..models import PublishGrant
from .shared import crumbs, show_error, tabs, version_of


def _may_grants(user):
    if not may(user, "publishing.grants"):
        raise Http404


@login_required
def grant_accounts(request):
    user = request.user
    _may_grants(user)
    today = timezone.localdate()
    query = (request.GET.get("q") or "").strip()
    accounts = MediaAccount.objects.restrict(user, "view").exclude(status=AccountStatus.CANCELLED)
    if query:
        accounts = accounts.filter(Q(name__icontains=query) | Q(host_org__name__icontains=query))
    accounts = accounts.annotate(
        valid_grants=Count(
            "publish_grants",
            filter=Q(
                publish_grants__revoked_at__isnull=True,
                publish_grants__valid_from__lte=today,
                publish_grants__valid_until__gte=today,
            ),
        )
    ).select_related("platform", "host_org")
    page = paginate(request, accounts.order_by("host_org__path", "name"))
    return render(
        request,
        "publishing/grant_accounts.html",
        {
            "page": page,
            "query": query,
            "breadcrumbs": crumbs(("授权发布人", None)),
            **tabs(user, "grants"),
        },
    )


def _candidates(user, account):
    """Users who may be authorised: active, in the actor's scope, with a publishing role, in the
    account's host unit or above it (the service decides)."""
    return (
        User.objects.filter(org_subtree_q(user, "org"), is_active=True)
        .filter(role__in=ACTIONS["publishing.publish"])
        .select_related("org")
        .order_by("org__path", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_grants(request, account_id: int):
    user = request.user
    _may_grants(user)
    account = get_scoped(
        MediaAccount.objects.select_related("platform", "host_org"), user, account_id
    )
    today = timezone.localdate()
    form = GrantForm(
        request.POST or None,
        candidates=_candidates(user, account),
        initial={"valid_from": today, "valid_until": today.replace(month=12, day=31)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.publish_grant_create(
                    actor=user,
                    account_id=account.pk,
                    user_id=data["user"].pk,
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    note=data.get("note") or "",
                )
            except ServiceError as exc:
                show_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已授权{grant.user.name}发布到“{account.name}”。")
                return redirect("publishing:account_grants", account_id=account.pk)
        else:
            status = 400
    grants = PublishGrant.objects.restrict(user, "grants").filter(account=account)
    return render(
        request,
        "publishing/account_grants.html",
        {
            "account": account,
            "rows": [
                (g, g.valid_on(today))
                for g in grants.select_related("user__org", "granted_by", "revoked_by")
            ],
            "form": form,
            "revoke_form": RevokeForm(),
            "breadcrumbs": crumbs(
                ("授权发布人", reverse("publishing:grants")), (account.name, None)
            ),
            **tabs(user, "grants"),
        },
        status=status,
    )


@login_required
@require_POST
def grant_revoke(request, grant_id: int):
    user = request.user
    _may_grants(user)
    grant = get_scoped(
        PublishGrant.objects.select_related("account", "user"), user, grant_id, "grants"
    )
    try:
        services.publish_grant_revoke(
            actor=user,
            grant_id=grant.pk,
            version=version_of(request),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销{grant.user.name}对“{grant.account.name}”的发布授权。")
    return redirect("publishing:account_grants", account_id=grant.account_id)
