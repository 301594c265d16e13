"""Demo 舆情处置: 监测方案 of 天中街道 and of the district, a burst of similar comments about a
停水 that made one case, and cases at every stage — 预警 (overdue), 研判, 转办, 处置, 回应, 办结 —
taken through the real services with times in the past, and a spike of negative comments under
天中街道发布's Weibo post on 优化营商环境 (the comments of the fake Weibo's seed, same ids, stored as a
pull stores them), and yesterday's daily 舆情简报. Idempotent: nothing is created when a demo case exists."""

import json
from datetime import timedelta

from django.utils import timezone

from govmedia.interaction.services import messages_ingest
from govmedia.opinion.intake import scan_messages
from govmedia.opinion.models import Level, OpinionCase, Subscription
from govmedia.opinion.services import cases as svc
from govmedia.opinion.services.briefs import brief_generate
from govmedia.opinion.services.signals import IncomingText, signals_from_texts
from govmedia.orgs.models import Organization
from govmedia.platforms.base import Comment
from govmedia.platforms.fakes import DEMO_SEED
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

COMMENTS = (
    "幸福小区又停水了，{n}天了都没人管，物业电话打不通",
    "幸福小区又停水了，{n}天了都没人管，物业电话打不通！！",
    "幸福小区又停水了，{n}天了都没人管，物业电话也打不通，太失望了",
)
REPORTS = [
    # (org name, title, text, reporter, level, stages, hours ago)
    (
        "天中街道",
        "学校门口早高峰拥堵，家长担心安全",
        "天中街道实验小学门口早高峰拥堵严重，家长在微博发帖担心孩子安全，转发较多。",
        "网信通报",
        Level.LARGE,
        ("assess",),
        20,
    ),
    (
        "区卫生健康局",
        "网传区医院挂号难、黄牛倒号",
        "有网民发帖称区医院专家号难挂，黄牛加价倒号，评论区负面情绪集中。",
        "12345 转办",
        Level.LARGE,
        ("assess", "assign"),
        30,
    ),
    (
        "天中街道",
        "建设路夜间施工噪音扰民",
        "建设路工地夜间施工到凌晨，周边居民多次投诉噪音扰民。",
        "12345 转办",
        Level.ORDINARY,
        ("assess", "assign", "act"),
        40,
    ),
    (
        "陈集镇",
        "陈集镇集市销售假冒化肥",
        "有农户反映陈集镇集市有人销售假冒化肥，造成损失，要求查处。",
        "领导批示",
        Level.MAJOR,
        ("assess", "assign", "act", "respond"),
        50,
    ),
    (
        "天中街道",
        "老旧小区路灯长期不亮",
        "天中街道多个老旧小区路灯长期不亮，居民夜间出行不便。",
        "政务微博留言",
        Level.ORDINARY,
        ("assess", "assign", "act", "respond", "close"),
        120,
    ),
]


def _user(username):
    return User.objects.filter(username=username).first()


