"""The demo's 协同转载: a district repost task half done — reposts found automatically (on time
and late), one exempted, one reported by link, the rest missing. Idempotent."""

from django.core.management import call_command

from govmedia.coordination.models import Outcome, RepostCampaign, RepostTask
from govmedia.coordination.selectors import campaign_counts
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms


def test_demo_repost_task_is_half_done_and_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    call_command("demo_seed")
    tasks = RepostTask.objects.count()
    call_command("demo_seed")
    assert RepostCampaign.objects.count() == 1 and RepostTask.objects.count() == tasks
    campaign = RepostCampaign.objects.get()
    assert campaign.is_demo and campaign.org.parent_id is None
    counts = campaign_counts([campaign.pk])[campaign.pk]
    assert counts[Outcome.ON_TIME] == 3 and counts[Outcome.LATE] == 2
    assert counts[Outcome.EXEMPTED] == 1 and counts[Outcome.MISSING] >= 2
    assert RepostTask.objects.filter(state="claimed").count() == 1
    auto = RepostTask.objects.filter(state="completed")
    assert all(t.completed_via == "auto" and t.score >= 70 for t in auto)
    assert [e["reason"] for e in campaign.excluded] == ["主办单位“区粮食局”已撤销（2019-03-01）"]
