"""Reads of review and publishing for the pages and the API to come: 我的稿件, 待我审核 (overdue
first), an article's timeline, who may publish where. Each starts from `restrict(user, …)` or
narrows a queryset that did."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from govmedia.core.scope import may

from .lifecycle import offered, offered_step
from .models import (
    Article,
    ArticleState,
    InboxEntry,
    Publication,
    PublishGrant,
    ReviewDecision,
    ReviewRun,
    ReviewRunStep,
    Revision,
)
from .services.publications import approved_run

__all__ = [
    "TimelineEntry",
    "approved_run",
    "article_timeline",
    "my_articles",
    "offered",
    "offered_step",
    "publishers",
    "review_inbox",
    "story_articles",
]


def my_articles(user, *, states=None):
    """The live articles the user wrote, newest first."""
    articles = Article.objects.restrict(user, "view").alive().filter(author=user)
    if states:
        articles = articles.filter(state__in=states)
    return articles.select_related("org", "current_revision")


def review_inbox(user):
    """Steps under way that wait for this user's decision, overdue first, then by due time.
    Read from the inbox rows (publishing.inbox), one index range scan for any size."""
    return (
        ReviewRunStep.objects.filter(inbox__user=user)
        .select_related("run__article__org", "run__revision")
        .order_by("inbox__due_at", "inbox__step_id")  # the order of the (user, due_at) index
    )


def inbox_counts(user) -> tuple[int, int]:
    """(waiting, overdue) steps of the user's inbox, counted once per request: the navigation,
    the tabs and the inbox page all ask."""
    cached = getattr(user, "_publishing_inbox_counts", None)
    if cached is not None:
        return cached
    if not may(user, "publishing.review"):
        counts = (0, 0)
    else:
        totals = InboxEntry.objects.filter(user=user).aggregate(
            waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=timezone.now()))
        )
        counts = (totals["waiting"], totals["overdue"])
    user._publishing_inbox_counts = counts
    return counts


def waiting_count(user) -> int:
    """How many steps wait for the user's decision (for the navigation and the tabs)."""
    return inbox_counts(user)[0]


def is_overdue(step: ReviewRunStep, now: datetime | None = None) -> bool:
    return step.due_at is not None and step.due_at < (now or timezone.now())


def story_articles(article: Article):
    """The adaptations of the article's story (itself included)."""
    root = article.adapted_from_id or article.pk
    return Article.objects.alive().filter(Q(pk=root) | Q(adapted_from_id=root)).order_by("pk")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # revision / submit / decision / run_end / publication
    obj: object


def article_timeline(article: Article) -> list[TimelineEntry]:
    """Revisions, runs, decisions (naming each reviewer: 谁审查、谁负责) and publications, in
    time order."""
    entries = [
        TimelineEntry(r.created_at, "revision", r)
        for r in Revision.objects.filter(article=article).select_related("author")
    ]
    for run in ReviewRun.objects.filter(article=article).select_related("submitted_by", "revision"):
        entries.append(TimelineEntry(run.started_at, "submit", run))
        if run.finished_at:
            entries.append(TimelineEntry(run.finished_at, "run_end", run))
    entries += [
        TimelineEntry(d.decided_at, "decision", d)
        for d in ReviewDecision.objects.filter(run__article=article).select_related(
            "reviewer", "run_step"
        )
    ]
    entries += [
        TimelineEntry(p.published_at or p.requested_at, "publication", p)
        for p in Publication.objects.filter(article=article).select_related(
            "account", "requested_by"
        )
    ]
    order = {"revision": 0, "submit": 1, "decision": 2, "run_end": 3, "publication": 4}
    return sorted(entries, key=lambda e: (e.at, order[e.kind]))


def publishers(account, *, on: date | None = None):
    """The grants valid on a day (today by default) for an account."""
    on = on or timezone.localdate()
    return PublishGrant.objects.filter(
        account=account, revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on
    ).select_related("user")


def publishable(user):
    """Approved articles the user may publish now (a valid grant for one of their targets)."""
    today = timezone.localdate()
    accounts = PublishGrant.objects.filter(
        user=user, revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
    ).values("account_id")
    return (
        Article.objects.restrict(user, "publish")
        .alive()
        .filter(state__in=[ArticleState.APPROVED, ArticleState.PUBLISHED])
        .filter(targets__account_id__in=accounts)
        .distinct()
    )
