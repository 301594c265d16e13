from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govmedia.audit.models import AuditEvent
from govmedia.orgs.models import Organization, OrgStatus, OrgType
from govmedia.users.models import User

from . import navigation


@login_required
def dashboard(request):
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
        "planned": [
            item for _, items in navigation.NAVIGATION for item in items if not item.url_name
        ],
    }
    return render(request, "core/dashboard.html", context)


@login_required
def planned(request, key: str):
    item = navigation.find(key)
    if item is None or item.url_name:
        raise Http404
    return render(request, "core/planned.html", {"item": item})


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy, and we say which
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
