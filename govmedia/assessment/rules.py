"""The automatic rules a rubric item may name (Indicator.rule), evaluated at a check time.

Each rule reads what the platform had stored at the check time (监测时间点) — posts first seen by
then, pull runs finished by then, findings open then — so the same check re-evaluated later gives
the same results. A rule answers for many accounts at once in a fixed number of queries, and
returns per account a `Result`: the outcome (pass / hit / 无法判断), how many occurrences, and the
evidence a checker sees (posts with their dates and links, findings with their messages).

互动回应差 and 留言答复超期 read the interaction app's figures for the check period (messages
received by the check time, answered by it); 功能无法使用 the service links' checks up to it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from govmedia.compliance import rules as compliance_rules
from govmedia.compliance.models import ComplianceFinding
from govmedia.coordination.models import RepostTask, TaskState
from govmedia.interaction.selectors import interaction_figures
from govmedia.monitoring.models import Post, PullOutcome, PullRun, Rectification
from govmedia.publishing.models import MatchState, PostMatch
from govmedia.servicelinks.selectors import broken_links

from .models import Outcome

# "监测时间点前2周内无更新" (国办秘函〔2019〕19号 as local reports apply it).
NO_UPDATE_DAYS = 14
SERIOUS_SEVERITY = "block"  # screening's 严重 (monitoring.rectify.SEVERITY_RANK)
EVIDENCE_LIMIT = 20  # posts or findings listed per item; the count is kept whole
CHUNK = 2000  # account ids per IN list


@dataclass(frozen=True)
class Context:
    check_at: datetime
    period_start: date
    accounts: list  # MediaAccount rows with host_org loaded

    @property
    def ids(self) -> list[int]:
        return [account.pk for account in self.accounts]

    @property
    def period_begin(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.period_start, time.min))


@dataclass
class Result:
    outcome: str = Outcome.PASS
    occurrences: int = 0
    evidence: list = field(default_factory=list)

    def add(self, item: dict) -> None:
        self.outcome = Outcome.HIT
        self.occurrences += 1
        if len(self.evidence) < EVIDENCE_LIMIT:
            self.evidence.append(item)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    source: str  # the data it reads, shown beside the rule in the rubric editor
    evaluate: Callable[[Context], dict[int, Result]] | None

    @property
    def available(self) -> bool:
        return self.evaluate is not None


def _chunks(ids):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _post_evidence(post_id, title, url, published_at, **extra) -> dict:
    return {
        "kind": "post",
        "id": post_id,
        "label": (title or "（无标题）")[:100],
        "url": url,
        "date": _when(published_at),
        **extra,
    }


# --- 2 周内无更新 -------------------------------------------------------------------------------


def no_update(ctx: Context) -> dict[int, Result]:
    """Hit when no post published in the 14 days before the check time was seen by then;
    无法判断 when the account's last pull by then failed, or it was never pulled: a failing
    pull is never counted as dormant."""
    since = ctx.check_at - timedelta(days=NO_UPDATE_DAYS)
    last_post: dict[int, datetime] = {}
    last_ok: dict[int, datetime] = {}
    last_failed: dict[int, datetime] = {}
    seen = Q(first_seen_at__lte=ctx.check_at, published_at__lte=ctx.check_at)
    updated: set[int] = set()
    for ids in _chunks(ctx.ids):
        # Only the window is read for most accounts: the (account, published_at) index.
        updated.update(
            Post.objects.filter(seen, account_id__in=ids, published_at__gte=since)
            .values_list("account_id", flat=True)
            .distinct()
            .order_by()
        )
    quiet = [pk for pk in ctx.ids if pk not in updated]
    for ids in _chunks(quiet):
        # The last post before the window, as evidence, for the accounts without an update.
        posts = (
            Post.objects.filter(seen, account_id__in=ids)
            .values("account_id")
            .annotate(last=Max("published_at"))
            .order_by()
        )
        last_post.update((row["account_id"], row["last"]) for row in posts)
    for ids in _chunks(quiet):
        runs = (
            PullRun.objects.filter(account_id__in=ids, finished_at__lte=ctx.check_at)
            .values("account_id", "outcome")
            .annotate(last=Max("finished_at"))
            .order_by()
        )
        for row in runs:
            target = last_ok if row["outcome"] == PullOutcome.OK else last_failed
            target[row["account_id"]] = row["last"]
    results = {}
    for pk in ctx.ids:
        post_at, ok_at, failed_at = last_post.get(pk), last_ok.get(pk), last_failed.get(pk)
        if pk in updated:
            results[pk] = Result()
        elif ok_at is None or (failed_at is not None and failed_at > ok_at):
            results[pk] = Result(
                Outcome.UNDETERMINED,
                evidence=[
                    {
                        "kind": "pull",
                        "label": "监测时间点前最近一次采集失败"
                        if ok_at
                        else "监测时间点前未成功采集",
                        "date": _when(failed_at or ok_at),
                    }
                ],
            )
        else:
            result = Result()
            days = (ctx.check_at - post_at).days if post_at else None
            result.add(
                {
                    "kind": "update",
                    "label": (
                        f"最近一次更新 {_when(post_at)}，距监测时间点 {days} 天"
                        if post_at
                        else "采集以来未发现任何更新"
                    ),
                    "date": _when(post_at),
                    "pulled": _when(ok_at),
                }
            )
            results[pk] = result
    return results


# --- 严重问题：已发布内容中的严重错误 ----------------------------------------------------------


def serious_findings(ctx: Context) -> dict[int, Result]:
    """Screening findings of severity 严重 on posts published in the check period, found by
    the check time; each post is evidence."""
    results = {pk: Result() for pk in ctx.ids}
    for ids in _chunks(ctx.ids):
        rows = (
            Rectification.objects.filter(
                account_id__in=ids,
                severity=SERIOUS_SEVERITY,
                created_at__lte=ctx.check_at,
                post__published_at__gte=ctx.period_begin,
                post__published_at__lte=ctx.check_at,
            )
            .values_list(
                "account_id", "post_id", "post__title", "post__url", "post__published_at", "matched"
            )
            .order_by("account_id", "post__published_at", "pk")
        )
        for account_id, post_id, title, url, published_at, matched in rows:
            results[account_id].add(
                _post_evidence(post_id, title, url, published_at, matched=matched)
            )
    return results


# --- 未经审核发布 ------------------------------------------------------------------------------


def unapproved_posts(ctx: Context) -> dict[int, Result]:
    """Posts published in the check period that matched no approved revision (先审后发),
    judged by the check time and not dismissed as a false positive."""
    results = {pk: Result() for pk in ctx.ids}
    for ids in _chunks(ctx.ids):
        rows = (
            PostMatch.objects.filter(
                account_id__in=ids,
                state=MatchState.UNAPPROVED,
                matched_at__lte=ctx.check_at,
                published_at__gte=ctx.period_begin,
                published_at__lte=ctx.check_at,
            )
            .values_list("account_id", "post_id", "post__title", "post__url", "published_at")
            .order_by("account_id", "published_at", "pk")
        )
        for account_id, post_id, title, url, published_at in rows:
            results[account_id].add(_post_evidence(post_id, title, url, published_at))
    return results


# --- 备案合规 ----------------------------------------------------------------------------------


def _open_findings(rule_codes) -> Callable[[Context], dict[int, Result]]:
    def evaluate(ctx: Context) -> dict[int, Result]:
        results = {pk: Result() for pk in ctx.ids}
        open_then = Q(resolved_at__isnull=True) | Q(resolved_at__gt=ctx.check_at)
        for ids in _chunks(ctx.ids):
            rows = (
                ComplianceFinding.objects.filter(
                    open_then,
                    account_id__in=ids,
                    rule__in=rule_codes,
                    first_seen_at__lte=ctx.check_at,
                )
                .values_list("account_id", "rule", "message", "since")
                .order_by("account_id", "rule", "pk")
            )
            for account_id, rule, message, since in rows:
                label = (
                    compliance_rules.RULES[rule].title if rule in compliance_rules.RULES else rule
                )
                results[account_id].add(
                    {
                        "kind": "finding",
                        "label": f"{label}：{message}",
                        "date": since.isoformat() if since else "",
                    }
                )
        return results

    return evaluate


def subject_mismatch(ctx: Context) -> dict[int, Result]:
    """The registered subject (注册单位) differs from the host unit's name (账号主体与开办单位
    不一致), read from the registry as it stands when evaluated."""
    results = {}
    for account in ctx.accounts:
        result = Result()
        registrant = "".join(account.registrant.split())
        host = "".join(account.host_org.name.split())
        # "陈集镇人民政府" registers the account of the unit named "陈集镇": one name holding the
        # other is the same subject; a company or another unit is not.
        if registrant and registrant not in host and host not in registrant:
            result.add(
                {
                    "kind": "registry",
                    "label": f"注册单位“{account.registrant}”与开办单位“{account.host_org.name}”不一致",
                }
            )
        results[account.pk] = result
    return results


# --- 转载任务完成情况 -------------------------------------------------------------------------


def repost_missing(ctx: Context) -> dict[int, Result]:
    """Repost tasks (协同转载) due within the check period that were neither completed nor
    exempted by the check time; each is one occurrence."""
    results = {pk: Result() for pk in ctx.ids}
    done_then = Q(state=TaskState.COMPLETED, completed_at__lte=ctx.check_at) | Q(
        state=TaskState.EXEMPTED, exempted_at__lte=ctx.check_at
    )
    for ids in _chunks(ctx.ids):
        rows = (
            RepostTask.objects.filter(
                account_id__in=ids, due_at__gte=ctx.period_begin, due_at__lte=ctx.check_at
            )
            .exclude(done_then)
            .values_list("account_id", "campaign__title", "due_at")
            .order_by("account_id", "due_at", "pk")
        )
        for account_id, title, due_at in rows:
            results[account_id].add(
                {"kind": "repost", "label": f"转载任务“{title}”未按期完成", "date": _when(due_at)}
            )
    return results


# --- 互动回应 (interaction figures) and 功能无法使用 (service links) ---------------------------


def interaction_poor(ctx: Context) -> dict[int, Result]:
    """互动回应差: messages arrived in the period and none was answered by the check time (the
    单项否决 "no working interaction"). An account that received nothing is not judged poor."""
    results = {pk: Result() for pk in ctx.ids}
    for ids in _chunks(ctx.ids):
        figures = interaction_figures(
            account_ids=ids, start=ctx.period_begin, end=ctx.check_at, now=ctx.check_at
        )
        for account_id, figure in figures.items():
            if figure.received and not figure.working_interaction:
                results[account_id].add(
                    {
                        "kind": "interaction",
                        "label": f"检查期内收到留言 {figure.received} 条，截至监测时间点未答复任何一条",
                    }
                )
    return results


def reply_overdue(ctx: Context) -> dict[int, Result]:
    """留言答复超期: each message of the period answered after its due time, or still unanswered
    past it at the check time, is one occurrence."""
    results = {pk: Result() for pk in ctx.ids}
    for ids in _chunks(ctx.ids):
        figures = interaction_figures(
            account_ids=ids, start=ctx.period_begin, end=ctx.check_at, now=ctx.check_at
        )
        for account_id, figure in figures.items():
            late = figure.answered - figure.answered_in_time
            overdue = late + figure.unanswered_overdue
            if overdue:
                result = results[account_id]
                result.add(
                    {
                        "kind": "interaction",
                        "label": f"超期答复 {late} 条，超期未答复 {figure.unanswered_overdue} 条"
                        f"（检查期内收到 {figure.received} 条）",
                    }
                )
                result.occurrences = overdue
    return results


def service_links_broken(ctx: Context) -> dict[int, Result]:
    """功能无法使用: each service link found broken by its checks up to the check time."""
    results = {pk: Result() for pk in ctx.ids}
    for ids in _chunks(ctx.ids):
        for account_id, links in broken_links(account_ids=ids, at=ctx.check_at).items():
            for link in links:
                results[account_id].add(
                    {
                        "kind": "link",
                        "label": f"“{link.name}”无法使用（{link.get_last_outcome_display()}）",
                        "url": link.url,
                        "date": _when(link.last_checked_at),
                    }
                )
    return results


NO_UPDATE = "no_update_2w"
SERIOUS_FINDINGS = "serious_findings"
UNAPPROVED_POSTS = "unapproved_posts"
UNFILED = "filing_missing"
SHOULD_CANCEL = "should_cancel"
SUBJECT_MISMATCH = "subject_mismatch"
REPOST_MISSING = "repost_missing"
INTERACTION_POOR = "interaction_poor"
REPLY_OVERDUE = "reply_overdue"
SERVICE_LINKS_BROKEN = "service_links_broken"

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(NO_UPDATE, "监测时间点前2周内无更新", "已采集的内容与采集记录", no_update),
        Rule(SERIOUS_FINDINGS, "已发布内容存在严重错误", "错敏审查的严重问题", serious_findings),
        Rule(UNAPPROVED_POSTS, "未经审核发布", "先审后发核验", unapproved_posts),
        Rule(
            UNFILED,
            "未备案或逾期未备案",
            "合规检查（未备案、逾期未备案）",
            _open_findings([compliance_rules.NEVER_FILED, compliance_rules.FILING_OVERDUE]),
        ),
        Rule(
            SHOULD_CANCEL,
            "应注销未注销",
            "合规检查（主办单位已撤销或整合）",
            _open_findings([compliance_rules.ABOLISHED_HOST]),
        ),
        Rule(SUBJECT_MISMATCH, "账号主体与开办单位不一致", "政务新媒体登记信息", subject_mismatch),
        Rule(REPOST_MISSING, "转载任务未完成", "协同转载任务", repost_missing),
        Rule(
            INTERACTION_POOR,
            "互动回应差（未提供有效互动功能）",
            "互动留言的收到与答复",
            interaction_poor,
        ),
        Rule(REPLY_OVERDUE, "留言答复超期", "互动留言的答复期限", reply_overdue),
        Rule(
            SERVICE_LINKS_BROKEN,
            "功能无法使用（菜单、链接）",
            "掌上办事入口的定时检查",
            service_links_broken,
        ),
    )
}


def evaluate(code: str, ctx: Context) -> dict[int, Result]:
    return RULES[code].evaluate(ctx)


def counts(results: dict[int, Result]) -> dict[str, int]:
    tally = defaultdict(int)
    for result in results.values():
        tally[result.outcome] += 1
    return dict(tally)
