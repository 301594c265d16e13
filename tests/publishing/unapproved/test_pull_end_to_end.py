"""End to end through the fake WeChat: an approved article is published by its authorised
publisher, the next pull stores the post and matches it to the revision and its publication;
a post the unit put out by hand, never reviewed, becomes a finding."""

import pytest
from django.utils import timezone

from govmedia.monitoring.pulling import pull_round
from govmedia.publishing import tasks
from govmedia.publishing.models import MatchState, PostMatch
from tests.publishing.helpers import NOW, approved, fresh, publish
from tests.publishing.unapproved.helpers import FUNDS

pytestmark = pytest.mark.django_db


def test_a_published_article_is_matched_on_the_next_pull(
    newsroom, on_fakes, django_capture_on_commit_callbacks
):
    n = newsroom
    article = approved(n, body=FUNDS)
    publication = publish(n, article, n.wechat)
    tasks.publish(publication.pk, now=NOW)
    tasks.poll_publication(publication.pk, now=NOW)
    publication = fresh(publication)
    assert publication.state == "published", publication.error
    on_fakes.wechat.state.add_post(
        n.wechat.handle,
        published_at=timezone.now(),
        title="天中街道关于老旧小区改造的说明",
        text="<p>天中街道老旧小区改造总投资5000万元，涉及12个小区。</p>",
    )
    with django_capture_on_commit_callbacks(execute=True):
        pull_round(worker="w1")
    ours = PostMatch.objects.get(post__platform_post_id=publication.post_id)
    assert ours.state == MatchState.MATCHED
    assert ours.revision == article.current_revision and ours.publication == publication
    other = PostMatch.objects.exclude(pk=ours.pk).get(account=n.wechat)
    assert other.state == MatchState.UNAPPROVED and other.publication is None
