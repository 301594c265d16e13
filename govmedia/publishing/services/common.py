"""What the publishing services share: locking an article, links and notifications."""

from django.urls import NoReverseMatch, reverse

from govmedia.core.roles import Role
from govmedia.core.text import clean_text
from govmedia.notifications.services import notification_send
from govmedia.users.models import User

from ..models import Article

MAX_REASON = 2000


def locked_article(article_id: int) -> Article:
    """The article row, locked. Every write to an article, its run, its steps or its
    publications takes this lock first, so they queue in one order and never deadlock."""
    return Article.objects.select_for_update(of=("self",)).get(pk=article_id)


def article_link(article_id: int) -> str:
    """The article's page, once the pages are mounted (this layer works without them)."""
    try:
        return reverse("publishing:article", kwargs={"article_id": article_id})
    except NoReverseMatch:
        return ""


def notify_users(users, *, kind: str, obj, article_id: int, message: str) -> int:
    """One notification per user, addressed to that user alone (in their own unit)."""
    link = article_link(article_id)
    count = 0
    for user in users:
        notification_send(
            recipient_org=user.org,
            recipient_user=user,
            kind=kind,
            obj=obj,
            link=link,
            message=message,
        )
        count += 1
    return count


def unit_administrators(org) -> list[User]:
    """The unit administrators nearest the unit: its own, else those of the nearest unit above
    it that has any (a 内设机构 has no users of its own)."""
    chain = [org.pk, *reversed(org.ancestor_ids())]
    admins = list(
        User.objects.filter(org_id__in=chain, role=Role.UNIT_ADMIN, is_active=True).select_related(
            "org"
        )
    )
    for org_id in chain:
        nearest = [user for user in admins if user.org_id == org_id]
        if nearest:
            return nearest
    return []


def clean_reason(value, *, field: str, label: str, required: bool) -> str:
    return clean_text(value, field=field, label=label, required=required, max_length=MAX_REASON)
