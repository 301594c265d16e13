"""协同转载's lines of the 工作台 to-do list (core.todo): the open repost tasks of the user's
accounts (the target unit's staff), and, for the district office, tasks past their deadline;
发布申请: the district office's requests to accept and approved ones to publish, and the
requesting unit's requests under way (to follow)."""

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from govmedia.core.scope import may, sees_whole_district
from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from .models import OPEN_REQUEST_STATES, OPEN_STATES, PublishRequest, RepostTask, RequestState

LIMIT = 50
BASIS = "依据：通知第二部分（三）“整体联动、集体发声”"


def _line(kind, task: RepostTask, label: str, today: date, horizon: date) -> TodoItem:
    due = timezone.localdate(task.due_at)
    return TodoItem(
        kind=kind,
        label=label,
        title=f"“{task.account.name}”转载：{task.campaign.title}",
        link=reverse("coordination:campaign", args=[task.campaign_id]),
        org_name=task.org.name,
        due_on=due,
        overdue=due < today,  # by date, as the day's list is read (today is given)
        due_soon=today <= due <= horizon,
        note=BASIS,
        ref=f"coordination.reposttask:{task.pk}",
    )


REQUEST_BASIS = "依据：通知第二部分（三）：需要政府网站发布的信息，应协商一致后发布"
REQUEST_LABELS = {
    # The district office's share, then what the unit follows.
    RequestState.SUBMITTED: ("受理发布申请", "发布申请待受理"),
    RequestState.IN_REVIEW: ("发布申请区级审核中", "发布申请区级审核中"),
    RequestState.APPROVED: ("政府网账号发布", "发布申请待发布"),
}


def request_items(user) -> list[TodoItem]:
    """The district office acts on submitted and approved requests (the review itself is in
    the reviewers' own lines); a requesting unit follows its requests under way."""
    if not may(user, "coordination.view"):
        return []
    office = may(user, "coordination.handle_request")
    rows = (
        PublishRequest.objects.restrict(user)
        .filter(state__in=OPEN_REQUEST_STATES)
        .select_related("org")
        .order_by("proposed_at", "pk")[:LIMIT]
    )
    lines = []
    for request in rows:
        acts = office and request.state in (RequestState.SUBMITTED, RequestState.APPROVED)
        if office and not acts:
            continue
        labels = REQUEST_LABELS[request.state]
        lines.append(
            TodoItem(
                kind=TodoKind.ACT if acts else TodoKind.WATCH,
                label=labels[0] if office else labels[1],
                title=f"发布申请：{request.title}",
                link=reverse("coordination:request", args=[request.pk]),
                org_name=request.org.name,
                due_on=timezone.localdate(request.proposed_at),
                note=REQUEST_BASIS,
                ref=f"coordination.publishrequest:{request.pk}",
            )
        )
    return lines


def items(user, *, today: date) -> list[TodoItem]:
    return repost_items(user, today=today) + request_items(user)


def repost_items(user, *, today: date) -> list[TodoItem]:
    horizon = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    scoped = (
        RepostTask.objects.restrict(user)
        .filter(state__in=OPEN_STATES)
        .select_related("org", "account", "campaign")
        .order_by("due_at", "pk")
    )
    if sees_whole_district(user):
        late = scoped.filter(due_at__lt=timezone.make_aware(datetime.combine(today, time.min)))
        late = late[:LIMIT]
        return [_line(TodoKind.WATCH, t, "督促转载", today, horizon) for t in late]
    if not may(user, "coordination.complete"):
        return []
    return [_line(TodoKind.ACT, t, "转载", today, horizon) for t in scoped[:LIMIT]]
