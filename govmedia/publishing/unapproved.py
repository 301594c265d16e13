"""Proof of 先审后发 (通知第四部分（二）): every pulled post is matched to an approved revision
of an article that targeted its account; a post matching none is a 未经审核发布 finding.

The flow:

- monitoring publishes POSTS_INGESTED(post_ids) inside a pull's transaction, where rectify
  screens the same posts; `on_posts_ingested` (subscribed in PublishingConfig.ready) matches them
  once that transaction commits, so a rolled-back pull matches nothing and a failed match never
  undoes a pull.
- `match_posts` judges each post with the pure matcher (govmedia.publishing.matching) against an
  ApprovedIndex built per account from the database: the revisions whose run was approved
  (published or not) of the articles targeting the account. They are few per account (tens to
  hundreds), so building the index per batch is cheaper and simpler than keeping one alive and
  invalidating it when an approval is given or an article retargeted.
- An approval given after the post went out does not make it approved: 先审后发 means the run
  ended before the post was published (APPROVAL_SLACK allows for the platform's clock).
- Posts published before settings.PUBLISHING_MATCH_SINCE (the day the platform went live) are
  out of scope: never matched, and a stored judgement is dropped when the cut-off moves past it.
- The result is one PostMatch per post, re-judged when the post's content changes on the
  platform or by `publishing_rematch`; a dismissed finding stays dismissed while its content
  does not change. compliance counts the findings through selectors.register_counts (it may
  not import publishing) and is refreshed after commit for the accounts whose count changed.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govmedia.audit.services import Entry, audit_record, audit_record_many, snapshot
from govmedia.compliance import rules as compliance_rules
from govmedia.compliance.services import refresh_after_commit
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.versions import check_version
from govmedia.monitoring.models import Post
from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization

from .exemptions import ExemptSource, exempt_sources
from .matching import ApprovedIndex, Judgement
from .models import (
    MatchState,
    PostMatch,
    Publication,
    PublicationState,
    ReviewRun,
    Revision,
    RunState,
)
from .services.common import clean_reason, unit_administrators

logger = logging.getLogger(__name__)

# The platform's clock and ours may differ by a little: an approval this much after the post's
# publication time still counts as before it.
APPROVAL_SLACK = timedelta(minutes=2)
BATCH = 500
AUDITED = ["state", "revision", "score", "reason", "dismissed_by", "dismiss_reason"]
NO_CANDIDATES = "该账号没有审核通过的稿件"


def match_since() -> datetime:
    """The first moment in scope: the cut-off day's local midnight, or the moment given."""
    since = settings.PUBLISHING_MATCH_SINCE
    if isinstance(since, str):
        since = datetime.fromisoformat(since)
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    return since if timezone.is_aware(since) else timezone.make_aware(since)


# --- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    state: str
    score: int
    reason: str
    revision_id: int | None
    nearest_id: int | None
    candidates: int


@dataclass
class MatchStats:
    judged: int = 0
    matched: int = 0
    unapproved: int = 0
    exempt: int = 0  # reposts of tasks exempted from review
    unchanged: int = 0
    out_of_scope: int = 0

    def count(self, state: str) -> None:
        self.judged += 1
        if state == MatchState.MATCHED:
            self.matched += 1
        elif state == MatchState.EXEMPT:
            self.exempt += 1
        else:
            self.unapproved += 1


class _AccountCandidates:
    """The approved revisions of one account, indexed, with when each was approved; and the
    sources of the repost tasks exempted from review, in a repost-mode index of their own."""

    def __init__(self) -> None:
        self.index = ApprovedIndex()
        self.approved_at: dict[int, datetime] = {}
        self.exempt: ApprovedIndex | None = None
        self.exempt_sources: dict[str, ExemptSource] = {}

    def add_exempt(self, source: ExemptSource) -> None:
        if self.exempt is None:
            threshold = settings.REPOST_MATCH_THRESHOLD
            carried = min(settings.REPOST_MATCH_CARRIED, threshold)
            self.exempt = ApprovedIndex(threshold=threshold, carried=carried)
        self.exempt.add(source.key, source.text, html=source.html)
        self.exempt_sources[source.key] = source


