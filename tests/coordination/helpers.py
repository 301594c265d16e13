"""Helpers of the 协同转载 tests (fixtures are in conftest.py)."""

import itertools
from datetime import timedelta

from govmedia.coordination import services
from govmedia.coordination.models import RepostTask
from govmedia.monitoring.ingest import content_hash
from govmedia.monitoring.models import Post
from tests.publishing.helpers import NOW, fresh
from tests.publishing.unapproved.helpers import pulled

# The district's policy post every account must repost (HTML, as WeChat gives it).
SOURCE = (
    "<p>定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。</p>"
    "<p>补贴标准为每户每年800元，由各镇街统一受理申请，申请时间为12月1日至12月31日。</p>"
    "<p>区财政局、区住建局将加强资金监管，确保补贴资金及时足额发放到户。</p>"
    "<p>咨询电话：0530-2218000，工作日上午8:30至12:00，下午13:30至18:00。</p>"
)
# A repost with its own title prefix and a 来源 line.
REPOST = (
    "【转载】定陶区发布冬季清洁取暖补贴政策\n来源：定陶区人民政府网\n"
    "定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。\n"
    "补贴标准为每户每年800元，由各镇街统一受理申请，申请时间为12月1日至12月31日。\n"
    "区财政局、区住建局将加强资金监管，确保补贴资金及时足额发放到户。\n"
    "咨询电话：0530-2218000，工作日上午8:30至12:00，下午13:30至18:00。"
)
# Abridged: the first two paragraphs only, with a prefix and the 来源 line.
ABRIDGED = (
    "转发：定陶区冬季清洁取暖补贴\n来源：定陶区人民政府网\n"
    "定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。\n"
    "补贴标准为每户每年800元，由各镇街统一受理申请，申请时间为12月1日至12月31日。"
)
# The same day, the same unit, another subject.
UNRELATED = (
    "天中街道今天开展冬季消防安全检查，重点检查辖区内的沿街商铺和居民小区。\n"
    "街道工作人员提醒居民冬季取暖注意用火用电安全，发现隐患及时报告。"
)
ISSUED = NOW  # Tuesday 10:00
DUE_4H = NOW.replace(hour=15, minute=30)  # 4 working hours: 10:00–12:00, 13:30–15:30


def source_post(m, *, published_at=None):
    return pulled(
        m.district_wechat,
        SOURCE,
        title="定陶区冬季清洁取暖补贴政策发布",
        published_at=published_at or NOW - timedelta(hours=1),
    )


def issue(m, *, actor=None, source=None, rule=None, value=4, unit="hours", now=ISSUED, **kw):
    source = source or source_post(m)
    return services.repost_campaign_issue(
        actor=actor or m.alice,
        source_kind=kw.pop("source_kind", "post"),
        source_id=source.pk,
        rule=rule if rule is not None else {"platforms": ["wechat-mp"]},
        deadline_value=value,
        deadline_unit=unit,
        priority=kw.pop("priority", "high"),
        now=now,
        **kw,
    )


def task_of(campaign, account) -> RepostTask:
    return RepostTask.objects.get(campaign=campaign, account=account)


_serial = itertools.count(1)


def repost(account, text=REPOST, *, at=None, url="", title=""):
    """A post of the account as a pull stores it (plain text, as Weibo and Douyin give it)."""
    at = at or NOW + timedelta(hours=1)
    return Post.objects.create(
        account=account,
        platform_post_id=f"r{next(_serial)}",
        title=title,
        text=text,
        is_html=False,
        url=url,
        published_at=at,
        content_hash=content_hash(title, text),
        first_seen_at=at,
        last_seen_at=at,
    )


__all__ = ["fresh", "pulled"]
