"""Reading 舆情: the case board, a case's timeline, and the expression test box."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from govmedia.core.scope import org_subtree_q
from govmedia.interaction.models import Message
from govmedia.interaction.models import Source as MessageSource
from govmedia.monitoring.models import Post

from .expressions import Expression, normalise, occurrences
from .filters import CASE_FILTERS
from .lifecycle import CASE, PRE_RESPONSE
from .models import OpinionCase, OpinionItem, closed_last

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


def _listed(user):
    return OpinionCase.objects.restrict(user).filter(merged_into__isnull=True)


def board(user, params, *, now: datetime | None = None):
    """The cases the user sees that the board's filters (query parameters) select."""
    selected = CASE_FILTERS.q(params, now=now or timezone.now())
    return board_rows(user, selected, one_state=one_state(params))


def one_state(params) -> bool:
    """Whether the filters pin a single stage (then open-before-closed orders nothing)."""
    return CASE_FILTERS.values(params).get("state", "open") != "open"


def board_rows(user, selected: Q, *, one_state: bool = False):
    """The cases the user sees that `selected` (CASE_FILTERS.q) holds for: open ones first,
    then the closed ones, each by deadline (newest first on a tie). One query for the rows (the
    unit's name joined), read in the order of an index rather than sorted, so that a page costs
    about the same at 500 cases and at 50,000: `opinion_board_order` (models.closed_last), or
    within one stage `opinion_board_state`."""
    order = ("due_at", "-id") if one_state else (closed_last().asc(), "due_at", "-id")
    return _listed(user).filter(selected).select_related("org").order_by(*order)


@dataclass(frozen=True)
class BoardCounts:
    by_state: dict[str, int]  # every case the user sees, by stage
    overdue: int  # of those, not yet answered and past the deadline
    selected: int  # the cases `selected` holds for (what the board pages through)


def board_counts(user, selected: Q, *, now: datetime) -> BoardCounts:
    """The board's figures in one grouped query (by stage, with the overdue and the selected
    cases as conditional counts) instead of a COUNT each; unfiltered, it reads the partial
    index `opinion_board_state` (stage, deadline) rather than the table."""
    # Only indexed columns are read (due_at is never null: COUNT(due_at) is COUNT(*), which
    # takes no filter), and past the deadline is overdue only in the stages before 回应,
    # decided per group below: the per-row work is one comparison of the indexed deadline.
    aggregates = {"n": Count("*"), "past_due": Count("due_at", filter=Q(due_at__lte=now))}
    if selected:
        aggregates["selected"] = Count("due_at", filter=selected)
    by_state, overdue, total = {}, 0, 0
    for group in _listed(user).values("state").annotate(**aggregates).order_by():
        by_state[group["state"]] = group["n"]
        if group["state"] in PRE_RESPONSE:
            overdue += group["past_due"]
        total += group["selected"] if selected else group["n"]
    return BoardCounts(by_state, overdue, total)


def _listed(user):
    """The cases a board lists: those the user sees, a case merged into another left out."""
    return OpinionCase.objects.restrict(user).filter(merged_into__isnull=True)


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
    at: datetime
    kind: str  # 发布内容, 评论 or 留言: the three kinds a subscription can watch
    where: str  # the account, or the unit a hand-entered message came to
    title: str
    text: str
    terms: list[str]


PREVIEW_DAYS = 7
PREVIEW_LIMIT = 50
PREVIEW_SCAN = 20000  # per kind: posts, then comments and messages


def _recent_posts(user, since: datetime):
    rows = (
        Post.objects.filter(
            org_subtree_q(user, "account__host_org"),
            published_at__gte=since,
            deleted_at__isnull=True,
        )
        .select_related("account")
        .only("pk", "title", "text", "published_at", "account__name")
        .order_by("-published_at")[:PREVIEW_SCAN]
    )
    for post in rows.iterator(chunk_size=1000):
        yield post.published_at, "发布内容", post.account.name, post.title, post.text


def _recent_messages(user, since: datetime):
    rows = (
        Message.objects.filter(org_subtree_q(user, "org"), received_at__gte=since)
        .select_related("account", "org")
        .only("pk", "source", "text", "post_excerpt", "received_at", "account__name", "org__name")
        .order_by("-received_at")[:PREVIEW_SCAN]
    )
    for m in rows.iterator(chunk_size=1000):
        comment = m.source == MessageSource.COMMENT
        where = m.account.name if m.account_id else m.org.name
        title = m.post_excerpt[:60] if comment else ""
        yield m.received_at, "评论" if comment else "留言", where, title, m.text


def preview(
    user, expression: Expression, *, now: datetime | None = None
) -> tuple[list[PreviewHit], int, int]:
    """Which of the last 7 days' content in the user's scope — pulled posts, comments and
    messages, the three kinds a subscription watches — the expression would have matched:
    (the newest PREVIEW_LIMIT hits, how many matched, how many were read)."""
    since = (now or timezone.now()) - timedelta(days=PREVIEW_DAYS)
    hits, matched, read = [], 0, 0
    for rows in (_recent_posts(user, since), _recent_messages(user, since)):
        for at, kind, where, title, text in rows:
            read += 1
            found = occurrences(normalise(f"{title}\n{text}"), expression.terms)
            if expression.holds(found):
                matched += 1
                hits.append(PreviewHit(at, kind, where, title, text, sorted(found)))
    hits.sort(key=lambda hit: hit.at, reverse=True)
    return hits[:PREVIEW_LIMIT], matched, read
