"""政务新媒体 pages: the registry list and one account's record."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from govmedia.core.pagination import paginate
from govmedia.core.scope import may

from .. import selectors
from ..display import form_display
from ..filters import ACCOUNT_FILTERS
from ..masking import sees_full_phones
from ..models import AccountStatus, Filing, MediaAccount, Platform
from .shared import account_crumbs, account_or_404


@login_required
def account_list(request):
    scoped = MediaAccount.objects.restrict(request.user)
    accounts = ACCOUNT_FILTERS.apply(scoped, request.GET)
    filters = ACCOUNT_FILTERS.echo(request.GET)
    page = paginate(request, accounts.select_related("platform", "host_org"))
    return render(
        request,
        "registry/account_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "counts": selectors.account_counts(scoped),
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
            "breadcrumbs": account_crumbs((account.name, None)),
        },
    )
