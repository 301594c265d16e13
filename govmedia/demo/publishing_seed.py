"""Demo review and publishing (稿件审核): a review flow for each demo unit, 天中街道's articles in
every state, its 授权发布人, two articles published through the fake 微信 and 微博, one scheduled,
and one post pulled from 天中发布 that no approved revision matches (未经审核发布).

Everything goes through the publishing services, as a user would. Idempotent: a flow, grant or
article that exists (by unit and name/title) is left alone, so a second run creates nothing.

Publishing needs the platforms: under `make run` (DEMO_PLATFORMS=live) they are the fakes it
started before seeding, so the first pull brings the published articles back and matches them;
otherwise the fake platforms run in this process while seeding (loaded with their demo data, as
`python -m govmedia.platforms.fakes --demo` is).
"""

import io
import os
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from govmedia.core.request_context import RequestContext, bound, new_request_id
from govmedia.monitoring.clients import forget_clients
from govmedia.monitoring.ingest import content_hash as post_hash
from govmedia.monitoring.models import Post
from govmedia.monitoring.rectify import screen_pending
from govmedia.orgs.models import Organization
from govmedia.publishing import services, tasks
from govmedia.publishing.models import (
    CHECKS,
    Article,
    Publication,
    PublishGrant,
    ReviewFlow,
    ReviewRunStep,
    StepState,
)
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

UNIT = "天中街道"
EDITOR, REVIEWER, ADMIN = "tianzhong_bianji", "tianzhong_shenhe", "tianzhong"
WECHAT, WEIBO = "dt_tianzhong", "dt_tianzhong_wb"
SOURCE = "http://www.dingtao.gov.cn/art/2026/12/1/art_tz.html"  # Weibo's 安全域名
ALL_CHECKS = dict.fromkeys(CHECKS, True)
UNAPPROVED_POST_ID = "demo-unapproved-1"

# (unit, reviewer of 初审 (username or None), reviewer of 终审)
FLOWS = [
    ("天中街道", REVIEWER, ADMIN),
    ("陈集镇", None, "chenji"),
    ("区教育和体育局", None, "jiaoti"),
]

DRAFT, FIRST, FINAL, RETURNED, REJECTED, APPROVED = (
    "draft",
    "first",
    "final",
    "returned",
    "rejected",
    "approved",
)
PUBLISHED, SCHEDULED = "published", "scheduled"


@dataclass(frozen=True)
class Story:
    title: str
    body: str
    targets: tuple[str, ...]  # handles
    fate: str
    content_class: str = "daily"


STORIES = [
    Story(
        "冬季消防安全提示",
        "<p>冬季天干物燥，请居民朋友安全用电、用火、用气，不私拉乱接电线，"
        "电动自行车不进楼道、不入户充电。</p>",
        (WECHAT,),
        DRAFT,
    ),
    Story(
        "天中街道开展老年人免费健康体检",
        "<p>12月7日至12月18日，天中街道社区卫生服务中心为辖区65周岁以上老年人提供免费健康体检，"
        "请携带身份证、医保卡到服务中心一楼登记。</p>",
        (WECHAT,),
        FIRST,
    ),
    Story(
        "便民服务中心周六照常办公",
        "<p>为方便群众办事，天中街道便民服务中心自12月起每周六上午9:00至12:00照常办公，"
        "可办理社保、民政、计生等事项。</p>",
        (WECHAT, WEIBO),
        FINAL,
    ),
    Story(
        "天中街道公益性岗位招聘公告",
        "<p>天中街道拟招聘公益性岗位人员10名，报名时间为12月10日至12月15日。</p>",
        (WECHAT,),
        RETURNED,
    ),
    Story(
        "关于某小区拆迁补偿标准的说明",
        "<p>网传某小区拆迁补偿标准为每平方米两万元，具体以正式公告为准。</p>",
        (WECHAT,),
        REJECTED,
        "interpretation",
    ),
    Story(
        "冬季供暖政策宣讲会举行",
        "<p>12月1日，天中街道在党群服务中心举办冬季供暖政策宣讲会，向居民讲解供暖收费、"
        "报修渠道和困难家庭补贴申请办法，现场解答群众问题30余个。</p>",
        (WECHAT,),
        PUBLISHED,
    ),
    Story(
        "天中街道发布冬季出行提示",
        "<p>近期有雨雪天气，请广大居民减少不必要的出行，驾车注意减速慢行。</p>",
        (WEIBO,),
        PUBLISHED,
    ),
    Story(
        "天中街道“我们的节日·元旦”活动预告",
        "<p>12月31日上午，天中街道将在文化广场举办迎新年书法义写活动，欢迎居民参加。</p>",
        (WECHAT,),
        SCHEDULED,
    ),
    Story(
        "天中街道垃圾分类指导员上岗",
        "<p>天中街道20名垃圾分类指导员12月起在各小区投放点上岗，指导居民正确分类投放。</p>",
        (WECHAT,),
        APPROVED,
    ),
]

