"""Lookups and breadcrumbs shared by the registry's page views."""

from django.urls import reverse

from govmedia.core.scope import get_scoped

from ..models import Filing, MediaAccount


def account_or_404(user, account_id, action="view") -> MediaAccount:
    return get_scoped(
        MediaAccount.objects.select_related("platform", "host_org"), user, account_id, action
    )


def filing_or_404(user, filing_id, action="view") -> Filing:
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


def account_crumbs(*extra):
    return [("政务新媒体", reverse("registry:account_list")), *extra]


def filing_crumbs(*extra):
    return [("备案管理", reverse("registry:filing_list")), *extra]
