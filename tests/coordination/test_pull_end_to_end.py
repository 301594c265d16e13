"""End to end through the fake WeChat and Weibo: the district's post is the source, the next
pull of the targets brings their reposts, and the subscription to POSTS_INGESTED completes the
tasks; `coordination_detect` catches up on what was pulled while detection was not subscribed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from govmedia.coordination.models import TaskState
from govmedia.monitoring.pulling import pull_round
from tests.coordination.helpers import REPOST, UNRELATED, issue, source_post, task_of

pytestmark = pytest.mark.django_db


def test_the_next_pull_completes_the_reposted_tasks(
    matrix, on_fakes, django_capture_on_commit_callbacks
):
    m = matrix
    now = timezone.now() - timedelta(minutes=1)  # platforms give whole seconds
    campaign = issue(
        m,
        source=source_post(m, published_at=now),
        rule={"account_ids": [m.wechat.pk, m.weibo.pk]},
        now=now,
    )
    on_fakes.wechat.state.add_post(
        m.wechat.handle,
        published_at=timezone.now(),
        title="【转载】冬季清洁取暖补贴",
        text=REPOST.replace("\n", "<br>"),
    )
    on_fakes.weibo.state.add_post(m.weibo.handle, published_at=timezone.now(), text=UNRELATED)
    with django_capture_on_commit_callbacks(execute=True):
        pull_round(worker="w1")
    wechat, weibo = task_of(campaign, m.wechat), task_of(campaign, m.weibo)
    assert wechat.state == TaskState.COMPLETED and wechat.completed_via == "auto"
    assert wechat.post.account == m.wechat and wechat.score >= 70
    assert weibo.state == TaskState.OPEN


def test_the_catch_up_command(matrix):
    from tests.coordination.helpers import repost

    m = matrix
    campaign = issue(m)
    repost(m.wechat)  # pulled, never judged
    out = StringIO()
    call_command("coordination_detect", stdout=out)
    assert "自动识别 1 个任务" in out.getvalue()
    assert task_of(campaign, m.wechat).state == TaskState.COMPLETED
    call_command("coordination_detect", stdout=out)
    assert task_of(campaign, m.wechat).state == TaskState.COMPLETED
