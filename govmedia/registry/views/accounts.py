"""政务新媒体 pages: the registry list and one account's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.scope import may

from .. import selectors, services
from ..display import form_display
from ..filters import ACCOUNT_FILTERS
from ..forms import GovernmentSiteForm
from ..masking import sees_full_phones
from ..models import AccountStatus, Filing, MediaAccount, Platform
from .shared import account_crumbs, account_or_404


@login_required
def account_list(request):
    scoped = MediaAccount.objects.restrict(request.user)
    accounts = ACCOUNT_FILTERS.apply(scoped, request.GET)
    filters = ACCOUNT_FILTERS.echo(request.GET)
    counts, filtered = selectors.account_counts(scoped), any(filters.values())
    # Unfiltered, the list's length is the counts' total: no second COUNT over the accounts.
    known = None if filtered else counts["total"]
    page = paginate(request, accounts.select_related("platform", "host_org"), count=known)
    return render(
        request,
        "registry/account_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": filtered,
            "counts": counts,
            "platforms": Platform.objects.all(),
            "statuses": AccountStatus.choices,
            "can_file": may(request.user, "filings.change"),
            "breadcrumbs": account_crumbs(),
        },
    )


@login_required
def account_detail(request, account_id: int):
    account = account_or_404(request.user, account_id)
    full_phones = sees_full_phones(request.user, account.host_org)
    may_file = selectors.may_file_for(request.user, account.host_org)
    in_progress = selectors.open_filing(account)
    return render(
        request,
        "registry/account_detail.html",
        {
            "account": account,
            "values": form_display(account, full_phones=full_phones),
            "full_phones": full_phones,
            # Its filings as far as the user may see them (a 变更 may come from another unit).
            "filings": Filing.objects.restrict(request.user)
            .filter(account=account)
            .select_related("org")
            .order_by("-created_at"),
            "in_progress": in_progress,
            "in_progress_visible": in_progress is not None
            and Filing.objects.restrict(request.user).filter(pk=in_progress.pk).exists(),
            "kinds": selectors.kinds_for_account(account) if may_file and not in_progress else [],
            "government_site_form": GovernmentSiteForm(
                initial={"is_government_site": account.is_government_site}
            )
            if may(request.user, "registry.government_site")
            else None,
            "breadcrumbs": account_crumbs((account.name, None)),
        },
    )


@login_required
@require_POST
def account_government_site(request, account_id: int):
    """The district office marks (or unmarks) the account as a 政府网 account."""
    account = account_or_404(request.user, account_id)
    form = GovernmentSiteForm(request.POST)
    form.is_valid()
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        account = services.account_set_government_site(
            actor=request.user,
            account_id=account.pk,
            version=version,
            value=form.cleaned_data.get("is_government_site", False),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        state = "已标记为政府网账号" if account.is_government_site else "已取消政府网账号标记"
        messages.success(request, f"“{account.name}”{state}")
    return redirect("registry:account_detail", account_id=account.pk)
