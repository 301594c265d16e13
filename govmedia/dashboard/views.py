"""工作台: the first page after login. First what waits for the user (the to-do list of every
app, dashboard.todo), what runs late in their scope, the accounts that need attention and their
unread notifications; then the organisation counts and the recent audit events."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.core.navigation import NAVIGATION
from govmedia.core.scope import may
from govmedia.core.todo import TodoKind
from govmedia.notifications.models import Notification
from govmedia.orgs.models import Organization, OrgStatus, OrgType
from govmedia.users.models import User

from .todo import todo_items

UNREAD_SHOWN = 10


@login_required
def home(request):
    user = request.user
    todo = todo_items(user, today=timezone.localdate())
    unread = Notification.objects.restrict(user).unread(user)
    context = {
        "act": todo[TodoKind.ACT],
        "watch": todo[TodoKind.WATCH],
        "accounts": todo[TodoKind.ACCOUNT],
        "unread_count": unread.count(),
        "unread": list(unread.select_related("recipient_org")[:UNREAD_SHOWN]),
        "planned": [item for _, items in NAVIGATION for item in items if not item.url_name],
    }
    if may(user, "orgs.change") or user.sees_whole_district:
        context |= _org_figures(user)
    if may(user, "audit.view"):
        context["recent_events"] = AuditEvent.objects.restrict(user).select_related("org")[:8]
    return render(request, "dashboard/home.html", context)


def _org_figures(user) -> dict:
    orgs = Organization.objects.restrict(user)
    by_type = dict(
        orgs.filter(status=OrgStatus.ACTIVE)
        .values_list("org_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "org_counts": [(OrgType(t).label, by_type.get(t, 0)) for t in OrgType.values],
        "inactive_orgs": orgs.exclude(status=OrgStatus.ACTIVE).count(),
        "user_count": User.objects.restrict(user).filter(is_active=True).count(),
    }
