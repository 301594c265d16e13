"""Pulled posts written as monitoring's ingest writes them, and long enough bodies to match."""

import itertools
from datetime import timedelta

from govmedia.monitoring.ingest import content_hash
from govmedia.monitoring.models import Post
from govmedia.publishing.unapproved import match_posts
from tests.publishing.helpers import NOW

FUNDS = (
    "<p>天中街道2026年老旧小区改造工程今日全面开工，共涉及12个小区、86栋住宅楼。</p>"
    "<p>本次改造总投资3000万元，主要包括屋面防水、外墙保温、雨污分流和管网更新。</p>"
    "<p>改造工程计划于2027年6月30日前完工，施工期间请居民注意出行安全。</p>"
)
LATER = NOW + timedelta(days=1)
_serial = itertools.count(1)


def pulled(account, text, *, title="", published_at=LATER, is_html=True, post_id=None) -> Post:
    return Post.objects.create(
        account=account,
        platform_post_id=post_id or f"p{next(_serial)}",
        title=title,
        text=text,
        is_html=is_html,
        published_at=published_at,
        content_hash=content_hash(title, text),
        first_seen_at=published_at,
        last_seen_at=published_at,
    )


def judged(post):
    match_posts([post.pk])
    post.refresh_from_db()
    return post.match
