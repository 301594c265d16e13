from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from govmedia.core.pagination import paginate

from . import services
from .models import Notification


@login_required
def notification_list(request):
    notifications = (
        Notification.objects.restrict(request.user)
        .with_read_at(request.user)
        .select_related("recipient_org")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": paginate(request, notifications),
            "unread": Notification.objects.restrict(request.user).unread(request.user).count(),
            "breadcrumbs": [("站内通知", None)],
        },
    )


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification = services.notification_mark_read(
        actor=request.user, notification_id=notification_id
    )
    target = notification.link if request.POST.get("follow") == "1" else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读" if count else "没有未读通知")
    return redirect("notifications:list")
