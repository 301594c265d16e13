"""The demo's review and publishing: a flow per demo unit, 天中街道's articles in every state,
two published through the fake 微信 and 微博, one scheduled, work in the inboxes of 天中's
编辑 and 审核人, and a pulled post that no approved revision matches. Idempotent."""

from django.core.management import call_command
from django.db.models import Count

from govmedia.monitoring.models import Post
from govmedia.publishing import selectors
from govmedia.publishing.models import (
    Article,
    PostMatch,
    Publication,
    PublishGrant,
    ReviewDecision,
    ReviewFlow,
    Revision,
)
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from govmedia.users.models import User

MODELS = (ReviewFlow, Article, Revision, ReviewDecision, PublishGrant, Publication, Post)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_publishing_is_complete_and_idempotent(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    with django_capture_on_commit_callbacks(execute=True):  # the matcher runs after commit
        call_command("demo_seed")
    first = counts()
    call_command("demo_seed")
    assert counts() == first

    flows = set(ReviewFlow.objects.filter(is_active=True).values_list("org__name", flat=True))
    assert {"天中街道", "陈集镇", "区教育和体育局"} <= flows
    states = dict(Article.objects.filter(is_demo=True).values_list("state").annotate(n=Count("id")))
    assert set(states) == {"draft", "in_review", "returned", "rejected", "approved", "published"}
    published = Publication.objects.filter(state="published").select_related("account__platform")
    assert {p.account.platform.code for p in published} == {"wechat-mp", "weibo"}
    assert all(p.url for p in published)
    assert Publication.objects.filter(state="scheduled").count() == 1

    # Work waits for 天中's 审核人 (初审), its administrator (终审), and its 编辑 (退回 to edit).
    reviewer = User.objects.get(username="tianzhong_shenhe")
    admin = User.objects.get(username="tianzhong")
    editor = User.objects.get(username="tianzhong_bianji")
    # (its 初审 also has the demo's 答复 waiting, govmedia.demo.interaction_seed)
    assert (
        selectors.review_inbox(reviewer).exclude(run__article__content_class="reply").count() == 1
    )
    assert selectors.review_inbox(admin).count() == 1
    assert selectors.my_articles(editor, states=["returned", "draft"]).count() == 2
    assert selectors.publishable(editor).exists()

    unapproved = Post.objects.get(platform_post_id="demo-unapproved-1")
    assert "5000万元" in unapproved.text and unapproved.account.handle == "dt_tianzhong"
    # Matched by the 先审后发 matcher (publishing.unapproved) as never approved.
    assert PostMatch.objects.findings().filter(post=unapproved).exists()
    call_command("audit-verify")


def test_make_run_publishes_on_its_fakes_and_flags_only_the_unapproved_post(
    db, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """What scripts/run.sh does: the fakes start with the accounts' history, the demo goes live
    (PUBLISHING_MATCH_SINCE), demo_seed publishes on those fakes, the first pull brings
    everything back. The history is out of scope, the published articles match their
    revisions, and the one post never approved is the only finding."""
    from django.utils import timezone

    from govmedia.monitoring.clients import forget_clients
    from govmedia.platforms.fakes import FakePlatforms
    from govmedia.platforms.fakes.platforms import DEMO_SEED

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    with FakePlatforms(seed=DEMO_SEED) as fakes:
        fakes.wechat.app.publish_delay = 0
        settings.PLATFORM_API_BASES = fakes.base_urls
        settings.PUBLISHING_MATCH_SINCE = timezone.now()  # after the fakes' history
        monkeypatch.setenv("DEMO_PLATFORMS", "live")
        forget_clients()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo_seed")
            call_command("monitoring_pull", "--all")
        forget_clients()

    published = Publication.objects.filter(state="published")
    assert published.count() == 2
    matched = PostMatch.objects.filter(state="matched")
    assert {m.publication_id for m in matched} == set(published.values_list("pk", flat=True))
    assert all(m.post.account_id == m.publication.account_id for m in matched)
    findings = PostMatch.objects.findings()
    assert [f.post.platform_post_id for f in findings] == ["demo-unapproved-1"]
    assert Post.objects.filter(published_at__lt=settings.PUBLISHING_MATCH_SINCE).count() > 10
