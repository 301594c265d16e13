"""Demo 协同转载: the district office's policy post on 定陶发布 issued as a repost task to the
townships' WeChat accounts, half done — five reposts (with a title prefix and a 来源 line, two
abridged) are posts of the fake platforms (govmedia/platforms/fakes/demo_seed.json), three a few
hours after the task and two on the last day, after the deadline (逾期转载): the demo's first pull
(`make run`: monitoring_pull --all) brings them and the repost detection completes their tasks,
as it does for any pull. One task is exempted with its reason, one reported by link and waiting
for the pull, the rest missing. Also a 发布申请 of 天中街道 to the 政府网 account 定陶发布, and
a 会签.

The task is issued seven days before the seed runs (the fakes' posts are dated from their start,
which `make run` sets just before), with a limit of one working day: the reposts a few hours
after it are on time, those of the last day late unless a holiday of six days or more follows
the issue day. In `make run` that is before the 先审后发 cut-off (its start), so the reposts are
outside that check. Idempotent: the task is found by its title.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.coordination import services
from govmedia.coordination.models import PublishRequest, RepostCampaign, RepostTask
from govmedia.demo.data import ABOLISHED
from govmedia.monitoring.ingest import content_hash
from govmedia.monitoring.models import Post
from govmedia.orgs.models import Organization
from govmedia.publishing import services as publishing
from govmedia.publishing.models import Article, ArticleState, Countersign, ReviewFlow
from govmedia.registry import services as registry
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
ISSUED_DAYS_AGO = 7
# The accounts whose reposts the fakes hold: three on time, two late (demo_seed.json).
ON_TIME = ("dt_binhe", "dt_chenji", "dt_rangu")
LATE = ("dt_huangdian", "dt_menghai")
EXEMPTED = "dt_zhangwan"
REPORTED = "dt_maji"
EXEMPT_REASON = "该账号正在办理注销备案，不再发布新内容（示例）"


def _source_post(account, at) -> Post:
    title, text = "定陶区2026年冬季清洁取暖补贴政策发布", "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return Post.objects.create(
        account=account,
        platform_post_id="demo-repost-source",
        title=title,
        text=text,
        is_html=True,
        url="https://mp.weixin.qq.com/s/demo-repost-source",
        published_at=at,
        content_hash=content_hash(title, text),
        first_seen_at=at,
        last_seen_at=at,
    )


def seed_coordination() -> dict[str, int]:
    created = {"campaigns": 0, "targets": 0}
    if RepostCampaign.objects.filter(title=TITLE, is_demo=True).exists():
        return created
    admin = User.objects.filter(username="admin").first()
    source_account = MediaAccount.objects.filter(handle=SOURCE_HANDLE, is_demo=True).first()
    if admin is None or source_account is None:
        return created
    issued = timezone.now() - timedelta(days=ISSUED_DAYS_AGO)
    # The abolished 区粮食局's account is named too: the task leaves it out, with the reason.
    named = list(
        MediaAccount.objects.filter(host_org__name=ABOLISHED[0], is_demo=True).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        source = _source_post(source_account, issued - timedelta(hours=1))
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
        tasks = {
            task.account.handle: task
            for task in RepostTask.objects.filter(campaign=campaign).select_related("account")
        }
        if EXEMPTED in tasks:
            services.repost_task_exempt(
                actor=admin,
                task_id=tasks[EXEMPTED].pk,
                version=tasks[EXEMPTED].version,
                reason=EXEMPT_REASON,
                now=issued + timedelta(hours=2),
            )
        if REPORTED in tasks:
            reported = tasks[REPORTED]
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
    created["campaigns"], created["targets"] = 1, len(tasks)
    return created


GOVERNMENT_SITE_HANDLES = ("dt_fabu", "dt_fabu_wb")
REQUEST_TITLE = "天中街道垃圾分类指导员上岗"
REQUEST_NOTE = "垃圾分类工作涉及全区，申请在定陶发布同步发布（示例）"


DISTRICT_FLOW = "定陶发布（政府网账号）稿件审核"
DISTRICT_REVIEWER = "quzhengfu_shenhe"


def _district_flow(admin, sites) -> None:
    """The district's flow for the articles of its 政府网 WeChat account (an account flow of the
    district, so no unit's article is affected): one step, by 区政府办公室's reviewer."""
    reviewer = User.objects.filter(username=DISTRICT_REVIEWER).first()
    wechat = next((a for a in sites if a.platform.code == "wechat-mp"), None)
    if reviewer is None or wechat is None:
        return
    if ReviewFlow.objects.filter(org=admin.org, account=wechat, is_active=True).exists():
        return
    publishing.review_flow_create(
        actor=admin,
        org_id=admin.org_id,
        account_id=wechat.pk,
        name=DISTRICT_FLOW,
        steps=[
            {
                "stage": "final",
                "mode": "any",
                "limit_value": 1,
                "limit_unit": "days",
                "reviewer_user_ids": [reviewer.pk],
            }
        ],
    )


def seed_publish_request() -> int:
    """定陶发布 (微信、微博) marked 政府网 accounts with the district's review flow for 定陶发布
    (区政府办公室's reviewer), and 天中街道 asks 定陶发布 to publish its approved article: a request
    waiting for the district office to accept it into that flow. Idempotent."""
    admin = User.objects.filter(username="admin").first()
    editor = User.objects.filter(username="tianzhong_bianji").first()
    if admin is None or editor is None:
        return 0
    sites = list(MediaAccount.objects.filter(handle__in=GOVERNMENT_SITE_HANDLES, is_demo=True))
    for account in sites:
        if not account.is_government_site:
            registry.account_set_government_site(
                actor=admin, account_id=account.pk, version=account.version, value=True
            )
    _district_flow(admin, sites)
    if PublishRequest.objects.filter(is_demo=True).exists():
        return 0
    article = (
        Article.objects.alive()
        .filter(is_demo=True, title=REQUEST_TITLE, state=ArticleState.APPROVED)
        .first()
    )
    wechat = next((a for a in sites if a.platform.code == "wechat-mp"), None)
    if article is None or wechat is None:
        return 0
    proposed = timezone.localtime() + timedelta(days=1)
    services.publish_request_submit(
        actor=editor,
        article_id=article.pk,
        account_ids=[wechat.pk],
        proposed_at=proposed.replace(hour=10, minute=0, second=0, microsecond=0),
        note=REQUEST_NOTE,
    )
    return 1


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
