"""协同转载 tests: the district office's own WeChat account (定陶发布, the 政府网 account whose
posts the others repost), 天中's newsroom (tests/publishing/conftest.py: 天中发布, 天中微博,
天中抖音; 陈集发布), and an abolished unit (原城关办事处) whose WeChat account is still in the
registry. Time is fixed: NOW is Tuesday 24 November 2026, 10:00 (tests.publishing.helpers)."""

from datetime import date

import pytest

from govmedia.orgs.models import OrgStatus, OrgType
from govmedia.publishing import services as publishing
from govmedia.registry import services as registry
from tests.conftest import make_org, make_user
from tests.monitoring.conftest import register
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures
from tests.publishing.helpers import approve_all, step_spec, write
from tests.publishing.helpers import submit as submit_article
from tests.publishing.unapproved.helpers import FUNDS


@pytest.fixture(autouse=True)
def _published_match_since(settings):
    settings.PUBLISHING_MATCH_SINCE = date(2026, 11, 1)


@pytest.fixture
def matrix(newsroom):  # noqa: F811 - the imported fixture
    m = newsroom
    m.district_wechat = register(m.district, "wechat-mp", "dt_gov", name="定陶发布")
    m.abolished = make_org(
        "原城关办事处",
        OrgType.TOWNSHIP,
        m.district,
        status=OrgStatus.ABOLISHED,
        status_changed_on=date(2026, 6, 30),
        status_reason="定陶区机构改革方案",
    )
    m.abolished_wechat = register(m.abolished, "wechat-mp", "cg_wechat", name="城关发布")
    return m


@pytest.fixture
def site(matrix):
    """定陶发布 marked a 政府网 account by the district office; the district's flow (one step,
    by 区政府办公室审核人); 天中's article approved by its own two steps."""
    m = matrix
    m.district_wechat = registry.account_set_government_site(
        actor=m.alice,
        account_id=m.district_wechat.pk,
        version=m.district_wechat.version,
        value=True,
    )
    m.district_reviewer = make_user("dist_reviewer", m.district, "reviewer", name="区级审核")
    publishing.review_flow_create(
        actor=m.alice,
        org_id=m.district.pk,
        name="区政府稿件审核",
        steps=[step_spec("final", [m.district_reviewer], limit=(1, "days"))],
    )
    m.article = write(m, title="天中街道老旧小区改造开工", body=FUNDS)
    submit_article(m, m.article)
    m.article = approve_all(m, m.article)
    return m
