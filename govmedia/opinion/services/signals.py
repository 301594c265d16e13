"""Signals in: subscriptions' matches, manual reports and vendors' items, stored with their
sentiment and MinHash signature, and clustered into case candidates.

One intake for content, `signals_from_texts`: pulled posts (intake.on_posts_ingested) and the
interaction app's comments and messages (intake.on_messages_stored) call it the same way. Every path ends in
`store_signals`, which clusters the new signals with the recent ones of the same unit
(clustering.Clusterer, within OPINION_CLUSTER_WINDOW_HOURS): a signal like an open case's
signals joins that case; one like nothing starts a new case in 预警, and the unit is alerted
once per case, not once per signal.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.notifications.models import NotificationKind

from .. import timers
from ..clustering import Clusterer, signatures
from ..expressions import Expression, ExpressionError
from ..matcher import SubscriptionMatcher
from ..models import (
    CONTENT_KINDS,
    OPEN_STATES,
    CaseState,
    EventKind,
    Level,
    OpinionCase,
    OpinionItem,
    Sentiment,
    Subscription,
)
from ..sentiment import score
from .common import notify_unit, record

logger = logging.getLogger(__name__)

TITLE_CHARS = 60


@dataclass(frozen=True, slots=True)
class IncomingText:
    """A piece of content arriving on an account: a pulled post, a comment, a message."""

    content_kind: str  # "post" | "comment" | "message"
    ref: str  # unique per content: "post:12", "comment:34"
    org_id: int  # the account's unit
    org_path: str
    text: str
    at: datetime
    url: str = ""
    title: str = ""
    post_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Sub:
    pk: int
    org_id: int
    org_path: str
    reads: frozenset[str]
    rule: str


class _ActiveSubscriptions:
    """The active subscriptions and their shared automaton, rebuilt only when they change."""

    def __init__(self) -> None:
        self.key = None
        self.matcher = SubscriptionMatcher({})
        self.subs: dict[int, _Sub] = {}

    def current(self) -> tuple[SubscriptionMatcher, dict[int, _Sub]]:
        key = tuple(
            Subscription.objects.filter(active=True)
            .aggregate(n=Count("id"), top=Max("id"), changed=Max("updated_at"))
            .values()
        )
        if key != self.key:
            self._load()
            self.key = key
        return self.matcher, self.subs

    def _load(self) -> None:
        expressions, subs = {}, {}
        rows = Subscription.objects.filter(active=True).values_list(
            "pk",
            "org_id",
            "org__path",
            "name",
            "expression",
            "on_posts",
            "on_comments",
            "on_messages",
        )
        for pk, org_id, path, name, source, posts, comments, messages in rows:
            try:
                expressions[pk] = Expression.parse(source)
            except ExpressionError:  # stored before a parser change: skipped, never fatal
                logger.warning("监测方案 %s 的表达式无法解析，已跳过", pk)
                continue
            reads = {
                k for k, on in (("post", posts), ("comment", comments), ("message", messages)) if on
            }
            subs[pk] = _Sub(pk, org_id, path, frozenset(reads), f"{name}：{source}"[:2000])
        self.matcher = SubscriptionMatcher(expressions)
        self.subs = subs


_active = _ActiveSubscriptions()


def matches(texts: Iterable[IncomingText]) -> list[tuple[IncomingText, _Sub]]:
    """Each (text, subscription) that holds: one automaton pass per text, a subscription
    applying to the content of its unit's subtree only and to the kinds it reads."""
    matcher, subs = _active.current()
    found = []
    for text in texts:
        for key in matcher.match(f"{text.title}\n{text.text}" if text.title else text.text):
            sub = subs[key]
            if text.content_kind in sub.reads and text.org_path.startswith(sub.org_path):
                found.append((text, sub))
    return found


def signals_from_texts(
    texts: Iterable[IncomingText], *, now: datetime | None = None
) -> list[OpinionItem]:
    """The intake of content: subscriptions evaluated, their matches stored as signals (once
    per subscription and content) and clustered. Returns the new signals."""
    now = now or timezone.now()
    found = matches(texts)
    if not found:
        return []
    refs = {text.ref for text, _ in found}
    seen = set(
        OpinionItem.objects.filter(content_ref__in=refs, subscription__isnull=False).values_list(
            "subscription_id", "content_ref"
        )
    )
    items = []
    for text, sub in found:
        if (sub.pk, text.ref) in seen:
            continue
        seen.add((sub.pk, text.ref))
        items.append(
            OpinionItem(
                org_id=sub.org_id,
                kind=CONTENT_KINDS[text.content_kind],
                title=text.title[:500],
                text=text.text,
                url=text.url[:1000],
                occurred_at=text.at,
                matched_rule=sub.rule,
                subscription_id=sub.pk,
                post_id=text.post_id,
                content_ref=text.ref,
                created_at=now,
            )
        )
    try:
        with transaction.atomic():
            return store_signals(items, now=now)
    except IntegrityError:  # another worker stored the same matches first
        logger.info("监测方案命中已由其他进程收录（%s 条）", len(items))
        return []


