"""Reads of the audit log that pages share."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import AuditEvent


def history(
    *objs,
    actions: Iterable[str] | None = None,
    limit: int | None = None,
    oldest_first: bool = False,
) -> QuerySet:
    """The audit events about these objects (usually one), newest first: the object's history
    as its detail page shows it. An event names its object by `_meta.label_lower` and primary
    key, as audit_record writes it. The caller has already checked that the user may see the
    object; the events are not restricted again."""
    if not objs:
        raise TypeError("history() needs at least one object")
    match = reduce(
        or_, (Q(object_type=obj._meta.label_lower, object_id=str(obj.pk)) for obj in objs)
    )
    events = AuditEvent.objects.filter(match)
    if actions is not None:
        events = events.filter(action__in=list(actions))
    events = events.order_by("seq" if oldest_first else "-seq")
    return events[:limit] if limit is not None else events