def _candidates(account_ids: Iterable[int]) -> dict[int, _AccountCandidates]:
    """Two queries for any number of accounts (and the exempt reposts' providers)."""
    account_ids = list(account_ids)
    runs = ReviewRun.objects.filter(
        state=RunState.APPROVED, article__targets__account_id__in=account_ids
    ).values_list("article__targets__account_id", "revision_id", "finished_at")
    approved: dict[int, dict[int, datetime]] = defaultdict(dict)
    for account_id, revision_id, finished_at in runs:
        earlier = approved[account_id].get(revision_id)
        if finished_at is not None and (earlier is None or finished_at < earlier):
            approved[account_id][revision_id] = finished_at
    revision_ids = {rid for per_account in approved.values() for rid in per_account}
    bodies = dict(Revision.objects.filter(pk__in=revision_ids).values_list("pk", "body_html"))
    out: dict[int, _AccountCandidates] = {}
    for account_id, per_account in approved.items():
        candidates = out[account_id] = _AccountCandidates()
        for revision_id in sorted(per_account):
            candidates.index.add(revision_id, bodies[revision_id], html=True)
            candidates.approved_at[revision_id] = per_account[revision_id]
    for account_id, sources in exempt_sources(account_ids).items():
        for source in sources:
            out.setdefault(account_id, _AccountCandidates()).add_exempt(source)
    return out


def judge_post(post: Post, candidates: _AccountCandidates | None) -> Outcome:
    """The verdict on one post: matched to an approved revision of its account; else, a
    repost of a task exempted from review (published after the task was issued) is exempt;
    else a finding."""
    outcome = _judge_approved(post, candidates)
    if outcome.state == MatchState.UNAPPROVED and candidates is not None:
        return _judge_exempt(post, candidates) or outcome
    return outcome


def _judge_exempt(post: Post, candidates: _AccountCandidates) -> Outcome | None:
    if candidates.exempt is None or not len(candidates.exempt):
        return None
    judgement = candidates.exempt.best(post.text, html=post.is_html)
    if not judgement.match:
        return None
    source = candidates.exempt_sources[judgement.key]
    if post.published_at + APPROVAL_SLACK < source.since:
        return None
    reason = f"转载区政府办公室免于审核的转载任务“{source.label}”"[:500]
    return Outcome(MatchState.EXEMPT, judgement.score, reason, None, None, 0)


def _judge_approved(post: Post, candidates: _AccountCandidates | None) -> Outcome:
    """The verdict on one post against its account's approved revisions."""
    if candidates is None or not len(candidates.index):
        return Outcome(MatchState.UNAPPROVED, 0, NO_CANDIDATES, None, None, 0)
    judgement: Judgement = candidates.index.best(post.text, html=post.is_html)
    count = len(candidates.index)
    if judgement.match:
        approved_at = candidates.approved_at[judgement.key]
        if approved_at > post.published_at + APPROVAL_SLACK:
            local = timezone.localtime
            reason = (
                f"先发后审：发布于 {local(post.published_at):%Y-%m-%d %H:%M}，"
                f"稿件审核通过于 {local(approved_at):%Y-%m-%d %H:%M}"
            )
            return Outcome(
                MatchState.UNAPPROVED, judgement.score, reason, None, judgement.key, count
            )
        return Outcome(MatchState.MATCHED, judgement.score, "", judgement.key, judgement.key, count)
    return Outcome(
        MatchState.UNAPPROVED,
        judgement.score,
        judgement.reason[:500],
        None,
        judgement.nearest,
        count,
    )


