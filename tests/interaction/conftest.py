"""留言互动 tests: 天中微博 on the fake Weibo (tests/publishing/conftest.py's newsroom), with a
status netizens comment on. Time is fixed where it matters: NOW is Tuesday 24 November 2026,
10:00 in the district (tests.publishing.helpers); the sweeps are given `now`."""

import pytest

from govmedia.publishing import services as publishing
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures
from tests.publishing.helpers import NOW, step_spec


@pytest.fixture
def desk(on_fakes, newsroom):  # noqa: F811 - the imported fixtures
    """天中微博 on the fake Weibo with one status (`desk.status`)."""
    d = newsroom
    d.fakes = on_fakes
    d.status = on_fakes.weibo.state.add_post(
        d.weibo.handle, published_at=NOW, text="天中街道冬季供暖服务热线开通"
    )
    return d


@pytest.fixture
def reply_flow(newsroom):  # noqa: F811
    """天中街道's flow for 答复: one step, tian_reviewer."""
    return publishing.review_flow_create(
        actor=newsroom.tian_unit_admin,
        org_id=newsroom.tian.pk,
        name="天中街道答复审核",
        content_class="reply",
        steps=[step_spec("first", [newsroom.tian_reviewer])],
    )
