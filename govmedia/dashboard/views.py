"""工作台: the first page after login."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from govmedia.audit.models import AuditEvent
from govmedia.core.navigation import NAVIGATION
from govmedia.orgs.models import Organization, OrgStatus, OrgType
from govmedia.users.models import User


@login_required
def home(request):
    orgs = Organization.objects.restrict(request.user)
    by_type = dict(
        orgs.filter(status=OrgStatus.ACTIVE)
        .values_list("org_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "org_counts": [(OrgType(t).label, by_type.get(t, 0)) for t in OrgType.values],
        "inactive_orgs": orgs.exclude(status=OrgStatus.ACTIVE).count(),
        "user_count": User.objects.restrict(request.user).filter(is_active=True).count(),
        "recent_events": AuditEvent.objects.restrict(request.user).select_related("org")[:8],
        "planned": [item for _, items in NAVIGATION for item in items if not item.url_name],
    }
    return render(request, "dashboard/home.html", context)