def _publications(posts: list[Post], outcomes: Mapping[int, Outcome]) -> dict[int, int]:
    """post id → the Publication it is: the one whose platform id it bears (WeChat's
    article_id), else the published one of its matched revision to its account. One query."""
    accounts = {p.account_id for p in posts}
    revisions = {o.revision_id for o in outcomes.values() if o.revision_id}
    rows = list(
        Publication.objects.filter(account_id__in=accounts, state=PublicationState.PUBLISHED)
        .filter(Q(post_id__in=[p.platform_post_id for p in posts]) | Q(revision_id__in=revisions))
        .order_by("-published_at", "-pk")
        .values_list("pk", "account_id", "post_id", "revision_id")
    )
    by_post_id = {(a, pid): pk for pk, a, pid, _ in rows if pid}
    by_revision: dict[tuple[int, int], int] = {}
    for pk, account_id, _, revision_id in rows:
        by_revision.setdefault((account_id, revision_id), pk)
    found = {}
    for post in posts:
        pk = by_post_id.get((post.account_id, post.platform_post_id))
        outcome = outcomes.get(post.pk)
        if pk is None and outcome is not None and outcome.revision_id:
            pk = by_revision.get((post.account_id, outcome.revision_id))
        if pk is not None:
            found[post.pk] = pk
    return found


def match_posts(post_ids: Iterable[int], *, force: bool = False, actor=None) -> MatchStats:
    """Judge these posts (those already judged on the same content are skipped unless
    `force`) and store the verdicts; the posts published before the cut-off are dropped."""
    stats = MatchStats()
    ids = sorted({int(i) for i in post_ids})
    for start in range(0, len(ids), BATCH):
        _match_batch(ids[start : start + BATCH], force=force, actor=actor, stats=stats)
    return stats


def _match_batch(ids: list[int], *, force: bool, actor, stats: MatchStats) -> None:
    since = match_since()
    with transaction.atomic():
        posts = list(
            Post.objects.filter(pk__in=ids).select_related("account__host_org").order_by("pk")
        )
        existing = {
            m.post_id: m for m in PostMatch.objects.select_for_update().filter(post_id__in=ids)
        }
        out_of_scope = [p for p in posts if p.published_at < since]
        stats.out_of_scope += len(out_of_scope)
        dropped = [existing[p.pk].pk for p in out_of_scope if p.pk in existing]
        changed_accounts = {existing[p.pk].account_id for p in out_of_scope if p.pk in existing}
        if dropped:
            PostMatch.objects.filter(pk__in=dropped).delete()
        todo = [
            p
            for p in posts
            if p.published_at >= since
            and (force or p.pk not in existing or existing[p.pk].content_hash != p.content_hash)
        ]
        stats.unchanged += len(posts) - len(out_of_scope) - len(todo)
        if not todo:
            _refresh(changed_accounts)
            return
        candidates = _candidates({p.account_id for p in todo})
        outcomes = {p.pk: judge_post(p, candidates.get(p.account_id)) for p in todo}
        publications = _publications(todo, outcomes)
        now = timezone.now()
        found, fresh, audits = [], [], []
        for post in todo:
            outcome = outcomes[post.pk]
            stats.count(outcome.state)
            fields = _fields(post, outcome, publications.get(post.pk), now)
            row = existing.get(post.pk)
            if row is None:
                fresh.append((post, PostMatch(post=post, state=outcome.state, **fields)))
            elif _update(row, post, fields, outcome, audits):
                changed_accounts.add(post.account_id)
                if outcome.state == MatchState.UNAPPROVED:
                    found.append(post)
        for post, row in _insert(fresh):
            if row.state == MatchState.UNAPPROVED:
                audits.append((row, post, None))
                changed_accounts.add(post.account_id)
                found.append(post)
        _audit_findings(audits)
        _notify_findings(found)
        _refresh(changed_accounts)


def _fields(post: Post, outcome: Outcome, publication_id, now) -> dict:
    return {
        "account_id": post.account_id,
        "published_at": post.published_at,
        "content_hash": post.content_hash,
        "score": outcome.score,
        "reason": outcome.reason,
        "revision_id": outcome.revision_id,
        "nearest_id": outcome.nearest_id,
        "publication_id": publication_id,
        "candidates": outcome.candidates,
        "matched_at": now,
    }


