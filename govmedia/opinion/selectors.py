"""Reading 舆情: the case board, a case's timeline, and the expression test box."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from govmedia.core.scope import org_subtree_q
from govmedia.monitoring.models import Post

from .expressions import Expression, normalise, occurrences
from .filters import CASE_FILTERS
from .lifecycle import CASE
from .models import CaseState, OpinionCase, OpinionItem

BOARD_FIELDS = (
    "pk",
    "org__name",
    "title",
    "state",
    "level",
    "opened_at",
    "due_at",
    "responded_at",
    "signal_count",
    "negative_count",
    "version",
)


def board(user, params, *, now: datetime | None = None):
    """The cases the user sees, filtered: open ones first by deadline, then the closed ones
    newest first. One query for the rows (the unit's name joined), one to count."""
    now = now or timezone.now()
    rows = CASE_FILTERS.apply(
        OpinionCase.objects.restrict(user).filter(merged_into__isnull=True), params, now=now
    )
    return (
        rows.select_related("org")
        .annotate(
            closed=Case(
                When(state=CaseState.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "due_at", "-id")
    )


def case_items(case: OpinionCase):
    return (
        case.items.select_related("subscription")
        .prefetch_related("attachments")
        .order_by("occurred_at", "pk")
    )


def case_events(case: OpinionCase):
    return case.events.select_related("actor").prefetch_related("attachments").order_by("at", "pk")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "signal" | an EventKind
    label: str
    actor: str
    note: str
    item: OpinionItem | None = None
    event: object | None = None


def timeline(case: OpinionCase) -> list[TimelineEntry]:
    """Every signal, decision, action, comment and escalation of the case, in time order."""
    entries = [
        TimelineEntry(
            i.created_at, "signal", f"舆情信息（{i.get_kind_display()}）", "", i.text[:300], item=i
        )
        for i in case_items(case)
    ]
    entries += [
        TimelineEntry(
            e.at,
            e.kind,
            e.get_kind_display(),
            e.actor.name if e.actor else "系统",
            e.note,
            event=e,
        )
        for e in case_events(case)
    ]
    return sorted(entries, key=lambda e: e.at)


def offered(case: OpinionCase, user) -> list[str]:
    if case.merged_into_id:
        return []
    return CASE.offered(case, user)


@dataclass(frozen=True)
class PreviewHit:
    post: Post
    terms: list[str]


PREVIEW_DAYS = 7
PREVIEW_LIMIT = 50
PREVIEW_SCAN = 20000


def preview(
    user, expression: Expression, *, now: datetime | None = None
) -> tuple[list[PreviewHit], int, int]:
    """Which of the last 7 days' pulled posts in the user's scope the expression would have
    matched: (the first PREVIEW_LIMIT hits, how many matched, how many were read)."""
    now = now or timezone.now()
    posts = (
        Post.objects.filter(
            org_subtree_q(user, "account__host_org"),
            published_at__gte=now - timedelta(days=PREVIEW_DAYS),
            deleted_at__isnull=True,
        )
        .select_related("account")
        .only("pk", "title", "text", "url", "published_at", "account__name")
        .order_by("-published_at")[:PREVIEW_SCAN]
    )
    hits, matched, read = [], 0, 0
    for post in posts.iterator(chunk_size=1000):
        read += 1
        found = occurrences(normalise(f"{post.title}\n{post.text}"), expression.terms)
        if expression.holds(found):
            matched += 1
            if len(hits) < PREVIEW_LIMIT:
                hits.append(PreviewHit(post, sorted(found)))
    return hits, matched, read
