"""Spikes (负面评论突增): a post whose negative comments in a rolling window exceed its account's
baseline by a factor becomes one signal (notice part 四（三）“及时预警”).

Every pulled comment's sentiment is stored once (CommentTone, filled by the intake as comments
arrive). For a post that received new negative comments, with t the time of the latest of them:

- in the window: its negative comments received in (t − OPINION_SPIKE_WINDOW_HOURS, t];
- the baseline: over the OPINION_SPIKE_BASELINE_DAYS before the window, the account's negative
  comments divided by the number of its posts that received any comment — what a post of this
  account usually draws;
- a spike when the window holds at least OPINION_SPIKE_MIN_COMMENTS and more than
  OPINION_SPIKE_FACTOR × the baseline.

Everything is counted from stored rows and the comments' own times (never the wall clock), so the
same comments give the same answer whenever it is computed. A post makes one spike signal per
window: none while an earlier spike of the post is less than a window old. The signal carries a
few of the negative comments in its text, so it clusters with the subscriptions' matches about
the same event like any other signal.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count

from govmedia.interaction.models import Message
from govmedia.monitoring.models import Post

from .models import CommentTone, OpinionItem, SignalKind

SAMPLES = 5  # negative comments quoted in the signal's text


@dataclass(frozen=True, slots=True)
class Spike:
    account_id: int
    post_key: str
    at: datetime
    negative: int  # in the window
    baseline: float
    threshold: float


def window() -> timedelta:
    return timedelta(hours=settings.OPINION_SPIKE_WINDOW_HOURS)


def baseline(account_id: int, *, before: datetime) -> float:
    """The account's mean negative comments per commented post over the baseline days."""
    since = before - timedelta(days=settings.OPINION_SPIKE_BASELINE_DAYS)
    rows = CommentTone.objects.filter(
        account_id=account_id, received_at__gte=since, received_at__lte=before
    )
    counts = rows.aggregate(posts=Count("post_key", distinct=True), negative=Count("pk"))
    negative = rows.filter(negative=True).count()
    return negative / counts["posts"] if counts["posts"] else 0.0


def threshold(base: float) -> float:
    """The count a window must reach: the minimum, and strictly more than factor × baseline."""
    return max(float(settings.OPINION_SPIKE_MIN_COMMENTS), settings.OPINION_SPIKE_FACTOR * base)


def spike_ref(account_id: int, post_key: str) -> str:
    ref = f"spike:{account_id}:{post_key}"
    if len(ref) > 60:  # content_ref's width; platform ids are usually far shorter
        ref = f"spike:{account_id}:{hashlib.sha1(post_key.encode()).hexdigest()[:32]}"
    return ref


def judge(account_id: int, post_key: str, at: datetime) -> Spike | None:
    start = at - window()
    negative = CommentTone.objects.filter(
        account_id=account_id,
        post_key=post_key,
        negative=True,
        received_at__gt=start,
        received_at__lte=at,
    ).count()
    if negative < settings.OPINION_SPIKE_MIN_COMMENTS:
        return None  # the common case, without the baseline's two counts
    base = baseline(account_id, before=start)
    needed = threshold(base)
    if negative < needed or negative <= settings.OPINION_SPIKE_FACTOR * base:
        return None
    already = OpinionItem.objects.filter(
        kind=SignalKind.SPIKE,
        content_ref=spike_ref(account_id, post_key),
        occurred_at__gt=start,
        occurred_at__lte=at + window(),
    ).exists()
    return None if already else Spike(account_id, post_key, at, negative, base, needed)


def candidates(tones: list[CommentTone]) -> list[tuple[int, str, datetime]]:
    """The posts that received new negative comments, with the latest one's time."""
    latest: dict[tuple[int, str], datetime] = {}
    for tone in tones:
        if tone.negative:
            key = (tone.account_id, tone.post_key)
            latest[key] = max(latest.get(key, tone.received_at), tone.received_at)
    return [(account, post_key, at) for (account, post_key), at in sorted(latest.items())]


def spike_item(spike: Spike, *, now: datetime) -> OpinionItem:
    """The signal of a spike, quoting a few of the window's negative comments."""
    comments = list(
        Message.objects.filter(
            pk__in=CommentTone.objects.filter(
                account_id=spike.account_id,
                post_key=spike.post_key,
                negative=True,
                received_at__gt=spike.at - window(),
                received_at__lte=spike.at,
            ).values("message_id")
        )
        .select_related("account__host_org", "account__platform")
        .order_by("-received_at", "-pk")[:SAMPLES]
    )
    account = comments[0].account
    post = (
        Post.objects.filter(account_id=spike.account_id, platform_post_id=spike.post_key)
        .only("pk", "title", "text", "url")
        .first()
    )
    about = (post.title or post.text) if post else comments[0].post_excerpt
    about = " ".join(about.split())[:40] or spike.post_key
    hours = settings.OPINION_SPIKE_WINDOW_HOURS
    rule = (
        f"负面评论突增：{hours} 小时内 {spike.negative} 条，基线 {spike.baseline:.1f} 条/内容"
        f"（近 {settings.OPINION_SPIKE_BASELINE_DAYS} 天），阈值 {spike.threshold:g} 条"
        f"（至少 {settings.OPINION_SPIKE_MIN_COMMENTS} 条且超过基线的 "
        f"{settings.OPINION_SPIKE_FACTOR:g} 倍）"
    )
    text = "\n".join(
        [f"{account.name}的内容“{about}”{hours} 小时内收到负面评论 {spike.negative} 条。"]
        + [f"网友评论：{c.text}" for c in comments]
    )
    return OpinionItem(
        org_id=account.host_org_id,
        kind=SignalKind.SPIKE,
        title=f"负面评论突增：{about}"[:500],
        text=text,
        url=(post.url if post else "")[:1000],
        occurred_at=spike.at,
        matched_rule=rule[:2000],
        post_id=post.pk if post else None,
        content_ref=spike_ref(spike.account_id, spike.post_key),
        created_at=now,
    )


def tones_of(messages: list[Message], labels: dict[int, bool]) -> list[CommentTone]:
    """The tones of the pulled comments among `messages` (labels: message id -> negative)."""
    return [
        CommentTone(
            message_id=m.pk,
            account_id=m.account_id,
            post_key=m.platform_post_id,
            received_at=m.received_at,
            negative=labels[m.pk],
        )
        for m in messages
        if m.account_id and m.platform_post_id and m.pk in labels
    ]
