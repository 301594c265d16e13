"""What the coordination services share: the deadline arithmetic, links, notifications and the
audited save that ends every change of a task or a request."""

from datetime import datetime, timedelta

from django.urls import NoReverseMatch, reverse

from govmedia.audit.services import audit_record, snapshot
from govmedia.notifications.services import notification_send_each
from govmedia.publishing.deadlines import MAX_DAYS, MAX_HOURS
from govmedia.publishing.services.common import unit_administrators
from govmedia.publishing.services.reviews import step_due_at

from ..models import DeadlineUnit, RepostTask

# With a limit in working days, the reminder comes on the last day this long before the close
# of business (at 14:00): "today is the last day".
LAST_DAY_NOTICE = timedelta(hours=4)
LIMITS = {DeadlineUnit.HOURS: MAX_HOURS, DeadlineUnit.DAYS: MAX_DAYS}


def due_and_reminder(issued_at: datetime, value: int, unit: str) -> tuple[datetime, datetime]:
    """The deadline, `value` working hours or days after `issued_at` (the same working-time
    arithmetic as a review step's limit), and when to remind the units still owing: one
    working hour before it, or on the last working day at 14:00 (halfway for a one-hour task)."""
    due = step_due_at(issued_at, value, unit)
    if unit == DeadlineUnit.DAYS:
        remind = due - LAST_DAY_NOTICE
    elif value > 1:
        remind = step_due_at(issued_at, value - 1, unit)
    else:
        remind = issued_at + (due - issued_at) / 2
    return due, max(remind, issued_at)


def link(name: str, **kwargs) -> str:
    """A page's path once the pages are mounted (this layer works without them)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def notify_unit(org, *, kind: str, obj, message: str, url: str = "", also=()) -> list:
    """One notification to each of the unit's nearest administrators (who are returned) and to
    the people in `also` (the person who asked), once per person."""
    admins = unit_administrators(org)
    notification_send_each(
        recipients=[*also, *admins], kind=kind, obj=obj, link=url, message=message
    )
    return admins


def save_audited(obj, before: dict, *, actor, action: str, org, fields: list[str]) -> None:
    """The changed row saved one version on, with its audit event (`before` → now) in the
    caller's transaction."""
    obj.version += 1
    obj.save()
    audit_record(
        actor=actor, action=action, obj=obj, org=org, before=before, after=snapshot(obj, fields)
    )


def locked_task(task_id: int) -> RepostTask:
    return (
        RepostTask.objects.select_for_update(of=("self",))
        .select_related("campaign__org", "org", "account")
        .get(pk=task_id)
    )