def seed_opinion() -> dict[str, int]:
    if OpinionCase.objects.filter(is_demo=True).exists():
        return {"cases": 0}
    admin, unit, editor, oversight = (
        _user(n) for n in ("admin", "tianzhong", "tianzhong_bianji", "jiandu")
    )
    tian = Organization.objects.filter(name="天中街道").first()
    district = Organization.objects.filter(parent__isnull=True).first()
    if None in (admin, unit, editor, oversight, tian, district):
        return {"cases": 0}
    Subscription.objects.create(
        org=tian,
        name="停水停电（示例）",
        expression="(停水 OR 停电 OR 断水) NOT 演练",
        created_by=unit,
        is_demo=True,
    )
    Subscription.objects.create(
        org=tian,
        name="小区物业（示例）",
        expression='"幸福小区" NEAR/10 (物业 OR 投诉)',
        created_by=unit,
        is_demo=True,
    )
    Subscription.objects.create(
        org=district,
        name="食品药品安全（示例）",
        expression="(食品 OR 药品 OR 疫苗) AND (不合格 OR 变质 OR 过期)",
        created_by=admin,
        is_demo=True,
    )
    now = timezone.now()
    # 预警, overdue: 30 similar comments 3 days ago made one case (the 一般 limit is 48 hours).
    opened = now - timedelta(hours=72)
    texts = [
        IncomingText(
            "comment",
            f"demo-comment:{n}",
            tian.pk,
            tian.path,
            COMMENTS[n % 3].format(n=n % 4 + 2),
            opened + timedelta(minutes=n),
        )
        for n in range(30)
    ]
    signals_from_texts(texts, now=opened)
    _spike(now)
    for org_name, title, text, reporter, level, stages, hours in REPORTS:
        org = Organization.objects.get(name=org_name)
        at = now - timedelta(hours=hours)
        actor = unit if org == tian else admin
        item = svc.report_create(
            actor=admin,
            org_id=org.pk,
            title=title,
            text=text,
            reporter=reporter,
            now=at,
            occurred_at=at,
        )
        case = OpinionCase.objects.get(pk=item.case_id)
        step = at
        for stage in stages:
            step += timedelta(hours=1)
            case.refresh_from_db()
            if stage == "assess":
                svc.case_assess(
                    actor=actor,
                    case_id=case.pk,
                    version=case.version,
                    level=level,
                    reason="关注度较高，涉及群众切身利益（示例）",
                    now=step,
                )
            elif stage == "assign":
                target = Organization.objects.filter(parent=org).first() or org
                svc.case_assign(
                    actor=admin,
                    case_id=case.pk,
                    version=case.version,
                    org_ids=[target.pk],
                    note="请核实情况并及时处置（示例）",
                    now=step,
                )
            elif stage == "act":
                svc.case_act(
                    actor=admin,
                    case_id=case.pk,
                    version=case.version,
                    note="已派员现场核实，责成相关单位整改（示例）",
                    now=step,
                )
            elif stage == "respond":
                svc.case_respond(
                    actor=admin,
                    case_id=case.pk,
                    version=case.version,
                    url="https://weibo.com/dingtaofabu/demo",
                    note="区融媒体中心官方微博发布情况通报（示例）",
                    now=step,
                )
            elif stage == "close":
                svc.case_close(
                    actor=admin,
                    case_id=case.pk,
                    version=case.version,
                    report="已完成整改，回访群众表示满意（示例）",
                    now=step,
                )
    svc.case_comment(
        actor=oversight,
        case_id=OpinionCase.objects.order_by("pk").first().pk,
        text="请尽快研判并回应，注意口径（示例）",
    )
    OpinionCase.objects.all().update(is_demo=True)
    # 舆情简报: yesterday's daily brief, as the 08:00 schedule would have made it (by oversight).
    brief_generate(
        actor=oversight, kind="daily", day=timezone.localdate(now) - timedelta(days=1), is_demo=True
    )
    return {"cases": OpinionCase.objects.filter(merged_into__isnull=True).count()}


SPIKE_POST = "4990000000001002"  # 天中街道发布: 【优化营商环境政策解读】


def _spike(now) -> None:
    """The comments under the spike post, stored as a pull stores them: MESSAGES_STORED has the
    opinion intake keep their tones and judge the post. Scanned here too, since a caller's
    transaction (a test's) defers the subscriber to its commit; the scan is idempotent."""
    account = MediaAccount.objects.filter(handle="dt_tianzhong_wb", is_demo=True).first()
    if account is None:
        return
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    row = next(a for a in seed["weibo"]["accounts"] if a["handle"] == account.handle)
    post = next(p for p in row["posts"] if p.get("id") == SPIKE_POST)
    comments = [
        Comment(
            comment_id=item["id"],
            post_id=SPIKE_POST,
            created_at=now - timedelta(hours=item["hours_ago"]),
            text=item["text"],
            author_name=item.get("author", "网友"),
            post_text=post["text"],
        )
        for item in sorted(post["comment_items"], key=lambda c: -c["hours_ago"])
    ]
    created = messages_ingest(account=account, comments=comments)
    scan_messages([m.pk for m in created], now=now)
