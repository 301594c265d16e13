"""Completion of repost tasks detected from pulled posts (转载自动识别).

monitoring publishes POSTS_INGESTED(post_ids) inside a pull's transaction; `on_posts_ingested`
(subscribed in CoordinationConfig.ready) judges them once that transaction commits, as
publishing.unapproved does for 先审后发, so a rolled-back pull completes nothing and a failed
judgement never undoes a pull.

For each new post of an account with open tasks:

- a task reported by link (已报送待核实) whose link is the post's is confirmed when the post is
  a repost of the task's source;
- otherwise the post is judged against the sources of the account's open tasks with the matcher
  of 先审后发 (publishing.matching.ApprovedIndex) in its repost mode (`carried`: the share of
  the source a possibly abridged repost must carry; the score is the share of the post that
  comes from the source, so its own title and a 来源 line cost little), and completes the task
  whose source it reposts best.

A first screen, exact, spares the matcher most posts: an inverted index of the winnowed
fingerprints of every open source (built once per call) gives, once per distinct text, the
sources sharing a fingerprint with it and, of those, the ones its length allows it to repost
(judge.lengths_allow_repost). The matcher only ever judges a source sharing a fingerprint with
the post (its candidates come from the same fingerprints, and the same text has the same ones),
and a source the lengths rule out is never matched: a post none of whose account's open
sources passes both is no repost of any, and is not looked up at all. A source sharing no
fingerprint with a text plays no part in its look-up either, so a text is judged once per set
of its account's sources that do share one (live and completed, as the account's index holds
them), not once per set of open sources (_Sources.best).

A post published before a task's source cannot be its repost. One post completes at most one
task. Each source is prepared once per call and indexed, for each account, in a small index of
the sources of its open tasks (a completed one leaves it). The reposts a batch finds, and the
reported links it confirms, are completed together (services.tasks.complete_tasks): a batch
costs a few statements, whatever the number of its reposts.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from govmedia.core import bulksql
from govmedia.monitoring.models import Post
from govmedia.publishing.matching import ApprovedIndex, Judgement, judge, prepare_revision
from govmedia.publishing.matching.judge import Post as Prepared
from govmedia.publishing.matching.judge import Revision, lengths_allow_repost, prepare_post
from govmedia.publishing.matching.shingles import fingerprints

from .models import OPEN_STATES, CompletedVia, RepostCampaign, RepostTask, TaskState
from .services.tasks import Found, complete_task, complete_tasks, note_unconfirmed, url_key

logger = logging.getLogger(__name__)

BATCH = 5000
# Prepared texts kept for reuse in one call: the same text pulled from several accounts (a
# notice every unit posts, one article on 微信 and 微博) is folded and fingerprinted once.
_PREPARED_KEPT = 4096
# Screens and judgements kept (small: keyed by a digest of the text, not the text).
_JUDGED_KEPT = 65536
POST_FIELDS = ("pk", "account_id", "text", "is_html", "url", "published_at")


class _Pulled(NamedTuple):
    """The fields of a pulled post detection reads (a tuple: 50,000 model instances would
    cost more than judging them)."""

    pk: int
    account_id: int
    text: str
    is_html: bool
    url: str
    published_at: datetime


@dataclass
class DetectionStats:
    posts: int = 0
    completed: int = 0
    confirmed: int = 0


@dataclass(frozen=True)
class _Open:
    task_id: int
    campaign_id: int
    state: str
    reported: str  # url_key of the reported link, "" for none
    since: datetime


class _Screen(NamedTuple):
    """What the first screen knows of one text: the sources sharing a fingerprint with it,
    and those of them its length allows it to repost."""

    near: frozenset[int]
    fits: frozenset[int]


class _Sources:
    """The open campaigns' sources met so far in one call, each prepared once; an inverted
    index of their fingerprints (the first screen); and a small index per account of the
    sources of its open tasks (built from the prepared ones)."""

    def __init__(self) -> None:
        self.threshold, self.carried = _threshold()
        self.prepared: dict[int, Revision] = {}
        self.by_print: dict[int, list[int]] = defaultdict(list)  # fingerprint → campaigns
        self.indexes: dict[int, ApprovedIndex] = {}
        self.contents: dict[int, tuple[int, ...]] = {}  # account → campaigns in its index
        self.removed: dict[int, set[int]] = defaultdict(set)  # account → completed there
        self.posts: dict[tuple[str, bool], tuple[Prepared, np.ndarray | None]] = {}
        self.screens: dict[tuple[bytes, bool], _Screen] = {}
        self.judged: dict[tuple, Judgement] = {}

    def best(
        self, account_id: int, campaign_ids, wanted: set[int], text: str, html: bool
    ) -> Judgement | None:
        """The account's index's best judgement of the text, or None when the first screen
        finds none of the ``wanted`` sources (those the post could complete) reachable.

        An index judges a text by the sources sharing a fingerprint with it alone (they are
        built in campaign order, and a completed source leaves its postings behind), so a
        text met again against the same such sources (a notice every unit posts) is judged
        once."""
        digest = (hashlib.blake2b(text.encode(), digest_size=16).digest(), html)
        screen = self.screens.get(digest)
        if screen is None:
            screen = self.screen(*self.prepared_post(text, html))
            _keep(self.screens, digest, screen, _JUDGED_KEPT)
        if screen.fits.isdisjoint(wanted):
            return None
        index = self.index_for(account_id, campaign_ids)
        near = screen.near
        key = (
            tuple(c for c in self.contents[account_id] if c in near),
            tuple(sorted(near & self.removed[account_id])),
            digest,
        )
        judgement = self.judged.get(key)
        if judgement is None:
            post, prints = self.prepared_post(text, html)
            judgement = index.best_prepared(post, prints=prints)
            _keep(self.judged, key, judgement, _JUDGED_KEPT)
        return judgement

    def screen(self, post: Prepared, prints: np.ndarray | None) -> _Screen:
        """The first screen of a prepared post (see the module's docstring)."""
        if prints is None:  # nothing left to compare: no source is reachable
            return _Screen(frozenset(), frozenset())
        near = set()
        for fingerprint in prints.tolist():
            near.update(self.by_print.get(fingerprint, ()))
        fits = {
            c
            for c in near
            if lengths_allow_repost(self.prepared[c], post, self.threshold, self.carried)
        }
        return _Screen(frozenset(near), frozenset(fits))

    def prepared_post(self, text: str, html: bool) -> tuple[Prepared, np.ndarray | None]:
        """The post's comparable form and its fingerprints, computed once per distinct text
        (bounded: the oldest half is forgotten when full)."""
        key = (text, html)
        found = self.posts.get(key)
        if found is None:
            post = prepare_post(text, html=html)
            found = (post, fingerprints(post.flat) if post.flat else None)
            _keep(self.posts, key, found, _PREPARED_KEPT)
        return found

    def add_missing(self, campaign_ids: set[int]) -> None:
        missing = campaign_ids - set(self.prepared)
        if not missing:
            return
        rows = RepostCampaign.objects.filter(pk__in=missing).values_list(
            "pk", "source_text", "source_html"
        )
        for pk, text, html in rows:
            self.add(pk, prepare_revision(text, html=html))

    def add(self, campaign_id: int, revision: Revision) -> None:
        """A campaign's prepared source, indexed for the first screen."""
        self.prepared[campaign_id] = revision
        for fingerprint in fingerprints(revision.flat).tolist():
            self.by_print[fingerprint].append(campaign_id)
        # A text screened before this source was known is screened again.
        self.screens.clear()

    def index_for(self, account_id: int, campaign_ids) -> ApprovedIndex:
        index = self.indexes.get(account_id)
        if index is None:
            index = ApprovedIndex(threshold=self.threshold, carried=self.carried)
            for campaign_id in sorted(campaign_ids):
                index.add_prepared(campaign_id, self.prepared[campaign_id])
            self.indexes[account_id] = index
            self.contents[account_id] = tuple(sorted(campaign_ids))
        return index

    def done(self, account_id: int, campaign_id: int) -> None:
        """The account's task of this campaign is completed: its source leaves the index."""
        index = self.indexes.get(account_id)
        if index is not None and campaign_id in index:
            index.remove(campaign_id)
            self.removed[account_id].add(campaign_id)
            self.contents[account_id] = tuple(
                c for c in self.contents[account_id] if c != campaign_id
            )


def _keep(memo: dict, key, value, kept: int) -> None:
    """memo[key] = value, forgetting the oldest half of a memo holding ``kept`` entries."""
    if len(memo) >= kept:
        for old in list(memo)[: kept // 2]:
            del memo[old]
    memo[key] = value


def _threshold() -> tuple[int, int]:
    threshold = settings.REPOST_MATCH_THRESHOLD
    return threshold, min(settings.REPOST_MATCH_CARRIED, threshold)


def judge_repost(source: str, post: "Post | _Pulled", *, html: bool) -> Judgement:
    threshold, carried = _threshold()
    return judge(
        source,
        post.text,
        revision_html=html,
        post_html=post.is_html,
        threshold=threshold,
        carried=carried,
    )


def detect_reposts(post_ids: Iterable[int], *, now: datetime | None = None) -> DetectionStats:
    stats = DetectionStats()
    ids = sorted({int(i) for i in post_ids})
    sources = _Sources()
    for start in range(0, len(ids), BATCH):
        _detect_batch(
            ids[start : start + BATCH], now=now or timezone.now(), stats=stats, sources=sources
        )
    return stats


def _id_table(ids: list[int]) -> RawSQL:
    """The batch's post ids as a subquery of ONE parameter (a JSON array the database reads
    as a table, core.bulksql): as an IN list, the 5,000 placeholders cost more to build and
    quote than the read they made (~0.1 s of CPU a batch)."""
    sql, params = bulksql.rows_table(Post, {"id": "id"}, [(pk,) for pk in ids])
    return RawSQL(f"SELECT v.id FROM ({sql}) AS v", params)


def _open_tasks(account_ids: set[int]) -> dict[int, list[_Open]]:
    rows = (
        RepostTask.objects.filter(account_id__in=account_ids, state__in=OPEN_STATES)
        .values_list(
            "pk",
            "account_id",
            "campaign_id",
            "state",
            "reported_url",
            "campaign__source_published_at",
        )
        .order_by("pk")
    )
    found: dict[int, list[_Open]] = defaultdict(list)
    for pk, account_id, campaign_id, state, reported, since in rows:
        found[account_id].append(_Open(pk, campaign_id, state, url_key(reported), since))
    return found


def _detect_batch(
    ids: list[int], *, now: datetime, stats: DetectionStats, sources: _Sources
) -> None:
    counted = RepostTask.objects.filter(post_id=OuterRef("pk"))
    rows = (
        Post.objects.filter(pk__in=_id_table(ids), deleted_at__isnull=True)
        .exclude(Exists(counted))
        .order_by()
        .values_list(*POST_FIELDS)
    )
    # Ordered here: sorted with their texts, 5,000 rows spilled to disk on PostgreSQL.
    posts = sorted((_Pulled(*row) for row in rows), key=lambda p: (p.published_at, p.pk))
    if not posts:
        return
    open_by_account = _open_tasks({p.account_id for p in posts})
    if not open_by_account:
        return
    sources.add_missing({t.campaign_id for tasks in open_by_account.values() for t in tasks})
    reported_sources = _reported_sources(open_by_account)
    taken: set[int] = set()
    found: list[Found] = []
    unconfirmed: list[tuple[int, str]] = []
    for post in posts:
        tasks = [
            t
            for t in open_by_account.get(post.account_id, ())
            if t.task_id not in taken and post.published_at >= t.since
        ]
        if not tasks:
            continue
        stats.posts += 1
        reported = _reported_at(post, tasks)
        if reported is not None:
            # A reported link: confirmed (or not) as the report itself would, written with
            # the batch's other completions.
            text, html = reported_sources[reported.campaign_id]
            judgement = judge_repost(text, post, html=html)
            if judgement.match:
                found.append(Found(reported.task_id, post, judgement.score, CompletedVia.REPORTED))
                taken.add(reported.task_id)
            else:
                unconfirmed.append((reported.task_id, judgement.reason))
            continue
        by_campaign = {t.campaign_id: t for t in tasks}
        judgement = sources.best(
            post.account_id,
            {t.campaign_id for t in open_by_account[post.account_id]},
            set(by_campaign),
            post.text,
            post.is_html,
        )
        if judgement is not None and judgement.match and judgement.key not in by_campaign:
            # Outranked by a source issued after the post (the same text issued again): the
            # post may still repost an earlier one.
            judgement = _best_of(post, by_campaign)
        if judgement is None or not judgement.match:
            continue
        task = by_campaign[judgement.key]
        found.append(Found(task.task_id, post, judgement.score, CompletedVia.AUTO))
        taken.add(task.task_id)
        sources.done(post.account_id, judgement.key)
    completed = set(complete_tasks(found, now=now))
    for f in found:
        if f.task_id in completed:
            if f.via == CompletedVia.REPORTED:
                stats.confirmed += 1
            else:
                stats.completed += 1
    for task_id, reason in unconfirmed:  # (rare: a unit's link to another post)
        note_unconfirmed(task_id, reason=reason)


def _best_of(post: _Pulled, by_campaign: dict[int, _Open]) -> Judgement | None:
    """The best match of the post among these campaigns' sources, each judged alone (rare,
    see the caller: one query and a judgement per source)."""
    rows = RepostCampaign.objects.filter(pk__in=list(by_campaign)).values_list(
        "pk", "source_text", "source_html"
    )
    judged = [replace(judge_repost(text, post, html=html), key=pk) for pk, text, html in rows]
    matches = [j for j in judged if j.match]
    return max(matches, key=lambda j: (j.score, -j.key), default=None)


def _reported_sources(open_by_account: dict[int, list[_Open]]) -> dict[int, tuple[str, bool]]:
    """The source (text, html) of each campaign with a task reported by link, in one query."""
    ids = {t.campaign_id for tasks in open_by_account.values() for t in tasks if t.reported}
    if not ids:
        return {}
    rows = RepostCampaign.objects.filter(pk__in=ids).values_list("pk", "source_text", "source_html")
    return {pk: (text, html) for pk, text, html in rows}


def _reported_at(post: _Pulled, tasks: list[_Open]) -> _Open | None:
    """The first task reported (已报送待核实) with the post's link, if any (the link is read
    only for an account that has one)."""
    claimed = [t for t in tasks if t.state == TaskState.CLAIMED and t.reported]
    if not claimed:
        return None
    key = url_key(post.url)
    return next((t for t in claimed if t.reported == key), None)


def _confirm(task: _Open, post: "Post | _Pulled", now: datetime) -> bool:
    source = RepostCampaign.objects.values_list("source_text", "source_html").get(
        pk=task.campaign_id
    )
    judgement = judge_repost(source[0], post, html=source[1])
    if judgement.match:
        return complete_task(
            task.task_id, post=post, score=judgement.score, via=CompletedVia.REPORTED, now=now
        )
    note_unconfirmed(task.task_id, reason=judgement.reason)
    return False


def confirm_report(task_id: int, post: Post, *, now: datetime | None = None) -> bool:
    """A reported link whose post is already pulled: judged at once (services.tasks)."""
    row = RepostTask.objects.select_related("campaign").get(pk=task_id)
    if row.state != TaskState.CLAIMED or post.published_at < row.campaign.source_published_at:
        return False
    task = _Open(
        row.pk,
        row.campaign_id,
        row.state,
        url_key(row.reported_url),
        row.campaign.source_published_at,
    )
    return _confirm(task, post, now or timezone.now())


def on_posts_ingested(*, post_ids) -> None:
    """Subscriber of monitoring's POSTS_INGESTED: judge once the pull has committed."""
    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: _detect_safely(ids), robust=True)


def _detect_safely(post_ids: list[int]) -> None:
    try:
        detect_reposts(post_ids)
    except Exception:  # noqa: BLE001 - never fail the pull; coordination_detect catches up
        logger.exception(
            "转载任务自动识别失败（%s 条内容），可运行 coordination_detect 补做", len(post_ids)
        )
