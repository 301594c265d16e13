"""The 政务新媒体 section of an org's detail page (orgs.sections): the accounts the org hosts
itself, and how many its 内设机构 and 下属单位 host, with a link to them all."""

from django.template.loader import render_to_string

from govmedia.core.scope import may

from ..models import AccountStatus, MediaAccount

SHOWN = 50


def org_accounts_section(request, org) -> str:
    if not may(request.user, "registry.view"):
        return ""
    visible = MediaAccount.objects.restrict(request.user)
    own = visible.filter(host_org=org).select_related("platform").order_by("status", "name")
    below = (
        visible.filter(host_org__path__startswith=org.path)
        .exclude(host_org=org)
        .exclude(status=AccountStatus.CANCELLED)
        .count()
    )
    return render_to_string(
        "registry/_org_accounts.html",
        {"org": org, "accounts": own[:SHOWN], "total": own.count(), "below": below},
        request=request,
    )