UNAPPROVED_POST = (
    "天中发布：辖区道路改造工程启动",
    "天中街道辖区道路改造工程近日启动，总投资5000万元，预计明年6月完工。",
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _steps(first: User | None, final: User) -> list[dict]:
    steps = []
    if first is not None:
        steps.append(
            {"stage": "first", "mode": "any", "limit_value": 4, "limit_unit": "hours"}
            | {"reviewer_user_ids": [first.pk]}
        )
    steps.append(
        {"stage": "final", "mode": "any", "limit_value": 1, "limit_unit": "days"}
        | {"reviewer_user_ids": [final.pk]}
    )
    return steps


def seed_flows() -> int:
    created = 0
    for unit_name, first_name, final_name in FLOWS:
        org = Organization.objects.filter(name=unit_name).first()
        final = _user(final_name)  # the unit administrator: 终审, and keeps the flow
        if org is None or final is None:
            continue
        if ReviewFlow.objects.filter(org=org, is_active=True, account__isnull=True).exists():
            continue
        first = _user(first_name) if first_name else None
        services.review_flow_create(
            actor=final, org_id=org.pk, name=f"{unit_name}稿件审核", steps=_steps(first, final)
        )
        created += 1
    return created


def seed_grants(admin: User, editor: User, accounts: dict[str, MediaAccount]) -> int:
    today, created = timezone.localdate(), 0
    for account in accounts.values():
        if PublishGrant.objects.filter(account=account, user=editor, revoked_at__isnull=True):
            continue
        services.publish_grant_create(
            actor=admin,
            account_id=account.pk,
            user_id=editor.pk,
            valid_from=today,
            valid_until=today + timedelta(days=365),
            note="示例：本单位编辑负责发布",
        )
        created += 1
    return created


def cover_png() -> "Upload":
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 383), (178, 34, 34))
    ImageDraw.Draw(image).rectangle((40, 40, 860, 343), outline=(255, 215, 0), width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return Upload(buffer.getvalue(), "cover.png")


class Upload(io.BytesIO):
    """An in-memory file shaped as Django hands an upload to a service."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name, self.size = name, len(data)

    def chunks(self, chunk_size=64 * 1024):
        self.seek(0)
        while chunk := self.read(chunk_size):
            yield chunk


def _fresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


def _decide(actor: User, article: Article, decision: str = "approve", reason: str = "") -> None:
    step = ReviewRunStep.objects.select_related("run").get(
        run__article=article, state=StepState.ACTIVE
    )
    acks = {f["key"]: "已核实，表述准确" for f in step.run.findings if f["severity"] == "warn"}
    services.review_decide(
        actor=actor,
        run_step_id=step.pk,
        version=step.version,
        decision=decision,
        revision_hash=step.run.revision_hash,
        reason=reason,
        checks=ALL_CHECKS if decision == "approve" else {},
        acknowledgements=acks if decision == "approve" else {},
    )


def _write(story: Story, org, editor, accounts) -> Article:
    article = services.article_create(
        actor=editor,
        org_id=org.pk,
        content_class=story.content_class,
        title=story.title,
        body_html=story.body,
        target_ids=[accounts[handle].pk for handle in story.targets],
        source_url=SOURCE,
        is_demo=True,
    )
    if WECHAT in story.targets and story.fate in (PUBLISHED, SCHEDULED, APPROVED):
        # WeChat needs a cover: uploaded, shown in the body, made the cover (a second revision).
        image = services.article_image_add(actor=editor, article_id=article.pk, upload=cover_png())
        article = _fresh(article)
        services.article_revise(
            actor=editor,
            article_id=article.pk,
            version=article.version,
            title=story.title,
            body_html=story.body + f'<p><img src="{image.file.url}" alt="活动现场"></p>',
            cover_image_id=image.pk,
        )
    return _fresh(article)


def _review(story: Story, article: Article, editor, reviewer, admin) -> None:
    if story.fate == DRAFT:
        return
    services.article_submit(actor=editor, article_id=article.pk, version=article.version)
    if story.fate == FIRST:
        return
    if story.fate == RETURNED:
        _decide(reviewer, article, "return", "请补充岗位条件、报名地点和咨询电话后再提交")
        return
    if story.fate == REJECTED:
        _decide(reviewer, article, "reject", "补偿标准未经有关部门发布，不得以街道名义发布")
        return
    _decide(reviewer, article)
    if story.fate == FINAL:
        return
    _decide(admin, article)


def _publish(story: Story, article: Article, editor, accounts) -> list[int]:
    if story.fate not in (PUBLISHED, SCHEDULED):
        return []
    article = _fresh(article)
    at = None
    if story.fate == SCHEDULED:
        at = (timezone.localtime() + timedelta(days=2)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    ids = []
    # Weibo's share wants the publishing person's IP (rip): the demo's operator is this machine.
    operator = RequestContext(request_id=new_request_id(), ip="127.0.0.1")
    for handle in story.targets:
        target = article.targets.get(account=accounts[handle])
        with bound(operator):
            publication = services.publication_publish(
                actor=editor,
                article_id=article.pk,
                target_id=target.pk,
                version=article.version,
                at=at,
            )
        ids.append(publication.pk)
        article = _fresh(article)
    return [] if at else ids


def _run_publications(ids: list[int]) -> None:
    """What the queued django-q task does (publish, then WeChat's poll). `make run` sets
    DEMO_PLATFORMS=live: the fakes it started first are the platforms, so its first pull finds
    the published articles and matches them to their revisions. Otherwise (tests, a bare
    demo_seed) fakes run in this process for the while."""
    if not ids:
        return
    if os.environ.get("DEMO_PLATFORMS") == "live":
        _publish_and_wait(ids, poll_every=0.5)
        return
    from govmedia.platforms.fakes import FakePlatforms
    from govmedia.platforms.fakes.platforms import DEMO_SEED

    forget_clients()
    with FakePlatforms(seed=DEMO_SEED) as platforms:
        platforms.wechat.app.publish_delay = 0
        with override_settings(PLATFORM_API_BASES=platforms.base_urls):
            _publish_and_wait(ids, poll_every=0)
        forget_clients()


def _publish_and_wait(ids: list[int], *, poll_every: float, polls: int = 40) -> None:
    for publication_id in ids:
        tasks.publish(publication_id)
        for _ in range(polls):  # WeChat publishes asynchronously: 发布中 for a few seconds
            if not Publication.objects.filter(pk=publication_id, state="publishing").exists():
                break
            time.sleep(poll_every)
            tasks.poll_publication(publication_id)


def seed_unapproved_post(account: MediaAccount) -> bool:
    """A post on 天中发布 that no approved revision matches, stored as a pull stores posts and
    announced with the pull's event, so the matcher lists it as 未经审核发布."""
    if Post.objects.filter(account=account, platform_post_id=UNAPPROVED_POST_ID).exists():
        return False
    title, text = UNAPPROVED_POST
    now = timezone.now()  # after the demo's cut-off (make run sets it to its start)
    with transaction.atomic():
        Post.objects.create(
            account=account,
            platform_post_id=UNAPPROVED_POST_ID,
            title=title,
            text=text,
            url=f"https://mp.weixin.qq.com/s/{UNAPPROVED_POST_ID}",
            published_at=now,
            content_hash=post_hash(title, text),
            first_seen_at=now,
            last_seen_at=now,
        )
        screen_pending()  # as the screening task would: screens it, then POSTS_INGESTED
    return True


def seed_publishing() -> dict[str, int]:
    """Load the demo's review and publishing data; returns what was created, by kind."""
    created = {"flows": seed_flows(), "grants": 0, "articles": 0, "published": 0, "posts": 0}
    org = Organization.objects.filter(name=UNIT).first()
    editor, reviewer, admin = _user(EDITOR), _user(REVIEWER), _user(ADMIN)
    accounts = {
        account.handle: account
        for account in MediaAccount.objects.filter(handle__in=(WECHAT, WEIBO), is_demo=True)
    }
    if None in (org, editor, reviewer, admin) or len(accounts) < 2:
        return created
    created["grants"] = seed_grants(admin, editor, accounts)
    to_run = []
    for story in STORIES:
        if Article.objects.filter(org=org, title=story.title, is_demo=True).exists():
            continue
        article = _write(story, org, editor, accounts)
        _review(story, article, editor, reviewer, admin)
        to_run += _publish(story, article, editor, accounts)
        created["articles"] += 1
    _run_publications(to_run)
    created["published"] = len(to_run)
    created["posts"] = int(seed_unapproved_post(accounts[WECHAT]))
    return created
