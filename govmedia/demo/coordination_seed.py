"""Demo 协同转载: the district office's policy post on 定陶发布 issued as a repost task to the
townships' WeChat accounts, half done — some reposts found automatically among the pulled
posts (with a title prefix and a 来源 line, one abridged), two after the deadline (逾期转载),
one exempted with its reason, one reported by link and waiting for the pull, the rest missing.

The task lies a week in the past (before the 先审后发 cut-off, so the reposts are outside that
check), so every standing of the completion matrix shows. The reposts are stored as a pull
stores posts and judged by the same detection the pull's event runs. Idempotent: the task is
found by its title.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import RepostCampaign, RepostTask
from govmedia.demo.data import ABOLISHED
from govmedia.monitoring.ingest import content_hash
from govmedia.monitoring.models import Post
from govmedia.orgs.models import Organization
from govmedia.publishing import services as publishing
from govmedia.publishing.models import Article, ArticleState, Countersign
from govmedia.publishing.unapproved import match_since
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

TITLE = "转载：定陶区2026年冬季清洁取暖补贴政策发布（示例）"
SOURCE_HANDLE = "dt_fabu"
PARAGRAPHS = (
    "定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。",
    "补贴标准为每户每年800元，由各镇街统一受理申请，申请时间为12月1日至12月31日。",
    "区财政局、区住建局将加强资金监管，确保补贴资金及时足额发放到户。",
    "咨询电话：0530-2218000，工作日上午8:30至12:00，下午13:30至18:00。",
)
ON_TIME, LATE = 3, 2  # the first targets repost on time, the next ones late
EXEMPT_REASON = "该账号正在办理注销备案，不再发布新内容（示例）"


def _repost_text(index: int) -> str:
    body = PARAGRAPHS if index % 2 == 0 else PARAGRAPHS[:2]  # every other one abridged
    return "\n".join(("【转载】冬季清洁取暖补贴政策", "来源：定陶发布", *body))


def _post(account, key: str, title: str, text: str, at, *, html=False) -> Post:
    return Post.objects.create(
        account=account,
        platform_post_id=f"demo-repost-{key}",
        title=title,
        text=text,
        is_html=html,
        url=f"https://mp.weixin.qq.com/s/demo-repost-{key}",
        published_at=at,
        content_hash=content_hash(title, text),
        first_seen_at=at,
        last_seen_at=at,
    )


def seed_coordination() -> dict[str, int]:
    created = {"campaigns": 0, "completed": 0}
    if RepostCampaign.objects.filter(title=TITLE, is_demo=True).exists():
        return created
    admin = User.objects.filter(username="admin").first()
    source_account = MediaAccount.objects.filter(handle=SOURCE_HANDLE, is_demo=True).first()
    if admin is None or source_account is None:
        return created
    issued = min(timezone.now(), match_since()) - timedelta(days=7)
    issued = issued.replace(hour=9, minute=0, second=0, microsecond=0)
    # The abolished 区粮食局's account is named too: the task leaves it out, with the reason.
    named = list(
        MediaAccount.objects.filter(host_org__name=ABOLISHED[0], is_demo=True).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        source = _post(
            source_account,
            "source",
            "定陶区2026年冬季清洁取暖补贴政策发布",
            "".join(f"<p>{p}</p>" for p in PARAGRAPHS),
            issued - timedelta(hours=1),
            html=True,
        )
        campaign = services.repost_campaign_issue(
            actor=admin,
            source_kind="post",
            source_id=source.pk,
            rule={"platforms": ["wechat-mp"], "org_types": ["township"], "account_ids": named},
            deadline_value=1,
            deadline_unit="days",
            priority="high",
            title=TITLE,
            note="请在标题前注明【转载】并保留“来源：定陶发布”。",
            now=issued,
        )
        RepostCampaign.objects.filter(pk=campaign.pk).update(is_demo=True)
        tasks = list(
            RepostTask.objects.filter(campaign=campaign).select_related("account").order_by("pk")
        )
        reposts = []
        for index, task in enumerate(tasks[: ON_TIME + LATE]):
            at = (
                issued + timedelta(hours=1 + index)
                if index < ON_TIME
                else campaign.due_at + timedelta(hours=3 + index)
            )
            text = _repost_text(index)
            reposts.append(_post(task.account, f"{task.pk}", "", text, at))
        rest = tasks[ON_TIME + LATE :]
        if rest:
            exempted = rest[0]
            services.repost_task_exempt(
                actor=admin,
                task_id=exempted.pk,
                version=exempted.version,
                reason=EXEMPT_REASON,
                now=issued + timedelta(hours=2),
            )
        if len(rest) > 1:
            reported = rest[1]
            officer = (
                User.objects.filter(org=reported.org, is_active=True).order_by("pk").first()
                or admin
            )
            services.repost_task_report(
                actor=officer,
                task_id=reported.pk,
                version=reported.version,
                url=f"https://mp.weixin.qq.com/s/demo-reported-{reported.pk}",
                now=issued + timedelta(hours=5),
            )
    stats = detect_reposts([post.pk for post in reposts], now=issued + timedelta(days=3))
    created["campaigns"], created["completed"] = 1, stats.completed
    return created


COUNTERSIGN_UNIT = "陈集镇"
COUNTERSIGN_NOTE = "稿件涉及陈集镇的供暖服务安排，请陈集镇会签（示例）"


def seed_countersign() -> int:
    """会签: 天中街道's article still in the works asks 陈集镇 to countersign; 陈集镇's unit
    administrator (it has no 审核人) gets the grant and sees that one article. Idempotent."""
    if Countersign.objects.filter(article__is_demo=True, note=COUNTERSIGN_NOTE).exists():
        return 0
    editor = User.objects.filter(username="tianzhong_bianji").first()
    org = Organization.objects.filter(name=COUNTERSIGN_UNIT).first()
    article = (
        Article.objects.alive()
        .filter(is_demo=True, org__name="天中街道")
        .exclude(state=ArticleState.PUBLISHED)
        .order_by("pk")
        .first()
    )
    if None in (editor, org, article):
        return 0
    publishing.countersign_add(
        actor=editor, article_id=article.pk, org_id=org.pk, note=COUNTERSIGN_NOTE
    )
    return 1
