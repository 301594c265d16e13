"""The demo's 协同转载, as `make run` loads it: the fakes start with the accounts' history (which
holds five reposts of the district's policy post), demo_seed issues the repost task a week back,
and the first pull brings the reposts — the detection completes those tasks (three on time, two
late); one task is exempted with its reason, one reported by link, the rest missing. Also the
发布申请 to the 政府网 account, which the district office can accept into the district's flow,
and the 会签. Idempotent."""

from django.core.management import call_command
from django.utils import timezone

from govmedia.coordination import services
from govmedia.coordination.models import (
    Outcome,
    PublishRequest,
    RepostCampaign,
    RepostTask,
    RequestState,
)
from govmedia.coordination.selectors import campaign_counts
from govmedia.demo.coordination_seed import COUNTERSIGN_NOTE, EXEMPT_REASON, LATE, ON_TIME
from govmedia.monitoring.clients import forget_clients
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.platforms.fakes import DEMO_SEED, FakePlatforms
from govmedia.publishing.models import ArticleGrant, Countersign, ReviewRunStep
from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms
from govmedia.users.models import User


def test_demo_repost_task_is_completed_by_the_first_pull_and_idempotent(
    db, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    with FakePlatforms(seed=DEMO_SEED) as fakes:
        fakes.wechat.app.publish_delay = 0
        settings.PLATFORM_API_BASES = fakes.base_urls
        settings.PUBLISHING_MATCH_SINCE = timezone.now()  # as scripts/run.sh sets it
        monkeypatch.setenv("DEMO_PLATFORMS", "live")
        forget_clients()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo_seed")
            campaign = RepostCampaign.objects.get()
            # Before the pull nothing is completed: the reposts are on the platforms only.
            assert not RepostTask.objects.filter(state="completed").exists()
            call_command("monitoring_pull", "--all")
        forget_clients()
    tasks = RepostTask.objects.count()
    call_command("demo_seed")
    assert RepostCampaign.objects.count() == 1 and RepostTask.objects.count() == tasks
    assert campaign.is_demo and campaign.org.parent_id is None
    counts = campaign_counts([campaign.pk])[campaign.pk]
    assert counts[Outcome.ON_TIME] == 3 and counts[Outcome.LATE] == 2
    assert counts[Outcome.EXEMPTED] == 1 and counts[Outcome.MISSING] >= 2
    auto = RepostTask.objects.filter(state="completed").select_related("account", "post")
    assert {t.account.handle: t.late for t in auto} == {h: False for h in ON_TIME} | {
        h: True for h in LATE
    }
    # Completed by the detection from the pulled posts, with the match's score.
    assert all(t.completed_via == "auto" and t.score >= 70 for t in auto)
    assert all(t.post.title.startswith("【转载】") for t in auto)
    assert RepostTask.objects.filter(state="claimed").count() == 1
    assert RepostTask.objects.get(state="exempted").exempt_reason == EXEMPT_REASON
    assert [e["reason"] for e in campaign.excluded] == ["主办单位“区粮食局”已撤销（2019-03-01）"]


def test_demo_publish_request_and_countersign(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    call_command("demo_seed")
    call_command("demo_seed")
    request = PublishRequest.objects.get()
    assert request.is_demo and request.state == RequestState.SUBMITTED
    assert request.org.name == "天中街道"
    assert [a.handle for a in request.accounts.all()] == ["dt_fabu"]
    assert set(
        MediaAccount.objects.filter(is_government_site=True).values_list("handle", flat=True)
    ) == {"dt_fabu", "dt_fabu_wb"}
    assert (
        Notification.objects.filter(
            kind=NotificationKind.PUBLISH_REQUESTED, recipient_user__username="admin"
        ).count()
        == 1
    )
    # The district office accepts it: the district's flow for 定陶发布, 区政府办公室's reviewer.
    admin = User.objects.get(username="admin")
    accepted = services.publish_request_accept(
        actor=admin, request_id=request.pk, version=request.version
    )
    step = ReviewRunStep.objects.get(run__article=accepted.district_article, state="active")
    assert [u.username for u in step.reviewers.all()] == ["quzhengfu_shenhe"]
    assert accepted.state == RequestState.IN_REVIEW
    countersign = Countersign.objects.get(note=COUNTERSIGN_NOTE)
    assert countersign.org.name == "陈集镇" and countersign.article.org.name == "天中街道"
    grants = ArticleGrant.objects.filter(article=countersign.article)
    assert {g.user.username for g in grants} == {"chenji"}
