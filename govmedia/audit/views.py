from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from govmedia.core.dates import parse_date
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may

from . import display
from .actions import action_choices
from .models import AuditEvent

FILTERS = (
    "actor",
    "org",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "date_from",
    "date_to",
)


def filtered_events(user, params) -> tuple:
    """The events the user may see, filtered; and the filter errors to show (bad dates)."""
    events = AuditEvent.objects.restrict(user).select_related("org")
    errors = []
    if actor := params.get("actor", "").strip():
        events = events.filter(actor_label__icontains=actor)
    if org := params.get("org", "").strip():
        events = events.filter(org__name__icontains=org)
    if action := params.get("action", "").strip():
        events = events.filter(action__startswith=action)
    if object_type := params.get("object_type", "").strip():
        events = events.filter(object_type=object_type)
    if object_id := params.get("object_id", "").strip():
        events = events.filter(object_id=object_id)
    if request_id := params.get("request_id", "").strip():
        events = events.filter(request_id=request_id)
    for name, bound, lookup in (("date_from", time.min, "gte"), ("date_to", time.max, "lte")):
        if raw := params.get(name, "").strip():
            try:
                day = parse_date(raw)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            moment = timezone.make_aware(datetime.combine(day, bound))
            events = events.filter(**{f"created_at__{lookup}": moment})
    return events.order_by("-seq"), errors


@login_required
def event_list(request):
    if not may(request.user, "audit.view"):
        raise Http404
    events, errors = filtered_events(request.user, request.GET)
    page = paginate(request, events, per_page=50)
    labels = display.current_labels(page.object_list)
    rows = [
        {
            "event": event,
            "object": display.object_label(event, labels),
            "changed": display.changed_labels(event),
        }
        for event in page.object_list
    ]
    object_types = (
        AuditEvent.objects.restrict(request.user)
        .values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")
    )
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": rows,
            "errors": errors,
            "filters": {name: request.GET.get(name, "") for name in FILTERS},
            "object_types": sorted(
                ((t, display.type_label(t)) for t in object_types), key=lambda pair: pair[1]
            ),
            "actions": action_choices(),
            "breadcrumbs": [("审计日志", None)],
        },
    )


@login_required
def event_detail(request, event_id: int):
    event = get_scoped(AuditEvent.objects.select_related("org"), request.user, event_id)
    labels = display.current_labels([event])
    return render(
        request,
        "audit/detail.html",
        {
            "event": event,
            "object": display.object_label(event, labels),
            "changes": display.changes(event),
            "breadcrumbs": [("审计日志", reverse("audit:list")), (f"第 {event.seq} 条", None)],
        },
    )