def _insert(fresh: list[tuple[Post, PostMatch]]) -> list[tuple[Post, PostMatch]]:
    """Insert the first verdicts in bulk; those inserted. A post judged at the same moment by
    another worker keeps that worker's verdict (then the rest go in one by one)."""
    if not fresh:
        return []
    try:
        with transaction.atomic():
            PostMatch.objects.bulk_create([row for _, row in fresh])
        return fresh
    except IntegrityError:
        pass
    inserted = []
    for post, row in fresh:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        inserted.append((post, row))
    return inserted


def _update(row: PostMatch, post: Post, fields: dict, outcome: Outcome, audits: list) -> bool:
    """Write a new verdict over the stored one, its audit entry added to `audits` if the state
    changed; whether the account's count of findings may have changed."""
    before = snapshot(row, AUDITED)
    old_state = row.state
    same_content = row.content_hash == post.content_hash
    if old_state == MatchState.DISMISSED and same_content and outcome.state != MatchState.MATCHED:
        state = MatchState.DISMISSED  # a dismissal holds while the content does not change
    else:
        state = outcome.state
        if state != MatchState.DISMISSED:
            fields |= {"dismissed_at": None, "dismissed_by": None, "dismiss_reason": ""}
    fields["state"] = state
    if all(getattr(row, name) == value for name, value in fields.items() if name != "matched_at"):
        return False  # the same verdict: nothing to write (publishing_rematch is idempotent)
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    if state != old_state:
        audits.append((row, post, before))
    return state != old_state


VERDICT_ACTIONS = {
    MatchState.UNAPPROVED: "post_match.unapproved",
    MatchState.MATCHED: "post_match.matched",
    MatchState.EXEMPT: "post_match.exempt",
}


def _audit_findings(audits: list[tuple[PostMatch, Post, dict | None]]) -> None:
    """One event per verdict that changed state, in one bulk write per action."""
    by_action: dict[str, list[Entry]] = defaultdict(list)
    for row, post, before in audits:
        action = VERDICT_ACTIONS.get(row.state, "post_match.rejudged")
        by_action[action].append(
            Entry(
                obj=row,
                org=post.account.host_org,
                label=f"{post.account.name}：{post.headline}",
                before=before,
                after=snapshot(row, AUDITED),
            )
        )
    for action, entries in by_action.items():
        audit_record_many(actor=None, action=action, entries=entries)


def _notify_findings(posts: list[Post]) -> None:
    """New findings go to the unit administrators of each account's unit, who must look into
    them (谁发布谁负责): one notification per account and batch, however many posts."""
    by_account: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        by_account[post.account_id].append(post)
    try:
        link = reverse("publishing:unapproved")
    except NoReverseMatch:
        link = ""
    admins: dict[int, list] = {}  # per unit: its accounts are many, its administrators few
    for found in by_account.values():
        account = found[0].account
        first = f"“{found[0].headline}”" + (f"等 {len(found)} 条内容" if len(found) > 1 else "")
        if account.host_org_id not in admins:
            admins[account.host_org_id] = unit_administrators(account.host_org)
        for admin in admins[account.host_org_id]:
            notification_send(
                recipient_org=admin.org,
                recipient_user=admin,
                kind=NotificationKind.UNAPPROVED_POST,
                obj=account,
                link=f"{link}?account={account.pk}" if link else "",
                message=f"{account.name}发布的{first}与审核通过的稿件不一致或未经审核，请核实",
            )


def _refresh(account_ids: set[int]) -> None:
    if account_ids:
        refresh_after_commit(account_ids=sorted(account_ids))


def on_posts_ingested(*, post_ids) -> None:
    """Subscriber of monitoring's POSTS_INGESTED: match once the pull has committed."""
    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: _match_safely(ids), robust=True)


def _match_safely(post_ids: list[int]) -> None:
    try:
        match_posts(post_ids)
    except Exception:  # noqa: BLE001 - never fail the pull; publishing_rematch catches up
        logger.exception(
            "已发布内容与审核稿件比对失败（%s 条），可运行 publishing_rematch 补做", len(post_ids)
        )


