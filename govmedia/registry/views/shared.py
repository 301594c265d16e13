"""Lookups and breadcrumbs shared by the registry's page views."""

from django.http import Http404
from django.urls import reverse

from govmedia.core.errors import NotFound
from govmedia.core.scope import get_scoped

from ..models import Filing, MediaAccount


def account_or_404(user, account_id, action="view") -> MediaAccount:
    try:
        return get_scoped(
            MediaAccount.objects.select_related("platform", "host_org"), user, account_id, action
        )
    except NotFound:
        raise Http404("政务新媒体不存在或您无权访问") from None


def filing_or_404(user, filing_id, action="view") -> Filing:
    try:
        return get_scoped(
            Filing.objects.select_related(
                "platform",
                "org__supervisor",
                "supervisor",
                "account",
                "created_by",
                "submitted_by",
                "filed_by",
            ),
            user,
            filing_id,
            action,
        )
    except NotFound:
        raise Http404("备案不存在或您无权访问") from None


def account_crumbs(*extra):
    return [("政务新媒体", reverse("registry:account_list")), *extra]


def filing_crumbs(*extra):
    return [("备案管理", reverse("registry:filing_list")), *extra]
