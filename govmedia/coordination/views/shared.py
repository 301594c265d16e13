"""What the 协同转载 pages share: breadcrumbs, tabs, scoped lookups."""

from django.http import Http404
from django.urls import reverse

from govmedia.core.scope import get_scoped, may

from ..forms import BASIS
from ..models import RepostCampaign, RepostTask


def require_view(user) -> None:
    if not may(user, "coordination.view"):
        raise Http404


def crumbs(*extra):
    return [("协同转载", reverse("coordination:campaigns")), *extra]


def tabs(user, tab: str) -> dict:
    return {"tab": tab, "can_issue": may(user, "coordination.issue"), "basis": BASIS}


def campaign_or_404(user, campaign_id) -> RepostCampaign:
    require_view(user)
    return get_scoped(
        RepostCampaign.objects.select_related(
            "org", "issued_by", "source_account", "source_article"
        ),
        user,
        campaign_id,
    )


def task_or_404(user, task_id, action="view") -> RepostTask:
    require_view(user)
    return get_scoped(
        RepostTask.objects.select_related("campaign__org", "account", "org"), user, task_id, action
    )


def version_of(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1
