"""Review and publishing tests: 天中街道 with its accounts, a two-step flow (初审 by tian_reviewer,
终审 by tian_leader) and tian_editor authorised to publish; 陈集镇 with its own account and flow.

Time is fixed: NOW is Tuesday 24 November 2026, 10:00 in the district; services that read the
clock are given `now` (or `today`) explicitly. The fake platforms run on 127.0.0.1 (`fakes`);
WeChat's publication is made instant (publish_delay 0) so a poll after the submit finds it out.
"""

import pytest

from govmedia.monitoring.clients import forget_clients
from govmedia.platforms.fakes import FakePlatforms
from govmedia.publishing import inbox, services
from govmedia.publishing.models import InboxEntry
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import make_user
from tests.monitoring.conftest import register, store_credentials
from tests.publishing.helpers import GRANT_FROM, GRANT_UNTIL, TODAY, step_spec


@pytest.fixture
def newsroom(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)  # transactional tests flush the migration's rows
    n = world
    n.tian_leader = make_user("tian_leader", world.tian, "reviewer", name="天中终审")
    n.wechat = register(world.tian, "wechat-mp", "tz_wechat", name="天中发布")
    n.weibo = register(world.tian, "weibo", "tz_weibo", name="天中微博")
    n.douyin = register(world.tian, "douyin", "tz_douyin", name="天中抖音")
    n.chen_wechat = register(world.chen, "wechat-mp", "cj_wechat", name="陈集发布")
    n.flow = services.review_flow_create(
        actor=world.tian_unit_admin,
        org_id=world.tian.pk,
        name="天中街道稿件审核",
        steps=[
            step_spec("first", [world.tian_reviewer]),
            step_spec("final", [n.tian_leader], limit=(1, "days")),
        ],
    )
    n.chen_flow = services.review_flow_create(
        actor=world.chen_unit_admin,
        org_id=world.chen.pk,
        name="陈集镇稿件审核",
        steps=[step_spec("first", [world.chen_reviewer])],
    )
    for account in (n.wechat, n.weibo, n.douyin):
        services.publish_grant_create(
            actor=world.tian_unit_admin,
            account_id=account.pk,
            user_id=world.tian_editor.pk,
            valid_from=GRANT_FROM,
            valid_until=GRANT_UNTIL,
            today=TODAY,
        )
    yield n
    # Every test of review and publishing also checks that the inbox rows are what the steps
    # say: a service that changes steps and forgets inbox.sync fails here.
    truth = set(inbox.waiting().values_list("reviewrunstep_id", "user_id"))
    assert set(InboxEntry.objects.values_list("step_id", "user_id")) == truth


@pytest.fixture
def fakes(settings):
    with FakePlatforms() as platforms:
        settings.PLATFORM_API_BASES = platforms.base_urls
        platforms.wechat.app.publish_delay = 0
        yield platforms
    forget_clients()


@pytest.fixture
def on_fakes(newsroom, fakes):
    """天中's accounts exist on the fake platforms, with their credentials stored."""
    for account, server in (
        (newsroom.wechat, fakes.wechat),
        (newsroom.weibo, fakes.weibo),
        (newsroom.douyin, fakes.douyin),
    ):
        server.state.add_account(account.handle, account.name)
        store_credentials(newsroom.alice, account)
    return fakes