def rematch(*, since: date | None = None, actor=None) -> MatchStats:
    """Judge again every post in scope (published on or after the cut-off, and `since` if
    later), and drop the judgements of posts before the cut-off. Idempotent: a second run
    changes nothing."""
    start = match_since()
    if since is not None:
        start = max(start, timezone.make_aware(datetime.combine(since, time.min)))
    stats = MatchStats()
    with transaction.atomic():
        stale = PostMatch.objects.filter(published_at__lt=match_since())
        stale_accounts = set(stale.values_list("account_id", flat=True))
        stats.out_of_scope = stale.count()
        if stale_accounts:
            stale.delete()
            _refresh(stale_accounts)
    ids = Post.objects.filter(published_at__gte=start).values_list("pk", flat=True).order_by("pk")
    matched = match_posts(list(ids), force=True, actor=actor)
    matched.out_of_scope += stats.out_of_scope
    return matched


# --- dismissal -------------------------------------------------------------------------------


def post_match_dismiss(*, actor, match_id: int, version: int, reason: str) -> PostMatch:
    """A platform administrator marks a finding a false positive (误判), with a reason."""
    if not may(actor, "publishing.unapproved_dismiss"):
        raise Forbidden("只有平台管理员（区政府办公室）可以排除未经审核发布的误判")
    reason = clean_reason(reason, field="reason", label="排除理由", required=True)
    if len(reason) > 500:
        raise ServiceError("排除理由不得超过 500 个字符", field="reason")
    with transaction.atomic():
        row = get_scoped(
            PostMatch.objects.select_for_update(of=("self",)).select_related(
                "post", "account__host_org"
            ),
            actor,
            match_id,
        )
        check_version(row, version, noun="比对结果")
        if row.state != MatchState.UNAPPROVED:
            raise ServiceError(
                f"该内容的结论为“{row.get_state_display()}”，只能排除未经审核发布的内容"
            )
        before = snapshot(row, AUDITED)
        row.state = MatchState.DISMISSED
        row.dismissed_at = timezone.now()
        row.dismissed_by = actor
        row.dismiss_reason = reason
        row.version += 1
        row.save()
        audit_record(
            actor=actor,
            action="post_match.dismiss",
            obj=row,
            org=row.account.host_org,
            object_repr=f"{row.account.name}：{row.post.headline}"[:200],
            before=before,
            after=snapshot(row, AUDITED),
        )
        refresh_after_commit(account_ids=[row.account_id])
    return row


# --- reads -----------------------------------------------------------------------------------


def post_matches(user, *, state: str = MatchState.UNAPPROVED, org_id=None, account_id=None):
    """The judged posts the user may see (by the post's account's host unit), newest first;
    `state` "" for all. `org_id` narrows to that unit's subtree."""
    rows = PostMatch.objects.restrict(user, "view")
    if state:
        rows = rows.filter(state=state)
    if org_id:
        org = Organization.objects.filter(pk=org_id).only("path").first()
        rows = rows.filter(account__host_org__path__startswith=org.path) if org else rows.none()
    if account_id:
        rows = rows.filter(account_id=account_id)
    return rows.select_related(
        "post", "account__platform", "account__host_org", "nearest__article"
    ).order_by("-published_at", "-pk")


def unapproved_counts(scope) -> dict[int, compliance_rules.AccountCount]:
    """The compliance count loader (registered in PublishingConfig.ready): per account, how
    many findings and the day of the earliest. One query."""
    rows = (
        PostMatch.objects.findings()
        .filter(scope("account__host_org"))
        .values("account_id")
        .annotate(n=Count("pk"), first=Min("published_at"))
        .order_by()
    )
    return {
        row["account_id"]: compliance_rules.AccountCount(
            row["n"], timezone.localdate(row["first"]) if row["first"] else None
        )
        for row in rows
    }
