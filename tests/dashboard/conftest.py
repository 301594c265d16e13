"""A month on the 工作台: work of every kind waiting for someone in 天中街道, 陈集镇 and the
district office, at a fixed day (TODAY, from the publishing tests: Tuesday 24 November 2026)."""

from datetime import date, timedelta

import pytest

from govmedia.counterfeit import services as counterfeit
from govmedia.counterfeit.models import SuspectAccount
from govmedia.monitoring import figures
from govmedia.monitoring import services as monitoring
from govmedia.monitoring.models import Post, PullState, Rectification
from govmedia.monitoring.rectify import Screened, rectification_open
from govmedia.registry import services as registry
from govmedia.registry.models import FilingKind, Platform
from tests.monitoring.conftest import register
from tests.publishing.conftest import newsroom  # noqa: F401 - the fixture, shared
from tests.publishing.helpers import NOW, submit, write
from tests.registry.conftest import form_data, platforms  # noqa: F401 - the fixtures, shared

FINDING = {"severity": "block", "matched": "机密★5年", "category_label": "涉密标识"}


def _rectification(account, post_id: str) -> Rectification:
    post = Post.objects.create(
        account=account,
        platform_post_id=post_id,
        title="工作动态",
        text="关于防汛工作的通知（机密★5年）",
        published_at=NOW - timedelta(days=1),
        content_hash=post_id,
        first_seen_at=NOW,
        last_seen_at=NOW,
    )
    rectification_open(post=post, account=account, screened=Screened([FINDING], 1))
    item = Rectification.objects.get(post=post)
    Rectification.objects.filter(pk=item.pk).update(due_on=date(2026, 12, 1))
    item.refresh_from_db()
    return item


def _filing(actor, org, data, *, name, handle, event_date, submit_it):
    filing = registry.filing_create(
        actor=actor,
        kind=FilingKind.OPEN,
        org=org,
        event_date=event_date,
        data=data | {"name": name, "handle": handle},
    )
    if submit_it:
        filing = registry.filing_submit(actor=actor, filing_id=filing.pk, version=filing.version)
    return filing


class Month:
    pass


@pytest.fixture
def month(newsroom, form_data):  # noqa: F811 - the fixtures imported above
    n, m = newsroom, Month()
    m.world = n
    # 备案: 天中's overdue draft (due 11 November), its 党政办公室's filing co-signed by 天中 and
    # submitted by its unit administrator, 陈集's filing straight to the district office.
    m.tian_draft = _filing(
        n.tian_unit_admin,
        n.tian,
        form_data,
        name="天中政务",
        handle="tz_new",
        event_date=date(2026, 11, 2),
        submit_it=False,
    )
    n.tian_office.supervisor = n.tian
    n.tian_office.save()
    m.office_filing = _filing(
        n.tian_unit_admin,
        n.tian_office,
        form_data,
        name="天中党政",
        handle="tz_office",
        event_date=date(2026, 11, 20),
        submit_it=True,
    )
    m.chen_filing = _filing(
        n.chen_unit_admin,
        n.chen,
        form_data,
        name="陈集政务",
        handle="cj_new",
        event_date=date(2026, 11, 20),
        submit_it=True,
    )
    # 整改: 天中's to correct; 陈集's corrected, for the district office to confirm.
    m.tian_rect = _rectification(n.wechat, "tz-1")
    chen_rect = _rectification(n.chen_wechat, "cj-1")
    m.chen_rect = monitoring.rectification_resolve(
        actor=n.chen_unit_admin, item_id=chen_rect.pk, version=chen_rect.version, note="已删除"
    )
    # 假冒账号 imitating 天中发布, reported by 天中's editor.
    created = counterfeit.suspect_create(
        actor=n.tian_editor,
        platform=Platform.objects.get(code="wechat-mp"),
        display_name="天中发布服务号",
        handle="tz_fake",
        source="report",
        description="冒用街道名义",
    )
    SuspectAccount.objects.filter(pk=created.suspect.pk).update(matched_account=n.wechat)
    m.case = SuspectAccount.objects.get(pk=created.suspect.pk)
    # 稿件审核: an article in 天中's 初审, waiting for tian_reviewer.
    m.article = write(n)
    submit(n, m.article)
    # Accounts: 天中微博 silent for 20 days (单项否决风险); 陈集's Weibo never filed.
    PullState.objects.create(
        account=n.weibo,
        next_due_at=NOW,
        last_success_at=NOW,
        last_post_at=NOW - timedelta(days=20),
    )
    figures.refresh([n.weibo.pk], today=NOW.date())  # as a finished pull stores them
    m.chen_unfiled = register(n.chen, "weibo", "cj_weibo", name="陈集微博", filing_no=None)
    return m