def store_signals(items: list[OpinionItem], *, now: datetime) -> list[OpinionItem]:
    """Sentiment and signature filled in, the signals saved and clustered into cases."""
    texts = [f"{item.title} {item.text}" for item in items]
    for item, text, stored in zip(items, texts, signatures(texts), strict=True):
        result = score(text)
        item.sentiment = result.label
        item.sentiment_score = result.score
        item.sentiment_words = result.words[:20]
        item.signature = stored
    created = OpinionItem.objects.bulk_create(items, batch_size=500)
    cluster_signals(created, now=now)
    return created


def cluster_signals(items: list[OpinionItem], *, now: datetime) -> None:
    """Each new signal into the case of the similar recent signals of its unit, or a new case."""
    window = timedelta(hours=settings.OPINION_CLUSTER_WINDOW_HOURS)
    by_org: dict[int, list[OpinionItem]] = defaultdict(list)
    for item in items:
        by_org[item.org_id].append(item)
    touched: set[int] = set()
    for org_id, group in by_org.items():
        touched |= _cluster_unit(org_id, group, window=window, now=now)
    _recount(touched)


def _cluster_unit(org_id: int, items: list[OpinionItem], *, window, now) -> set[int]:
    items.sort(key=lambda i: (i.occurred_at, i.pk))
    clusterer = Clusterer(window=window, threshold=settings.OPINION_CLUSTER_THRESHOLD)
    recent = (
        OpinionItem.objects.filter(
            org_id=org_id,
            occurred_at__gte=items[0].occurred_at - window,
            occurred_at__lte=items[-1].occurred_at + window,
            case__state__in=OPEN_STATES,
            case__merged_into__isnull=True,
        )
        .exclude(pk__in=[i.pk for i in items])
        .order_by("occurred_at", "pk")  # the earliest case keeps its name when two merge
        .values_list("pk", "signature", "occurred_at", "case_id")
    )
    for pk, stored, at, case_id in recent:
        clusterer.remember(("i", pk), bytes(stored), at, ("c", case_id))
    started: dict[tuple, OpinionCase] = {}  # cluster name ("i", pk) -> the case it opened
    cases: dict[int, OpinionCase] = {}
    touched: set[int] = set()

    def case_of(name) -> OpinionCase:
        if name in started:
            return started[name]
        case_id = name[1]
        if case_id not in cases:
            cases[case_id] = OpinionCase.objects.get(pk=case_id)
        return cases[case_id]

    for item in items:
        assignment = clusterer.add(("i", item.pk), bytes(item.signature), item.occurred_at)
        if assignment.cluster is None:
            case = _open_case(item, now=now)
            started[("i", item.pk)] = case
        else:
            case = case_of(assignment.cluster)
            for other in assignment.merged:
                _merge(case_of(other), into=case, now=now)
        item.case_id = case.pk
        touched.add(case.pk)
    OpinionItem.objects.bulk_update(items, ["case"], batch_size=500)
    return touched


def _open_case(item: OpinionItem, *, now) -> OpinionCase:
    case = OpinionCase.objects.create(
        org_id=item.org_id,
        title=(item.title or item.text).strip().replace("\n", " ")[:TITLE_CHARS] or "舆情信息",
        summary=item.text[:1000],
        state=CaseState.WARNING,
        level=Level.ORDINARY,
        opened_at=now,
        due_at=timers.first_due(now, Level.ORDINARY),
    )
    record(case, EventKind.OPENED, at=now, note=item.get_kind_display(), item=item.pk)
    audit_record(
        actor=None, action="opinion.case_open", obj=case, org=case.org, after={"item": item.pk}
    )
    notify_unit(
        case.org,
        kind=NotificationKind.OPINION_ALERT,
        case=case,
        message=f"舆情预警：{case.title}（{item.get_kind_display()}），请及时研判",
    )
    return case


def _merge(case: OpinionCase, *, into: OpinionCase, now) -> None:
    """Two candidates bridged by a signal: one event. Only a case still in 预警 is folded into
    the other; one already being handled keeps its own signals and course."""
    if case.pk == into.pk or case.state != CaseState.WARNING or case.merged_into_id:
        return
    OpinionItem.objects.filter(case=case).update(case=into)
    OpinionCase.objects.filter(pk=case.pk).update(
        merged_into=into, signal_count=0, negative_count=0
    )
    case.merged_into_id = into.pk
    record(
        into,
        EventKind.MERGE,
        at=now,
        note=f"并入预警事件 #{case.pk}：{case.title}",
        merged_case=case.pk,
    )


def _recount(case_ids: set[int]) -> None:
    if not case_ids:
        return
    counts = (
        OpinionItem.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(n=Count("id"), negative=Count("id", filter=Q(sentiment=Sentiment.NEGATIVE)))
    )
    for row in counts:
        OpinionCase.objects.filter(pk=row["case_id"]).update(
            signal_count=row["n"], negative_count=row["negative"]
        )
